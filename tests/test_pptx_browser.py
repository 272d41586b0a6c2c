"""Imported PowerPoint decks in Chromium: every equation typesets as the expected TeX, every picture loads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import chromium, open_page
from conftest import SHARED
from pptxmaker import equation_deck

from deckbuild.commands.build import build
from deckbuild.commands.import_pptx import import_pptx

pytestmark = pytest.mark.browser
PPTX = SHARED / "pptx" / "decks"

TYPESET = """() => [...document.querySelectorAll('.reveal .slides [data-math]')].map(e => ({
  error: !!e.querySelector('.katex-error') || e.classList.contains('katex-error') || !e.querySelector('.katex'),
  tex: (e.querySelector('annotation[encoding="application/x-tex"]') || {}).textContent || ''
}))"""

PICTURES = """async () => {
  const images = [...document.querySelectorAll('.reveal .slides img')];
  await Promise.all(images.map(i => { i.loading = 'eager'; return i.decode().catch(() => null); }));
  return images.map(i => ({src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0}));
}"""


def tokens(tex: str) -> list[str]:
    return re.findall(r"\\[A-Za-z]+|\\.|\S", tex)


def test_every_equation_typesets_as_expected(tmp_path: Path) -> None:
    root = tmp_path / "course"
    (root / "slides").mkdir(parents=True)
    expected = equation_deck(root / "maths.pptx")
    import_pptx(root / "maths.pptx", root / "slides" / "maths.md")
    build(root, strict=True)
    blocked: list[str] = []
    with chromium() as browser:
        page = open_page(browser, (root / "_site" / "maths.html").as_uri(), blocked)
        page.wait_for_function("document.querySelectorAll('.reveal .katex').length > 0")
        typeset = page.evaluate(TYPESET)
    assert len(typeset) == len(expected)
    assert [t["error"] for t in typeset] == [False] * len(expected)
    assert [tokens(t["tex"]) for t in typeset] == [tokens(tex) for tex in expected]
    assert blocked == []


@pytest.mark.parametrize("name", ["ms-intro-regression-tidymodels", "ms-intro-git-github"])
def test_every_picture_loads(tmp_path: Path, name: str) -> None:
    root = tmp_path / "course"
    (root / "slides").mkdir(parents=True)
    import_pptx(PPTX / name / f"{name}.pptx", root / "slides" / f"{name}.md")
    build(root, strict=True)
    blocked: list[str] = []
    with chromium() as browser:
        page = open_page(browser, (root / "_site" / f"{name}.html").as_uri(), blocked)
        pictures = page.evaluate(PICTURES)
        page.screenshot(path=str(tmp_path / "first.png"))
    assert pictures and [p for p in pictures if not p["ok"]] == []
    assert blocked == []
