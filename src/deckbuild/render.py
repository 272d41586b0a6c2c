"""Rendering a deck: each slide's markdown through the rules to final HTML.

markdown → HTML tree → attribute comments → (hidden slides dropped) →
slide ids reserved → incremental lists → heading ids → math checked → SVG layers inlined →
local references → serialized HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import html as lxml_html

from deckbuild import markdown
from deckbuild.errors import Where, warn
from deckbuild.marp.slide import apply_marp
from deckbuild.model import Deck, Slide, SlideSource
from deckbuild.rules.assets import Assets, collect_references
from deckbuild.rules.attributes import CommentPatterns, apply_attribute_comments
from deckbuild.rules.frame import render_frame
from deckbuild.rules.headings import Slugger, add_heading_ids
from deckbuild.rules.incremental import make_incremental
from deckbuild.rules.math import check_math
from deckbuild.rules.svg import SvgInliner
from deckbuild.rules.tree import inner_html, parse_fragment
from deckbuild.search import visible_text


def locator(deck: Deck, text: str, first_line: int) -> Callable[[str], Where]:
    """Finds the line of a reference within a slide's source text."""

    def locate(needle: str) -> Where:
        at = text.find(needle)
        line = first_line + (text.count("\n", 0, at) if at >= 0 else 0)
        return Where(deck.name, line)

    return locate


Parsed = tuple[SlideSource, lxml_html.HtmlElement, set[str]]


class DeckRenderer:
    """Renders the slides of one deck; one per deck page (ids are per page)."""

    def __init__(self, deck: Deck, assets: Assets, svgs: SvgInliner) -> None:
        self.deck = deck
        self.assets = assets
        self.svgs = svgs.for_page(deck.name, assets)
        settings = deck.settings
        plugin = settings.get("reveal", {}).get("markdown", {})
        self.options = markdown.MarkdownOptions.from_reveal(plugin)
        self.heading_ids = plugin.get("headerIds", True)
        self.slugger = Slugger(plugin.get("headerPrefix", ""))
        self.incremental = bool(settings.get("incremental") or plugin.get("animateLists"))
        self.patterns = CommentPatterns.of(
            settings.get("element_attributes"), settings.get("slide_attributes")
        )
        self.base: Path = deck.source.parent
        self.marp_slides = 0

    def render(self) -> None:
        deck = self.deck
        stacks = [[parsed for parsed in map(self.parse_slide, stack) if parsed] for stack in deck.stacks]
        # an id written in the deck (a slide's own, an element's) wins: no
        # heading anywhere in the page gets it, so `#/intro` opens that slide
        for stack in stacks:
            for _source, section, _features in stack:
                for element in section.iter():
                    if isinstance(element.tag, str) and element.get("id"):
                        self.slugger.reserve(element.get("id", ""))
        deck.slides = [[self.render_slide(*parsed) for parsed in stack] for stack in stacks if stack]
        deck.frame_html = render_frame(deck, self.assets, self.options)

    def parse_slide(self, source: SlideSource) -> Parsed | None:
        features: set[str] = set()
        problems: markdown.Problems = []
        section = parse_fragment(markdown.render(source.markdown, features, self.options, problems))
        for name, value in source.attrs.items():  # what the reader decided (Marp directives)
            section.set(name, value)
        if self.deck.format == "marp":
            self.marp_slides += 1
            apply_marp(section, source, self.marp_slides)
        for line, message in problems:
            warn(message, Where(self.deck.name, source.line + line))
        locate = locator(self.deck, source.markdown, source.line)
        apply_attribute_comments(section, self.patterns, lambda message, near: warn(message, locate(near)))
        if section.get("data-visibility") == "hidden":
            return None  # left out of the page, and so are the scripts it alone would need
        return source, section, features

    def render_slide(self, source: SlideSource, section: lxml_html.HtmlElement, features: set[str]) -> Slide:
        self.deck.features |= features
        where = Where(self.deck.name, source.line)
        locate = locator(self.deck, source.markdown, source.line)
        make_incremental(section, self.incremental, lambda message, near: warn(message, locate(near)))
        title = add_heading_ids(section, self.slugger, give_ids=self.heading_ids)
        check_math(section, locate)
        text = visible_text(section)  # before the drawings are inlined: their labels are not prose
        self.svgs.inline(section, self.base, self.deck.page, locate)
        collect_references(section, self.assets, self.base, self.deck.page, locate)
        attrs = {str(k): str(v) for k, v in section.attrib.items()}
        slide = Slide(
            where=where, html=self.svgs.finish(inner_html(section)), attrs=attrs, title=title, text=text
        )
        if source.notes:
            slide.notes_html = self.render_notes(source)
        return slide

    def render_notes(self, source: SlideSource) -> str:
        aside = parse_fragment(markdown.render(source.notes or "", self.deck.features, self.options), "aside")
        apply_attribute_comments(aside, self.patterns)
        for key in list(aside.attrib):
            del aside.attrib[key]
        locate = locator(self.deck, source.notes or "", source.notes_line or source.line)
        check_math(aside, locate)
        collect_references(aside, self.assets, self.base, self.deck.page, locate)
        return inner_html(aside)
