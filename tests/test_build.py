"""`deckbuild build`: config, errors, output safety, the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_course, render_deck

from deckbuild.cli import cli
from deckbuild.commands.build import build
from deckbuild.errors import DeckError

DECK = (
    "---\ntitle: Deck one\ndescription: The first\nreveal:\n  transition: fade\n---\n# One\n\n---\n## Two\n"
)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_front_matter_overrides_course_config(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"a.md": DECK},
        {"deckbuild.yml": "title: Course\nreveal:\n  width: 1280\n  transition: slide\n"},
    )
    result = build(root)
    page = (root / "_site" / "a.html").read_text("utf-8")
    options = json.loads(re.search(r"Reveal.initialize\(Object.assign\((\{.*?\}), \{", page, re.S).group(1))  # type: ignore[union-attr]
    assert options == {"hash": True, "jumpToSlide": True, "transition": "fade", "width": 1280}
    assert "<title>Deck one · Course</title>" in page
    assert result.decks == 1 and result.slides == 2


def test_index_lists_decks_in_config_order_with_titles(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"a.md": DECK, "b.md": "# Second deck\n", "c.md": "no heading"},
        {"deckbuild.yml": "title: My course\ndescription: About it\ndecks: [b.md, a.md]\n"},
    )
    build(root)
    index = (root / "_site" / "index.html").read_text("utf-8")
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', index)
    assert links == [("b.html", "Second deck"), ("a.html", "Deck one"), ("c.html", "c")]
    assert "My course" in index and "About it" in index and "The first" in index
    assert (root / "_site" / ".nojekyll").is_file() and (root / "_site" / "404.html").is_file()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"deckbuild.yml": "title: [unclosed\n"}, "deckbuild.yml:2: invalid YAML"),
        (
            {"deckbuild.yml": "reveal:\n  width: wide\n"},
            "deckbuild.yml:2: 'width' must be a number or a percentage",
        ),
        ({"deckbuild.yml": "title: 3\n"}, "deckbuild.yml:1: 'title' must be a string"),
        (
            {"deckbuild.yml": "separator: '('\n"},
            "deckbuild.yml:1: 'separator' is not a valid regular expression",
        ),
        (
            {"slides/b.md": "---\ntitle: ok\nreveal: [1]\n---\n# x\n"},
            "slides/b.md:3: 'reveal' must be a mapping",
        ),
        ({"slides/b.md": "---\ntitle: 'unclosed\n---\n# x\n"}, "slides/b.md:"),
        ({"slides/b.md": b"# caf\xe9\n"}, "slides/b.md:1: not UTF-8 text"),
        ({"deckbuild.yml": "decks: [nope.md]\n"}, 'deck "nope.md" is not a markdown file'),
        (
            {"slides/b.md": "---\ntitle: x\ntheme: gaia\n---\n# x\n"},
            'slides/b.md:3: theme "gaia" is neither a bundled one',
        ),
    ],
)
def test_bad_input_is_one_line_with_file_and_line(
    files: dict[str, str | bytes], message: str, tmp_path: Path
) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"}, files)
    code, output = run("build", str(root))
    assert code == 1, output
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0], output


def test_unknown_key_is_a_warning_naming_it(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"a.md": "---\ntitel: typo\n---\n# A\n"},
        {"deckbuild.yml": "colour: red\nreveal:\n  wdth: 3\n"},
    )
    code, output = run("build", str(root))
    assert code == 0
    assert "warning: deckbuild.yml:1: unknown key 'colour' (ignored)" in output
    assert "warning: deckbuild.yml:3: unknown reveal.js option 'wdth'" in output
    assert "warning: slides/a.md:2: unknown key 'titel' (ignored)" in output
    code, output = run("build", "--strict", str(root))
    assert code == 1 and "3 warning(s) in strict mode" in output


def test_markdown_plugin_options_are_named_as_such(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"a.md": "---\nreveal:\n  markdown:\n    breaks: true\n---\n# A\n\n'a'\nb\n"},
        {"deckbuild.yml": "reveal:\n  markdown:\n    smartypants: true\n    pedantic: true\n    smarty: 1\n"},
    )
    code, output = run("build", str(root))
    assert code == 0, output
    assert "unknown reveal.js option" not in output
    assert "warning: deckbuild.yml:4: markdown plugin option 'pedantic' has no effect" in output
    assert "warning: deckbuild.yml:5: unknown markdown plugin option 'smarty' (ignored)" in output
    page = (root / "_site" / "a.html").read_text("utf-8")
    # both levels apply (merged), at build time; none reaches Reveal.initialize
    assert "<p>\u2018a\u2019<br>\nb</p>" in page and '"markdown"' not in page
    bad = make_course(
        tmp_path / "bad", {"a.md": "---\nreveal:\n  markdown:\n    gfm: yes please\n---\n# A\n"}
    )
    code, output = run("build", str(bad))
    assert code == 1 and "slides/a.md:4: 'markdown.gfm' must be true or false" in output


def test_attribute_regexes_need_a_group(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "---\nelement_attributes: 'x'\n---\n# A\n"})
    code, output = run("build", str(root))
    assert code == 1 and "slides/a.md:2: 'element_attributes' must have a group" in output


def test_missing_asset_warns_and_strict_fails(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n\ntext\n\n![x](img/none.png)\n"})
    code, output = run("build", str(root))
    assert code == 0 and 'warning: slides/a.md:5: missing file "img/none.png"' in output
    code, output = run("build", "--strict", str(root))
    assert code == 1


def test_assets_copied_at_the_same_place_and_only_referenced_ones(tmp_path: Path) -> None:
    deck = (
        '<!-- .slide: data-background="img/bg.png" -->\n# A\n\n![x](img/a%20b.png)\n\n'
        "<div style=\"background: url('img/c.png')\">x</div>\n\n[notes](files/doc.pdf) [web](https://example.org)\n\n"
        "![outside slides](../assets/up.png)\n"
    )
    files: dict[str, str | bytes] = {
        "slides/img/bg.png": b"bg",
        "slides/img/a b.png": b"ab",
        "slides/img/c.png": b"c",
        "slides/img/unused.png": b"u",
        "slides/files/doc.pdf": b"pdf",
        "assets/up.png": b"up",
    }
    deck = (
        deck.replace("img/", "../img/").replace("files/", "../files/").replace("../assets/", "../../assets/")
    )
    root = make_course(tmp_path, {"sub/a.md": deck}, files)
    build(root)
    site = root / "_site"
    assert sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and "deckbuild" not in p.parts
    ) == [
        ".nojekyll",
        "404.html",
        "assets/up.png",
        "files/doc.pdf",
        "img/a b.png",
        "img/bg.png",
        "img/c.png",
        "index.html",
        "sub/a.html",
    ]
    page = (site / "sub" / "a.html").read_text("utf-8")
    assert 'data-background="../img/bg.png"' in page and 'src="../img/a%20b.png"' in page
    assert (
        "url('../img/c.png')" in page
        and 'href="../files/doc.pdf"' in page
        and 'src="../assets/up.png"' in page
    )


def test_links_between_decks_become_page_links(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "[next](part/b.md#/2)\n", "part/b.md": "[back](../a.md)\n"})
    build(root)
    assert 'href="part/b.html#/2"' in (root / "_site" / "a.html").read_text("utf-8")
    assert 'href="../a.html"' in (root / "_site" / "part" / "b.html").read_text("utf-8")


@pytest.mark.parametrize("out", [".", "slides", "slides/out", "templates", ".."])
def test_output_that_would_overlap_sources_is_refused(out: str, tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"}, {"templates/.keep": ""})
    code, output = run("build", str(root), "-o", str(root / out))
    assert code == 1 and "output folder" in output
    assert (root / "slides" / "a.md").is_file()


def test_failed_build_leaves_previous_site_untouched(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"})
    build(root)
    before = (root / "_site" / "a.html").read_text("utf-8")
    (root / "deckbuild.yml").write_text("reveal: {width: wide}\n")
    with pytest.raises(DeckError):
        build(root)
    assert (root / "_site" / "a.html").read_text("utf-8") == before
    assert not [p for p in root.iterdir() if p.name.startswith("._site")]


def test_templates_override_by_name(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"a.md": "# A\n"},
        {
            "templates/index.html": '{% extends "base.html" %}{% block body %}<p id="mine">{{ decks|length }} decks</p>{% endblock %}'
        },
    )
    build(root)
    assert '<p id="mine">1 decks</p>' in (root / "_site" / "index.html").read_text("utf-8")


def test_version_names_bundled_packages() -> None:
    code, output = run("--version")
    assert code == 0 and re.search(r"deckbuild \S+, reveal.js 6\.\d+\.\d+, katex \d+\.\d+\.\d+", output)


def test_every_command_has_help() -> None:
    for name in cli.commands:
        code, output = run(name, "--help")
        assert code == 0 and "Usage:" in output


def test_separators_from_config(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"a.md": "# A\n\n===\n# B\n\n~~\n# C\n"},
        {"deckbuild.yml": "separator: '\\n===\\n'\nvertical_separator: '\\n~~\\n'\n"},
    )
    deck = render_deck(root, "a.md")
    assert [len(stack) for stack in deck.slides] == [1, 2]


def test_crlf_files_split_the_same(tmp_path: Path) -> None:
    root = make_course(
        tmp_path, {"a.md": "---\r\ntitle: T\r\n---\r\n# A\r\n\r\n---\r\n# B\r\n\r\n----\r\n# C\r\n"}
    )
    deck = render_deck(root, "a.md")
    assert deck.title == "T" and [len(stack) for stack in deck.slides] == [1, 2]


def test_build_returns_its_warnings(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "![x](none.png)\n"})
    result = build(root)
    assert result.warnings == ['slides/a.md:1: missing file "none.png"']


@pytest.mark.parametrize("theme", ["league", "night", "sky", "white"])
def test_every_theme_stays_offline(theme: str, tmp_path: Path) -> None:
    from sitecheck import outside_and_missing

    root = make_course(
        tmp_path, {"a.md": "# A\n\n$x$\n\n```js\nx\n```\n"}, {"deckbuild.yml": f"theme: {theme}\n"}
    )
    build(root)
    assert outside_and_missing(root / "_site") == ([], [])
    assert f"theme/{theme}.css" in (root / "_site" / "a.html").read_text("utf-8")
    # only the theme in use is shipped
    shipped = sorted(p.name for p in (root / "_site/deckbuild/reveal.js/dist/theme").iterdir())
    assert shipped == [f"{theme}.css"]


def test_an_output_folder_that_is_not_a_site_is_never_replaced(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"})
    other = tmp_path / "documents"
    other.mkdir()
    (other / "thesis.tex").write_text("precious")
    code, output = run("build", str(root), "-o", str(other))
    assert code == 1 and "holds files that are not a deckbuild site" in output
    assert (other / "thesis.tex").read_text() == "precious"
    # an empty folder, or a site deckbuild wrote, is fine
    (other / "thesis.tex").unlink()
    assert run("build", str(root), "-o", str(other))[0] == 0
    assert run("build", str(root), "-o", str(other))[0] == 0
