"""The course home page: title, description, logo, decks as cards in groups."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from conftest import make_course

from deckbuild.commands.build import build
from deckbuild.config import readable
from deckbuild.errors import DeckError
from deckbuild.home import split_number

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a5e30000000049454e44ae426082"
)


def home(root: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((root / "_site" / "index.html").read_text("utf-8"))


def text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("0. Overview", ("0", "Overview")),
        ("3) Classification", ("3", "Classification")),
        ("03 - Classification", ("03", "Classification")),
        ("1.2 Layers", ("1.2", "Layers")),
        ("2024 review", ("", "2024 review")),
        ("Lecture 3: layers", ("", "Lecture 3: layers")),
        ("3.", ("", "3.")),
    ],
)
def test_a_deck_title_keeps_its_own_number_once(title: str, expected: tuple[str, str]) -> None:
    assert split_number(title) == expected


def test_folder_names_are_made_readable() -> None:
    assert readable("rses-dl-course") == "Rses dl course"
    assert readable("part_2") == "Part 2"


def test_the_course_title_defaults_to_the_folder_name(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"}).rename(tmp_path / "intro-to_ml")
    build(root)
    page = home(root)
    assert text(page.find(".//h1")) == "Intro to ml"
    assert page.findtext(".//title") == "Intro to ml"


def test_groups_cards_and_markdown_descriptions(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {
            "01_start.md": "---\ntitle: 1. Start here\ndescription: The first steps\n---\n# Start\n---\n## Two\n----\n## Three\n",
            "part_one/b.md": "# Bee\n",
            "part_one/_group.yml": "title: Part one\ndescription: Read *this* first\n",
            "later/c.md": "---\ntitle: 2. See\n---\n# C\n",
        },
        {
            "deckbuild.yml": "title: Deep learning\ndescription: A course with **bold** aims\n"
            "decks: [later/c.md]\nlogo: assets/logo.png\n",
            "assets/logo.png": PNG,
        },
    )
    build(root)
    page = home(root)
    assert text(page.find(".//h1")) == "Deep learning"
    assert page.find('.//div[@class="deckbuild-description"]//strong').text == "bold"
    assert page.find('.//meta[@name="description"]').get("content") == "A course with bold aims"
    assert page.find('.//img[@class="deckbuild-home-logo"]').get("src") == "assets/logo.png"
    assert (root / "_site" / "assets" / "logo.png").is_file()
    assert page.find(".//main//ol") is None  # no numbering of ours beside the decks' own
    groups = page.findall('.//section[@class="deckbuild-group"]')
    # decks directly in slides/ first; then groups in the order of their first deck (config, then files)
    assert [g.findtext("h2") for g in groups] == [None, "Later", "Part one"]
    assert text(groups[2].find('div[@class="deckbuild-group-description"]')) == "Read this first"
    assert groups[2].find(".//em").text == "this"
    cards = [
        (
            text(card.find(".//a")),
            card.find(".//a").get("href"),
            card.findtext('p[@class="deckbuild-card-description"]'),
            text(card.find('p[@class="deckbuild-card-meta"]')),
        )
        for card in page.iterfind('.//li[@class="deckbuild-card"]')
    ]
    assert cards == [
        ("1 Start here", "01_start.html", "The first steps", "3 slides"),
        ("2 See", "later/c.html", None, "1 slide"),
        ("Bee", "part_one/b.html", None, "1 slide"),
    ]
    # a card's title is a heading under its group's (h2 without a group heading, h3 under one)
    assert page.find('.//li[@class="deckbuild-card"]/h2') is not None
    assert len(page.findall('.//li[@class="deckbuild-card"]/h3')) == 2


def test_a_bad_group_file_is_one_line(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"g/a.md": "# A\n", "g/_group.yml": "description: x\ntitle: [1, 2]\n"})
    with pytest.raises(DeckError, match=re.escape("slides/g/_group.yml:2: 'title' must be a string")):
        build(root)


def test_an_unknown_group_key_and_a_missing_logo_are_warnings(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"g/a.md": "# A\n", "g/_group.yml": "titel: Oops\n"},
        {"deckbuild.yml": "home_logo: assets/none.png\n"},
    )
    result = build(root)
    assert "slides/g/_group.yml:1: unknown key 'titel' (ignored)" in result.warnings
    assert any('missing file "assets/none.png"' in w for w in result.warnings)
    assert text(home(root).find(".//h2")) == "G"


def test_home_logo_false_hides_the_course_logo_there(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"a.md": "# A\n"},
        {"deckbuild.yml": "logo: assets/logo.png\nhome_logo: false\n", "assets/logo.png": PNG},
    )
    build(root)
    assert home(root).find('.//img[@class="deckbuild-home-logo"]') is None


def test_the_real_course_home_has_seven_cards(course_dir: Path, tmp_path: Path) -> None:
    build(course_dir, tmp_path / "site")
    page = lxml.html.fromstring((tmp_path / "site" / "index.html").read_text("utf-8"))
    cards = page.findall('.//li[@class="deckbuild-card"]')
    assert len(cards) == 7
    titles = [text(card.find(".//a")) for card in cards]
    assert titles[0] == "0 Overview" and titles[4] == "4 Improving the results of your model"
    counts = [int(text(card.find('p[@class="deckbuild-card-meta"]')).split()[0]) for card in cards]
    assert sum(counts) == 197 and counts[0] == 7
    assert text(page.find(".//h1")) == "Rses dl course"
