"""What an open page needs to follow a rebuild in place (serve mode only).

Each served page is described by its parts: a key of everything around the
slides (the shell: the template rendered with placeholder slides, so the
scripts, styles, options, frame and slide structure are in it), each
slide's own content (the inner HTML with its notes, its attributes and its
menu title), its stylesheets' texts, the files it shows and its warnings.
Two builds' parts say what a page must do: nothing; replace some slides
and stylesheets in place; or reload (anything else).
"""

from __future__ import annotations

import dataclasses
import hashlib
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deckbuild.model import Deck, Slide
from deckbuild.rules.assets import stamp

TOKEN = "\x00deckbuild-live\x00"


@dataclass(frozen=True)
class SlidePart:
    """One slide as the page holds it: where, and what is in it."""

    h: int
    v: int
    stacked: bool  # a slide of a vertical stack (a <section> inside a <section>)
    html: str  # the <section>'s inner HTML, notes included
    attrs: tuple[tuple[str, str], ...]
    menu: str  # its entry in the slide menu

    @property
    def content(self) -> tuple[str, tuple[tuple[str, str], ...], str]:
        return self.html, self.attrs, self.menu


@dataclass(frozen=True)
class PageParts:
    """A served page's parts; equal parts mean the page is unchanged."""

    shell: str
    slides: tuple[SlidePart, ...] = ()
    styles: tuple[tuple[str, str], ...] = ()  # stylesheet site path, key of its text
    files: str = ""  # key of the stamps of the files the page shows
    warnings: tuple[str, ...] = ()

    def swappable(self, other: PageParts) -> bool:
        """Whether this page becomes `other` by replacing slides and stylesheets alone."""
        if self.shell != other.shell or self.files != other.files or len(self.slides) != len(other.slides):
            return False
        # a slide's own style is also where reveal.js positions it: reload for that
        return all(
            dict(a.attrs).get("style") == dict(b.attrs).get("style")
            for a, b in zip(self.slides, other.slides, strict=True)
        )


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def section_html(slide: Slide) -> str:
    """A slide's <section> content as deck.html writes it."""
    notes = f'<aside class="notes">{slide.notes_html}</aside>' if slide.notes_html else ""
    return f"\n{slide.html}{notes}\n"


def shell_deck(deck: Deck) -> Deck:
    """The deck with every slide's content a placeholder: rendered, it is the page's shell."""
    blank = [[Slide(s.where, TOKEN, {}, TOKEN, TOKEN) for s in stack] for stack in deck.slides]
    return dataclasses.replace(deck, slides=blank)


def shell_key(page_html: str, deck: Deck) -> str:
    # the deck's title comes from its first heading when the front matter names none
    return digest(page_html + "\x00" + deck.title)


def slide_parts(deck: Deck) -> tuple[SlidePart, ...]:
    parts = []
    for h, stack in enumerate(deck.slides):
        for v, slide in enumerate(stack):
            menu = slide.title or f"Slide {h + 1}"
            attrs = tuple(slide.attrs.items())
            parts.append(SlidePart(h, v, len(stack) > 1, section_html(slide), attrs, menu))
    return tuple(parts)


def files_key(paths: Iterable[Path]) -> str:
    """The files a page shows, as they are now (an image saved again gives a new key)."""
    return digest(repr(sorted((str(p), stamp(p)) for p in paths)))


def diff(old: PageParts, new: PageParts) -> dict[str, Any]:
    """What a page showing `old` does to show `new`, as the events answer says it."""
    if old == new:
        return {"action": "none"}
    if not old.swappable(new):
        return {"action": "reload"}
    slides = [
        {
            "h": b.h,
            "v": b.v,
            "stacked": b.stacked,
            "html": b.html,
            "attrs": dict(b.attrs),
            "was": dict(a.attrs),
            "menu": b.menu,
        }
        for a, b in zip(old.slides, new.slides, strict=True)
        if a.content != b.content
    ]
    before = dict(old.styles)
    css = [path for path, key in new.styles if before.get(path) != key]
    return {"action": "update", "slides": slides, "css": css}


def style_paths(page: str, hrefs: Iterable[str]) -> list[str]:
    """Site paths of a page's stylesheet links (written relative to the page)."""
    folder = posixpath.dirname(page)
    return [posixpath.normpath(posixpath.join(folder, href)) for href in hrefs]


@dataclass(frozen=True)
class DeckPage:
    """A deck as serve built it: the deck, the files it shows, its warnings."""

    deck: Deck
    files: tuple[Path, ...]
    warnings: tuple[str, ...]


SlideCache = dict[str, tuple[Deck, tuple[SlidePart, ...], str]]  # page -> deck, its slides, its files key


def site_parts(
    pages: dict[str, str],
    texts: dict[str, str],
    shells: dict[str, str],
    styles: dict[str, list[str]],
    decks: Iterable[DeckPage],
    common: Iterable[str] = (),
    cache: SlideCache | None = None,
) -> dict[str, PageParts]:
    """Every served page's parts; `common` are the build's warnings that are no deck's own.

    `cache` keeps each deck's slide parts and files key while the Deck
    object is the same (the builder reused it, so none of its files
    changed): the same objects compare equal at once, so a build costs
    nothing for the decks it did not change.
    """
    cache = {} if cache is None else cache
    common = tuple(common)
    # a page that is no deck's (the index, 404) is its own shell
    parts = {page: PageParts(digest(html)) for page, html in pages.items() if page not in shells}
    for built in decks:
        page = built.deck.page
        if page not in shells:
            continue
        css = tuple((path, digest(texts[path]) if path in texts else "") for path in styles.get(page, []))
        known = cache.get(page)
        if known is None or known[0] is not built.deck:
            known = cache[page] = (built.deck, slide_parts(built.deck), files_key(built.files))
        parts[page] = PageParts(shells[page], known[1], css, known[2], common + built.warnings)
    return parts
