"""`deckbuild check`: what a student would not see or could not read, found in Chromium."""

from __future__ import annotations

import json
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import FIXTURES, make_course, render_deck

from deckbuild.check.findings import Finding, nth_object_line, place, summary
from deckbuild.cli import cli
from deckbuild.commands.check import check
from deckbuild.errors import Where
from deckbuild.model import Deck, Slide, SlideSource

pytestmark = pytest.mark.browser

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#888"/></svg>'


def png() -> bytes:
    """A 1×1 PNG, made here so the fixture has no binary file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x20\x40\x60")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def fixture_course(tmp_path: Path, *names: str) -> Path:
    decks = {name: (FIXTURES / "check" / name).read_text("utf-8") for name in names}
    return make_course(tmp_path, decks, {"slides/img/dot.png": png(), "slides/img/plain.svg": SVG})


def found(findings: list[Finding]) -> set[tuple[str, str, int | None]]:
    return {(f.rule, f.where.path, f.where.line) for f in findings}


def test_each_known_problem_is_found_once_at_its_line(tmp_path: Path) -> None:
    report = check(fixture_course(tmp_path, "problems.md", "clean.md"))
    deck = "slides/problems.md"
    assert found(report.findings) == {
        ("fit", deck, 11),
        ("overflow", deck, 47),
        ("image", deck, 19),
        ("image-alt", deck, 25),
        ("svg-text-alternative", deck, 31),
        ("color-contrast", deck, 37),
        ("link-name", deck, 43),
        ("exception", deck, 1),
    }
    assert report.decks == 2 and report.slides == 9 + 3
    fit = next(f for f in report.findings if f.rule == "fit")
    assert "fit shrinks it to" in fit.message and fit.slide == "1/0"
    overflow = next(f for f in report.findings if f.rule == "overflow")
    assert "below the slide" in overflow.message and overflow.slide == "7/0"
    assert "boom from the deck" in next(f.message for f in report.findings if f.rule == "exception")


def test_a_clean_deck_has_no_finding_and_strict_passes(tmp_path: Path) -> None:
    root = fixture_course(tmp_path, "clean.md")
    result = CliRunner().invoke(cli, ["check", str(root), "--strict"])
    assert result.exit_code == 0, result.output
    assert "checked 1 deck, 3 slides: 0 overflow, 0 accessibility, 0 broken, 0 page errors" in result.output


def test_strict_fails_on_findings_and_json_lists_them(tmp_path: Path) -> None:
    root = fixture_course(tmp_path, "problems.md")
    result = CliRunner().invoke(cli, ["check", str(root), "--strict", "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["decks"] == 1 and data["slides"] == 9
    rules = {(f["rule"], f["file"], f["line"]) for f in data["findings"]}
    assert ("image-alt", "slides/problems.md", 25) in rules
    assert data["summary"].startswith("checked 1 deck, 9 slides: 2 overflow")
    assert "1 finding" not in result.stdout  # stdout is the JSON alone


def test_the_real_course_reports_tall_figures_and_missing_alternatives(course_dir: Path) -> None:
    report = check(course_dir)
    assert report.decks == 7 and report.slides == 197
    lines = found(report.findings)
    # deck 03's figures taller than the slide (the PDF used to cut them), now shrunk by fit
    fitted = {
        line
        for rule, path, line in lines
        if rule == "fit" and path.endswith("03_convolution_neural_networks.md")
    }
    assert {114, 122} <= fitted
    # pictures without a text alternative, each at the line of its <img> or <object>
    assert ("image-alt", "slides/01_introduction_to_deep_learning.md", 53) in lines
    assert ("svg-text-alternative", "slides/01_introduction_to_deep_learning.md", 92) in lines
    # the YouTube video of deck 01 cannot play offline
    assert any(rule == "iframe-offline" for rule, _path, _line in lines)


# -- placing findings, without a browser ------------------------------------------


def small_deck() -> Deck:
    source = SlideSource("\n## T\n\n<object data='a.svg'></object>\n\n<object data='b.svg'></object>\n", 10)
    hidden = SlideSource("\nhidden\n", 20)
    deck = Deck(source=Path("d.md"), name="slides/d.md", page="d.html", settings={})
    deck.stacks = [[hidden], [source]]
    deck.slides = [[Slide(where=Where("slides/d.md", 10), html="")]]
    return deck


def test_findings_are_placed_at_the_line_of_what_they_name() -> None:
    deck = small_deck()
    source = deck.stacks[1][0]
    assert nth_object_line(source, 1) == 13 and nth_object_line(source, 2) == 15
    svg = place(deck, {"h": 0, "v": 0, "kind": "accessibility", "rule": "x", "message": "m", "svgIndex": 2})
    assert svg.where == Where("slides/d.md", 15)
    image = place(
        deck, {"h": 0, "v": 0, "kind": "broken", "rule": "image", "message": "m", "needle": "img/b.svg"}
    )
    assert image.where.line == 15
    page = place(deck, {"h": None, "v": None, "kind": "error", "rule": "console", "message": "m"})
    assert page.where == Where("slides/d.md", 1) and page.slide is None


def test_summary_line() -> None:
    finding = Finding("overflow", "overflow", Where("a.md", 3), "m")
    assert (
        summary(1, 1, [finding])
        == "checked 1 deck, 1 slide: 1 overflow, 0 accessibility, 0 broken, 0 page errors"
    )


def test_inlined_svg_takes_its_objects_name(tmp_path: Path) -> None:
    root = fixture_course(tmp_path, "clean.md")
    deck = render_deck(root, "clean.md")
    named, decorative = deck.slides[1][0].html, deck.slides[2][0].html
    assert 'role="img"' in named and 'aria-label="A grey square"' in named
    assert 'aria-hidden="true"' in decorative and 'role="img"' not in decorative


def test_the_tour_deck_has_no_finding(tmp_path: Path) -> None:
    """The example course's tour deck shows every convention, and each one passes the check."""
    repo = Path(__file__).parent.parent
    root = make_course(tmp_path, {"01_tour.md": (repo / "slides" / "01_tour.md").read_text("utf-8")})
    shutil.copytree(repo / "assets", root / "assets")
    shutil.copy(repo / "deckbuild.yml", root / "deckbuild.yml")
    report = check(root)
    assert report.slides >= 10
    assert [str(f) for f in report.findings] == []


def test_the_slide_menu_works_from_the_keyboard_with_visible_focus(tmp_path: Path) -> None:
    from browser import chromium, open_page

    from deckbuild.commands.build import build

    root = make_course(tmp_path, {"a.md": "# One\n\n---\n\n## Two\n\n---\n\n## Three\n"})
    build(root)
    blocked: list[str] = []
    with chromium() as browser:
        page = open_page(browser, (root / "_site" / "a.html").as_uri() + "#/1", blocked)
        for _ in range(12):  # Tab through the page to the menu button
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('deckbuild-menu-button')"):
                break
        button = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.className, s.outlineStyle, s.opacity,"
            " document.activeElement.getAttribute('aria-expanded')]; })()"
        )
        assert button == ["deckbuild-menu-button", "solid", "1", "false"]
        page.keyboard.press("Enter")
        focused = page.evaluate(
            "[document.activeElement.textContent, document.activeElement.closest('nav') !== null]"
        )
        assert focused == ["Two", True]  # the menu opens on the current slide
        page.keyboard.press("Tab")  # the next slide's link
        page.keyboard.press("Enter")
        assert page.evaluate("Reveal.getIndices().h") == 2
        page.keyboard.press("m")
        page.keyboard.press("Escape")
        assert page.evaluate("document.getElementById('deckbuild-menu').hidden") is True
        # closing gives the focus back to the button
        assert page.evaluate("document.activeElement.className") == "deckbuild-menu-button"
