"""The authoring conventions in Chromium: what a reader sees step by step.

Screenshots of each go to $DECKBUILD_SHOTS when it is set (to look at them).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import chromium, open_page, serve_folder
from conftest import make_course

from deckbuild.commands.build import build

pytestmark = pytest.mark.browser

DECKS = {
    "incremental.md": (
        "---\nincremental: true\n---\n## Steps\n\n- one\n- two\n- three\n\n"
        "Between.\n\n<!-- .list: static -->\n- whole\n- list\n"
    ),
    "attrs.md": "## Image\n\n![half](../assets/x.png){width=50% .fragment}\n",
    "fit.md": (
        "## Tall\n\n" + "\n\n".join(f"line {n}" for n in range(14)) + "\n\n---\n"
        '<!-- .slide: class="scrollable" -->\n## Scrolls\n\n'
        + "\n\n".join(f"line {n}" for n in range(14))
        + "\n\n---\n"
        '<!-- .slide: data-fit="false" -->\n## Overflows\n\n'
        + "\n\n".join(f"line {n}" for n in range(14))
        + "\n\n---\n## Short\n"
    ),
    "nofit.md": "---\nfit: false\n---\n## Tall\n\n" + "\n\n".join(f"line {n}" for n in range(14)),
    "frame.md": (
        "---\nlogo: ../assets/x.png\nfooter: Course **footer**\n---\n## One\n\n---\n"
        '<!-- .slide: data-footer="false" -->\n## No footer\n\n---\n'
        '<!-- .slide: data-logo="false" -->\n## No logo\n'
    ),
    "columns.md": (
        "## Columns\n\n::: columns\n::: column width=40%\nLEFTWORD\n:::\n::: column\nRIGHTWORD\n:::\n:::\n"
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    png = (Path(__file__).parents[1] / "assets" / "tour" / "gradient.png").read_bytes()
    root = make_course(tmp_path_factory.mktemp("authoring"), DECKS, {"assets/x.png": png})
    build(root, strict=True)
    with serve_folder(root / "_site") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def shot(page: Any, name: str) -> None:
    folder = os.environ.get("DECKBUILD_SHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


VISIBLE_ITEMS = """() => [...Reveal.getCurrentSlide().querySelectorAll('li')]
    .filter(li => getComputedStyle(li).opacity === '1' && getComputedStyle(li).visibility !== 'hidden')
    .map(li => li.textContent.trim())"""


def test_incremental_list_steps_in_item_by_item(site: str, browser: Any) -> None:
    blocked: list[str] = []
    page = open_page(browser, site + "incremental.html", blocked)
    assert page.evaluate(VISIBLE_ITEMS) == ["whole", "list"]
    page.evaluate("Reveal.nextFragment()")
    assert page.evaluate(VISIBLE_ITEMS) == ["one", "whole", "list"]
    page.evaluate("Reveal.nextFragment(); Reveal.nextFragment()")
    shot(page, "incremental")
    assert page.evaluate(VISIBLE_ITEMS) == ["one", "two", "three", "whole", "list"]
    assert blocked == []


def test_columns_stand_side_by_side(site: str, browser: Any) -> None:
    blocked: list[str] = []
    page = open_page(browser, site + "columns.html", blocked)
    shot(page, "columns")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.columns, .column')].map(e => {
            const r = e.getBoundingClientRect(); return [r.left, r.top, r.width]; })"""
    )
    (_, _, total), (left_x, left_top, left_w), (right_x, right_top, _) = boxes
    assert left_x + left_w <= right_x and abs(left_top - right_top) < 1
    assert left_w == pytest.approx(0.4 * total, rel=0.02)
    assert blocked == []


def test_attribute_block_sizes_an_image_and_makes_it_a_fragment(site: str, browser: Any) -> None:
    blocked: list[str] = []
    page = open_page(browser, site + "attrs.html", blocked)
    image = """() => { const i = document.querySelector('.slides img');
        return [i.getBoundingClientRect().width / i.closest('section').getBoundingClientRect().width,
                getComputedStyle(i).opacity]; }"""
    ratio, opacity = page.evaluate(image)
    assert ratio == pytest.approx(0.5, abs=0.01) and opacity == "0"
    page.evaluate("Reveal.nextFragment()")
    shot(page, "attrs")
    assert page.evaluate(image)[1] == "1"
    assert blocked == []


BOXES = """() => { const box = document.querySelector('.reveal .slides').getBoundingClientRect();
    const s = Reveal.getCurrentSlide().getBoundingClientRect();
    return [s.top - box.top, box.bottom - s.bottom, Reveal.getCurrentSlide().getAttribute('data-fitted')]; }"""


def test_a_tall_slide_is_scaled_to_fit_unless_it_opts_out(site: str, browser: Any) -> None:
    blocked: list[str] = []
    page = open_page(browser, site + "fit.html", blocked)
    page.wait_for_function("document.documentElement.hasAttribute('data-deckbuild-fitted')")
    shot(page, "fit")
    above, below, fitted = page.evaluate(BOXES)
    assert fitted is not None and float(fitted) < 0.9 and above >= -1 and below >= -1
    page.evaluate("Reveal.slide(1)")
    assert page.evaluate(BOXES)[2] is None  # scrollable: it scrolls instead
    assert page.evaluate("Reveal.getCurrentSlide().scrollHeight > Reveal.getCurrentSlide().clientHeight + 10")
    page.evaluate("Reveal.slide(2)")
    above, below, fitted = page.evaluate(BOXES)
    assert fitted is None and below < -50  # data-fit="false": runs past the box
    page.evaluate("Reveal.slide(3)")
    assert page.evaluate(BOXES)[2] is None  # short slides stay as they are
    other = open_page(browser, site + "nofit.html", blocked)
    other.wait_for_function("document.documentElement.hasAttribute('data-deckbuild-fitted')")
    above, below, fitted = other.evaluate(BOXES)
    assert fitted is None and below < -50
    assert blocked == []


FRAME = """() => ['.deckbuild-logo img', '.deckbuild-footer'].map(s => {
    const e = document.querySelector('.reveal ' + s); const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; })"""


def test_logo_and_footer_on_every_slide_unless_turned_off(site: str, browser: Any) -> None:
    blocked: list[str] = []
    page = open_page(browser, site + "frame.html", blocked)
    shot(page, "frame")
    assert page.evaluate(FRAME) == [True, True]
    assert page.evaluate("document.querySelector('.deckbuild-footer').textContent.trim()") == "Course footer"
    page.evaluate("Reveal.slide(1)")
    assert page.evaluate(FRAME) == [True, False]
    page.evaluate("Reveal.slide(2)")
    assert page.evaluate(FRAME) == [False, True]
    assert blocked == []
