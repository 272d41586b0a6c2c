"""Search across every deck: the index is built with the site, read by lunr.js.

lunr.py builds a lunr.js index at build time (its tokenizer, stop words
and English Porter stemmer are lunr.js's, so a query the browser stems
meets the terms the build stemmed). It goes into the site as one script,
`deckbuild/search/index.js`, that hands the index to the page
(`deckbuildSearchLoaded({...})`): a script tag works from `file://`, where
a page cannot fetch JSON, and the page adds that tag only when its search
field is first used, so no page downloads the index up front.

Chosen by measurement (bench/search_course.py; lunr.py vs MiniSearch, the
real course and 1,000 decks): both answer a query in about a millisecond,
but MiniSearch has no stemmer (one would be needed in Python and in the
page, agreeing word for word) and either indexes in the page on first use
(1.2 s for 1,000 decks) or needs its internal format written from Python.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from lxml import etree, html

from deckbuild.model import Deck, Site

INDEX = "deckbuild/search/index.js"
CALLBACK = "deckbuildSearchLoaded"
SNIPPET_TEXT = 1500  # characters of a slide's text kept for result snippets
# text a reader does not read as words: TeX source (typeset in the page), styles, scripts
SKIPPED_TAGS = {"style", "script", "template"}
# after these a word ends even when no space follows in the HTML
BLOCKS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "div",
    "td",
    "th",
    "tr",
    "br",
    "pre",
    "dt",
    "dd",
    "blockquote",
    "section",
    "figcaption",
    "aside",
}


@dataclass
class Entry:
    """One slide as the index sees it."""

    h: int
    v: int
    title: str
    text: str
    notes: str


def _collect(element: etree._Element, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag.rsplit("}", 1)[-1] in SKIPPED_TAGS or element.get("data-math") is not None:
        return
    if element.text:
        out.append(element.text)
    for child in element:
        if isinstance(child.tag, str):  # not a comment or processing instruction
            _collect(child, out)
        if child.tail:
            out.append(child.tail)
    if tag in BLOCKS:
        out.append(" ")


def visible_text(element: etree._Element) -> str:
    """The words a reader sees in an HTML tree (its markup, TeX and styles left out), in one line."""
    out: list[str] = []
    _collect(element, out)
    return " ".join("".join(out).split())


def plain_text(fragment: str) -> str:
    """The same for HTML text (speaker notes)."""
    if not fragment.strip():
        return ""
    try:
        return visible_text(html.fragment_fromstring(fragment, create_parent="div"))
    except etree.ParserError:
        return ""


def deck_entries(deck: Deck, with_notes: bool) -> list[Entry]:
    """A deck's slides for the index; taken while the deck still has its slides
    (a streamed build lets them go once the deck's page is written)."""
    found = []
    for h, stack in enumerate(deck.slides):
        for v, slide in enumerate(stack):
            notes = plain_text(slide.notes_html or "") if with_notes else ""
            found.append(Entry(h, v, slide.title, slide.text, notes))
    return found


def build_index(site: Site, entries: dict[str, list[Entry]], *, prebuilt: bool = True) -> str:
    """The search script for the site: decks, slides (title, text for snippets) and the lunr
    index; `entries` are each deck page's slides.

    Without `prebuilt` (`serve`, where an edit must show at once) the page
    indexes the slides itself when its search is first used: lunr.py takes
    about 8 s for 28,000 slides, the page's lunr.js a second, once."""
    with_notes = bool(site.config.get("search_notes"))
    slides = [(number, e) for number, deck in enumerate(site.decks) for e in entries.get(deck.page, [])]
    data: dict[str, Any] = {"decks": [[deck.title, deck.page] for deck in site.decks]}
    if prebuilt:
        from lunr import lunr  # only a build that searches needs it

        fields: list[Any] = [{"field_name": "title", "boost": 5}, "text"]
        if with_notes:
            fields.append("notes")
        documents = [
            {"i": str(i), "title": e.title, "text": e.text, "notes": e.notes}
            for i, (_, e) in enumerate(slides)
        ]
        data["index"] = lunr(ref="i", fields=fields, documents=documents).serialize() if documents else None
        data["slides"] = [[number, e.h, e.v, e.title, e.text[:SNIPPET_TEXT]] for number, e in slides]
    else:
        data["index"] = None
        data["slides"] = [[number, e.h, e.v, e.title, e.text] for number, e in slides]
        if with_notes:
            data["notes"] = [e.notes for _, e in slides]
    # a script file of its own (never inline in a page), so no "</script>" can end it early
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"{CALLBACK}({text});\n"
