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


def test_display_math_is_typeset_offline(site: str, browser: Any) -> None:
    blocked: list[str] = []
    page = open_page(browser, site + "02_neural_networks.html", blocked)
    counts = page.evaluate(
        """() => ({
            display: document.querySelectorAll('[data-math=display]').length,
            typeset: document.querySelectorAll('[data-math=display] .katex').length,
            inline: document.querySelectorAll('[data-math=inline] .katex').length,
            errors: [...document.querySelectorAll('.math-error')].map(e => e.textContent),
            raw: [...document.querySelectorAll('.slides section')].some(s => s.textContent.includes('$$')),
            fonts: [...document.fonts].filter(f => f.family.startsWith('KaTeX') && f.status === 'loaded').length,
        })"""
    )
    assert counts["display"] >= 2 and counts["typeset"] == counts["display"]
    assert counts["inline"] > 20 and not counts["raw"]
    # the one malformed formula of the course shows its source, marked
    assert counts["errors"] == ["\\(E =\\frac{1}{m}\\sum^m(y-\\hat{y})\\)"]
    assert blocked == []


def test_speaker_view_shows_the_notes_offline(site: str, browser: Any) -> None:
    blocked: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith(("http://127.0.0.1", "about:", "data:"))
            else (blocked.append(r.request.url), r.abort())
        ),
    )
    page = context.new_page()
    page.goto(site + "04_refining_the_model.html")
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    goto_heading(page, "Strategies to reduce overfitting")
    with context.expect_page() as popup:
        page.keyboard.press("s")
    speaker = popup.value
    speaker.wait_for_function(
        "document.querySelector('.speaker-controls-notes') && document.querySelector('.speaker-controls-notes').textContent.includes('lasso regression')",
        timeout=15000,
    )
    assert blocked == []
    context.close()


def test_code_is_highlighted_with_line_steps(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> None:
    from conftest import make_course

    deck = "## Code\n\n```python [1|2-3]\ndef f(x):\n    y = x + 1\n    return y\n```\n"
    root = make_course(tmp_path_factory.mktemp("code"), {"code.md": deck})
    build(root)
    with serve_folder(root / "_site") as url:
        blocked: list[str] = []
        page = open_page(browser, url + "code.html", blocked)
        info = page.evaluate(
            """() => ({
                keywords: document.querySelectorAll('code .hljs-keyword').length,
                numbered: document.querySelectorAll('code.hljs tr, code.hljs .hljs-ln-line').length > 0,
                steps: document.querySelectorAll('pre code.fragment').length,
            })"""
        )
        assert info["keywords"] >= 2 and info["numbered"] and info["steps"] >= 1
        assert blocked == []


def test_slide_menu_lists_titles_and_jumps(site: str, browser: Any) -> None:
    blocked: list[str] = []
    page = open_page(browser, site + "05_transfer_learning.html", blocked)
    page.keyboard.press("m")
    titles = page.evaluate("[...document.querySelectorAll('#deckbuild-menu a')].map(a => a.textContent)")
    assert len(titles) == 14 and titles[0] == "5. Deployment and Transfer Learning"
    page.click("#deckbuild-menu a[data-h='3']")
    assert page.evaluate("Reveal.getIndices().h") == 3
    assert page.evaluate("document.getElementById('deckbuild-menu').hidden")
