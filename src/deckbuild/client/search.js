/* deckbuild's search across every deck of the course, on the home page and
   in each deck (opened there with "/" or Ctrl-K).

   Nothing is downloaded until a search field is first used: then lunr.js
   and the course's index (deckbuild/search/index.js, built with the site)
   are added as script tags, which works from file:// where fetch() of a
   JSON file does not. Results are built as DOM nodes from text, never as
   HTML, since slide text is the authors' content. */
(function () {
  "use strict";
  var MAX_RESULTS = 20;
  var SNIPPET = 180;  // characters of slide text around the first match
  var state = { requested: false, failed: false, data: null, index: null, waiting: [] };

  function addScript(src, done, fail) {
    var script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.onload = done;
    script.onerror = fail;
    document.head.appendChild(script);
  }

  /* The index arrives through this callback, from the script the build wrote. */
  window.deckbuildSearchLoaded = function (data) {
    state.data = data;
    state.index = data.index ? lunr.Index.load(data.index) : indexHere(data);
    var waiting = state.waiting;
    state.waiting = [];
    waiting.forEach(function (done) { done(); });
  };

  function load(box, done) {
    if (state.data || state.failed) { done(); return; }
    state.waiting.push(done);
    if (state.requested) return;
    state.requested = true;
    function fail() {
      state.failed = true;
      var waiting = state.waiting;
      state.waiting = [];
      waiting.forEach(function (then) { then(); });
    }
    var ready = function () { addScript(box.dataset.index, function () {}, fail); };
    if (window.lunr) ready(); else addScript(box.dataset.lunr, ready, fail);
  }

  /* `deckbuild serve` leaves the indexing to the page (an edit shows at
     once): the same fields and boosts the build gives lunr.py. */
  function indexHere(data) {
    if (!data.slides.length) return null;
    return lunr(function () {
      var builder = this;
      builder.ref("i");
      builder.field("title", { boost: 5 });
      builder.field("text");
      if (data.notes) builder.field("notes");
      data.slides.forEach(function (slide, i) {
        builder.add({ i: String(i), title: slide[3], text: slide[4], notes: data.notes ? data.notes[i] : "" });
      });
    });
  }

  function words(query) {
    return query.toLowerCase().split(/[\s\-]+/).map(function (word) {
      return word.replace(/^\W+|\W+$/g, "");
    }).filter(Boolean);
  }

  var stems = Object.create(null);  /* snippets stem the same words again and again */
  function stem(word) {
    var known = stems[word];
    if (known === undefined) {
      known = stems[word] = lunr.stemmer(new lunr.Token(word.toLowerCase().replace(/^\W+|\W+$/g, ""))).toString();
    }
    return known;
  }

  function isStopWord(word) {
    return lunr.stopWordFilter(new lunr.Token(word)) === undefined;
  }

  /* Indexed terms by first letter, to look for typos among. */
  var byLetter = null;
  function termsStarting(letter) {
    if (byLetter === null) {
      byLetter = {};
      Object.keys(state.index.invertedIndex).forEach(function (term) {
        (byLetter[term[0]] = byLetter[term[0]] || []).push(term);
      });
    }
    return byLetter[letter] || [];
  }

  /* The fewest letters changed, added, dropped or swapped to make `term`
     the beginning of `word`, leaving at most 5 letters of ending. */
  function prefixDistance(term, word) {
    var m = term.length, n = word.length, rows = [], i, j;
    for (i = 0; i <= m; i++) {
      rows.push([i]);
      for (j = 1; j <= n; j++) {
        if (i === 0) { rows[0].push(j); continue; }
        var cost = term[i - 1] === word[j - 1] ? 0 : 1;
        var best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && term[i - 1] === word[j - 2] && term[i - 2] === word[j - 1]) {
          best = Math.min(best, rows[i - 2][j - 2] + 1);
        }
        rows[i].push(best);
      }
    }
    var least = Infinity;
    for (j = Math.max(0, n - 5); j <= n; j++) least = Math.min(least, rows[m][j]);
    return least;
  }

  /* Stems of indexed words that one typo away begin the word: a typo in an
     ending ("regularisaton") defeats the stemmer, so stems are compared
     with the word's beginning rather than with its stem. */
  function typoTerms(word) {
    return termsStarting(word[0]).filter(function (term) {
      return term.length >= 4 && term.length <= word.length + 1 && prefixDistance(term, word) <= 1;
    }).slice(0, 30);
  }

  /* One word's matches: the word stemmed as the build stemmed the slides,
     any indexed word it begins (typing "convol" finds convolution), and
     for words of 5 letters or more, one typo away. */
  function matchWord(word) {
    var hits = {};
    var stemmed = stem(word);
    var typos = word.length >= 5 ? typoTerms(word) : [];
    state.index.query(function (q) {
      q.term(word, { boost: 10 });
      if (stemmed.length >= 2) {
        q.term(stemmed, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 3 });
      }
      if (word.length >= 5) q.term(stemmed, { usePipeline: false, editDistance: 1, boost: 1 });
      typos.forEach(function (term) { q.term(term, { usePipeline: false, boost: 1 }); });
    }).forEach(function (result) {
      hits[result.ref] = { score: result.score, terms: Object.keys(result.matchData.metadata) };
    });
    return hits;
  }

  /* Every word must match (in any of its forms); scores add up. */
  function search(query) {
    if (!state.index) return [];
    var all = words(query);
    var kept = all.filter(function (word, i) { return i === all.length - 1 || !isStopWord(word); });
    if (!kept.length) return [];
    var found = null;
    kept.forEach(function (word) {
      var hits = matchWord(word);
      if (found === null) { found = hits; return; }
      var both = {};
      Object.keys(found).forEach(function (ref) {
        if (hits[ref]) {
          both[ref] = { score: found[ref].score + hits[ref].score, terms: found[ref].terms.concat(hits[ref].terms) };
        }
      });
      found = both;
    });
    return Object.keys(found).map(function (ref) {
      return { ref: +ref, score: found[ref].score, terms: found[ref].terms };
    }).sort(function (a, b) { return b.score - a.score || a.ref - b.ref; });
  }

  /* The slide text around its first matching word, matching words marked. */
  function snippet(text, terms) {
    var wanted = {};
    terms.forEach(function (term) { wanted[term] = true; });
    var pattern = /[^\s\-]+/g, match, spans = [];
    while ((match = pattern.exec(text))) {
      if (wanted[stem(match[0])]) spans.push([match.index, match.index + match[0].length]);
      if (spans.length && match.index > spans[0][0] + SNIPPET) break;
    }
    var start = spans.length ? Math.max(0, spans[0][0] - 50) : 0;
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    var end = Math.min(text.length, start + SNIPPET);
    var cut = text.lastIndexOf(" ", end);
    if (end < text.length && cut > start) end = cut;  /* end between words */
    var out = document.createElement("span");
    out.className = "deckbuild-result-snippet";
    var at = start;
    if (start > 0) out.appendChild(document.createTextNode("… "));
    spans.forEach(function (span) {
      if (span[0] < at || span[1] > end) return;
      out.appendChild(document.createTextNode(text.slice(at, span[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(span[0], span[1]);
      out.appendChild(mark);
      at = span[1];
    });
    out.appendChild(document.createTextNode(text.slice(at, end) + (end < text.length ? " …" : "")));
    return out;
  }

  function pageUrl(root, page) {
    return root + page.split("/").map(encodeURIComponent).join("/");
  }

  function span(className, text) {
    var element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    return element;
  }

  function render(box, query) {
    var list = box.querySelector(".deckbuild-search-results");
    var status = box.querySelector(".deckbuild-search-status");
    list.textContent = "";
    if (!query.trim()) { status.textContent = ""; return; }
    if (state.failed) { status.textContent = "Search is not available: its files did not load."; return; }
    var results = search(query);
    status.textContent = results.length === 0 ? "No slide matches." :
      results.length === 1 ? "1 slide" : results.length + " slides" +
      (results.length > MAX_RESULTS ? ", the first " + MAX_RESULTS + " shown" : "");
    results.slice(0, MAX_RESULTS).forEach(function (result) {
      var slide = state.data.slides[result.ref];
      var deck = state.data.decks[slide[0]];
      var link = document.createElement("a");
      link.href = pageUrl(box.dataset.root, deck[1]) + "#/" + slide[1] + "/" + slide[2];
      link.dataset.page = deck[1];
      link.dataset.h = slide[1];
      link.dataset.v = slide[2];
      link.appendChild(span("deckbuild-result-deck", deck[0]));
      link.appendChild(span("deckbuild-result-title", slide[3] || "Slide " + (slide[1] + 1)));
      link.appendChild(snippet(slide[4], result.terms));
      var item = document.createElement("li");
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  function setup(box) {
    var input = box.querySelector("input[type=search]");
    var list = box.querySelector(".deckbuild-search-results");
    var form = box.querySelector("form") || box;
    function update() {
      if (!input.value.trim()) { render(box, ""); return; }
      load(box, function () { render(box, input.value); });
    }
    input.addEventListener("focus", function () { load(box, function () { if (input.value) update(); }); });
    input.addEventListener("input", update);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector("a");
      if (first) first.click();
    });
    /* arrows move between the field and the results */
    box.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      if (!links.length) return;
      var at = links.indexOf(document.activeElement);
      var next = event.key === "ArrowDown" ? at + 1 : at - 1;
      event.preventDefault();
      if (next < 0) input.focus(); else links[Math.min(next, links.length - 1)].focus();
    });
    return { input: input, list: list };
  }

  /* In a deck: a panel over the slides, opened by its button, "/" or Ctrl-K. */
  function setupDeck(box, parts) {
    var button = document.querySelector(".deckbuild-search-button");
    var back = null;
    function open() {
      back = document.activeElement;
      box.hidden = false;
      if (button) button.setAttribute("aria-expanded", "true");
      parts.input.focus();
      parts.input.select();
    }
    function close() {
      box.hidden = true;
      if (button) button.setAttribute("aria-expanded", "false");
      if (back && back.focus && back !== document.body) back.focus(); else document.activeElement.blur();
    }
    if (button) {
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () { if (box.hidden) open(); else close(); });
    }
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (/^(input|textarea|select)$/i.test(target.tagName) || target.isContentEditable);
      if (!box.hidden && event.key === "Escape") {
        event.preventDefault();
        event.stopImmediatePropagation();
        close();
        return;
      }
      var slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey;
      var ctrlK = (event.ctrlKey || event.metaKey) && (event.key === "k" || event.key === "K");
      if (box.hidden && !typing && (slash || ctrlK)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        open();
      }
    }, true);
    /* a result in this deck moves to its slide without reloading the page */
    parts.list.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-page]");
      if (!link || link.dataset.page !== box.dataset.page || !window.Reveal) return;
      event.preventDefault();
      close();
      Reveal.slide(+link.dataset.h, +link.dataset.v);
    });
    document.addEventListener("pointerdown", function (event) {
      if (!box.hidden && !box.contains(event.target) && event.target !== button) close();
    });
  }

  var boxes = document.querySelectorAll(".deckbuild-search");
  for (var i = 0; i < boxes.length; i++) {
    var parts = setup(boxes[i]);
    if (boxes[i].classList.contains("deckbuild-search-panel")) setupDeck(boxes[i], parts);
  }
  window.deckbuildSearch = { search: function (query) { return search(query); }, state: state };
})();
