"""Small things a first run meets: version, plurals, whole help lines, --debug anywhere, a favicon."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from conftest import make_course

from deckbuild.cli import cli, debug_first


def test_version_with_a_short_flag() -> None:
    result = CliRunner().invoke(cli, ["-V"])
    assert result.exit_code == 0 and result.output.startswith("deckbuild ")


def test_one_deck_is_one_deck(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"})
    result = CliRunner().invoke(cli, ["build", str(root)])
    assert "built 1 deck, 1 slide, 0 assets in" in result.output


def test_help_shows_every_summary_whole() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert "…" not in result.output and "..." not in result.output.split("Commands:")[1]
    assert "accessibility (WCAG 2.1 AA)." in result.output


def test_debug_is_accepted_after_the_command(tmp_path: Path) -> None:
    assert debug_first(["build", ".", "--debug"]) == ["--debug", "build", "."]
    assert debug_first(["gh-deploy", "-m", "--debug"]) == ["gh-deploy", "-m", "--debug"]
    root = make_course(tmp_path, {"a.md": "# A\n"}, {"deckbuild.yml": "title: [\n"})
    done = subprocess.run(
        [sys.executable, "-m", "deckbuild", "build", str(root), "--debug"], capture_output=True, text=True
    )
    assert "No such option" not in done.stderr and "Traceback" in done.stderr  # --debug shows it


def test_every_page_has_an_icon_that_costs_no_request(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"})
    CliRunner().invoke(cli, ["build", str(root)])
    for page in ("a.html", "index.html", "404.html"):
        assert '<link rel="icon" href="data:image/svg+xml,' in (root / "_site" / page).read_text("utf-8")


def test_an_unknown_layer_names_the_ids_the_drawing_has(tmp_path: Path) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><g id="base"/><g id="step1"/></svg>'
    root = make_course(
        tmp_path,
        {"a.md": '<object type="image/svg+xml" data="d.svg" data-layers="step2"></object>\n'},
        {"slides/d.svg": svg},
    )
    result = CliRunner().invoke(cli, ["build", str(root)])
    assert 'unknown layer id "step2" in slides/d.svg (its ids: base, step1)' in result.output
