"""Each deck's PDF (`pdf: true`) and a picture of its first slide
(`thumbnails: true`), made by `deckbuild build` in the machine's Chromium.

They are made in the new site's folder before it is swapped in (a failed
print leaves the old site), from the pages just written. The home page
links to them, so whether they will exist is decided before it is
rendered: with no Chromium on PATH both are left out with a warning.
"""

from __future__ import annotations

import base64
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from deckbuild.chrome import Browser
from deckbuild.config import CONFIG_FILE
from deckbuild.errors import DeckError, Where, warn
from deckbuild.model import Site

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
THUMBNAILS = "deckbuild/thumbnails"
TIMEOUT_SECONDS = 180
THUMB_WIDTH, SLIDE_WIDTH, SLIDE_HEIGHT = 320, 1280, 720
SHOWN = "Reveal.isReady() && document.readyState === 'complete' && document.fonts.status === 'loaded'"
READY = (
    "!!(window.Reveal && " + SHOWN + " && [...document.images].every(i => i.complete)"
    " && document.documentElement.hasAttribute('data-deckbuild-fitted'))"
)
PRINT_READY = READY.replace(
    "Reveal.isReady() &&", "Reveal.isReady() && !!document.querySelector('.pdf-page') &&"
)
# the slide alone in the picture: no controls, progress bar or deckbuild's buttons
BARE = (
    "(() => { const s = document.createElement('style'); s.textContent = '.reveal .controls, .reveal .progress, "
    ".reveal .slide-number, .deckbuild-home, .deckbuild-menu-button, .deckbuild-search-button "
    "{ display: none !important } * { transition: none !important }'; document.head.appendChild(s); })()"
)


def pdf_path(page: str) -> str:
    return page.removesuffix(".html") + ".pdf"


def thumbnail_path(page: str) -> str:
    return f"{THUMBNAILS}/{page.removesuffix('.html')}.jpg"


@dataclass
class Snapshots:
    """What the config asks for, and the browser that will make it ("" for none)."""

    browser: str = ""
    pdf: bool = False
    thumbnails: bool = False

    def __bool__(self) -> bool:
        return bool(self.browser) and (self.pdf or self.thumbnails)

    def extras(self, site: Site) -> dict[str, dict[str, str]]:
        """For the home page's cards: each deck page's "pdf" and "thumbnail" site paths."""
        out: dict[str, dict[str, str]] = {}
        if not self:
            return out
        for deck in site.decks:
            paths = out[deck.page] = {}
            if self.pdf:
                paths["pdf"] = pdf_path(deck.page)
                if paths["pdf"] in site.assets:
                    raise DeckError(
                        f"{deck.name}'s PDF would be {paths['pdf']} in the site, which a course file is"
                    )
            if self.thumbnails:
                paths["thumbnail"] = thumbnail_path(deck.page)
        return out

    def make(self, site: Site, folder: Path) -> None:
        """Print the PDFs and take the pictures, into the site being written in `folder`."""
        if not self:
            return
        with tempfile.TemporaryDirectory(prefix="deckbuild-chrome-") as profile:
            browser = Browser(self.browser, Path(profile))
            try:
                for deck in site.decks:
                    if self.thumbnails:
                        target = folder / thumbnail_path(deck.page)
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(picture(browser, (folder / deck.page).as_uri() + "#/0"))
                    if self.pdf:
                        (folder / pdf_path(deck.page)).write_bytes(printed(browser, folder / deck.page))
            finally:
                browser.close()


def wanted(config: dict[str, Any]) -> Snapshots:
    """What to make; with no Chromium on PATH, nothing, and a warning."""
    pdf, thumbnails = bool(config.get("pdf")), bool(config.get("thumbnails"))
    if not (pdf or thumbnails):
        return Snapshots()
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        asked = " and ".join(key for key, on in (("pdf", pdf), ("thumbnails", thumbnails)) if on)
        warn(
            f"{asked}: no Chromium or Chrome on PATH, so the site has none (Debian: apt-get install chromium)",
            Where(CONFIG_FILE),
        )
        return Snapshots()
    return Snapshots(browser, pdf, thumbnails)


def opened(browser: Browser, url: str, ready: str) -> str:
    session = browser.open_tab()
    browser.call("Page.enable", session=session)
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": SLIDE_WIDTH, "height": SLIDE_HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        session=session,
    )
    browser.call("Page.navigate", {"url": url}, session=session)
    try:
        browser.wait_until(session, ready, TIMEOUT_SECONDS)
    except DeckError:
        raise DeckError(f"{url}: the page was not ready after {TIMEOUT_SECONDS} s") from None
    return session


def picture(browser: Browser, url: str) -> bytes:
    session = opened(browser, url, READY)
    try:
        browser.evaluate(session, BARE)
        shot = browser.call(
            "Page.captureScreenshot",
            {
                "format": "jpeg",
                "quality": 82,
                "clip": {
                    "x": 0,
                    "y": 0,
                    "width": SLIDE_WIDTH,
                    "height": SLIDE_HEIGHT,
                    "scale": THUMB_WIDTH / SLIDE_WIDTH,
                },
            },
            session=session,
        )
        return base64.b64decode(shot["data"])
    finally:
        browser.call("Target.closeTarget", {"targetId": target_of(browser, session)})


def printed(browser: Browser, page: Path) -> bytes:
    query = urlencode({"print-pdf": "", "pdfMaxPagesPerSlide": "1", "showNotes": "false"})
    session = opened(browser, page.as_uri() + "?" + query.replace("print-pdf=", "print-pdf"), PRINT_READY)
    try:
        result = browser.call(
            "Page.printToPDF",
            {"preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False},
            session=session,
            timeout=TIMEOUT_SECONDS,
        )
        return base64.b64decode(result["data"])
    finally:
        browser.call("Target.closeTarget", {"targetId": target_of(browser, session)})


def target_of(browser: Browser, session: str) -> str:
    info = browser.call("Target.getTargetInfo", session=session)
    return str(info["targetInfo"]["targetId"])
