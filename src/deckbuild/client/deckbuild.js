/* deckbuild's page script: typesets the math the build found, with the
   bundled KaTeX. Malformed TeX shows its source, marked, never a blank. */
(function () {
  "use strict";
  function typeset(root) {
    if (typeof katex === "undefined") return;
    var nodes = root.querySelectorAll(".math.inline, .math.display");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      if (el.getAttribute("data-typeset")) continue;
      var tex = el.textContent;
      try {
        katex.render(tex, el, { displayMode: el.classList.contains("display"), throwOnError: true });
      } catch (err) {
        el.textContent = tex;
        el.classList.add("math-error");
        el.title = String(err && err.message || err);
      }
      el.setAttribute("data-typeset", "1");
    }
  }
  typeset(document);
})();
