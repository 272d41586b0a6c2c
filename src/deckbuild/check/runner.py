"""Driving the browser for `deckbuild check`: decks in parallel tabs.

Each deck page is opened from the built site (file://, as a student may
open it), axe-core is put into the page, `probe.js` walks every slide and
fragment step, and the tab's own events say what failed to load or threw.
"""

from __future__ import annotations

import json
import queue
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckbuild.chrome import Browser
from deckbuild.errors import DeckError
from deckbuild.vendor import vendor_file

PROBE = Path(__file__).with_name("probe.js")
READY = (
    "!!(window.Reveal && Reveal.isReady() && document.readyState === 'complete'"
    " && document.fonts.status === 'loaded')"
)
PAGE_SECONDS = 60
PROBE_SECONDS = 300
# axe-core rules run on each slide once all its fragments are shown, and once on the page
SLIDE_RULES = [
    "image-alt",
    "svg-img-alt",
    "role-img-alt",
    "object-alt",
    "input-image-alt",
    "area-alt",
    "color-contrast",
    "link-name",
    "button-name",
    "frame-title",
    "heading-order",
    "empty-heading",
]
PAGE_RULES = ["html-has-lang", "html-lang-valid", "document-title", "duplicate-id", "duplicate-id-aria"]
# a difference under this many slide pixels is rounding, not overflow
TOLERANCE_PX = 2


@dataclass
class PageReport:
    """What the probe and the tab's events found in one deck page."""

    page: str
    slides: int = 0
    findings: list[dict[str, Any]] = field(default_factory=list)


def page_errors(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Console errors, uncaught exceptions and failed requests, as raw findings."""
    found: list[dict[str, Any]] = []
    urls: dict[str, str] = {}
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            urls[params["requestId"]] = params["request"]["url"]
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            url = urls.get(params["requestId"], "")
            found.append(
                {
                    "kind": "error",
                    "rule": "request",
                    "message": f"{url} failed to load ({params.get('errorText')})",
                    "needle": url,
                }
            )
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "")
            found.append(
                {
                    "kind": "error",
                    "rule": "exception",
                    "message": f"script error: {str(text).splitlines()[0]}",
                }
            )
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            found.append({"kind": "error", "rule": "console", "message": f"console error: {text[:200]}"})
    return found


def without_repeats(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A failed request already reported as broken media is not reported twice."""
    broken = {str(f.get("needle", "")).rsplit("/", 1)[-1] for f in findings if f["kind"] == "broken"}
    return [
        f
        for f in findings
        if not (f["rule"] == "request" and str(f.get("needle", "")).rsplit("/", 1)[-1] in broken)
    ]


class Checker:
    """One headless browser; `run` checks pages in `tabs` tabs at once."""

    def __init__(self, executable: str, tabs: int = 2) -> None:
        self.executable = executable
        self.tabs = max(1, tabs)
        self.probe = PROBE.read_text("utf-8")
        self.axe = vendor_file("axe-core/axe.min.js").read_text("utf-8")
        options = {"slideRules": SLIDE_RULES, "pageRules": PAGE_RULES, "tolerance": TOLERANCE_PX}
        self.call = f"({self.probe})({json.dumps(options)})"
        self.last_spent: dict[str, float] = {}

    def check_page(self, browser: Browser, session: str, url: str, page: str) -> PageReport:
        browser.take_events(session)
        browser.call("Page.navigate", {"url": url}, session=session)
        browser.wait_until(session, READY, PAGE_SECONDS)
        browser.evaluate(session, self.axe)
        result = browser.evaluate(session, self.call, timeout=PROBE_SECONDS, awaited=True)
        report = PageReport(page, int(result["slides"]), list(result["findings"]))
        self.last_spent = result.get("spent", {})
        report.findings = without_repeats(report.findings + page_errors(browser.take_events(session)))
        return report

    def worker(self, browser: Browser, jobs: queue.Queue[tuple[int, str, str]], out: dict[int, Any]) -> None:
        session = browser.open_tab(own_process=True)
        for domain in ("Page", "Runtime", "Network"):
            browser.call(f"{domain}.enable", session=session)
        while True:
            try:
                number, url, page = jobs.get_nowait()
            except queue.Empty:
                return
            try:
                out[number] = self.check_page(browser, session, url, page)
            except DeckError as exc:
                out[number] = DeckError(f"{page}: {exc.message}")

    def run(self, site: Path, pages: list[str]) -> list[PageReport]:
        jobs: queue.Queue[tuple[int, str, str]] = queue.Queue()
        # the largest pages first, so no tab is left with a long one at the end
        for number, page in sorted(enumerate(pages), key=lambda item: -(site / item[1]).stat().st_size):
            jobs.put((number, (site / page).as_uri(), page))
        out: dict[int, Any] = {}
        with tempfile.TemporaryDirectory(prefix="deckbuild-check-profile-") as profile:
            browser = Browser(self.executable, Path(profile))
            try:
                threads = [
                    threading.Thread(target=self.worker, args=(browser, jobs, out), daemon=True)
                    for _ in range(min(self.tabs, len(pages)))
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            finally:
                browser.close()
        reports: list[PageReport] = []
        for number in range(len(pages)):
            got = out.get(number)
            if isinstance(got, DeckError):
                raise got
            if got is None:
                raise DeckError(f"{pages[number]}: the browser did not check this page")
            reports.append(got)
        return reports
