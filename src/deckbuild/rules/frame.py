"""Logo and footer: the deck's frame, shown over every slide.

`logo` (an image) and `footer` (markdown) come from deckbuild.yml (paths
relative to the course folder) or the front matter (relative to the deck;
`false` there turns the course's off for the deck). The page script
(client/deckbuild.js) shows them over every slide but one that says
`data-logo="false"` / `data-footer="false"`, and copies them onto every
page of the print view, so the PDF has them too.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from deckbuild import markdown
from deckbuild.errors import Where
from deckbuild.model import Deck
from deckbuild.rules.assets import Assets, collect_references
from deckbuild.rules.tree import inner_html, parse_fragment


def _base(deck: Deck, key: str, root: Path) -> Path:
    """Where a setting's paths are relative to: the deck if its front matter set it."""
    return deck.source.parent if key in deck.setting_where else root


def _at(where: Where) -> Callable[[str], Where]:
    """Every reference of a setting is reported at the setting's line."""
    return lambda _url: where


def render_frame(deck: Deck, assets: Assets, options: markdown.MarkdownOptions) -> str:
    """The HTML of the deck's logo and footer (empty when it has neither)."""
    parts = []
    logo = deck.settings.get("logo")
    if logo:
        parts.append(("logo", f'<div class="deckbuild-logo"><img src="{escape(str(logo))}" alt=""></div>'))
    footer = deck.settings.get("footer")
    if footer:
        html = markdown.render(str(footer), None, options)
        parts.append(("footer", f'<div class="deckbuild-footer">{html}</div>'))
    out = []
    for key, html in parts:
        frame = parse_fragment(html, "div")
        collect_references(frame, assets, _base(deck, key, assets.root), deck.page, _at(deck.where_set(key)))
        out.append(inner_html(frame))
    return "\n".join(out)
