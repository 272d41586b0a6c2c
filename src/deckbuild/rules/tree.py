"""Small helpers over lxml HTML trees shared by the rules."""

from __future__ import annotations

from lxml import etree, html


def is_element(node: etree._Element) -> bool:
    """An element proper: not a comment, processing instruction or entity."""
    return isinstance(node.tag, str)


def remove_keeping_tail(node: etree._Element) -> None:
    """Remove `node` but keep the text that follows it."""
    parent = node.getparent()
    assert parent is not None
    tail = node.tail or ""
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)


def parse_fragment(markup: str, tag: str = "section") -> html.HtmlElement:
    """HTML markup as the children of a new `tag` element."""
    return html.fragment_fromstring(markup, create_parent=tag)


def inner_html(element: etree._Element) -> str:
    """The serialized content of `element`, without its own tags."""
    parts = [element.text or ""]
    parts.extend(etree.tostring(child, encoding="unicode", method="html") for child in element)
    return "".join(parts)
