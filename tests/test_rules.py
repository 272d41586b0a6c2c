"""One fixture pair per reveal.js convention: markdown in, expected HTML out.

Set DECKBUILD_REGENERATE=1 to rewrite the expected files (then read the diff).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import FIXTURES, make_course, render_deck, sections_html

RULES = FIXTURES / "rules"
CASES = sorted(p.stem for p in RULES.glob("*.md"))


@pytest.mark.parametrize("name", CASES)
def test_rule_fixture(name: str, tmp_path: Path) -> None:
    source = (RULES / f"{name}.md").read_text("utf-8")
    files = {}
    assets = RULES / name
    if assets.is_dir():
        for path in assets.rglob("*"):
            if path.is_file():
                files[f"slides/{name}/{path.relative_to(assets).as_posix()}"] = path.read_bytes()
    root = make_course(tmp_path, {f"{name}.md": source}, files)
    got = sections_html(render_deck(root, f"{name}.md"))
    expected_path = RULES / f"{name}.html"
    if os.environ.get("DECKBUILD_REGENERATE"):
        expected_path.write_text(got, "utf-8")
    assert got == expected_path.read_text("utf-8")


def test_every_fixture_has_its_expected_output() -> None:
    assert CASES, "no fixtures found"
    for name in CASES:
        assert (RULES / f"{name}.html").is_file(), name
