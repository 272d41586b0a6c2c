"""Findings of `deckbuild check`, each placed at its deck file and line."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from deckbuild.errors import Where
from deckbuild.model import Deck, SlideSource

KINDS = ("overflow", "accessibility", "broken", "error")
OBJECT = "<object"
TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    rule: str  # the check or axe-core rule that found it
    where: Where
    message: str
    slide: str | None = None  # "h/v" in the page, as in its URL

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.rule}]"

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["file"], data["line"] = self.where.path, self.where.line
        del data["where"]
        return data


def slide_source(deck: Deck, h: int, v: int) -> SlideSource | None:
    """The source of the slide the page shows at (h, v): hidden slides are not in the page."""
    try:
        slide = deck.slides[h][v]
    except IndexError:
        return None
    for stack in deck.stacks:
        for source in stack:
            if source.line == slide.where.line:
                return source
    return None


def line_of(source: SlideSource, needle: str) -> int:
    """The line of the slide's source where `needle` first appears, else the slide's first line of text."""
    at = source.markdown.find(needle) if needle else -1
    if at < 0:
        at = len(source.markdown) - len(source.markdown.lstrip())
    return source.line + source.markdown.count("\n", 0, at)


def nth_object_line(source: SlideSource, index: int) -> int:
    """The line of the slide's index-th (1-based) `<object>`, where its inlined SVG came from."""
    at = -1
    for _ in range(index):
        at = source.markdown.find(OBJECT, at + 1)
        if at < 0:
            return source.line
    return source.line + source.markdown.count("\n", 0, at)


def file_part(url: str) -> str:
    """The part of a URL a deck is sure to spell as the page does: its last path segment."""
    return url.rstrip("/").rsplit("/", 1)[-1] or url


def needle_of(raw: dict[str, Any]) -> str:
    """What to look for in the slide's markdown: a file name, a snippet's src/href, or its text."""
    needle = str(raw.get("needle") or "")
    if needle:
        return file_part(needle)
    html = str(raw.get("html") or "")
    for attribute in ('src="', 'href="', 'data="'):
        at = html.find(attribute)
        if at >= 0:
            return file_part(html[at + len(attribute) : html.find('"', at + len(attribute))])
    text = " ".join(TAG.sub(" ", html).split())
    return text[:30]


def place(deck: Deck, raw: dict[str, Any]) -> Finding:
    """A raw finding of the probe, at the file and line it comes from."""
    h, v = raw.get("h"), raw.get("v")
    where = Where(deck.name, 1)
    slide = None
    if isinstance(h, int) and isinstance(v, int):
        slide = f"{h}/{v}"
        source = slide_source(deck, h, v)
        if source is not None:
            if raw.get("svgIndex"):
                line = nth_object_line(source, int(raw["svgIndex"]))
            else:
                line = line_of(source, needle_of(raw))
            where = Where(deck.name, line)
    return Finding(str(raw["kind"]), str(raw["rule"]), where, str(raw["message"]), slide)


def summary(decks: int, slides: int, findings: list[Finding]) -> str:
    counts = Counter(f.kind for f in findings)
    parts = [
        f"{counts['overflow']} overflow",
        f"{counts['accessibility']} accessibility",
        f"{counts['broken']} broken",
        f"{counts['error']} page error{'s' if counts['error'] != 1 else ''}",
    ]
    deck_word = "deck" if decks == 1 else "decks"
    slide_word = "slide" if slides == 1 else "slides"
    return f"checked {decks} {deck_word}, {slides} {slide_word}: " + ", ".join(parts)


def as_json(decks: int, slides: int, findings: list[Finding]) -> str:
    return json.dumps(
        {
            "decks": decks,
            "slides": slides,
            "summary": summary(decks, slides, findings),
            "findings": [f.as_json() for f in findings],
        },
        indent=2,
    )
