"""Benchmark: save -> the edit visible in Chromium, in place and by a whole-page reload.

    python bench/live_swap.py [COURSE] [--edits 10] [--decks 02 03 06]

A copy of the course is served by a real `deckbuild serve` process and each
deck is opened in headless Chromium (Debian's, through Playwright) on a
slide in its middle, with a fragment shown when it has fragments. A line of
that slide's text is then edited N times with the page following in place
and N times with the page reloading on every change (as serve did before:
the client's switch `sessionStorage["deckbuild-swap"] = "off"`), in turn,
on the same run. "Visible" is the first animation frame in which the
current slide shows the new text; the clock is the wall clock the browser
and this script share. Per deck it prints p50 and max for both ways, and
whether every edit kept the slide and fragment (and, in place, the page).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckbuild.site import SiteBuilder

HERE = Path(__file__).resolve().parent
DEFAULT_COURSE = HERE.parent.parent / "shared" / "corpus" / "rses-dl-course"
CHROMIUM = "/usr/bin/chromium"
SETTLE = 1.0  # seconds between edits

# runs in every document the page loads: watches each frame for the text
WATCH = """
(() => {
  // when the server's answer (the long poll) arrives: the server's share of the time
  const fetch0 = window.fetch;
  window.fetch = function (url) {
    const answer = fetch0.apply(this, arguments);
    if (String(url).includes("/_deckbuild/events")) {
      answer.then(() => sessionStorage.setItem("bench-answer", String(performance.timeOrigin + performance.now())));
    }
    return answer;
  };
  const doc = Math.random().toString(36).slice(2);
  window.benchDoc = doc;
  function frame() {
    const want = sessionStorage.getItem("bench-want");
    if (want && !sessionStorage.getItem("bench-seen:" + want) && window.Reveal && Reveal.isReady()) {
      const slide = Reveal.getCurrentSlide();
      if (slide && slide.textContent.includes(want)) {
        const at = Reveal.getIndices();
        sessionStorage.setItem("bench-seen:" + want, JSON.stringify({
          t: performance.timeOrigin + performance.now(), doc: doc, h: at.h, v: at.v || 0,
          f: at.f === undefined ? -1 : at.f }));
      }
    }
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
})();
"""


@dataclass
class Target:
    deck: Path
    page: str
    h: int
    v: int
    line: int  # 0-based line of the deck file that is edited


@dataclass
class Result:
    times: dict[str, list[float]] = field(default_factory=lambda: {"swap": [], "reload": []})
    answers: dict[str, list[float]] = field(default_factory=lambda: {"swap": [], "reload": []})
    kept: dict[str, int] = field(default_factory=lambda: {"swap": 0, "reload": 0})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def is_text(line: str) -> bool:
    """A line of plain paragraph text: an edit at its end shows on the slide."""
    stripped = line.strip()
    return bool(stripped) and stripped[0].isalpha() and not stripped.startswith(("Note:", "Notes:"))


def pick(root: Path, prefix: str) -> Target:
    """A slide in the middle of the deck with a line of paragraph text on it."""
    site, _ = SiteBuilder(root).build()
    deck = next(d for d in site.decks if Path(d.name).name.startswith(prefix))
    lines = deck.source.read_text("utf-8").split("\n")
    flat = [(h, v, s) for h, stack in enumerate(deck.slides) for v, s in enumerate(stack)]
    middle = len(flat) // 2
    for h, v, slide in flat[middle:] + flat[:middle]:
        start = (slide.where.line or 1) - 1
        for n in range(start, min(start + 40, len(lines))):
            if lines[n].strip() in ("---", "----") or lines[n].startswith(("Note:", "Notes:")):
                break
            if is_text(lines[n]) and lines[n].strip()[:20] in slide.html:
                return Target(deck.source, deck.page, h, v, n)
    raise SystemExit(f"no slide with a line of text in {deck.name}")


def wait_ready(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("deckbuild serve did not start")


def open_deck(browser: Any, url: str, target: Target) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.add_init_script(WATCH)
    page.goto(url, timeout=60000)
    page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=60000)
    page.evaluate(f"Reveal.slide({target.h}, {target.v}, 0)")  # a fragment shown where there are some
    return page


def seen(page: Any, marker: str) -> dict[str, Any]:
    """The record the page's watcher wrote (the page may be reloading meanwhile)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            found = page.evaluate(f"sessionStorage.getItem('bench-seen:{marker}')")
        except Exception:  # a navigation in progress: ask again
            found = None
        if found:
            return dict(json.loads(found))
        time.sleep(0.01)
    raise SystemExit(f"{marker} never showed")


def one_edit(
    page: Any, target: Target, lines: list[str], marker: str, mode: str
) -> tuple[float, float, bool]:
    page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=60000)
    # the watcher, serve and the page settled (a reload's images and layers are still being
    # drawn after reveal.js is ready: on 2 cores that would be charged to the next edit)
    time.sleep(SETTLE)
    before = page.evaluate(
        "(() => { const at = Reveal.getIndices();"
        " return [window.benchDoc, [at.h, at.v || 0, at.f === undefined ? -1 : at.f]]; })()"
    )
    page.evaluate(
        f"sessionStorage.setItem('deckbuild-swap', '{'on' if mode == 'swap' else 'off'}');"
        f"sessionStorage.setItem('bench-want', '{marker}'); sessionStorage.removeItem('bench-answer')"
    )
    edited = list(lines)
    edited[target.line] = lines[target.line].rstrip() + f" {marker}"
    text = "\n".join(edited)
    saved = time.time() * 1000
    target.deck.write_text(text, "utf-8")
    record = seen(page, marker)
    doc, at = before
    position = [record["h"], record["v"], record["f"]] == at
    same_doc = record["doc"] == doc
    kept = position and (same_doc if mode == "swap" else True)
    if not kept:
        print("    not kept:", record, before)
    answered = float(page.evaluate("sessionStorage.getItem('bench-answer')") or "nan")
    return record["t"] - saved, answered - saved, kept


def bench_deck(browser: Any, base: str, root: Path, prefix: str, edits: int) -> tuple[Target, Result]:
    target = pick(root, prefix)
    lines = target.deck.read_text("utf-8").split("\n")
    page = open_deck(browser, base + target.page, target)
    result = Result()
    try:
        # the first save after serve starts also parses the deck's SVGs in serve's own
        # process (the first build ran in workers): shown, not counted
        ms, answer, _ = one_edit(page, target, lines, f"benchwarmup{time.time_ns() % 10**6}", "swap")
        print(
            f"  {Path(target.page).stem} first edit (not counted) visible {ms:7.1f} ms (server {answer:6.1f} ms)"
        )
        for n in range(edits):
            for mode in ("swap", "reload"):
                marker = f"benchedit{mode}{n}x{time.time_ns() % 10**6}"
                ms, answer, kept = one_edit(page, target, lines, marker, mode)
                result.times[mode].append(ms)
                result.answers[mode].append(answer)
                result.kept[mode] += int(kept)
                print(
                    f"  {Path(target.page).stem} edit {n + 1:2d} {mode:6s} visible {ms:7.1f} ms"
                    f"  (server answered at {answer:6.1f} ms)  kept: {kept}",
                    flush=True,
                )
    finally:
        target.deck.write_text("\n".join(lines), "utf-8")
        page.close()
    return target, result


def build_times(log: str) -> list[float]:
    """The rebuild times serve logged after the first build."""
    return [float(m) for m in re.findall(r"build \d+: rebuilt .* in (\d+) ms", log)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("course", nargs="?", type=Path, default=DEFAULT_COURSE)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--decks", nargs="+", default=["02", "03", "06"])
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    results: list[tuple[Target, Result]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        shutil.copytree(args.course, root, ignore=shutil.ignore_patterns("_site", ".deckbuild-cache"))
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        log = (Path(tmp) / "serve.log").open("w")  # its "build N: rebuilt X in Y ms" lines
        proc = subprocess.Popen(
            [sys.executable, "-m", "deckbuild", "serve", str(root), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=log,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            wait_ready(base + "index.html")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                try:
                    for prefix in args.decks:
                        results.append(bench_deck(browser, base, root, prefix, args.edits))
                finally:
                    browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
            log.close()
        builds = build_times((Path(tmp) / "serve.log").read_text("utf-8", "replace"))
    print(f"\nsave -> edit visible on the current slide, {args.edits} edits each way, same run")
    print("(server: save -> the long poll answered, p50; the rest is the page)")
    print(
        f"{'deck':32s} {'in place p50':>12s} {'max':>7s} {'server':>7s} {'reload p50':>11s} {'max':>7s}  position kept"
    )
    for target, result in results:
        swap, reload = result.times["swap"], result.times["reload"]
        print(
            f"{Path(target.page).stem:32s} {statistics.median(swap):9.1f} ms {max(swap):7.1f}"
            f" {statistics.median(result.answers['swap']):7.1f}"
            f" {statistics.median(reload):8.1f} ms {max(reload):7.1f}"
            f"  in place {result.kept['swap']}/{len(swap)}, reload {result.kept['reload']}/{len(reload)}"
        )
    if builds:
        print(
            f"serve's builds (all decks, both ways): p50 {statistics.median(builds):.0f} ms, max {max(builds):.0f} ms"
        )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
