"""`pdf: true` and `thumbnails: true`: each deck's PDF and a picture of its first slide, made at build."""

from __future__ import annotations

import struct
from pathlib import Path

import lxml.html
import pytest
from conftest import make_course

from deckbuild import snapshots
from deckbuild.commands.build import build
from deckbuild.commands.pdf import count_pages
from deckbuild.errors import DeckError

DECKS = {
    "a.md": "# Alpha\n\nFirst\n---\n## Two\n----\n## Three\n",
    "part/b.md": "---\ntitle: 2. Bee\n---\n# Bee\n",
}
CONFIG = {"deckbuild.yml": "pdf: true\nthumbnails: true\n"}


def jpeg_size(data: bytes) -> tuple[int, int]:
    """Width and height from a JPEG's start-of-frame marker."""
    at = 2
    while at < len(data):
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2 : at + 4])[0]
        if marker in (0xC0, 0xC2):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    raise AssertionError("no frame in the JPEG")


@pytest.mark.browser
def test_pdfs_and_pictures_are_made_and_linked(tmp_path: Path) -> None:
    root = make_course(tmp_path, DECKS, CONFIG)
    result = build(root)
    site = root / "_site"
    assert count_pages(site / "a.pdf") == 3 and count_pages(site / "part" / "b.pdf") == 1
    picture = (site / "deckbuild" / "thumbnails" / "part" / "b.jpg").read_bytes()
    assert picture[:2] == b"\xff\xd8" and jpeg_size(picture) == (320, 180)
    home = lxml.html.fromstring((site / "index.html").read_text("utf-8"))
    assert [a.get("href") for a in home.iterfind('.//a[@class="deckbuild-card-pdf"]')] == [
        "a.pdf",
        "part/b.pdf",
    ]
    assert [i.get("src") for i in home.iterfind('.//img[@class="deckbuild-card-thumb"]')] == [
        "deckbuild/thumbnails/a.jpg",
        "deckbuild/thumbnails/part/b.jpg",
    ]
    assert result.warnings == []


def test_without_a_browser_they_are_left_out_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshots.shutil, "which", lambda name: None)
    root = make_course(tmp_path, DECKS, CONFIG)
    result = build(root)
    assert result.warnings == [
        "deckbuild.yml: pdf and thumbnails: no Chromium or Chrome on PATH, so the site has none "
        "(Debian: apt-get install chromium)"
    ]
    page = (root / "_site" / "index.html").read_text("utf-8")
    assert "deckbuild-card-pdf" not in page and "deckbuild-card-thumb" not in page
    assert not (root / "_site" / "a.pdf").exists()
    with pytest.raises(DeckError, match="strict mode"):
        build(root, strict=True)


def test_a_pdf_where_a_course_file_is_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshots.shutil, "which", lambda name: "/usr/bin/chromium")
    root = make_course(
        tmp_path,
        {"a.md": "# A\n\n[handout](a.pdf)\n"},
        {"deckbuild.yml": "pdf: true\n", "slides/a.pdf": b"%PDF-1.4\n"},
    )
    with pytest.raises(
        DeckError, match="slides/a.md's PDF would be a.pdf in the site, which a course file is"
    ):
        build(root)
