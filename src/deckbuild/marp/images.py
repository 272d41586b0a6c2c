"""Marp's image keywords: sizes and filters in the alt text, and `bg` backgrounds.

`![w:600 sepia](x.png)` is an image 600 px wide in sepia; `![bg left:40%](x.png)`
is a background filling the left 40 % of the slide while the content takes
the rest. Keywords Marp knows are removed from the alt text, as Marp does;
other words stay (a theme's `img[alt~="center"]` rule still matches them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import html as lxml_html

# filters with the values Marp gives them when none is written
FILTERS = {
    "blur": "10px",
    "brightness": "1.5",
    "contrast": "2",
    "drop-shadow": "0 5px 10px rgba(0,0,0,.4)",
    "grayscale": "1",
    "hue-rotate": "180deg",
    "invert": "1",
    "opacity": ".5",
    "saturate": "2",
    "sepia": "1",
}
SIZES = {"w": "width", "width": "width", "h": "height", "height": "height"}
BG_SIZES = {"cover": "cover", "contain": "contain", "fit": "contain", "auto": "auto"}
SPLIT = re.compile(r"^(left|right)(?::(\d+(?:\.\d+)?%))?$")
PERCENT = re.compile(r"^\d+(?:\.\d+)?%$")
NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def length(value: str) -> str:
    """A Marp length: a bare number is pixels."""
    return f"{value}px" if NUMBER.match(value) else value


@dataclass
class ImageKeywords:
    """What an image's alt text says, and what is left of it."""

    alt: str = ""
    background: bool = False
    style: dict[str, str] = field(default_factory=dict)
    filters: list[str] = field(default_factory=list)
    size: str | None = None  # a background's size
    split: str | None = None  # "left" or "right"
    split_size: str | None = None
    vertical: bool = False

    @property
    def css(self) -> str:
        parts = [f"{k}:{v}" for k, v in self.style.items()]
        if self.filters:
            parts.append("filter:" + " ".join(self.filters))
        return ";".join(parts)


def read_alt(alt: str) -> ImageKeywords:
    """Split an alt text into Marp keywords and the words that stay."""
    words = alt.split()
    found = ImageKeywords(background="bg" in words)
    kept: list[str] = []
    for word in words:
        name, _, value = word.partition(":")
        if word == "bg":
            continue
        if name in SIZES and value:
            found.style[SIZES[name]] = length(value)
        elif name in FILTERS:
            found.filters.append(f"{name}({value or FILTERS[name]})")
        elif found.background and word in BG_SIZES:
            found.size = BG_SIZES[word]
        elif found.background and PERCENT.match(word):
            found.size = word
        elif found.background and word == "vertical":
            found.vertical = True
        elif found.background and (split := SPLIT.match(word)):
            found.split, found.split_size = split.group(1), split.group(2) or "50%"
        else:
            kept.append(word)
    found.alt = " ".join(kept)
    return found


def apply_image_keywords(section: lxml_html.HtmlElement) -> list[tuple[lxml_html.HtmlElement, ImageKeywords]]:
    """Style inline images by their keywords; return the `bg` ones (still in the tree)."""
    backgrounds = []
    for img in list(section.iter("img")):
        keywords = read_alt(img.get("alt") or "")
        if keywords.background:
            backgrounds.append((img, keywords))
            continue
        if keywords.css:
            img.set("style", ";".join(filter(None, [keywords.css, img.get("style")])))
        img.set("alt", keywords.alt)
    return backgrounds


def move_backgrounds(
    section: lxml_html.HtmlElement, found: list[tuple[lxml_html.HtmlElement, ImageKeywords]]
) -> None:
    """`bg` images leave the content for a background layer, as Marp's advanced backgrounds.

    One `<figure>` per image in a container behind the content; a split
    (`left`/`right`) puts the container on that side and narrows the
    content to the rest (deckbuild's marp.css does the layout).
    """
    if not found:
        return
    split = next((k for _img, k in found if k.split), None)
    container = lxml_html.Element("div", {"class": "marp-background"})
    if any(k.vertical for _img, k in found):
        container.set("data-direction", "vertical")
    for img, keywords in found:
        style = [f"background-image:url({img.get('src') or ''})"]
        if keywords.size:
            style.append(f"background-size:{keywords.size}")
        style.extend(f"{k}:{v}" for k, v in keywords.style.items())
        if keywords.filters:
            style.append("filter:" + " ".join(keywords.filters))
        figure = lxml_html.Element("figure", {"style": ";".join(style)})
        if keywords.alt:
            caption = lxml_html.Element("figcaption")
            caption.text = keywords.alt
            figure.append(caption)
        container.append(figure)
        remove_image(img)
    if split is not None:
        section.set("data-marp-split", str(split.split))
        share = float(str(split.split_size).rstrip("%")) / 100
        section.set("style", ";".join(filter(None, [section.get("style"), f"--marp-split:{share:g}"])))
        section.set("data-marp-split-size", str(split.split_size))
    section.insert(0, container)


def remove_image(img: lxml_html.HtmlElement) -> None:
    """Take an image out, keeping the text after it; a paragraph left empty goes too."""
    parent = img.getparent()
    assert parent is not None
    img.drop_tree()
    if parent.tag == "p" and not parent.text_content().strip() and len(parent) == 0:
        parent.drop_tree()
