"""`deckbuild pdf`: printed by the machine's Chromium, page per slide or per step."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from browser import CHROMIUM
from click.testing import CliRunner
from conftest import COURSE, make_course

from deckbuild.cli import cli
from deckbuild.commands.pdf import count_pages, pdf

pytestmark = pytest.mark.browser

DECK = (
    '## One\n\n* a <!-- .element: class="fragment" -->\n* b <!-- .element: class="fragment" -->\n\n'
    'Note:\nsay this\n\n---\n## Two\n\n---\n<!-- .slide: data-visibility="hidden" -->\n## Hidden\n'
)


@pytest.fixture(autouse=True)
def needs_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium")


def test_real_course_deck_05_gives_14_pages(tmp_path: Path) -> None:
    out, pages = pdf(COURSE / "slides" / "05_transfer_learning.md", tmp_path / "05.pdf")
    assert pages == 14 and count_pages(out) == 14
    assert out.read_bytes().startswith(b"%PDF")


def test_page_per_slide_per_step_and_with_notes(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"deck.md": DECK})
    deck = root / "slides" / "deck.md"
    assert pdf(deck, tmp_path / "a.pdf")[1] == 2
    assert pdf(deck, tmp_path / "b.pdf", fragments=True)[1] == 4  # 3 steps of slide one, then slide two
    assert pdf(deck, tmp_path / "c.pdf", notes=True)[1] == 3  # a notes page after slide one


def test_cli_reports_file_and_pages(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"deck.md": DECK})
    result = CliRunner().invoke(cli, ["pdf", str(root / "slides" / "deck.md"), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 0, result.output
    assert "x.pdf: 2 pages" in result.output


def test_no_browser_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_course(tmp_path, {"deck.md": DECK})
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = CliRunner().invoke(cli, ["pdf", str(root / "slides" / "deck.md")])
    assert result.exit_code == 1 and "error: no Chromium or Chrome on PATH" in result.output
    result = CliRunner().invoke(
        cli, ["pdf", str(root / "slides" / "deck.md"), "--chrome", "/nonexistent/chrome"]
    )
    assert result.exit_code == 1 and "no such program" in result.output


def words(pdf_file: Path) -> dict[str, tuple[float, float]]:
    """Each word of a one-page PDF and its top-left corner (pdftotext from poppler-utils)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf_file), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', html)
    return {word: (float(x), float(y)) for x, y, word in found}


def test_columns_stay_side_by_side_in_the_pdf(tmp_path: Path) -> None:
    deck = "## C\n\n::: columns\n::: column\nLEFTWORD\n:::\n::: column\nRIGHTWORD\n:::\n:::\n"
    root = make_course(tmp_path, {"deck.md": deck})
    out, pages = pdf(root / "slides" / "deck.md", tmp_path / "c.pdf")
    found = words(out)
    assert pages == 1
    (lx, ly), (rx, ry) = found["LEFTWORD"], found["RIGHTWORD"]
    assert lx < rx and abs(ly - ry) < 2
