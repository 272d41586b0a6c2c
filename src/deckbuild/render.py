"""Rendering a deck: each slide's markdown through the rules to final HTML.

markdown → HTML tree → attribute comments → (hidden slides dropped) →
heading ids → math checked → SVG layers inlined → local references →
serialized HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from deckbuild import markdown
from deckbuild.errors import Where
from deckbuild.model import Deck, Slide, SlideSource
from deckbuild.rules.assets import Assets, collect_references
from deckbuild.rules.attributes import apply_attribute_comments
from deckbuild.rules.headings import Slugger, add_heading_ids
from deckbuild.rules.math import check_math
from deckbuild.rules.svg import SvgInliner
from deckbuild.rules.tree import inner_html, parse_fragment


def locator(deck: Deck, text: str, first_line: int) -> Callable[[str], Where]:
    """Finds the line of a reference within a slide's source text."""

    def locate(needle: str) -> Where:
        at = text.find(needle)
        line = first_line + (text.count("\n", 0, at) if at >= 0 else 0)
        return Where(deck.name, line)

    return locate


class DeckRenderer:
    """Renders the slides of one deck; one per deck page (ids are per page)."""

    def __init__(self, deck: Deck, assets: Assets, svgs: SvgInliner) -> None:
        self.deck = deck
        self.assets = assets
        self.svgs = svgs.for_page(deck.name, assets)
        self.slugger = Slugger()
        self.base: Path = deck.source.parent

    def render(self) -> None:
        deck = self.deck
        deck.slides = []
        for stack in deck.stacks:
            slides = [slide for slide in (self.render_slide(source) for source in stack) if slide is not None]
            if slides:
                deck.slides.append(slides)

    def render_slide(self, source: SlideSource) -> Slide | None:
        features: set[str] = set()
        section = parse_fragment(markdown.render(source.markdown, features))
        apply_attribute_comments(section)
        if section.get("data-visibility") == "hidden":
            return None  # left out of the page, and so are the scripts it alone would need
        self.deck.features |= features
        where = Where(self.deck.name, source.line)
        title = add_heading_ids(section, self.slugger)
        locate = locator(self.deck, source.markdown, source.line)
        check_math(section, locate)
        self.svgs.inline(section, self.base, self.deck.page, locate)
        collect_references(section, self.assets, self.base, self.deck.page, locate)
        attrs = {str(k): str(v) for k, v in section.attrib.items()}
        slide = Slide(where=where, html=self.svgs.finish(inner_html(section)), attrs=attrs, title=title)
        if source.notes:
            slide.notes_html = self.render_notes(source)
        return slide

    def render_notes(self, source: SlideSource) -> str:
        aside = parse_fragment(markdown.render(source.notes or "", self.deck.features), "aside")
        apply_attribute_comments(aside)
        for key in list(aside.attrib):
            del aside.attrib[key]
        locate = locator(self.deck, source.notes or "", source.notes_line or source.line)
        check_math(aside, locate)
        collect_references(aside, self.assets, self.base, self.deck.page, locate)
        return inner_html(aside)
