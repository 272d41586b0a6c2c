"""`deckbuild serve` in Chromium: an edit reloads the page by itself, on the same slide."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from browser import chromium, open_page
from conftest import make_course
from preview import previewing

pytestmark = pytest.mark.browser

DECK = "\n\n---\n\n".join(f"## Slide {n}\n\ntext of slide {n}" for n in range(1, 9)) + "\n"


@pytest.mark.parametrize("hash_urls", [True, False])
def test_edit_reloads_the_open_page_on_the_same_slide(tmp_path: Path, hash_urls: bool) -> None:
    front = "" if hash_urls else "---\nreveal:\n  hash: false\n---\n"
    root = make_course(tmp_path, {"deck.md": front + DECK})
    with previewing(root) as (_session, server), chromium() as browser:
        blocked: list[str] = []
        page = open_page(browser, server.url + "deck.html", blocked)
        page.evaluate("Reveal.slide(4)")
        assert page.evaluate("Reveal.getIndices().h") == 4
        assert "text of slide 5" in page.evaluate("Reveal.getCurrentSlide().textContent")
        time.sleep(0.3)
        (root / "slides" / "deck.md").write_text(
            front + DECK.replace("text of slide 5", "edited slide five"), "utf-8"
        )
        page.wait_for_function(
            "document.querySelector('.reveal .slides') && document.body.textContent.includes('edited slide five')",
            timeout=10000,
        )
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        page.wait_for_function("Reveal.getIndices().h === 4")
        assert "edited slide five" in page.evaluate("Reveal.getCurrentSlide().textContent")
        assert blocked == []


def test_failed_rebuild_shows_an_overlay_and_a_fix_reloads(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"deck.md": DECK})
    with previewing(root) as (_session, server), chromium() as browser:
        blocked: list[str] = []
        page = open_page(browser, server.url + "deck.html", blocked)
        page.evaluate("Reveal.slide(2)")
        time.sleep(0.3)
        (root / "deckbuild.yml").write_text("reveal:\n  width: wide\n", "utf-8")
        page.wait_for_selector("#deckbuild-error", timeout=10000)
        message = page.inner_text("#deckbuild-error")
        assert "deckbuild.yml:2: 'width' must be a number" in message
        assert "text of slide 3" in page.evaluate(
            "Reveal.getCurrentSlide().textContent"
        )  # the last good page stays
        (root / "deckbuild.yml").write_text("reveal:\n  width: 1000\n", "utf-8")
        page.wait_for_function("!document.getElementById('deckbuild-error')", timeout=10000)
        page.wait_for_function("window.Reveal && Reveal.isReady() && Reveal.getIndices().h === 2")
        assert '"width": 1000' in page.content()
        assert blocked == []
