/* Fit: a slide taller (or wider) than the slide box is scaled down to fit,
   as Marp does, on screen and in reveal.js's print view (so `deckbuild pdf`
   never cuts a figure off, nor pushes it off its page).

   The CSS `scale` property is used, not `transform`: reveal.js moves slides
   with `transform`, and the two compose. The layout box keeps its size, so
   reveal.js's centring (which reads scrollHeight) puts a fitted slide at
   the top, and the scaled slide then fills the box exactly.

   A deck opts out with `fit: false` (data-deckbuild-fit="false" on .reveal),
   a slide with data-fit="false" or class "scrollable" (it scrolls instead).
   A printed page cannot scroll: in the print view every slide is fitted. */
(function () {
  "use strict";
  if (!window.Reveal) return;
  var root = document.documentElement;
  var reveal = document.querySelector(".reveal");
  /* a Marp slide is clipped at its box, as in Marp (fit is for reveal.js decks) */
  if (reveal && reveal.classList.contains("marp")) { root.setAttribute("data-deckbuild-fitted", ""); return; }
  var deckOff = reveal && reveal.getAttribute("data-deckbuild-fit") === "false";
  var printing = /print-pdf/.test(location.search);

  function optedOut(section) {
    return deckOff || section.getAttribute("data-fit") === "false" || section.classList.contains("scrollable");
  }

  /* The factor that makes `section` fit a box of width x height (1: it fits). */
  function factor(section, width, height) {
    section.style.scale = "";
    var tall = section.scrollHeight, wide = section.scrollWidth;
    if (!tall) return 1;  // not displayed: measured when it is
    return Math.min(1, height / tall, width / wide);
  }

  function apply(section, scale) {
    if (scale < 0.999) {
      section.style.scale = String(scale);
      section.style.transformOrigin = "top center";
      section.setAttribute("data-fitted", scale.toFixed(3));
    } else {
      section.style.scale = "";
      section.removeAttribute("data-fitted");
    }
  }

  function fitScreen(section) {
    if (section.classList.contains("stack")) return;
    if (optedOut(section)) { apply(section, 1); return; }
    var size = Reveal.getComputedSlideSize();
    apply(section, factor(section, size.width, size.height));
  }

  function fitShown() {
    var slides = Reveal.getSlides();
    for (var i = 0; i < slides.length; i++) {
      if (getComputedStyle(slides[i]).display !== "none") fitScreen(slides[i]);
    }
  }

  /* reveal.js placed each slide on its page once, with the heights then;
     fit each slide to its box and place it again the same way. */
  function fitPrint() {
    var config = Reveal.getConfig();
    var size = Reveal.getComputedSlideSize(window.innerWidth, window.innerHeight);
    var pages = document.querySelectorAll(".pdf-page");
    for (var i = 0; i < pages.length; i++) {
      var section = pages[i].querySelector(":scope > section");
      if (!section) continue;
      var pageHeight = pages[i].offsetHeight;
      section.style.zoom = "";
      var scale = factor(section, size.width, size.height);
      var top = (pageHeight - size.height) / 2;
      if (config.center || section.classList.contains("center")) {
        top = Math.max((pageHeight - section.scrollHeight * scale) / 2, 0);
      }
      if (scale < 0.999) {
        // print pages are cut by layout boxes, not by what is drawn: a
        // figure whose box crosses the page's end is pushed off the page.
        // `zoom` shrinks the layout itself; it scales the slide's own
        // left and top too, so they are divided by it.
        var left = (pages[i].offsetWidth - size.width * scale) / 2;
        section.style.zoom = String(scale);
        section.style.left = left / scale + "px";
        section.style.top = top / scale + "px";
        section.setAttribute("data-fitted", scale.toFixed(3));
      } else {
        section.style.top = top + "px";
      }
    }
    root.setAttribute("data-deckbuild-fitted", "");
  }

  var loaded = new Promise(function (resolve) {
    if (document.readyState === "complete") resolve(); else window.addEventListener("load", resolve);
  });
  var fonts = document.fonts ? document.fonts.ready : Promise.resolve();

  if (printing) {
    var printed = new Promise(function (resolve) {
      if (document.querySelector(".pdf-page")) resolve(); else Reveal.on("pdf-ready", resolve);
    });
    Promise.all([printed, loaded, fonts]).then(function () { requestAnimationFrame(fitPrint); });
    return;
  }

  function start() {
    fitShown();
    Promise.all([loaded, fonts]).then(fitShown);
    Reveal.on("slidechanged", fitShown);
    Reveal.on("resize", fitShown);
    // a picture that arrives later (lazy data-src, a slow file) changes the height
    document.addEventListener("load", function (event) {
      var section = event.target && event.target.closest && event.target.closest(".slides section");
      if (section) fitScreen(section);
    }, true);
    root.setAttribute("data-deckbuild-fitted", "");
  }
  if (Reveal.isReady()) start(); else Reveal.on("ready", start);
  window.deckbuildFit = fitShown;
  // one slide whose content serve replaced in place (when shown: a hidden one is fitted when it is)
  window.deckbuildFitSlide = function (section) {
    if (getComputedStyle(section).display !== "none") fitScreen(section);
  };
})();
