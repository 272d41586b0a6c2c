"""Heading ids as reveal.js's markdown renderer (marked) makes them, unique per deck."""

from __future__ import annotations

import re

from lxml import etree

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# marked's slugger: lower case, punctuation dropped, white space to dashes
PUNCTUATION = re.compile(r"[\u2000-\u206F\u2E00-\u2E7F\\'!\"#$%&()*+,./:;<=>?@\[\]^`{|}~]")


def slug(text: str) -> str:
    return PUNCTUATION.sub("", text.lower().strip()).replace(" ", "-").replace("\t", "-").replace("\n", "-")


class Slugger:
    """Hands out slugs unique within one page (`x`, `x-1`, `x-2`, …)."""

    def __init__(self, prefix: str = "") -> None:
        self.seen: dict[str, int] = {}
        self.prefix = prefix

    def reserve(self, taken: str) -> None:
        """An id given in the page already (a slide's own id): never handed out."""
        self.seen.setdefault(taken, 0)

    def unique(self, text: str) -> str:
        base = self.prefix + slug(text)
        if base not in self.seen:
            self.seen[base] = 0
            return base
        while True:
            self.seen[base] += 1
            candidate = f"{base}-{self.seen[base]}"
            if candidate not in self.seen:
                self.seen[candidate] = 0
                return candidate


def add_heading_ids(section: etree._Element, slugger: Slugger, *, give_ids: bool = True) -> str:
    """Give each heading an id (unless `give_ids` is off); return the slide's title (its first heading)."""
    title = ""
    for heading in section.iter(*HEADINGS):
        text = " ".join("".join(heading.itertext()).split())
        if not title:
            title = text
        if give_ids and heading.get("id") is None and text:
            heading.set("id", slugger.unique(text))
    return title
