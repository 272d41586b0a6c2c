"""Marp decks in Chromium: split backgrounds beside the text, themes and fonts offline."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from browser import chromium, open_page
from conftest import SEEDS, make_course
from sitecheck import outside_and_missing
from test_check import png

from deckbuild.commands.build import build

pytestmark = pytest.mark.browser

SPLIT = """---
marp: true
theme: gaia
paginate: true
---

![bg right:40%](picture.png)

# Text on the left

A paragraph beside the picture.

---

![bg left](picture.png)
![bg](picture.png)

# Two pictures on the left half
"""


def test_a_split_background_sits_on_its_side_with_the_text_beside_it(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"split.md": SPLIT}, {"slides/picture.png": png()})
    build(root)
    blocked: list[str] = []
    with chromium() as browser:
        page = open_page(browser, (root / "_site" / "split.html").as_uri(), blocked)
        box = page.evaluate(
            """() => {
              const rect = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; };
              const s = Reveal.getCurrentSlide();
              return { slide: rect(document.querySelector('.reveal .slides')),
                       figure: rect(s.querySelector('.marp-background figure')),
                       heading: rect(s.querySelector('h1')), para: rect(s.querySelector('p')) };
            }"""
        )
        left, right, top, bottom = box["slide"]
        width = right - left
        f_left, f_right, f_top, f_bottom = box["figure"]
        # the picture fills the right 40 %, top to bottom
        assert abs(f_left - (left + 0.6 * width)) < 2 and abs(f_right - right) < 2
        assert abs(f_top - top) < 2 and abs(f_bottom - bottom) < 2
        # the text is beside it, in the left 60 %
        for name in ("heading", "para"):
            assert box[name][0] >= left and box[name][1] <= f_left + 1, name
        page.evaluate("Reveal.slide(1)")
        page.wait_for_timeout(100)
        figures = page.evaluate(
            "[...Reveal.getCurrentSlide().querySelectorAll('.marp-background figure')].map(f => f.getBoundingClientRect().width)"
        )
        assert len(figures) == 2 and abs(figures[0] - figures[1]) < 2 and abs(sum(figures) - width / 2) < 3
    assert blocked == []


def test_a_marp_deck_is_offline_with_its_theme_fonts(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"003.md": (SEEDS / "003_30aeb227a715f445.txt").read_text("utf-8")})
    build(root)
    assert outside_and_missing(root / "_site")[0] == []
    blocked: list[str] = []
    with chromium() as browser:
        page = open_page(browser, (root / "_site" / "003.html").as_uri(), blocked)
        page.wait_for_function("document.fonts.status === 'loaded'")
        fonts = page.evaluate(
            "[[...document.fonts].filter(f => f.family.includes('Lato') && f.status === 'loaded').map(f => f.weight).sort().join(),"
            " getComputedStyle(Reveal.getCurrentSlide()).backgroundColor,"
            " getComputedStyle(Reveal.getCurrentSlide(), '::after').content]"
        )
        # the bundled Lato faces loaded (not a system fallback), the slide's own colour, its page number
        assert fonts == ["400,900", "rgb(4, 115, 207)", '"1"']
        page.screenshot(path=str(tmp_path / "marp.png"))
    assert blocked == []


def test_a_marp_deck_prints_one_page_per_slide_at_full_size(tmp_path: Path) -> None:
    from deckbuild.commands.pdf import count_pages, pdf

    root = make_course(tmp_path, {"split.md": SPLIT}, {"slides/picture.png": png()})
    out, pages = pdf(root / "slides" / "split.md", tmp_path / "split.pdf")
    assert pages == 2 == count_pages(out)
    # the text of the split slide stays in the left 60 % of a full-width page (not shrunk, not cut)
    box = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', box)
    assert page is not None
    page_width, page_height = float(page.group(1)), float(page.group(2))
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"', box)
    # the page number sits in the slide's corner: the rest is the slide's text
    words = [(float(a), float(c)) for a, b, c in found if float(b) < 0.85 * page_height]
    assert words and page_width > 900  # 1280 css px = 960 pt
    assert max(x_max for _x, x_max in words) < 0.6 * page_width
    assert max(x_max for _x, x_max in words) > 0.3 * page_width  # the heading is at its full size
