"""`deckbuild pdf`: printed by the machine's Chromium, page per slide or per step."""

from __future__ import annotations

import base64
import re
import subprocess
from pathlib import Path

import pytest
from browser import CHROMIUM, chromium
from click.testing import CliRunner
from conftest import COURSE, make_course
from pagecompare import compare, pdf_pages, screenshots

from deckbuild.cli import cli
from deckbuild.commands.build import build
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


def test_real_course_deck_03_pdf_pages_show_what_the_browser_shows(tmp_path: Path) -> None:
    """Each printed page against a screenshot of the same slide (fragments shown as printed).

    Before slides were fitted, 6 of the 34 pages lost their figure (ink ratio 0.07-0.63,
    difference 0.04-0.27); fitted, every page is within 0.011 and 0.93-1.03.
    """
    deck = "03_convolution_neural_networks"
    out, pages = pdf(COURSE / "slides" / f"{deck}.md", tmp_path / "03.pdf")
    build(COURSE, tmp_path / "site")
    printed = pdf_pages(out)
    with chromium() as browser:
        first = browser.new_page()
        first.set_content(f"<img src='data:image/png;base64,{base64.b64encode(printed[0]).decode()}'>")
        width, height = first.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]")
        first.close()
        shown = screenshots(browser, (tmp_path / "site" / f"{deck}.html").as_uri(), width, height)
        assert len(printed) == len(shown) == pages == 34
        matches = compare(browser, printed, shown)
    lost = [m for m in matches if m.printed_ink < 0.85 * m.shown_ink or m.difference > 0.025]
    assert lost == []


def test_logo_and_footer_on_every_printed_page_unless_turned_off(tmp_path: Path) -> None:
    png = (Path(__file__).parents[1] / "assets" / "tour" / "gradient.png").read_bytes()
    deck = (
        "---\nlogo: ../assets/x.png\nfooter: FOOTERWORD\n---\n## One\n\n---\n"
        '<!-- .slide: data-footer="false" data-logo="false" -->\n## Two\n\n---\n## Three\n'
    )
    root = make_course(tmp_path, {"deck.md": deck}, {"assets/x.png": png})
    out, pages = pdf(root / "slides" / "deck.md", tmp_path / "f.pdf")
    assert pages == 3
    texts = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(out), "-"], capture_output=True, text=True
        ).stdout
        for n in (1, 2, 3)
    ]
    assert ["FOOTERWORD" in text for text in texts] == [True, False, True]
    listing = subprocess.run(
        ["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True
    ).stdout
    image_pages = sorted({int(line.split()[0]) for line in listing.splitlines()[2:] if line.strip()})
    assert image_pages == [1, 3]
