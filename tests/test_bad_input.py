"""Bad input is one line naming file and line, never a traceback or an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_course

from deckbuild.cli import cli

BOMB = "reveal:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)
)

CASES: dict[str, tuple[dict[str, str], dict[str, str | bytes], str]] = {
    # name: (decks, files, what the output says)
    "empty config": ({"a.md": "# A\n"}, {"deckbuild.yml": ""}, "built 1 deck"),
    "comment-only config": ({"a.md": "# A\n"}, {"deckbuild.yml": "# nothing yet\n"}, "built 1 deck"),
    "comment-only front matter": ({"a.md": "---\n# c\n---\n# A\n"}, {}, "built 1 deck"),
    "alias bomb": (
        {"a.md": "# A\n"},
        {"deckbuild.yml": BOMB},
        "deckbuild.yml:1: YAML whose aliases expand to more than",
    ),
    "css outside": (
        {"a.md": "# A\n"},
        {"deckbuild.yml": "css: [/etc/hostname]\n"},
        'stylesheet "/etc/hostname" is outside the course folder',
    ),
    "control characters": (
        {"a.md": '# A\x01b\n\n<!-- .element: class="x\x02" -->\n'},
        {},
        "slides/a.md:1: control character U+0001",
    ),
    "office tags": ({"a.md": "# A\n\n<p>Hello<o:p></o:p></p>\n"}, {}, "built 1 deck"),
    "template syntax": (
        {"a.md": "# A\n"},
        {"templates/deck.html": "{% if %}"},
        "templates/deck.html:1: template error",
    ),
    "template variable": (
        {"a.md": "# A\n"},
        {"templates/deck.html": "{{ nosuch.thing }}"},
        "template error in deck.html: 'nosuch' is undefined",
    ),
    "template encoding": (
        {"a.md": "# A\n"},
        {"templates/deck.html": b"\xff\xfe"},
        "template deck.html is not UTF-8 text",
    ),
    "asset named like a page": (
        {"a.md": "# A\n\n![x](a.html)\n"},
        {"slides/a.html": "x"},
        "slides/a.html would be a.html in the site, which slides/a.md writes",
    ),
    "asset named like deckbuild's": (
        {"a.md": "# A\n\n![x](deckbuild/deckbuild.css)\n"},
        {"slides/deckbuild/deckbuild.css": "x"},
        "would be deckbuild/deckbuild.css in the site",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_clear_line(case: str, tmp_path: Path) -> None:
    decks, files, expected = CASES[case]
    root = make_course(tmp_path, decks, files)
    result = CliRunner().invoke(cli, ["build", str(root)])
    assert expected in result.output, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    if "error" in expected or "would be" in expected or "outside" in expected or "YAML" in expected:
        assert result.exit_code == 1 and len(result.output.strip().splitlines()) <= 2


def test_a_deck_linking_outside_the_course_is_left_out(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"})
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n")
    (root / "slides" / "passwd.md").symlink_to(secret)
    (root / "slides" / "pic.svg").symlink_to(secret)
    (root / "slides" / "b.md").write_text(
        '# B\n\n<object type="image/svg+xml" data="pic.svg"></object>\n\n![p](pic.svg)\n'
    )
    result = CliRunner().invoke(cli, ["build", str(root)])
    assert "slides/passwd.md: is a link to a file outside the course folder: left out" in result.output
    assert '"pic.svg" is outside the course folder' in result.output
    site = root / "_site"
    assert not (site / "passwd.html").exists() and not (site / "pic.svg").exists()
    assert "root:x" not in "".join(p.read_text("utf-8", "replace") for p in site.rglob("*.html"))


def test_links_to_pages_with_odd_names_are_encoded(tmp_path: Path) -> None:
    root = make_course(
        tmp_path, {"a.md": "# A\n\n[next](my%20deck%20%231%3F.md)\n", "my deck #1?.md": "# B\n"}
    )
    result = CliRunner().invoke(cli, ["build", str(root), "--strict"])
    assert result.exit_code == 0, result.output
    assert 'href="my%20deck%20%231%3F.html"' in (root / "_site" / "a.html").read_text("utf-8")
    assert 'href="my%20deck%20%231%3F.html"' in (root / "_site" / "index.html").read_text("utf-8")
    assert (root / "_site" / "my deck #1?.html").is_file()
