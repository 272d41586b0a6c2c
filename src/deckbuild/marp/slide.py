"""The Marp rules over a slide's HTML tree, run for Marp decks only.

Image keywords and `bg` backgrounds, `<!-- fit -->` headings, the
`<header>`/`<footer>` of the header and footer directives, emoji
shortcodes, and `<style scoped>` limited to its slide.
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from deckbuild import markdown
from deckbuild.marp.css import scope_css
from deckbuild.marp.images import apply_image_keywords, move_backgrounds
from deckbuild.model import SlideSource
from deckbuild.rules.tree import parse_fragment

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
NO_EMOJI = {"code", "pre", "script", "style", "kbd", "samp"}


def mark_fit_headings(section: lxml_html.HtmlElement) -> None:
    """A heading holding `<!-- fit -->` is scaled to the slide's width (reveal's r-fit-text)."""
    for heading in section.iter(*HEADINGS):
        for node in list(heading.iter(etree.Comment)):
            if (node.text or "").strip() == "fit":
                classes = (heading.get("class") or "").split()
                heading.set("class", " ".join([*classes, "r-fit-text"]))
                heading.set("data-auto-scaling", "")
                node.drop_tree()


def shortcodes(section: lxml_html.HtmlElement) -> None:
    """`:smile:` becomes 😄 at build time (Marp loads twemoji from a CDN; a deck here stays offline)."""
    import emoji  # its tables take 20 ms to load: only courses with Marp decks pay for them

    for element in section.iter():
        if not isinstance(element.tag, str) or element.tag in NO_EMOJI:
            continue
        if element.text and ":" in element.text:
            element.text = emoji.emojize(element.text, language="alias")
        parent = element.getparent()
        if element.tail and ":" in element.tail and (parent is None or parent.tag not in NO_EMOJI):
            element.tail = emoji.emojize(element.tail, language="alias")


def inline_markdown(text: str) -> str:
    """Inline markdown of a header or footer, without the paragraph around it."""
    html = markdown.render(text).strip()
    if html.startswith("<p>") and html.endswith("</p>"):
        html = html[3:-4]
    return html


def add_frame(section: lxml_html.HtmlElement, source: SlideSource) -> None:
    """The header first in the slide, the footer last, as marpit puts them."""
    for tag, text, at_start in (("header", source.header, True), ("footer", source.footer, False)):
        if text is None or not text.strip():
            continue
        element = parse_fragment(inline_markdown(text), tag)
        if at_start:
            section.insert(0, element)
        else:
            section.append(element)


def scope_styles(section: lxml_html.HtmlElement, scope: str) -> None:
    """`<style scoped>` applies to its slide only: its selectors are put under the slide's attribute."""
    styles = [s for s in section.iter("style") if s.get("scoped") is not None]
    if not styles:
        return
    section.set(scope, "")
    for style in styles:
        style.text = scope_css(style.text or "", f"[{scope}]")
        del style.attrib["scoped"]


def apply_marp(section: lxml_html.HtmlElement, source: SlideSource, number: int) -> None:
    """All Marp rules for one slide (`number` makes the scope of its scoped styles unique)."""
    move_backgrounds(section, apply_image_keywords(section))
    mark_fit_headings(section)
    shortcodes(section)
    add_frame(section, source)
    scope_styles(section, f"data-marp-scope-{number}")
