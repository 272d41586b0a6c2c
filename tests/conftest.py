from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deckbuild.model import Deck
from deckbuild.site import SiteBuilder

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
SHARED = HERE.parent.parent / "shared"
COURSE = SHARED / "corpus" / "rses-dl-course"
SEEDS = SHARED / "seeds"


def sections_html(deck: Deck) -> str:
    """A deck's slides as the canonical text the fixtures hold."""
    out: list[str] = []
    for number, stack in enumerate(deck.slides, 1):
        for depth, slide in enumerate(stack):
            attrs = "".join(f' {k}="{v}"' for k, v in sorted(slide.attrs.items()))
            out.append(f"<!-- slide {number}.{depth} line {slide.where.line} -->")
            out.append(f"<section{attrs}>\n{slide.html.strip()}\n</section>")
            if slide.notes_html:
                out.append(f'<aside class="notes">\n{slide.notes_html.strip()}\n</aside>')
    if deck.frame_html:
        out.append(f"<!-- frame: logo and footer -->\n{deck.frame_html.strip()}")
    return "\n".join(out) + "\n"


def make_course(tmp: Path, decks: dict[str, str], files: dict[str, str | bytes] | None = None) -> Path:
    """A course folder with the given decks (slides/NAME) and other files."""
    root = tmp / "course"
    (root / "slides").mkdir(parents=True, exist_ok=True)
    for name, text in decks.items():
        path = root / "slides" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    for name, content in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, "utf-8")
    return root


def render_deck(root: Path, name: str) -> Deck:
    site, _assets = SiteBuilder(root).build()
    for deck in site.decks:
        if deck.name == f"slides/{name}":
            return deck
    raise AssertionError(f"no deck {name}")


@pytest.fixture
def course_dir() -> Path:
    if not COURSE.is_dir():
        pytest.fail(f"the real course is expected at {COURSE}")
    return COURSE


@pytest.fixture
def copy_course(tmp_path: Path) -> Path:
    """A writable copy of the real course."""
    target = tmp_path / "rses"
    shutil.copytree(COURSE, target)
    return target
