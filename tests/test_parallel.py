"""Decks rendered in worker processes: the same site, the same messages, as a serial build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_course

from deckbuild.commands.build import build
from deckbuild.errors import DeckError


def site_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_a_parallel_build_is_byte_identical_to_a_serial_one(
    course_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DECKBUILD_WORKERS", "1")
    serial = build(course_dir, tmp_path / "serial", cache=False)
    monkeypatch.setenv("DECKBUILD_WORKERS", "2")
    parallel = build(course_dir, tmp_path / "parallel", cache=False)
    assert serial.warnings == parallel.warnings and len(serial.warnings) >= 4
    one, two = site_bytes(tmp_path / "serial"), site_bytes(tmp_path / "parallel")
    assert one.keys() == two.keys() and len(one) > 100
    assert [name for name in one if one[name] != two[name]] == []


def test_an_error_in_a_worker_names_its_deck_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_course(
        tmp_path,
        {"a.md": "# A\n", "b.md": "---\ntitle: [unclosed\n---\n# B\n", "c.md": "# C\n"},
    )
    monkeypatch.setenv("DECKBUILD_WORKERS", "2")
    with pytest.raises(DeckError) as caught:
        build(root, tmp_path / "out")
    assert str(caught.value).startswith("slides/b.md:2:")


def test_warnings_of_workers_are_printed_once_in_deck_order(tmp_path: Path) -> None:
    decks = {f"{n}.md": f"# Deck {n}\n\n![x](missing{n}.png)\n" for n in range(4)}
    root = make_course(tmp_path, decks)
    env = {"DECKBUILD_WORKERS": "2", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "deckbuild", "build", str(root)], capture_output=True, text=True, env=env
    )
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [f'warning: slides/{n}.md:3: missing file "missing{n}.png"' for n in range(4)]
    assert done.returncode == 0 and "4 warning(s)" in done.stderr
