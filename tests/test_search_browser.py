"""Search in Chromium, on the real course: from file://, under a sub-path, inside a deck."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import chromium, serve_folder
from conftest import COURSE

from deckbuild.commands.build import build
from deckbuild.search import INDEX
from deckbuild.site import SiteBuilder
from deckbuild.vendor import vendor_file
from deckbuild.writer import SiteWriter, make_environment, write_tree

pytestmark = pytest.mark.browser

DECK_04 = "04_refining_the_model.html"
# "confusion" is on one slide of the whole course: deck 04's "Confusion matrix" (h 7)
WORD, SLIDE = "confusion", "#/7/0"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search") / "course"
    build(COURSE, out)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def loaded_index(page: Any) -> bool:
    return bool(page.evaluate("!!document.querySelector('script[src$=\"search/index.js\"]')"))


def results(page: Any) -> list[dict[str, str]]:
    return list(
        page.evaluate(
            """[...document.querySelectorAll('.deckbuild-search-results a')].filter(a => a.offsetParent).map(a => ({
                href: a.getAttribute('href'), deck: a.querySelector('.deckbuild-result-deck').textContent,
                title: a.querySelector('.deckbuild-result-title').textContent,
                marked: [...a.querySelectorAll('mark')].map(m => m.textContent)}))"""
        )
    )


def search_home(page: Any, query: str) -> list[dict[str, str]]:
    field = page.locator("#deckbuild-search-input")
    field.fill(query)
    page.wait_for_function(
        "document.querySelector('.deckbuild-search-status').textContent !== ''", timeout=10_000
    )
    return results(page)


def check_home_search(page: Any) -> None:
    assert not loaded_index(page)  # nothing downloaded before the field is used
    page.locator("#deckbuild-search-input").focus()
    page.wait_for_function("window.deckbuildSearch.state.data !== null")
    found = search_home(page, WORD)
    assert found[0]["href"] == DECK_04 + SLIDE
    assert found[0]["deck"] == "4. Improving the results of your model"
    assert found[0]["title"] == "Confusion matrix"
    assert "confusion" in [m.lower() for m in found[0]["marked"]]
    page.locator(".deckbuild-search-results a").first.click()
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    assert page.url.endswith(DECK_04 + "#/7")  # reveal.js writes #/7/0 as #/7
    assert page.evaluate("Reveal.getIndices()") == {"h": 7, "v": 0, "f": -1}


def test_home_search_from_file_url(site: Path, browser: Any) -> None:
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((site / "index.html").as_uri())
    check_home_search(page)
    assert not [r for r in requests if not r.startswith(("file://", "data:"))]


def test_home_search_under_a_sub_path(site: Path, browser: Any, tmp_path: Path) -> None:
    shutil.copytree(site, tmp_path / "course")
    with serve_folder(tmp_path) as base:
        page = browser.new_page()
        page.goto(base + "course/")
        check_home_search(page)
        assert page.url.startswith(base + "course/")


def test_prefixes_typos_and_word_forms_are_found(site: Path, browser: Any) -> None:
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    page.locator("#deckbuild-search-input").focus()
    page.wait_for_function("window.deckbuildSearch.state.data !== null")

    def titles(query: str) -> list[str]:
        return [r["title"] for r in search_home(page, query)]

    assert titles("confus")[0] == "Confusion matrix"  # a word being typed
    assert "Strategies to reduce overfitting" in titles("regularisaton")  # one letter missing
    assert "Data Augmentation" in titles("augmenting")[:3]  # augmentation, stemmed
    assert titles("confusion matrix")[0] == "Confusion matrix"  # every word must match
    assert titles("confusion zebra") == []
    assert page.locator(".deckbuild-search-status").text_content() == "No slide matches."
    # a short word is not fuzzy: "relu" finds ReLU, not "rely" or "role"
    assert all("relu" in " ".join(r["marked"]).lower() for r in search_home(page, "relu"))
    # from the field, the arrow keys walk the results and Enter opens one
    search_home(page, WORD)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == DECK_04 + SLIDE


def open_panel(page: Any, key: str) -> None:
    page.locator(".reveal").click()
    page.keyboard.press(key)
    page.wait_for_function("!document.getElementById('deckbuild-search-panel').hidden")
    assert page.evaluate("document.activeElement.id") == "deckbuild-search-input"


def test_search_inside_a_deck(site: Path, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto((site / "01_introduction_to_deep_learning.html").as_uri() + "#/2")
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    assert page.evaluate("typeof RevealSearch") == "undefined"  # reveal.js's own search is gone
    open_panel(page, "/")
    page.keyboard.press("Escape")
    page.wait_for_function("document.getElementById('deckbuild-search-panel').hidden")
    assert page.evaluate("Reveal.isOverview()") is False  # Escape closed the panel, nothing else
    assert page.evaluate("Reveal.getIndices()")["h"] == 2  # typing did not move the slides
    open_panel(page, "Control+k")
    page.keyboard.type(WORD)
    page.wait_for_function("document.querySelector('#deckbuild-search-panel .deckbuild-search-results a')")
    found = results(page)
    assert found[0]["href"] == DECK_04 + SLIDE
    assert page.evaluate("Reveal.getIndices()")["h"] == 2
    page.keyboard.press("Enter")  # the first result
    page.wait_for_url("**/" + DECK_04 + "#/7")
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    assert page.evaluate("Reveal.getIndices()")["h"] == 7
    # a result in the deck one is in moves to its slide without leaving the page
    open_panel(page, "/")
    page.keyboard.type("dropout randomly")
    page.wait_for_function("document.querySelector('#deckbuild-search-panel .deckbuild-search-results a')")
    page.keyboard.press("Enter")
    page.wait_for_function("Reveal.getIndices().h === 13")
    assert page.evaluate("document.getElementById('deckbuild-search-panel').hidden") is True
    page.wait_for_function("location.hash === '#/13'")  # reveal.js writes the hash a moment later


def test_serve_pages_index_the_slides_themselves(browser: Any, tmp_path: Path) -> None:
    # serve renders with its reload script: no lunr.py at each edit, the page indexes when first searched
    site, assets = SiteBuilder(COURSE).build()
    output = SiteWriter(site, assets, make_environment(COURSE), serve_script="").render_all()
    write_tree(output, tmp_path / "served")
    assert '"index":null' in (tmp_path / "served" / INDEX).read_text("utf-8")
    page = browser.new_page()
    page.goto((tmp_path / "served" / "index.html").as_uri())
    page.locator("#deckbuild-search-input").focus()
    page.wait_for_function("window.deckbuildSearch.state.index !== null")
    found = search_home(page, WORD)
    assert found[0]["href"] == DECK_04 + SLIDE and found[0]["title"] == "Confusion matrix"
    assert [r["title"] for r in search_home(page, "regularisaton")] == ["Strategies to reduce overfitting"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_deck_search_panel_passes_axe(site: Path, browser: Any, scheme: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 720}, color_scheme=scheme)
    page.goto((site / "02_neural_networks.html").as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    open_panel(page, "/")
    page.keyboard.type("dropout")
    page.wait_for_function("document.querySelector('#deckbuild-search-panel .deckbuild-search-results a')")
    page.add_script_tag(content=vendor_file("axe-core/axe.min.js").read_text("utf-8"))
    found = page.evaluate(
        "axe.run('#deckbuild-search-panel', {runOnly: {type: 'rule', values: ['color-contrast', 'link-name', "
        "'label', 'aria-dialog-name', 'list', 'listitem']}}).then(r => r.violations.map(v => v.id))"
    )
    assert found == []
