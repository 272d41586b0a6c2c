"""One reader per source format, each making the same typed model (model.py).

A deck is read as Marp when its front matter says `marp: true` (as Marp's
own tools decide); every other deck is a reveal-md deck.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from deckbuild.config import read_file
from deckbuild.errors import Where, warn
from deckbuild.model import Deck
from deckbuild.readers import marp, revealmd
from deckbuild.readers.revealmd import FRONT_MATTER

MARP_SWITCH = re.compile(r"^marp[ \t]*:[ \t]*true[ \t]*(?:#.*)?$", re.M)


def is_marp(text: str) -> bool:
    front = FRONT_MATTER.match(text)
    return front is not None and MARP_SWITCH.search(front.group(1)) is not None


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_controls(text: str, name: str) -> str:
    """Control characters (pasted from a PDF or Word) become U+FFFD, each a warning:
    no HTML page may hold them, and a slide should show where they were."""
    for match in CONTROL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        warn(f"control character U+{ord(match.group()):04X} replaced by \ufffd", Where(name, line))
    return CONTROL.sub("\ufffd", text)


def read_deck(path: Path, name: str, page: str, course: dict[str, Any]) -> Deck:
    """Read one deck file with the reader of its format."""
    text = without_controls(read_file(path, name), name)
    reader = marp.read if is_marp(text) else revealmd.read
    return reader(text, path, name, page, course)
