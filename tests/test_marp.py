"""Marp decks build as Marp renders them: compared with Marp's own output, slide by slide."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS, make_course
from tests.marpcheck import MARP, differences, our_slides, reference

from deckbuild.cli import cli
from deckbuild.commands.build import build
from deckbuild.marp.css import rescope, scope_css
from deckbuild.marp.directives import convert_loose, parse_comment
from deckbuild.marp.images import read_alt
from deckbuild.readers.marp import paginate, split_parts

SEED = SEEDS / "003_30aeb227a715f445.txt"


def seed_course(tmp_path: Path) -> Path:
    return make_course(tmp_path, {"003.md": SEED.read_text("utf-8")})


def fixture_course(tmp_path: Path, deck: str) -> Path:
    root = tmp_path / deck
    shutil.copytree(MARP / "decks" / deck, root / "slides")
    if (root / "slides" / "themes").is_dir():
        shutil.move(root / "slides" / "themes", root / "themes")
    return root


def test_seed_003_is_16_slides_as_marp_renders_them(tmp_path: Path) -> None:
    root = seed_course(tmp_path)
    build(root, root / "_site")
    assert differences(our_slides(root / "_site" / "003.html"), reference("seed003.json")) == []


@pytest.mark.parametrize(
    ("deck", "page"), [("marp-cli-example", "PITCHME.html"), ("academic-demo", "demo.html")]
)
def test_fixture_decks_match_marp_slide_for_slide(deck: str, page: str, tmp_path: Path) -> None:
    root = fixture_course(tmp_path, deck)
    build(root, root / "_site")
    expected = reference(f"decks/{deck}/{deck}.json")
    assert differences(our_slides(root / "_site" / page), expected) == []


def test_old_marp_syntax_is_a_warning_at_its_line(tmp_path: Path) -> None:
    root = seed_course(tmp_path)
    warnings = build(root, root / "_site").warnings
    old = [w for w in warnings if "old Marp syntax" in w or "inside a comment" in w]
    assert old[0].startswith("slides/003.md:9: an image inside a comment")
    assert any(w.startswith('slides/003.md:63: "center" in an image') for w in old)
    assert any(w.startswith('slides/003.md:162: "right" in an image') for w in old)


def test_a_marp_deck_and_a_reveal_deck_share_a_course(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {
            "a.md": "# Reveal deck\n\nNote: reveal notes\n",
            "b.md": "---\nmarp: true\ntheme: uncover\npaginate: true\n---\n\n# Marp deck\n\n<!-- marp notes -->\n\n---\n\n## Two\n",
        },
    )
    result = CliRunner().invoke(cli, ["build", str(root), "--strict"])
    assert result.exit_code == 0, result.output
    index = (root / "_site" / "index.html").read_text("utf-8")
    assert "Reveal deck" in index and "Marp deck" in index
    page = (root / "_site" / "b.html").read_text("utf-8")
    assert '<aside class="notes"><p>marp notes</p>' in page
    assert 'class="reveal marp"' in page and "deckbuild/marp/uncover.css" in page
    assert (root / "_site" / "deckbuild" / "marp" / "uncover.css").is_file()


def test_an_unknown_theme_is_one_line_naming_the_themes(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"b.md": "---\nmarp: true\ntheme: nosuch\n---\n\n# B\n"})
    result = CliRunner().invoke(cli, ["build", str(root)])
    assert result.exit_code == 1
    assert (
        'slides/b.md:3: Marp theme "nosuch" is neither one of Marp\'s (default, gaia, uncover)'
        in result.output
    )


# -- the rules, one by one -----------------------------------------------------------


def test_slides_split_on_every_thematic_break_but_not_in_code_or_under_text() -> None:
    body = "# A\n\n***\n\n# B\n\n___\n\nsetext\n---\n\n```\n---\n```\n\n" + "-" * 64 + "\n\n# C\n"
    parts = split_parts(body, None)
    lines = body.split("\n")
    texts = ["\n".join(lines[p.start : p.end]).strip() for p in parts]
    assert len(parts) == 4 and texts[0] == "# A" and texts[3] == "# C"
    assert "setext\n---" in texts[2] and "```\n---\n```" in texts[2]


def test_heading_divider_splits_before_headings() -> None:
    parts = split_parts("# A\n\ntext\n\n## B\n\n### C\n", 2)
    assert [(p.start, p.end) for p in parts] == [(0, 4), (4, 8)]
    assert len(split_parts("# A\n\n## B\n", [1])) == 1


def test_loose_yaml_keeps_a_colour_with_a_hash_and_a_semicolon() -> None:
    assert parse_comment("_backgroundColor: #0473cf;") == {"_backgroundColor": "#0473cf;"}
    assert parse_comment("#4C2E84") is None
    assert convert_loose("headingDivider: [1, 2]") == "headingDivider: [1, 2]"


@pytest.mark.parametrize(
    ("modes", "expected"),
    [
        (["true", "true", "true"], [(True, 1), (True, 2), (True, 3)]),
        (["false", "true", "hold", "true"], [(False, 1), (True, 2), (True, 2), (True, 3)]),
        (["true", "skip", "true"], [(True, 1), (False, 1), (True, 2)]),
    ],
)
def test_page_numbers(modes: list[str], expected: list[tuple[bool, int]]) -> None:
    assert paginate([{"paginate": m} for m in modes]) == expected


def test_image_keywords() -> None:
    inline = read_alt("center w:1200 sepia")
    assert inline.alt == "center" and inline.css == "width:1200px;filter:sepia(1)"
    background = read_alt("bg right:40% contain blur:4px my picture")
    assert background.background and background.split == "right" and background.split_size == "40%"
    assert (
        background.size == "contain"
        and background.filters == ["blur(4px)"]
        and background.alt == "my picture"
    )
    assert read_alt("right 70%").alt == "right 70%"  # keywords of backgrounds only


def test_css_is_rescoped_onto_the_slide() -> None:
    css = "section { color: red } :root.invert, h1 > em { x: 1 } @media print { section::after { y: 2 } }"
    out = rescope(css, ".reveal.marp .slides section")
    assert ".reveal.marp .slides section {" in out
    assert ".reveal.marp .slides section.invert, .reveal.marp .slides section h1 > em {" in out
    assert "@media print {.reveal.marp .slides section::after {" in out
    assert (
        scope_css("a { color: #36c }", "[data-marp-scope-1]")
        == ".reveal .slides section[data-marp-scope-1] a { color: #36c }"
    )


def test_the_example_course_builds_strict_without_a_warning(tmp_path: Path) -> None:
    """The repository's own course: the tour deck and the Marp deck made from seed 003."""
    repo = Path(__file__).parent.parent
    result = build(repo, tmp_path / "site", strict=True)
    assert result.warnings == [] and result.decks >= 2
    page = (tmp_path / "site" / "02_marp_deep_learning.html").read_text("utf-8")
    assert page.count('data-marpit-pagination="') == 16 and 'class="reveal marp"' in page
