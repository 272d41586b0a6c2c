"""reveal.js attribute comments: `<!-- .element: … -->` and `<!-- .slide: … -->`.

The same rules as the reveal.js 6 markdown plugin, applied at build time:
- a comment's target is its nearest earlier sibling element (not `<br>`),
  else its parent; a comment as the first thing in a paragraph or list
  item styles that paragraph or item;
- when that target is a list and no blank line stands between list and
  comment, the list's last item is styled instead;
- attributes are `name="value"` pairs or bare `data-…` words; each one
  replaces the attribute (so `class` is set, not added to);
- a comment that is no `.element:` comment but a `.slide:` one styles the
  slide's `<section>`, wherever it stands in the slide.
Inline math is text for this rule, as it is for reveal.js when it runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from deckbuild.config import DEFAULT_ELEMENT_ATTRIBUTES, DEFAULT_SLIDE_ATTRIBUTES
from deckbuild.rules.tree import is_element, remove_keeping_tail

ELEMENT = re.compile(DEFAULT_ELEMENT_ATTRIBUTES, re.M)
SLIDE = re.compile(DEFAULT_SLIDE_ATTRIBUTES, re.M)
ATTRIBUTE = re.compile(r'([^"= ]+?)="([^"]+?)"|(data-[^"= ]+?)(?=[" ])')
BLANK_LINE = re.compile(r"\n[ \t]*\n")
# what an attribute comment looks like, to tell a mistyped one
LOOKS_LIKE = re.compile(r"^\s*\.(element|slide)\b(:?)(.*)$", re.S)

Warn = Callable[[str, str], None]  # (message, text near the problem)


def _is_target(node: etree._Element) -> bool:
    if not is_element(node) or node.tag == "br":
        return False
    # build-time inline math stands for text that reveal.js leaves alone
    return node.get("data-math") != "inline"


def comment_target(comment: etree._Element) -> etree._Element:
    """The element a `.element` comment styles, by reveal.js's rules."""
    parent = comment.getparent()
    assert parent is not None
    target = parent
    previous = comment.getprevious()
    while previous is not None:
        if _is_target(previous):
            target = previous
            break
        previous = previous.getprevious()
    if target.tag in ("ul", "ol"):
        # the text node right before the comment: a blank line in it keeps the list
        before = comment.getprevious()
        text = (before.tail if before is not None else parent.text) or ""
        if not BLANK_LINE.search(text):
            items = [child for child in target if is_element(child)]
            if items:
                target = items[-1]
    return target


def set_attributes(spec: str, element: etree._Element) -> None:
    for match in ATTRIBUTE.finditer(spec):
        if match.group(2):
            element.set(match.group(1), match.group(2))
        else:
            element.set(match.group(3), "")


@dataclass(frozen=True)
class CommentPatterns:
    """What marks an attribute comment: the deck's `element_attributes` and
    `slide_attributes` regexes (reveal.js's `data-element-attributes` and
    `data-attributes`); group 1 holds the attributes."""

    element: re.Pattern[str] = ELEMENT
    slide: re.Pattern[str] = SLIDE

    @classmethod
    def of(cls, element: str | None, slide: str | None) -> CommentPatterns:
        return cls(
            re.compile(element, re.M) if element else ELEMENT,
            re.compile(slide, re.M) if slide else SLIDE,
        )


DEFAULT_PATTERNS = CommentPatterns()


def apply_comment(
    comment: etree._Element, section: etree._Element, patterns: CommentPatterns = DEFAULT_PATTERNS
) -> bool:
    """Apply one attribute comment; True when it was one (and is now spent)."""
    text = comment.text or ""
    for pattern, target in ((patterns.element, None), (patterns.slide, section)):
        match = pattern.search(text)
        if match:
            set_attributes(match.group(1), target if target is not None else comment_target(comment))
            comment.text = text[: match.start()] + text[match.end() :]
            return True
    return False


def check_comment(text: str, warn: Warn) -> None:
    """Warn about a mistyped `.element` / `.slide` comment (with the default patterns)."""
    match = LOOKS_LIKE.match(text)
    if match is None:
        return
    kind, colon, rest = match.groups()
    if not colon:
        effect = "applied anyway, as reveal.js does" if kind == "element" else "ignored"
        warn(f"attribute comment '.{kind}' needs a ':' after it ({effect})", text)
    elif not ATTRIBUTE.search(rest + " "):
        warn(f"attribute comment '.{kind}:' has no name=\"value\" attributes (ignored)", text)


def apply_attribute_comments(
    section: etree._Element, patterns: CommentPatterns = DEFAULT_PATTERNS, warn: Warn | None = None
) -> None:
    """Apply every attribute comment in the slide, in document order."""
    for comment in list(section.iter(etree.Comment)):
        if warn is not None and patterns == DEFAULT_PATTERNS:
            check_comment(comment.text or "", warn)
        if apply_comment(comment, section, patterns) and not (comment.text or "").strip():
            remove_keeping_tail(comment)
