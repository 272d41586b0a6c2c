/* deckbuild check: walks every slide and fragment step of a deck page and
 * reports what the audience would not see or could not read. Injected by
 * `deckbuild check` over the DevTools pipe, never part of a built site.
 * Returns plain data; Python maps each finding to its deck file and line.
 */
(async function deckbuildProbe(options) {
  const findings = [];
  const spent = { walk: 0, media: 0, axe: 0, page: 0 };
  const clock = () => performance.now();
  const add = (h, v, kind, rule, message, extra) =>
    findings.push(Object.assign({ h, v, kind, rule, message }, extra || {}));
  const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
  // two frames: layout is done; a tab not in front may get no frames, so never wait long
  const frame = () => Promise.race([
    new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    sleep(100),
  ]);

  // what is shown must not move while it is measured
  Reveal.configure({ transition: "none", backgroundTransition: "none", autoSlide: 0, controls: true });
  const box = document.querySelector(".reveal .slides");
  // fragments fade in over 0.2 s: measured mid-fade, text has colours it never keeps
  const still = document.createElement("style");
  still.textContent = "*, *::before, *::after { transition-duration: 0s !important; animation-duration: 0s !important; }";
  document.head.appendChild(still);
  // de-emphasis a step shows on purpose (the dimmed lines of a code step) is not text to read
  const DIMMED = ".hljs.has-highlights tr:not(.highlight-line)";

  function shown(el) {
    const style = getComputedStyle(el);
    return style.visibility !== "hidden" && style.display !== "none" && parseFloat(style.opacity) > 0.01;
  }

  // the part of a slide's content that lies outside the slide box, in slide pixels
  function overflow(section) {
    const outer = box.getBoundingClientRect();
    const scale = Reveal.getScale() || 1;
    let top = Infinity, bottom = -Infinity, left = Infinity, right = -Infinity;
    const walker = document.createTreeWalker(section, NodeFilter.SHOW_ELEMENT, {
      acceptNode(el) {
        if (el.matches("aside.notes, script, style")) return NodeFilter.FILTER_REJECT;
        // an SVG draws inside its own box, KaTeX inside its formula's: their insides say nothing more
        if (el.ownerSVGElement || el.parentElement.closest(".katex")) return NodeFilter.FILTER_REJECT;
        if (!shown(el)) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    for (let el = walker.nextNode(); el; el = walker.nextNode()) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      top = Math.min(top, r.top); bottom = Math.max(bottom, r.bottom);
      left = Math.min(left, r.left); right = Math.max(right, r.right);
    }
    if (top === Infinity) return { below: 0, above: 0, side: 0 };
    return {
      below: Math.max(0, (bottom - outer.bottom) / scale),
      above: Math.max(0, (outer.top - top) / scale),
      side: Math.max(0, (right - outer.right) / scale, (outer.left - left) / scale),
    };
  }

  async function loaded(img, ms) {
    const until = performance.now() + ms;
    while (!img.complete && performance.now() < until) await sleep(20);
  }

  function probeImage(url, ms) {
    return new Promise((done) => {
      const img = new Image();
      const timer = setTimeout(() => done(null), ms);
      img.onload = () => { clearTimeout(timer); done(true); };
      img.onerror = () => { clearTimeout(timer); done(false); };
      img.src = url;
    });
  }

  async function media(section, h, v) {
    for (const img of section.querySelectorAll("img")) {
      await loaded(img, 3000);
      if (img.complete && img.naturalWidth === 0) {
        add(h, v, "broken", "image", `image ${img.getAttribute("src")} does not load`, { needle: img.getAttribute("src") });
      }
    }
    for (const video of section.querySelectorAll("video")) {
      const src = video.currentSrc || video.getAttribute("src") || video.getAttribute("data-src") || "";
      if (/^https?:/i.test(src)) {
        add(h, v, "broken", "video-offline", `video ${src} is on the web: it does not play offline`, { needle: src });
      } else if (video.error || video.networkState === 3) {
        add(h, v, "broken", "video", `video ${src} does not load`, { needle: src });
      }
    }
    for (const frame of section.querySelectorAll("iframe")) {
      const src = frame.getAttribute("src") || frame.getAttribute("data-src") || "";
      if (/^(https?:)?\/\//i.test(src)) {
        add(h, v, "broken", "iframe-offline", `iframe ${src} is on the web: it stays blank offline`, { needle: src });
      }
    }
    const background = section.getAttribute("data-background-image") ||
      (/\.(png|jpe?g|gif|svg|webp|avif)$/i.test(section.getAttribute("data-background") || "") ? section.getAttribute("data-background") : null);
    if (background && !/^https?:/i.test(background)) {
      if ((await probeImage(background, 3000)) === false) {
        add(h, v, "broken", "background", `background image ${background} does not load`, { needle: background });
      }
    }
  }

  // an inlined SVG is a picture: it needs a name, or to be marked decorative
  function svgNames(section, h, v) {
    let index = 0;
    for (const svg of section.querySelectorAll("svg")) {
      if (svg.ownerSVGElement || svg.closest(".katex")) continue;
      index += 1;
      if (svg.closest("[aria-hidden=true]")) continue;
      const named = svg.getAttribute("aria-label") || svg.getAttribute("aria-labelledby") ||
        (svg.querySelector(":scope > title") || {}).textContent;
      if (svg.getAttribute("role") !== "img" || !named) {
        add(h, v, "accessibility", "svg-text-alternative",
          "inlined SVG has no text alternative: give its <object> a title=\"…\" (or aria-hidden=\"true\" if it is decorative)",
          { svgIndex: index });
      }
    }
  }

  async function axeRun(context, rules) {
    if (!window.axe) return [];
    const result = await axe.run(context, {
      runOnly: { type: "rule", values: rules },
      resultTypes: ["violations"],
    });
    return result.violations;
  }

  // axe-core walks the whole document on every run: the other slides' content
  // is set aside while one slide is checked (a deck of large inlined SVGs
  // took 70 s, not 5), and put back as it was
  async function axeSlide(section, rules) {
    const aside = [];
    for (const other of document.querySelectorAll(".reveal .slides section")) {
      if (other === section || other.contains(section) || other.querySelector("section")) continue;
      const kept = document.createDocumentFragment();
      while (other.firstChild) kept.appendChild(other.firstChild);
      aside.push([other, kept]);
    }
    try {
      return await axeRun({ include: [section], exclude: [...section.querySelectorAll(DIMMED)] }, rules);
    } finally {
      for (const [other, kept] of aside) other.appendChild(kept);
    }
  }

  // what failed, in axe-core's words: the rule's help, and for contrast the measured ratio
  function addViolations(violations, h, v) {
    for (const violation of violations) {
      for (const node of violation.nodes) {
        const failed = [...node.any, ...node.all, ...node.none].find((c) => c.message);
        const detail = violation.id === "color-contrast" && failed ? `: ${failed.message}` : "";
        const subject = (node.html.match(/\b(?:src|href|data)="([^"]*)"/) || [])[1];
        add(h, v, "accessibility", violation.id, `${violation.help}${subject ? ` (${subject})` : ""}${detail}`, {
          html: node.html.slice(0, 300),
        });
      }
    }
  }

  // the page as a whole: language, title, ids
  let t0 = clock();
  addViolations(await axeRun(document, options.pageRules), null, null);
  spent.page += clock() - t0;

  const stacks = Reveal.getHorizontalSlides();
  let slides = 0;
  for (let h = 0; h < stacks.length; h++) {
    const vertical = stacks[h].querySelectorAll(":scope > section");
    const count = vertical.length || 1;
    for (let v = 0; v < count; v++) {
      slides += 1;
      t0 = clock();
      Reveal.slide(h, v, -1);
      await frame();
      const section = Reveal.getCurrentSlide();
      const fragments = [...section.querySelectorAll(".fragment")];
      const index = (f) => parseInt(f.getAttribute("data-fragment-index") || "0", 10);
      const lastStep = fragments.length ? Math.max(...fragments.map(index)) : -1;
      // a layer stepping in inside an SVG draws within the SVG's box: only
      // steps that show HTML can change what overflows, and the last one
      const steps = new Set(fragments.filter((f) => !f.closest("svg")).map(index));
      steps.add(lastStep);
      let worst = { below: 0, above: 0, side: 0 };
      let worstStep = -1;
      for (const f of [-1, ...[...steps].filter((f) => f >= 0).sort((a, b) => a - b)]) {
        if (f >= 0) { Reveal.slide(h, v, f); await frame(); }
        const o = overflow(section);
        if (o.below + o.above + o.side > worst.below + worst.above + worst.side) { worst = o; worstStep = f; }
      }
      // deckbuild's fit shrank a slide that was too tall: say by how much, the text got smaller
      // (data-fit="true" says the author wants it so: not reported)
      const fitted = parseFloat(section.getAttribute("data-fitted") || "1");
      if (fitted < 1 && section.getAttribute("data-fit") !== "true") {
        const size = Reveal.getComputedSlideSize();
        const taller = Math.round(Math.max(section.scrollHeight - size.height, section.scrollWidth - size.width));
        add(h, v, "overflow", "fit", `content is ${taller} px larger than the slide: fit shrinks it to ${Math.round(fitted * 100)}% (shorten it, or mark it data-fit="true")`);
      }
      const by = Math.round(Math.max(worst.below, worst.above, worst.side));
      if (by > options.tolerance) {
        const where = worst.below >= Math.max(worst.above, worst.side) ? "below" : worst.above >= worst.side ? "above" : "beside";
        const step = worstStep >= 0 ? ` (at fragment step ${worstStep + 1})` : "";
        add(h, v, "overflow", "overflow", `content runs ${by} px ${where} the slide${step}`);
      }
      spent.walk += clock() - t0; t0 = clock();
      await media(section, h, v);
      svgNames(section, h, v);
      spent.media += clock() - t0; t0 = clock();
      addViolations(await axeSlide(section, options.slideRules), h, v);
      spent.axe += clock() - t0;
    }
  }
  const fonts = [];
  document.fonts.forEach((font) => { if (font.status === "error") fonts.push(font.family); });
  for (const family of new Set(fonts)) add(null, null, "broken", "font", `font ${family} does not load`);
  return { slides, findings, spent };
})
