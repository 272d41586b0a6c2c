/* deckbuild's page script: typesets the math the build found, with the
   bundled KaTeX. Malformed TeX shows its source, marked, never a blank. */
(function () {
  "use strict";
  function typeset(root) {
    if (typeof katex === "undefined") return;
    var nodes = root.querySelectorAll("[data-math]");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      if (el.getAttribute("data-typeset")) continue;
      var tex = el.textContent;
      try {
        katex.render(tex, el, { displayMode: el.getAttribute("data-math") === "display", throwOnError: true });
      } catch (err) {
        el.textContent = tex;
        el.classList.add("math-error");
        el.title = String(err && err.message || err);
      }
      el.setAttribute("data-typeset", "1");
    }
  }
  typeset(document);

  /* The slide menu: the build lists every slide's title; M or the button opens it. */
  function setupMenu() {
    var menu = document.getElementById("deckbuild-menu");
    var button = document.querySelector(".deckbuild-menu-button");
    if (!menu || !window.Reveal) return;
    function toggle(open) {
      var wasOpen = !menu.hidden;
      menu.hidden = open === undefined ? !menu.hidden : !open;
      if (button) button.setAttribute("aria-expanded", String(!menu.hidden));
      if (!menu.hidden) {
        var at = Reveal.getIndices();
        var links = menu.querySelectorAll("a");
        for (var i = 0; i < links.length; i++) {
          var here = +links[i].dataset.h === at.h && +links[i].dataset.v === (at.v || 0);
          links[i].classList.toggle("current", here);
          if (here) {
            links[i].scrollIntoView({ block: "nearest" });
            links[i].focus();  /* keyboard users land in the list, on this slide */
          }
        }
      } else if (wasOpen && button && menu.contains(document.activeElement)) {
        button.focus();  /* closing gives focus back where it came from */
      }
    }
    menu.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-h]");
      if (!link) return;
      event.preventDefault();
      Reveal.slide(+link.dataset.h, +link.dataset.v);
      toggle(false);
    });
    if (button) {
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () { toggle(); });
    }
    Reveal.addKeyBinding({ keyCode: 77, key: "M", description: "Slide menu" }, function () { toggle(); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !menu.hidden) { toggle(false); event.stopPropagation(); }
    }, true);
  }
  if (window.Reveal) {
    if (Reveal.isReady()) setupMenu(); else Reveal.on("ready", setupMenu);
  }
  /* Logo and footer: over every slide but one that turns them off
     (data-logo="false", data-footer="false"); in the print view a copy on
     each page, so the PDF has them too. */
  var FRAME = [["deckbuild-logo", "data-logo"], ["deckbuild-footer", "data-footer"]];
  function frameOff(slide, attribute) {
    return !!slide && slide.getAttribute(attribute) === "false";
  }
  function showFrame() {
    var slide = Reveal.getCurrentSlide();
    FRAME.forEach(function (pair) {
      var element = document.querySelector(".reveal > ." + pair[0]);
      if (element) element.hidden = frameOff(slide, pair[1]);
    });
  }
  function printFrame() {
    var pages = document.querySelectorAll(".pdf-page");
    FRAME.forEach(function (pair) {
      var element = document.querySelector(".reveal > ." + pair[0]);
      if (!element) return;
      for (var i = 0; i < pages.length; i++) {
        if (frameOff(pages[i].querySelector(":scope > section"), pair[1])) continue;
        pages[i].appendChild(element.cloneNode(true));
      }
    });
  }
  if (window.Reveal && document.querySelector(".reveal > .deckbuild-logo, .reveal > .deckbuild-footer")) {
    if (/print-pdf/.test(location.search)) Reveal.on("pdf-ready", printFrame);
    else {
      Reveal.on("slidechanged", showFrame);
      if (Reveal.isReady()) showFrame(); else Reveal.on("ready", showFrame);
    }
  }
  /* the speaker view's previews are this page too: no buttons there */
  if (/[?&]receiver/.test(location.search)) document.documentElement.classList.add("deckbuild-preview");
  window.deckbuildTypeset = typeset;
})();
