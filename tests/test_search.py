"""Search across every deck: what the build puts into the site."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import lxml.html
from conftest import make_course

from deckbuild.commands.build import build
from deckbuild.search import CALLBACK, INDEX, plain_text


def search_data(site: Path) -> dict[str, Any]:
    text = (site / INDEX).read_text("utf-8")
    assert text.startswith(CALLBACK + "(") and text.endswith(");\n")
    data: dict[str, Any] = json.loads(text[len(CALLBACK) + 1 : -3])
    return data


def test_slide_text_leaves_out_markup_tex_styles_and_comments() -> None:
    fragment = (
        "<h2>Loss</h2><p>The <em>mean</em> squared<br>error "
        '<span class="math" data-math="inline">\\frac{1}{m}</span> is small</p>'
        "<style>.x { color: red }</style><!-- a comment --><ul><li>one</li><li>two</li></ul>"
    )
    assert plain_text(fragment) == "Loss The mean squared error is small one two"


def test_the_index_holds_every_slide_of_every_deck(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {
            "a.md": "---\ntitle: First\n---\n# Alpha\n\nDropout **layers** $x^2$\n---\n## Beta\n\nNote: only in notes\n",
            "part/b.md": "# Gamma\n----\n## Delta\n\nText\n",
        },
    )
    build(root)
    site = root / "_site"
    data = search_data(site)
    assert data["decks"] == [["First", "a.html"], ["Gamma", "part/b.html"]]
    assert data["slides"] == [
        [0, 0, 0, "Alpha", "Alpha Dropout layers"],
        [0, 1, 0, "Beta", "Beta"],
        [1, 0, 0, "Gamma", "Gamma"],
        [1, 0, 1, "Delta", "Delta Text"],
    ]
    index = data["index"]
    assert index["version"].startswith("2.3") and index["fields"] == ["title", "text"]
    terms = {term for term, _ in index["invertedIndex"]}
    assert {"dropout", "layer", "alpha"} <= terms  # stemmed as lunr.js stems the query
    assert "notes" not in terms and "x" not in terms
    # every page carries the search field and script; nothing loads the index up front
    home = (site / "index.html").read_text("utf-8")
    assert '<input id="deckbuild-search-input" type="search"' in home
    assert 'data-index="deckbuild/search/index.js"' in home and '<script src="deckbuild/search.js"' in home
    deck = lxml.html.fromstring((site / "part" / "b.html").read_text("utf-8"))
    panel = deck.get_element_by_id("deckbuild-search-panel")
    assert panel.get("data-root") == "../" and panel.get("data-index") == "../deckbuild/search/index.js"
    assert panel.get("data-lunr") == "../deckbuild/lunr/lunr.min.js"
    scripts = [s.get("src") for s in deck.iter("script") if s.get("src")]
    assert "../deckbuild/search.js" in scripts
    assert not any("search/index.js" in s or "lunr" in s or "plugin/search" in s for s in scripts)
    assert (site / "deckbuild" / "lunr" / "lunr.min.js").is_file()


def test_notes_are_searched_on_request(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"a.md": "# Alpha\n\nNote: the secret word\n"},
        {"deckbuild.yml": "search_notes: true\n"},
    )
    build(root)
    index = search_data(root / "_site")["index"]
    assert index["fields"] == ["title", "text", "notes"]
    assert "secret" in {term for term, _ in index["invertedIndex"]}


def test_search_false_leaves_search_out(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# Alpha\n"}, {"deckbuild.yml": "search: false\n"})
    build(root)
    site = root / "_site"
    assert not (site / INDEX).exists() and not (site / "deckbuild" / "search.js").exists()
    assert 'type="search"' not in (site / "index.html").read_text("utf-8")
    assert "deckbuild-search" not in (site / "a.html").read_text("utf-8")


def test_a_wrong_search_value_is_one_line(tmp_path: Path) -> None:
    import pytest

    from deckbuild.errors import DeckError

    root = make_course(tmp_path, {"a.md": "# A\n"}, {"deckbuild.yml": "title: T\nsearch_notes: yes please\n"})
    with pytest.raises(DeckError, match="deckbuild.yml:2: 'search_notes' must be true or false"):
        build(root)
