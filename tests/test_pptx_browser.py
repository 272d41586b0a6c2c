"""Imported PowerPoint decks in Chromium: every equation typesets as the expected TeX, every picture loads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import chromium, open_page
from conftest import SHARED
from pptxmaker import equation_deck, metafile_deck

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


FIGURE = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">
<rect x="10" y="10" width="180" height="80" fill="#2a6"/></svg>"""


def test_emf_and_wmf_become_svg_with_inkscape(tmp_path: Path) -> None:
    """The real converter: Inkscape (installed by the test command) writes EMF/WMF, the import reads them back."""
    import shutil
    import subprocess

    inkscape = shutil.which("inkscape")
    if inkscape is None:
        pytest.fail("inkscape is missing: install Debian's inkscape (apt-get install inkscape)")
    (tmp_path / "figure.svg").write_text(FIGURE, "utf-8")
    metafiles = {}
    for kind in ("emf", "wmf"):
        target = tmp_path / f"figure.{kind}"
        command = [inkscape, str(tmp_path / "figure.svg"), f"--export-filename={target}"]
        subprocess.run(command, capture_output=True, check=True, timeout=120)
        metafiles[f"image{len(metafiles) + 1}.{kind}"] = target.read_bytes()
    root = tmp_path / "course"
    (root / "slides").mkdir(parents=True)
    metafile_deck(root / "figures.pptx", metafiles)
    result = import_pptx(root / "figures.pptx", root / "slides" / "figures.md")
    assert result.report.warnings == []
    deck = (root / "slides" / "figures.md").read_text("utf-8")
    assert "(figures/image1.svg)" in deck and "(figures/image2.svg)" in deck
    build(root, strict=True)
    blocked: list[str] = []
    with chromium() as browser:
        page = open_page(browser, (root / "_site" / "figures.html").as_uri(), blocked)
        pictures = page.evaluate(PICTURES)
    assert len(pictures) == 2 and all(p["ok"] for p in pictures)
