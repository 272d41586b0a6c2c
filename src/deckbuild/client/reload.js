/* deckbuild serve: injected into pages in serve mode only, never by `build`.
   Waits (long poll) for a newer complete build that changed this page and
   then follows it: changed slides are replaced in place (math typeset and
   code highlighted there, the slide and fragment kept) and changed
   stylesheets swapped; anything else reloads the page, coming back on the
   same slide and fragment. A failed build's error shows as an overlay over
   the last good page; the build's warnings for this page as a badge; an
   image that is missing as a box naming it. */
(function () {
  "use strict";
  var epoch = __DECKBUILD_EPOCH__;
  var key = "deckbuild-position:" + location.pathname;
  var page = encodeURIComponent(location.pathname);
  var preview = /[?&]receiver/.test(location.search);  // a speaker view's preview of this page
  var printing = /print-pdf/.test(location.search);
  var overlay = null;

  function style() {
    var css = document.createElement("style");
    css.textContent =
      ".deckbuild-warnings{position:fixed;left:8px;top:8px;z-index:10001;font:13px/1.4 system-ui,sans-serif;color:#222}" +
      ".deckbuild-warnings>button{border:0;border-radius:12px;padding:3px 10px;background:#f6c343;color:#222;" +
      "font:600 13px/1.4 system-ui,sans-serif;cursor:pointer;box-shadow:0 1px 4px #0005}" +
      ".deckbuild-warnings>button.deckbuild-dismiss{margin-left:4px;padding:3px 7px;background:#eee}" +
      ".deckbuild-warnings ul{margin:6px 0 0;padding:8px 12px 8px 28px;max-width:min(48rem,90vw);max-height:60vh;" +
      "overflow:auto;background:#fff;border:1px solid #d4a72c;border-radius:6px;box-shadow:0 2px 8px #0004;" +
      "font:13px/1.45 monospace;white-space:pre-wrap;text-align:left}" +
      ".deckbuild-missing{display:inline-flex;align-items:center;justify-content:center;box-sizing:border-box;" +
      "min-width:8em;min-height:5em;max-width:100%;padding:.5em;border:4px dashed #c00;background:#fff0f0;" +
      "color:#a00;font:600 24px/1.3 system-ui,sans-serif;vertical-align:middle;word-break:break-all}";
    document.head.appendChild(css);
  }

  // -- the position, kept across a reload ------------------------------------

  function position() {
    var i = Reveal.getIndices();
    return { h: i.h, v: i.v || 0, f: i.f === undefined ? -1 : i.f };
  }

  function restore() {
    var saved = sessionStorage.getItem(key);
    if (!saved || !window.Reveal) return;
    sessionStorage.removeItem(key);
    var at = JSON.parse(saved);
    var go = function () { Reveal.slide(at.h, at.v, at.f); };
    if (Reveal.isReady()) go(); else Reveal.on("ready", go);
  }

  function reload() {
    if (window.Reveal && Reveal.isReady()) sessionStorage.setItem(key, JSON.stringify(position()));
    location.reload();
  }

  // -- errors and warnings --------------------------------------------------

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

  function clearError() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  var badge = null;
  function showWarnings(list) {
    if (preview || printing) return;
    var seen = list.join("\n");
    if (badge && badge.getAttribute("data-seen") === seen) return;
    if (badge) badge.remove();
    badge = null;
    if (!list.length || sessionStorage.getItem("deckbuild-dismissed:" + location.pathname) === seen) return;
    badge = document.createElement("div");
    badge.className = "deckbuild-warnings";
    badge.setAttribute("data-seen", seen);
    var open = document.createElement("button");
    open.type = "button";
    open.textContent = "\u26a0 " + list.length;
    open.title = list.length === 1 ? "1 build warning" : list.length + " build warnings";
    open.setAttribute("aria-label", open.title);
    open.setAttribute("aria-expanded", "false");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "deckbuild-dismiss";
    close.textContent = "\u00d7";
    close.title = "Dismiss (until the warnings change)";
    close.setAttribute("aria-label", close.title);
    var items = document.createElement("ul");
    items.hidden = true;
    list.forEach(function (message) {
      var item = document.createElement("li");
      item.textContent = message;
      items.appendChild(item);
    });
    open.addEventListener("click", function () {
      items.hidden = !items.hidden;
      open.setAttribute("aria-expanded", String(!items.hidden));
    });
    close.addEventListener("click", function () {
      sessionStorage.setItem("deckbuild-dismissed:" + location.pathname, seen);
      badge.remove();
      badge = null;
    });
    badge.appendChild(open);
    badge.appendChild(close);
    badge.appendChild(items);
    document.body.appendChild(badge);
  }

  // -- a missing image: a box naming the file ---------------------------------

  function markMissing(img) {
    if (img.hasAttribute("data-deckbuild-missing") || img.closest(".deckbuild-warnings")) return;
    var name = img.getAttribute("src") || img.getAttribute("data-src") || "";
    var box = document.createElement("span");
    box.className = "deckbuild-missing";
    box.setAttribute("role", "img");
    try { name = decodeURIComponent(name); } catch (e) { /* shown as written */ }
    box.textContent = "missing image: " + name;
    box.setAttribute("aria-label", box.textContent);
    var width = img.getAttribute("width"), height = img.getAttribute("height");
    box.style.width = img.style.width || (width ? (/^\d+$/.test(width) ? width + "px" : width) : "");
    box.style.height = img.style.height || (height ? (/^\d+$/.test(height) ? height + "px" : height) : "");
    img.setAttribute("data-deckbuild-missing", name);
    img.style.display = "none";
    img.after(box);
  }

  function watchImages() {
    document.addEventListener("error", function (event) {
      if (event.target && event.target.tagName === "IMG") markMissing(event.target);
    }, true);
    // images that failed before this script ran (decode() fails only for a broken one)
    var images = document.querySelectorAll("img");
    for (var i = 0; i < images.length; i++) {
      var img = images[i];
      if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) {
        img.decode().catch(markMissing.bind(null, img));
      }
    }
  }

  // -- slides replaced in place ---------------------------------------------

  function sectionAt(slide) {
    var top = document.querySelectorAll(".reveal .slides > section")[slide.h];
    if (!top || !slide.stacked) return top;
    return top.querySelectorAll(":scope > section")[slide.v];
  }

  function words(text) { return (text || "").split(/\s+/).filter(Boolean); }

  /* The attributes the deck gave the slide; reveal.js's own (its classes,
     hidden, aria-hidden, style) stay. */
  function setAttributes(section, was, now) {
    words(was["class"]).forEach(function (name) { section.classList.remove(name); });
    Object.keys(was).forEach(function (name) {
      if (name !== "class" && !(name in now)) section.removeAttribute(name);
    });
    Object.keys(now).forEach(function (name) {
      if (name !== "class") section.setAttribute(name, now[name]);
    });
    words(now["class"]).forEach(function (name) { section.classList.add(name); });
  }

  // as reveal.js's highlight plugin does to every block when the page opens
  function highlight(section) {
    if (!Reveal.hasPlugin("highlight")) return;
    var plugin = Reveal.getPlugin("highlight");
    var escape = (Reveal.getConfig().highlight || {}).escapeHTML !== false;
    var blocks = section.querySelectorAll("pre code");
    for (var i = 0; i < blocks.length; i++) {
      var code = blocks[i];
      code.parentNode.classList.add("code-wrapper");
      if (escape && !code.hasAttribute("data-noescape")) {
        code.innerHTML = code.innerHTML.replace(/</g, "&lt;").replace(/>/g, "&gt;");
      }
      plugin.highlightBlock(code);
    }
  }

  function swapSlides(slides) {
    var at = position();
    for (var i = 0; i < slides.length; i++) {
      var slide = slides[i];
      var section = sectionAt(slide);
      if (!section) return false;
      section.innerHTML = slide.html;
      setAttributes(section, slide.was, slide.attrs);
      if (window.deckbuildTypeset) window.deckbuildTypeset(section);
      highlight(section);
      Reveal.syncSlide(section);
      if (section.classList.contains("past")) {  // a slide already shown keeps its fragments shown
        section.querySelectorAll(".fragment").forEach(function (f) { f.classList.add("visible"); });
      }
      if (window.deckbuildFitSlide) window.deckbuildFitSlide(section);
      var link = document.querySelector('#deckbuild-menu a[data-h="' + slide.h + '"][data-v="' + slide.v + '"]');
      if (link) link.textContent = slide.menu;
    }
    Reveal.slide(at.h, at.v, at.f);  // the fragment shown again; this also lays the slide out
    // the speaker view reads the notes when the presentation says something happened
    if (!preview) Reveal.dispatchEvent({ type: "resumed" });
    return true;
  }

  function sitePath(href) {
    return decodeURIComponent(new URL(href, location.href).pathname).replace(/^\/+/, "");
  }

  function swapStyles(paths, version) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      if (paths.indexOf(sitePath(link.href)) < 0) continue;
      var fresh = link.cloneNode();
      var url = new URL(link.href, location.href);
      url.search = "?v=" + version;
      fresh.href = url.href;
      // the old sheet stays until the new one is in: no flash of an unstyled page
      fresh.onload = fresh.onerror = (function (old) {
        return function () {
          old.remove();
          if (window.deckbuildFit) window.deckbuildFit();
          if (window.Reveal && Reveal.isReady()) Reveal.layout();
        };
      })(link);
      link.after(fresh);
    }
  }

  function update(news) {
    var slides = news.slides || [];
    try {
      if (slides.length && (!window.Reveal || !Reveal.isReady() || printing || !swapSlides(slides))) return false;
      swapStyles(news.css || [], news.epoch);
    } catch (error) {  // whatever went wrong in place, a reload shows the build as it is
      console.error("deckbuild: reloading:", error);
      return false;
    }
    return true;
  }

  // -- the long poll ----------------------------------------------------------

  function live() {
    return sessionStorage.getItem("deckbuild-swap") !== "off";  // off: reload on every change (bench/live_swap.py)
  }

  function poll() {
    var url = "/_deckbuild/events?epoch=" + epoch + "&error=" + (overlay ? 1 : 0) + "&page=" + page;
    fetch(url, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (news) {
      if (news.error) {
        showError(news.error);
      } else if (news.action === "reload" || (news.action === "update" && (!live() || !update(news)))) {
        reload();
        return;
      } else {
        clearError();
        epoch = news.epoch;
        showWarnings(news.warnings || []);
      }
      poll();
    }).catch(function () { setTimeout(poll, 1000); });
  }

  function warnings() {
    fetch("/_deckbuild/page?page=" + page, { cache: "no-store" }).then(function (r) { return r.json(); })
      .then(function (state) { showWarnings(state.warnings || []); }).catch(function () {});
  }

  style();
  watchImages();
  restore();
  warnings();
  poll();
})();
