"""serve in Chromium: an edit swaps slides in place, or reloads; css swaps; warnings and missing images show."""

from __future__ import annotations

import struct
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from browser import chromium, open_page, serve_folder
from conftest import make_course
from preview import previewing

from deckbuild.commands.build import build

pytestmark = pytest.mark.browser


def slide(n: int) -> str:
    return (
        f'## Slide {n}\n\ntext of slide {n}\n\n- one <!-- .element: class="fragment" -->\n'
        f'- two <!-- .element: class="fragment" -->\n\n$x^{{{n}}}$\n\nNote: notes of slide {n}'
    )


FRONT = "---\ntitle: Live\ncss: [../assets/deck.css]\n---\n"
CODE = "```python [1|2]\nx = 1\ny = 2\n```"
# code on the last slide: the highlight plugin is on the page already
DECK = FRONT + "\n\n---\n\n".join(slide(n) for n in range(1, 7)) + "\n\n" + CODE + "\n"
FILES = {"assets/deck.css": ".reveal h2 { color: rgb(200, 0, 0); }\n"}
OTHER = "# Other deck\n\nleft alone\n"


def png() -> bytes:
    """A 1x1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def edit(root: Path, name: str, text: str) -> None:
    time.sleep(0.15)  # the watcher's last event settled
    (root / name).write_text(text, "utf-8")


def mark(page: Any) -> None:
    """Something only this document has: gone after a reload."""
    page.evaluate("window.deckbuildTestMark = 1")


def marked(page: Any) -> bool:
    return bool(page.evaluate("window.deckbuildTestMark === 1"))


def current_text(page: Any) -> str:
    return str(page.evaluate("Reveal.getCurrentSlide().textContent"))


def test_a_content_edit_swaps_the_slide_in_place(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"deck.md": DECK, "other.md": OTHER}, FILES)
    with previewing(root) as (_session, server), chromium() as browser:
        blocked: list[str] = []
        page = open_page(browser, server.url + "deck.html", blocked)
        other = open_page(browser, server.url + "other.html", blocked)
        index = browser.new_page()
        index.goto(server.url)
        for p in (page, other, index):
            mark(p)
        page.evaluate("Reveal.slide(3, 0, 0)")  # slide 4, its first fragment shown
        new_slide = slide(4).replace("text of slide 4", "edited slide four") + "\n\n" + CODE
        edit(root, "slides/deck.md", DECK.replace(slide(4), new_slide))
        page.wait_for_function(
            "Reveal.getCurrentSlide().textContent.includes('edited slide four')", timeout=10000
        )
        assert marked(page), "the page reloaded"
        assert page.evaluate("Reveal.getIndices()") == {"h": 3, "v": 0, "f": 0}
        # typeset and highlighted there, as when the page opens; fragments as they were
        assert page.evaluate("Reveal.getCurrentSlide().querySelectorAll('.katex').length") == 1
        assert (
            page.evaluate("Reveal.getCurrentSlide().querySelectorAll('code.hljs .hljs-number').length") >= 1
        )
        assert page.evaluate("Reveal.getCurrentSlide().querySelectorAll('.fragment.visible').length") == 1
        assert page.evaluate("Reveal.getCurrentSlide().querySelectorAll('pre code.fragment').length") == 1
        page.evaluate("Reveal.next()")  # the next fragment is the second list item
        assert page.evaluate("Reveal.getIndices()") == {"h": 3, "v": 0, "f": 1}
        assert "notes of slide 4" in page.evaluate("Reveal.getSlideNotes()")
        time.sleep(0.5)
        assert marked(other), "another deck's page reloaded"
        assert marked(index), "the index reloaded"
        assert blocked == []


def test_the_menu_follows_a_heading_edit(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"deck.md": DECK}, FILES)
    with previewing(root) as (_session, server), chromium() as browser:
        page = open_page(browser, server.url + "deck.html", [])
        mark(page)
        page.evaluate("Reveal.slide(2)")
        edit(root, "slides/deck.md", DECK.replace("## Slide 5", "## Fifth slide"))
        page.wait_for_function(
            "document.querySelector('#deckbuild-menu a[data-h=\"4\"]').textContent === 'Fifth slide'",
            timeout=10000,
        )
        assert marked(page) and page.evaluate("Reveal.getIndices().h") == 2


def test_a_new_slide_reloads_on_the_same_slide_and_fragment(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"deck.md": DECK}, FILES)
    with previewing(root) as (_session, server), chromium() as browser:
        page = open_page(browser, server.url + "deck.html", [])
        mark(page)
        page.evaluate("Reveal.slide(4, 0, 1)")
        edit(root, "slides/deck.md", DECK + "\n---\n\n## A new last slide\n")
        page.wait_for_function(
            "document.querySelectorAll('.reveal .slides > section').length === 7", timeout=10000
        )
        page.wait_for_function("window.Reveal && Reveal.isReady() && Reveal.getIndices().h === 4")
        assert not marked(page)
        assert page.evaluate("Reveal.getIndices()") == {"h": 4, "v": 0, "f": 1}


def test_a_stylesheet_edit_swaps_it_without_a_reload(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"deck.md": DECK}, FILES)
    with previewing(root) as (_session, server), chromium() as browser:
        page = open_page(browser, server.url + "deck.html", [])
        mark(page)
        page.evaluate("Reveal.slide(1, 0, 0)")
        color = "getComputedStyle(Reveal.getCurrentSlide().querySelector('h2')).color"
        assert page.evaluate(color) == "rgb(200, 0, 0)"
        edit(root, "assets/deck.css", ".reveal h2 { color: rgb(0, 0, 200); }\n")
        page.wait_for_function(f"{color} === 'rgb(0, 0, 200)'", timeout=10000)
        assert marked(page) and page.evaluate("Reveal.getIndices()") == {"h": 1, "v": 0, "f": 0}
        assert page.evaluate("document.querySelectorAll('link[href*=\"deck.css\"]').length") == 1


def test_the_speaker_view_follows_in_place(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"deck.md": DECK}, FILES)
    with previewing(root) as (_session, server), chromium() as browser:
        page = open_page(browser, server.url + "deck.html", [])
        page.evaluate("Reveal.slide(2)")
        with page.expect_popup() as opened:
            page.keyboard.press("s")
        speaker = opened.value
        notes = "document.querySelector('.speaker-controls-notes').textContent"
        speaker.wait_for_function(f"{notes}.includes('notes of slide 3')", timeout=10000)
        # its previews of the current and the next slide are this page with ?receiver
        previews = [f for f in speaker.frames if "receiver" in f.url]
        assert len(previews) == 2
        for frame in previews:
            frame.wait_for_function("window.Reveal && Reveal.isReady()")
            frame.evaluate("window.deckbuildTestMark = 1")
        edited = DECK.replace("notes of slide 3", "edited notes").replace("text of slide 3", "text three")
        edit(root, "slides/deck.md", edited)
        speaker.wait_for_function(f"{notes}.includes('edited notes')", timeout=10000)
        for frame in previews:  # both show slide 3 (the next step is its first fragment)
            frame.wait_for_function(
                "Reveal.getCurrentSlide().textContent.includes('text three')", timeout=10000
            )
        assert all(f.evaluate("window.deckbuildTestMark === 1") for f in previews), "a preview reloaded"
        assert page.evaluate("Reveal.getIndices().h") == 2


def test_a_slide_in_a_vertical_stack_is_swapped_in_place(tmp_path: Path) -> None:
    stacked = DECK.replace("\n\n---\n\n## Slide 3", "\n\n----\n\n## Slide 3")
    root = make_course(tmp_path, {"deck.md": stacked}, FILES)
    with previewing(root) as (_session, server), chromium() as browser:
        page = open_page(browser, server.url + "deck.html", [])
        mark(page)
        page.evaluate("Reveal.slide(1, 1, 1)")
        assert "text of slide 3" in current_text(page)
        edit(root, "slides/deck.md", stacked.replace("text of slide 3", "edited slide three"))
        page.wait_for_function(
            "Reveal.getCurrentSlide().textContent.includes('edited slide three')", timeout=10000
        )
        assert marked(page) and page.evaluate("Reveal.getIndices()") == {"h": 1, "v": 1, "f": 1}


MISSING = (
    FRONT
    + '## Pictures\n\n![a diagram](img/diagram.png){width=400px}\n\n<object type="image/svg+xml" data="img/x.svg" data-layers="nope"></object>\n'
)


def test_warnings_badge_and_missing_image_box(tmp_path: Path) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g id="base"/></svg>'
    root = make_course(tmp_path, {"deck.md": MISSING, "other.md": OTHER}, {**FILES, "slides/img/x.svg": svg})
    with previewing(root) as (_session, server), chromium() as browser:
        page = open_page(browser, server.url + "deck.html", [])
        page.wait_for_selector(".deckbuild-warnings button", timeout=10000)
        button = page.locator(".deckbuild-warnings button").first
        assert button.inner_text().endswith("2") and button.get_attribute("aria-label") == "2 build warnings"
        button.click()
        items = sorted(page.locator(".deckbuild-warnings li").all_inner_texts())
        assert items[0] == 'slides/deck.md:7: missing file "img/diagram.png"'
        assert items[1].startswith('slides/deck.md:9: unknown layer id "nope"')
        box = page.locator(".deckbuild-missing")
        box.wait_for(timeout=5000)
        assert box.inner_text() == "missing image: img/diagram.png"
        size = box.bounding_box()
        assert size is not None and size["width"] > 100 and size["height"] > 30
        page.screenshot(path=str(tmp_path / "warnings.png"))
        # the other deck has no warnings: no badge there
        other = open_page(browser, server.url + "other.html", [])
        time.sleep(0.3)
        assert other.locator(".deckbuild-warnings").count() == 0
        # fixed: the badge goes, in place
        mark(page)
        (root / "slides" / "img" / "diagram.png").write_bytes(png())
        edit(root, "slides/deck.md", MISSING.replace(' data-layers="nope"', ""))
        page.wait_for_function("!document.querySelector('.deckbuild-warnings')", timeout=10000)


def test_a_dismissed_badge_stays_dismissed_until_the_warnings_change(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"deck.md": MISSING.replace("<object", "<!-- <object").replace("</object>", "</object> -->")},
        FILES,
    )
    with previewing(root) as (_session, server), chromium() as browser:
        page = open_page(browser, server.url + "deck.html", [])
        page.wait_for_selector(".deckbuild-warnings", timeout=10000)
        page.locator(".deckbuild-dismiss").click()
        assert page.locator(".deckbuild-warnings").count() == 0
        page.reload()
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        time.sleep(0.3)
        assert page.locator(".deckbuild-warnings").count() == 0
        edit(
            root,
            "slides/deck.md",
            MISSING.replace("img/diagram.png", "img/other.png")
            .replace("<object", "<!-- <object")
            .replace("</object>", "</object> -->"),
        )
        page.wait_for_selector(".deckbuild-warnings", timeout=10000)


def test_the_built_site_shows_neither_badge_nor_box(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"deck.md": MISSING}, FILES)
    build(root)
    with serve_folder(root / "_site") as url, chromium() as browser:
        page = open_page(browser, url + "deck.html", [])
        page.wait_for_function("document.readyState === 'complete'")
        time.sleep(0.3)
        assert page.locator(".deckbuild-missing, .deckbuild-warnings").count() == 0
        assert "deckbuild-missing" not in (root / "_site" / "deck.html").read_text("utf-8")
