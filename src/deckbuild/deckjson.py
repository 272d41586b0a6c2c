"""A rendered deck as plain JSON data and back, for the build cache.

JSON, not pickle: a cache entry is data, and reading one can never run
code. Paths are stored relative to the course folder. A deck whose
settings do not survive the trip unchanged (a YAML date, say) is not
stored at all: it is rendered again on every build instead. The slides'
HTML, most of a deck's bytes, is kept out of the JSON as numbered blobs
of UTF-8 (escaping and unescaping megabytes of markup is most of the
cost of a JSON entry otherwise).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from deckbuild.errors import Where
from deckbuild.model import Deck, Slide, SlideSource


def _where(where: Where) -> list[Any]:
    return [where.path, where.line]


def _where_from(data: list[Any]) -> Where:
    path, line = data
    if not isinstance(path, str) or not (line is None or isinstance(line, int)):
        raise ValueError("bad place")
    return Where(path, line)


def _strings(data: Any) -> dict[str, str]:
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError("bad attributes")
    return {str(k): v for k, v in data.items()}


def _source(source: SlideSource) -> dict[str, Any]:
    return {
        "markdown": source.markdown,
        "line": source.line,
        "notes": source.notes,
        "notes_line": source.notes_line,
        "attrs": source.attrs,
        "header": source.header,
        "footer": source.footer,
    }


def blob(text: str, blobs: list[bytes]) -> int:
    blobs.append(text.encode("utf-8"))
    return len(blobs) - 1


def from_blob(index: Any, blobs: list[bytes]) -> str:
    if not isinstance(index, int) or not 0 <= index < len(blobs):
        raise ValueError("bad blob")
    return blobs[index].decode("utf-8")


def _slide(slide: Slide, blobs: list[bytes]) -> dict[str, Any]:
    return {
        "where": _where(slide.where),
        "html": blob(slide.html, blobs),
        "attrs": slide.attrs,
        "notes_html": None if slide.notes_html is None else blob(slide.notes_html, blobs),
        "title": slide.title,
        "text": slide.text,
    }


def survives_json(value: Any) -> bool:
    """Whether `value` comes back from JSON equal to itself (no tuples, dates, int keys…)."""
    try:
        return bool(json.loads(json.dumps(value)) == value)
    except (TypeError, ValueError):
        return False


def deck_data(deck: Deck, root: Path, blobs: list[bytes]) -> dict[str, Any] | None:
    """The deck as JSON data (its HTML added to `blobs`), or None when its settings cannot be stored exactly."""
    if not survives_json(deck.settings):
        return None
    return {
        "source": deck.source.relative_to(root).as_posix(),
        "name": deck.name,
        "page": deck.page,
        "settings": deck.settings,
        "setting_where": {key: _where(where) for key, where in deck.setting_where.items()},
        "stacks": [[_source(s) for s in stack] for stack in deck.stacks],
        "format": deck.format,
        "slides": [[_slide(s, blobs) for s in stack] for stack in deck.slides],
        "features": sorted(deck.features),
        "frame_html": blob(deck.frame_html, blobs),
    }


def _source_from(data: dict[str, Any]) -> SlideSource:
    return SlideSource(
        markdown=str(data["markdown"]),
        line=int(data["line"]),
        notes=data["notes"],
        notes_line=data["notes_line"],
        attrs=_strings(data["attrs"]),
        header=data["header"],
        footer=data["footer"],
    )


def _slide_from(data: dict[str, Any], blobs: list[bytes]) -> Slide:
    notes = data["notes_html"]
    return Slide(
        where=_where_from(data["where"]),
        html=from_blob(data["html"], blobs),
        attrs=_strings(data["attrs"]),
        notes_html=None if notes is None else from_blob(notes, blobs),
        title=str(data["title"]),
        text=str(data["text"]),
    )


def deck_from_data(data: dict[str, Any], root: Path, blobs: list[bytes]) -> Deck:
    """The deck back; a malformed entry raises (KeyError, TypeError, ValueError)."""
    settings = data["settings"]
    if not isinstance(settings, dict):
        raise ValueError("bad settings")
    return Deck(
        source=root / str(data["source"]),
        name=str(data["name"]),
        page=str(data["page"]),
        settings=settings,
        setting_where={str(k): _where_from(v) for k, v in data["setting_where"].items()},
        stacks=[[_source_from(s) for s in stack] for stack in data["stacks"]],
        format=str(data["format"]),
        slides=[[_slide_from(s, blobs) for s in stack] for stack in data["slides"]],
        features={str(f) for f in data["features"]},
        frame_html=from_blob(data["frame_html"], blobs),
    )


def light_copy(deck: Deck) -> Deck:
    """The deck without its slides' HTML or sources: what the index, the search index and
    a page's stylesheets and scripts are made from (titles, text, notes, settings)."""
    slides = [
        [Slide(where=s.where, html="", title=s.title, text=s.text, notes_html=s.notes_html) for s in stack]
        for stack in deck.slides
    ]
    return dataclasses.replace(deck, stacks=[], slides=slides, frame_html="")
