"""Authoring conventions beyond reveal.js's own: their warnings, by file and line."""

from __future__ import annotations

from pathlib import Path

from conftest import make_course
from test_build import run


def warnings_of(root: Path) -> list[str]:
    code, output = run("build", str(root))
    assert code == 0, output
    return [line for line in output.splitlines() if line.startswith("warning:")]


def test_list_switch_mistakes_are_warnings(tmp_path: Path) -> None:
    deck = "## A\n\n<!-- .list: sometimes -->\n- a\n\n<!-- .list incremental -->\n- b\n\nText\n<!-- .list: static -->\n"
    root = make_course(tmp_path, {"a.md": deck})
    assert warnings_of(root) == [
        "warning: slides/a.md:3: unknown list mode 'sometimes' (use incremental or static)",
        "warning: slides/a.md:6: list switch '.list incremental' must be '.list: incremental' or '.list: static'",
        "warning: slides/a.md:10: no list after this '.list:' comment",
    ]


def test_incremental_from_course_config_and_animate_lists(tmp_path: Path) -> None:
    decks = {"a.md": "## A\n\n- a\n", "b.md": "---\nincremental: false\n---\n## B\n\n- b\n"}
    root = make_course(tmp_path, decks, {"deckbuild.yml": "incremental: true\n"})
    assert warnings_of(root) == []
    assert '<li class="fragment">a</li>' in (root / "_site" / "a.html").read_text("utf-8")
    assert "<li>b</li>" in (root / "_site" / "b.html").read_text("utf-8")
    other = make_course(
        tmp_path / "x", {"a.md": "---\nreveal:\n  markdown:\n    animateLists: true\n---\n- a\n"}
    )
    assert warnings_of(other) == []
    assert '<li class="fragment">a</li>' in (other / "_site" / "a.html").read_text("utf-8")


def test_column_mistakes_are_warnings_with_their_line(tmp_path: Path) -> None:
    deck = "## A\n\n::: columns\n::: column width=big\na\n:::\n::: column side=left\nb\n:::\n:::\n\n::: column\nc\n:::\n"
    root = make_course(tmp_path, {"a.md": deck})
    assert warnings_of(root) == [
        "warning: slides/a.md:4: column width 'big' must be a length such as 40% or 300px",
        "warning: slides/a.md:7: unknown column attribute 'side' (ignored)",
        "warning: slides/a.md:12: '::: column' outside a '::: columns' block (shown as a block)",
    ]
    page = (root / "_site" / "a.html").read_text("utf-8")
    assert ":::" not in page


def test_attribute_blocks_and_comments_that_cannot_apply_are_warnings(tmp_path: Path) -> None:
    deck = (
        "## A\n\nsome text {.fragment}\n\n"
        'para <!-- .element class="x" -->\n\n<!-- .slide data-background="red" -->\n\n'
        "<!-- .element: class=x -->\n"
    )
    root = make_course(tmp_path, {"a.md": deck})
    assert warnings_of(root) == [
        "warning: slides/a.md:3: attribute block '{.fragment}' has nothing to apply to (removed)",
        "warning: slides/a.md:5: attribute comment '.element' needs a ':' after it (applied anyway, as reveal.js does)",
        "warning: slides/a.md:7: attribute comment '.slide' needs a ':' after it (ignored)",
        "warning: slides/a.md:9: attribute comment '.element:' has no name=\"value\" attributes (ignored)",
    ]
    page = (root / "_site" / "a.html").read_text("utf-8")
    assert "{.fragment}" not in page
    assert '<p class="x">para' in page


def test_logo_and_footer_from_config_and_front_matter(tmp_path: Path) -> None:
    png = (Path(__file__).parents[1] / "assets" / "tour" / "gradient.png").read_bytes()
    decks = {
        "a.md": "## A\n",
        "part/b.md": "---\nlogo: own.png\nfooter: false\n---\n## B\n",
        "c.md": "---\nlogo: nowhere.png\n---\n## C\n",
    }
    files = {
        "deckbuild.yml": 'logo: assets/logo.png\nfooter: "A *course* · [site](https://example.org)"\n',
        "assets/logo.png": png,
        "slides/part/own.png": png,
    }
    root = make_course(tmp_path, decks, files)
    assert warnings_of(root) == ['warning: slides/c.md:2: missing file "nowhere.png"']
    site = root / "_site"
    a = (site / "a.html").read_text("utf-8")
    assert '<div class="deckbuild-logo"><img src="assets/logo.png" alt=""></div>' in a
    assert (
        '<div class="deckbuild-footer"><p>A <em>course</em> · <a href="https://example.org">site</a></p>' in a
    )
    b = (site / "part" / "b.html").read_text("utf-8")
    assert '<img src="own.png" alt="">' in b and "deckbuild-footer" not in b
    assert (site / "assets" / "logo.png").is_file() and (site / "part" / "own.png").is_file()
