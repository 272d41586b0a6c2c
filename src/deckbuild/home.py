"""The course home page: decks as cards, grouped by the folder they are in.

Decks directly in `slides/` come first, without a group heading; each
sub-folder of `slides/` is a group, titled by `slides/<group>/_group.yml`
(`title`, `description`) or by the folder's name made readable. Groups
keep the order of their first deck (config order, then file order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckbuild import markdown
from deckbuild.config import CONFIG_FILE, Option, _string, load_yaml, read_file, readable, validate
from deckbuild.errors import Where, display_path, warn
from deckbuild.model import Deck, Site
from deckbuild.rules.assets import Assets
from deckbuild.search import plain_text

GROUP_FILE = "_group.yml"
GROUP_SCHEMA: dict[str, Option] = {
    "title": Option(_string),
    "description": Option(_string),
}
# "3. Classification", "3) Classification", "03 - Classification", "1.2 Layers"; not "2024 review"
NUMBERED = re.compile(r"^\s*(\d+(?:\.\d+)+|\d+(?=[.):]|\s+[-–—]))[.):]?(?:\s+[-–—])?\s+(\S.*)$")


def split_number(title: str) -> tuple[str, str]:
    """A deck title's own number apart from its words: ("3", "Classification …")."""
    match = NUMBERED.match(title)
    if match is None:
        return "", title
    return match.group(1), match.group(2)


@dataclass
class Card:
    """One deck on the home page."""

    deck: Deck
    number: str
    title: str
    slides: int
    pdf: str | None = None  # site path of the deck's PDF, when built
    thumbnail: str | None = None  # site path of a picture of its first slide

    @property
    def page(self) -> str:
        return self.deck.page

    @property
    def description(self) -> str:
        return self.deck.description


@dataclass
class Group:
    """A sub-folder of slides/ (key "" for the decks directly in it)."""

    key: str
    title: str = ""
    description_html: str = ""
    cards: list[Card] = field(default_factory=list)


def group_key(deck: Deck) -> str:
    return deck.page.split("/")[0] if "/" in deck.page else ""


def read_group(folder: Path, root: Path) -> dict[str, Any]:
    """A group's `_group.yml`, checked key by key (an unknown key is a warning)."""
    path = folder / GROUP_FILE
    if not path.is_file():
        return {}
    name = display_path(path, root)
    return validate(load_yaml(read_file(path, name), Where(name)), GROUP_SCHEMA, name)


def description_html(text: str) -> str:
    return markdown.render(text) if text.strip() else ""


def home_groups(site: Site, extras: dict[str, dict[str, str]] | None = None) -> list[Group]:
    """The decks as cards in groups; `extras` gives a page's "pdf" and "thumbnail" site paths."""
    slides = site.root / str(site.config["slides"])
    groups: dict[str, Group] = {}
    for deck in site.decks:
        key = group_key(deck)
        group = groups.get(key)
        if group is None:
            group = groups[key] = make_group(key, slides, site.root)
        number, title = split_number(deck.title)
        more = (extras or {}).get(deck.page, {})
        group.cards.append(
            Card(deck, number, title, deck.slide_count, more.get("pdf"), more.get("thumbnail"))
        )
    # the decks directly in slides/ first, then the groups in the order of their first deck
    return sorted(groups.values(), key=lambda g: g.key != "")


def make_group(key: str, slides: Path, root: Path) -> Group:
    if not key:
        return Group(key)
    own = read_group(slides / key, root)
    return Group(
        key, str(own.get("title") or readable(key)), description_html(str(own.get("description") or ""))
    )


def home_logo(site: Site, assets: Assets) -> str | None:
    """The site path of the home page's logo (`home_logo`, else the course's `logo`), if any."""
    value = site.config.get("home_logo")
    if value is None:
        value = site.config.get("logo")
    if not value:
        return None
    where = Where(CONFIG_FILE)
    source = (site.root / str(value)).resolve()
    if not source.is_relative_to(site.root):
        warn(f'logo "{value}" is outside the course folder: left out', where)
        return None
    if not source.is_file():
        warn(f'missing file "{value}" (the home page logo)', where)
        return None
    return assets.site_path(source, where)


def home_context(
    site: Site, assets: Assets, extras: dict[str, dict[str, str]] | None = None
) -> dict[str, Any]:
    """What index.html needs besides the site: groups of cards, the description, the logo."""
    groups = home_groups(site, extras)
    description = description_html(str(site.config.get("description") or ""))
    return {
        "groups": groups,
        "description_html": description,
        "description_text": plain_text(description),  # for <meta>: the words, not the markdown
        "logo": home_logo(site, assets),
        # cards are h2 under the course title, h3 under a group's heading
        "titled_groups": any(g.title for g in groups),
    }
