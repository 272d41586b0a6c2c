"""`deckbuild pdf`: print a deck through the machine's Chromium.

The course is built into a temporary folder and the deck page printed in
reveal.js's print layout (`?print-pdf`): one page per visible slide with
every fragment shown, or with `--fragments` one page per fragment step.
Nothing is downloaded: a Chromium or Chrome must be on PATH (or given).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from deckbuild.chrome import print_pdf
from deckbuild.commands.build import build, course_cache
from deckbuild.config import CONFIG_FILE
from deckbuild.errors import DeckError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
COUNT = re.compile(rb"/Count (\d+)")
TIMEOUT_SECONDS = 180
# reveal.js has laid out its print view, fonts and images are in, and every
# slide is fitted to its page (client/fit.js)
READY = (
    "!!(window.Reveal && Reveal.isReady() && document.readyState === 'complete'"
    " && document.fonts.status === 'loaded' && document.querySelector('.pdf-page')"
    " && [...document.images].every(i => i.complete)"
    " && document.documentElement.hasAttribute('data-deckbuild-fitted'))"
)


def find_browser(explicit: str | None) -> str:
    if explicit:
        found = shutil.which(explicit)
        if found is None:
            raise DeckError(f"--chrome {explicit}: no such program")
        return found
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise DeckError(
        "no Chromium or Chrome on PATH: install one (Debian: apt-get install chromium) or give --chrome PATH"
    )


def course_of(deck: Path) -> Path:
    """The course folder a deck belongs to: one with deckbuild.yml, else the parent of slides/."""
    for folder in deck.parents:
        if (folder / CONFIG_FILE).is_file():
            return folder
    for folder in deck.parents:
        if folder.name == "slides":
            return folder.parent
    raise DeckError(f"{deck} is not in a course folder (no {CONFIG_FILE} and no slides/ folder above it)")


def print_options(notes: bool, fragments: bool) -> dict[str, str]:
    return {
        "print-pdf": "",
        "pdfSeparateFragments": str(fragments).lower(),
        "pdfMaxPagesPerSlide": "1",  # a slide taller than the page is fitted to it (client/fit.js)
        "showNotes": "separate-page" if notes else "false",
    }


def count_pages(pdf: Path) -> int:
    """Pages in a PDF: the page tree's root counts them all."""
    return max((int(n) for n in COUNT.findall(pdf.read_bytes())), default=0)


def pdf(
    deck: Path,
    out: Path | None = None,
    *,
    notes: bool = False,
    fragments: bool = False,
    chrome: str | None = None,
) -> tuple[Path, int]:
    """Print `deck` to `out` (default: DECK.pdf in the current folder); returns the file and its pages."""
    deck = deck.resolve()
    if not deck.is_file():
        raise DeckError(f"{deck}: no such deck")
    browser = find_browser(chrome)
    root = course_of(deck)
    out = (out or Path.cwd() / (deck.stem + ".pdf")).resolve()
    with tempfile.TemporaryDirectory(prefix="deckbuild-pdf-") as tmp:
        site = Path(tmp) / "site"
        result = build(root, site, cache=course_cache(root))
        page = next((d.page for d in result.output_decks if d.source == deck), None)
        if page is None:
            raise DeckError(f"{deck} is not one of the course's decks")
        url = (
            (site / page).as_uri()
            + "?"
            + urlencode(print_options(notes, fragments)).replace("print-pdf=", "print-pdf")
        )
        data = print_pdf(browser, url, READY, Path(tmp) / "profile", TIMEOUT_SECONDS)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out, count_pages(out)
