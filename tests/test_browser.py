"""The built real course in headless Chromium, with every off-machine request blocked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser import chromium, open_page, serve_folder
from conftest import COURSE

from deckbuild.commands.build import build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("browser") / "site"
    build(COURSE, out)
    with serve_folder(out) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def goto_heading(page: Any, text: str) -> int:
    """Go to the first slide whose heading is `text`; returns its index."""
    index = page.evaluate(
        """(text) => Reveal.getSlides().findIndex(s => [...s.querySelectorAll('h1,h2,h3')].some(h => h.textContent.trim() === text))""",
        text,
    )
    assert index >= 0, text
    page.evaluate(
        "(i) => { const s = Reveal.getSlides()[i]; const idx = Reveal.getIndices(s); Reveal.slide(idx.h, idx.v, -1); }",
        index,
    )
    return int(index)


def test_convolution_layers_step_in_one_at_a_time_in_order(site: str, browser: Any) -> None:
    blocked: list[str] = []
    page = open_page(browser, site + "03_convolution_neural_networks.html", blocked)
    goto_heading(page, "The convolution process")
    shown = []
    for _ in range(9):
        page.evaluate("Reveal.nextFragment()")
        visible = page.evaluate(
            """() => {
                const svg = Reveal.getCurrentSlide().querySelector('svg');
                return [...svg.querySelectorAll('g.fragment')]
                    .filter(g => getComputedStyle(g).opacity === '1' && getComputedStyle(g).visibility !== 'hidden')
                    .map(g => g.id.replace(/^s\\d+-/, ''));
            }"""
        )
        shown.append(visible)
    assert shown == [[f"layer{n}"] for n in range(2, 11)]
    assert blocked == []


def test_rnn_markers_resolve_inside_their_own_svg(site: str, browser: Any) -> None:
    blocked: list[str] = []
    page = open_page(browser, site + "06_dl_in_other_fields.html", blocked)
    goto_heading(page, "RNNs and LSTMs for sequential inputs & outputs")
    result = page.evaluate(
        """() => {
            const svg = Reveal.getCurrentSlide().querySelector('svg');
            const out = [];
            for (const el of svg.querySelectorAll('*')) {
                const cs = getComputedStyle(el);
                for (const v of [cs.markerStart, cs.markerMid, cs.markerEnd]) {
                    const m = /url\\("?#([^")]+)"?\\)/.exec(v || '');
                    if (!m) continue;
                    const target = document.getElementById(m[1]);
                    out.push([m[1], !!target && svg.contains(target)]);
                }
            }
            return out;
        }"""
    )
    assert result, "the RNN diagram uses markers"
    assert all(inside for _, inside in result), result
    assert blocked == []
