"""The typed model the pipeline works on: site, deck, slide, notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckbuild.errors import Where


@dataclass
class SlideSource:
    """A slide as read: its markdown, its notes and where they start."""

    markdown: str
    line: int
    notes: str | None = None
    notes_line: int | None = None
    # what the reader decided for the slide's <section> (Marp directives), and
    # inline markdown for a <header>/<footer> in it
    attrs: dict[str, str] = field(default_factory=dict)
    header: str | None = None
    footer: str | None = None


@dataclass
class Slide:
    """A slide ready for the template: final HTML, no markdown left."""

    where: Where
    html: str
    attrs: dict[str, str] = field(default_factory=dict)
    notes_html: str | None = None
    title: str = ""
    text: str = ""  # the words a reader sees, for search (no markup, TeX or inlined drawings)


@dataclass
class Deck:
    source: Path
    name: str  # shown in messages: path relative to the course folder
    page: str  # the page's path in the site, e.g. "part1/intro.html"
    settings: dict[str, Any]
    setting_where: dict[str, Where] = field(default_factory=dict)
    stacks: list[list[SlideSource]] = field(default_factory=list)
    format: str = "revealmd"  # the reader that read it: "revealmd" or "marp"
    # filled by rendering
    slides: list[list[Slide]] = field(default_factory=list)
    features: set[str] = field(default_factory=set)
    frame_html: str = ""  # logo and footer, shown over every slide

    @property
    def title(self) -> str:
        title = self.settings.get("title")
        if title:
            return str(title)
        for stack in self.slides:
            for slide in stack:
                if slide.title:
                    return slide.title
        return Path(self.page).stem

    def where_set(self, key: str) -> Where:
        """The place a setting of this deck was made, for messages about it."""
        return self.setting_where.get(key) or Where("deckbuild.yml")

    @property
    def description(self) -> str:
        return str(self.settings.get("description") or "")

    @property
    def slide_count(self) -> int:
        return sum(len(stack) for stack in self.slides)


@dataclass
class Site:
    root: Path
    config: dict[str, Any]
    decks: list[Deck] = field(default_factory=list)
    # site path -> source file, for every local file a page uses
    assets: dict[str, Path] = field(default_factory=dict)

    @property
    def slide_count(self) -> int:
        return sum(deck.slide_count for deck in self.decks)
