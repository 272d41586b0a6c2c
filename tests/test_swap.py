"""No file is ever destroyed: outputs that are files, killed builds, full disks."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_course

from deckbuild import stream, writer
from deckbuild.cli import cli
from deckbuild.commands.build import build
from deckbuild.errors import DeckError

DECKS = {
    f"{n:02d}.md": f"# Deck {n}\n\n" + "\n\n---\n\n".join(f"## Slide {i}\n\ntext" for i in range(40))
    for n in range(12)
}


@pytest.mark.parametrize("target", ["notes.txt", "deckbuild.yml", "../thesis.tex"])
def test_an_output_that_is_a_file_is_refused_and_kept(target: str, tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"}, {"deckbuild.yml": "title: T\n", "notes.txt": "mine\n"})
    (tmp_path / "thesis.tex").write_text("chapter one\n")
    before = (root / target).read_bytes()
    result = CliRunner().invoke(cli, ["build", str(root), "-o", str(root / target)])
    assert result.exit_code == 1
    assert "is a file, not a folder: deckbuild never replaces it" in result.output
    assert (root / target).read_bytes() == before


def test_the_config_output_key_naming_a_file_is_refused(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"}, {"deckbuild.yml": "output: deckbuild.yml\n"})
    with pytest.raises(DeckError, match="is a file"):
        build(root)
    assert (root / "deckbuild.yml").read_text() == "output: deckbuild.yml\n"


def test_two_folders_change_places_in_one_step(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "which").write_text("a")
    (b / "which").write_text("b")
    assert writer.exchange(a, b)  # Linux renameat2 (the machines this runs on)
    assert (a / "which").read_text() == "b" and (b / "which").read_text() == "a"


def test_a_build_killed_at_any_moment_leaves_a_whole_site(tmp_path: Path) -> None:
    root = make_course(tmp_path, DECKS)
    build(root)
    site = root / "_site"
    rng = random.Random(7)
    for _ in range(12):
        child = subprocess.Popen(
            [sys.executable, "-m", "deckbuild", "build", str(root)], stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.05, 0.8))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert (site / "index.html").is_file() and (site / ".nojekyll").is_file()
        assert len(list(site.glob("*.html"))) == len(DECKS) + 2  # decks, index, 404
    build(root)
    leftovers = [p.name for p in root.iterdir() if p.name.startswith("._site.")]
    assert leftovers == []


@pytest.mark.parametrize("where", ["write_tree", "page"])
def test_a_full_disk_is_one_line_and_the_old_site_stays(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"})
    build(root)
    before = (root / "_site" / "a.html").read_bytes()

    def full(*_args: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if where == "write_tree":  # the files after the pages
        monkeypatch.setattr(stream, "write_tree", full)
    else:  # a page, written as soon as it is rendered
        monkeypatch.setattr(stream.SiteFolder, "_write", full)
    with pytest.raises(DeckError, match="cannot write the site to .*No space left on device"):
        build(root)
    assert (root / "_site" / "a.html").read_bytes() == before
    assert [p.name for p in root.iterdir() if p.name.startswith("._site.")] == []
