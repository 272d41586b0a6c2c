"""README's two commands: CI runs the test command exactly as written."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).parent.parent


def commands() -> list[str]:
    section = (REPO / "README.md").read_text("utf-8").split("## The two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_readme_has_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    build, test = commands()
    assert "deckbuild build ." in build and "pytest" in test
    assert test in (REPO / ".ci" / "run").read_text("utf-8").splitlines()


def test_both_commands_install_into_a_venv() -> None:
    # a stock Debian/Ubuntu Python refuses `pip install` outside a venv (externally managed)
    for command in commands():
        assert "python3 -m venv .venv" in command and "python3 -m pip" not in command
