"""The home page in Chromium: contrast in light and dark, a phone's width, the keyboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import chromium

from deckbuild.commands.build import build
from deckbuild.vendor import vendor_file

pytestmark = pytest.mark.browser

AXE_RULES = [
    "color-contrast",
    "heading-order",
    "link-name",
    "landmark-one-main",
    "region",
    "list",
    "listitem",
]


def axe_violations(page: Any) -> list[str]:
    page.add_script_tag(content=vendor_file("axe-core/axe.min.js").read_text("utf-8"))
    result = page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'rule', values: rules}})"
        ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))",
        AXE_RULES,
    )
    return list(result)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import COURSE

    out = tmp_path_factory.mktemp("home") / "site"
    build(COURSE, out)
    return out


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_passes_axe_in_light_and_dark_at_a_phone_width(site: Path, scheme: str) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 360, "height": 740}, color_scheme=scheme)
        page.goto((site / "index.html").as_uri())
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(15, 20, 25)")
        assert axe_violations(page) == []
        # nothing wider than the phone: no sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        widths = page.evaluate("[...document.querySelectorAll('.deckbuild-card')].map(c => c.offsetWidth)")
        assert len(widths) == 7 and min(widths) >= 300


def test_cards_are_reached_and_opened_from_the_keyboard(site: Path) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto((site / "index.html").as_uri())
        for _ in range(5):  # past the search field, to the first card
            page.keyboard.press("Tab")
            if page.evaluate("!!document.activeElement.closest('.deckbuild-card')"):
                break
        assert " ".join(page.evaluate("document.activeElement.textContent").split()) == "0 Overview"
        outline = page.evaluate("getComputedStyle(document.activeElement, '::after').outlineStyle")
        assert outline == "solid"  # the focus ring is drawn around the whole card
        while "Introduction" not in page.evaluate("document.activeElement.textContent"):
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_url("**/01_introduction_to_deep_learning.html")
