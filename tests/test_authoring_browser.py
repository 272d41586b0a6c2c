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
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_course(tmp_path_factory.mktemp("authoring"), DECKS)
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
