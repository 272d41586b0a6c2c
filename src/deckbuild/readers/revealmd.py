"""The reveal-md reader: front matter, separators, vertical stacks and notes.

The text is cut before any markdown is parsed, as the reveal.js markdown
plugin does, so a separator right after a line of text still splits.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from deckbuild.config import DECK_SCHEMA, load_yaml, validate
from deckbuild.errors import Where
from deckbuild.model import Deck, SlideSource

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)---[ \t]*(?:\r?\n|\Z)", re.S)

Chunk = tuple[int, str]  # (offset in the body, text)


def split_front_matter(text: str, name: str) -> tuple[dict[str, Any], dict[str, int], str, int]:
    """Front matter settings, their lines, the body, and the body's first line number."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, {}, text, 1
    located = load_yaml(match.group(1), Where(name, 2), first_line=2)
    settings = validate(located, DECK_SCHEMA, name)
    body_line = text.count("\n", 0, match.end()) + 1
    return settings, located.lines, text[match.end() :], body_line


def split_stacks(body: str, separator: str, vertical: str | None) -> list[list[Chunk]]:
    """Cut the body into horizontal slides, each a stack of vertical ones.

    The same walk as reveal.js's `slidify`: one regex for both separators,
    and a vertical separator opens a stack after a horizontal one.
    """
    pattern = re.compile(separator + (f"|{vertical}" if vertical else ""), re.M)
    horizontal = re.compile(separator, re.M)
    sections: list[Chunk | list[Chunk]] = []
    start = 0
    last_horizontal = True
    for match in pattern.finditer(body):
        is_horizontal = horizontal.search(match.group(0)) is not None
        chunk = (start, body[start : match.start()])
        if not is_horizontal and last_horizontal:
            sections.append([chunk])
        elif is_horizontal and last_horizontal:
            sections.append(chunk)
        else:
            stack = sections[-1]
            assert isinstance(stack, list)
            stack.append(chunk)
        start = match.end()
        last_horizontal = is_horizontal
    tail = (start, body[start:])
    if last_horizontal:
        sections.append(tail)
    else:
        stack = sections[-1]
        assert isinstance(stack, list)
        stack.append(tail)
    return [section if isinstance(section, list) else [section] for section in sections]


def split_notes(chunk: Chunk, notes: re.Pattern[str], body: str, body_line: int) -> SlideSource:
    """A slide's markdown and, from the first `Note:` line on, its notes."""
    offset, text = chunk
    line = body_line + body.count("\n", 0, offset)
    match = notes.search(text)
    if match is None:
        return SlideSource(text, line)
    notes_line = line + text.count("\n", 0, match.start())
    rest = text[match.end() :].rstrip()  # leading newlines kept: they count lines
    return SlideSource(text[: match.start()], line, rest if rest.strip() else "", notes_line)


def _plugin_separators(settings: dict[str, Any], plugin: dict[str, Any], front: dict[str, Any]) -> None:
    """reveal.js's `markdown.separator` & co. stand in for separators the deck does not set."""
    for ours, theirs in (
        ("separator", "separator"),
        ("vertical_separator", "verticalSeparator"),
        ("notes_separator", "notesSeparator"),
    ):
        if theirs in plugin and ours not in front:
            settings[ours] = plugin[theirs]


def read(text: str, path: Path, name: str, page: str, course: dict[str, Any]) -> Deck:
    """A reveal-md deck's text as a Deck with its settings and slide sources."""
    front, lines, body, body_line = split_front_matter(text, name)
    settings = {**course, **{k: v for k, v in front.items() if k != "reveal"}}
    settings["reveal"] = {**course.get("reveal", {}), **front.get("reveal", {})}
    plugin = {**course.get("reveal", {}).get("markdown", {}), **front.get("reveal", {}).get("markdown", {})}
    if plugin:
        settings["reveal"]["markdown"] = plugin
        _plugin_separators(settings, plugin, front)
    # title and description are the deck's own, never the course's
    settings["title"] = front.get("title")
    settings["description"] = front.get("description", "")
    # a deck's own stylesheets are relative to the deck file, the course's to the course
    if "css" in front:
        settings["css"] = [str((path.parent / css).resolve()) for css in front["css"]]
    if "theme" in front and (path.parent / front["theme"]).is_file():
        settings["theme"] = str((path.parent / front["theme"]).resolve())
    deck = Deck(source=path, name=name, page=page, settings=settings)
    # where a setting comes from: this deck's front matter, else the course config
    deck.setting_where = {key: Where(name, line) for key, line in lines.items() if "." not in key}
    notes = re.compile(settings["notes_separator"], re.M | re.I)
    for stack in split_stacks(body, settings["separator"], settings["vertical_separator"]):
        deck.stacks.append([split_notes(chunk, notes, body, body_line) for chunk in stack])
    return deck
