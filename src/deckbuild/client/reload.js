/* deckbuild serve: injected into pages in serve mode only, never by `build`.
   Waits (long poll) for a newer complete build and only then reloads,
   coming back on the same slide and fragment; shows a failed build's error
   as an overlay over the last good page. */
(function () {
  "use strict";
  var epoch = __DECKBUILD_EPOCH__;
  var key = "deckbuild-position:" + location.pathname;
  var overlay = null;

  function restore() {
    var saved = sessionStorage.getItem(key);
    if (!saved || !window.Reveal) return;
    sessionStorage.removeItem(key);
    var at = JSON.parse(saved);
    var go = function () { Reveal.slide(at.h, at.v, at.f); };
    if (Reveal.isReady()) go(); else Reveal.on("ready", go);
  }

  function save() {
    if (window.Reveal && Reveal.isReady()) {
      var i = Reveal.getIndices();
      sessionStorage.setItem(key, JSON.stringify({ h: i.h, v: i.v || 0, f: i.f === undefined ? -1 : i.f }));
    }
  }

  function showError(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "deckbuild-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:10000;padding:12px 16px;" +
        "background:#b00020;color:#fff;font:15px/1.4 monospace;white-space:pre-wrap;box-shadow:0 2px 8px #0006";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "deckbuild: the last build failed; showing the last good one.\n" + message;
  }

  function poll() {
    var url = "/_deckbuild/events?epoch=" + epoch + "&error=" + (overlay ? 1 : 0);
    fetch(url, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (news) {
      if (news.error) {
        showError(news.error);
        poll();
      } else if (news.epoch > epoch) {
        save();
        location.reload();
      } else {
        poll();
      }
    }).catch(function () { setTimeout(poll, 1000); });
  }

  restore();
  poll();
})();
