"""Pandoc/Quarto attribute blocks: `![alt](x.png){width=50% .fragment}`.

mdit-py-plugins' attrs plugin reads blocks after images, links, inline
code and `[spans]{.class}`. What it cannot read (it refuses an unquoted
`50%`, Pandoc's own example) is read here instead, after it; so is a block
at the end of a heading (`## Title {.fragment}`, Pandoc's heading
attributes). A block with nothing to apply to is removed with a warning in
`env["problems"]`: it never shows as text on the slide.

An image's `width` / `height` that is not a plain number of pixels
(`50%`, `10em`) becomes a style, as Pandoc writes it.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

# a `{…}` whose every item is `#id`, `.class`, `key=value` or `key="value"`
ITEM = r'(?:#[\w:.-]+|\.[\w-]+|[\w-]+=(?:"[^"\n]*"|[^\s"{}]+))'
BLOCK = re.compile(r"\{\s*(" + ITEM + r"(?:\s+" + ITEM + r")*)\s*\}")
PART = re.compile(r'#([\w:.-]+)|\.([\w-]+)|([\w-]+)=(?:"([^"\n]*)"|([^\s"{}]+))')
FOLLOWS = {"image", "code_inline", "link_close", "span_close"}
PIXELS = re.compile(r"\d+")


def parse(text: str) -> dict[str, str]:
    """The attributes of one block's inside, classes joined."""
    attrs: dict[str, str] = {}
    for part in PART.finditer(text):
        if part.group(1):
            attrs["id"] = part.group(1)
        elif part.group(2):
            attrs["class"] = f"{attrs['class']} {part.group(2)}" if "class" in attrs else part.group(2)
        else:
            attrs[part.group(3)] = part.group(4) if part.group(4) is not None else part.group(5)
    return attrs


def apply(token: Token, attrs: dict[str, str]) -> None:
    for key, value in attrs.items():
        if key == "class":
            token.attrJoin("class", value)
        else:
            token.attrSet(key, value)


def _opening(children: list[Token], close: int) -> Token:
    """The open token a `link_close` / `span_close` at `close` ends."""
    depth = 0
    for index in range(close, -1, -1):
        depth += children[index].nesting
        if depth == 0:
            return children[index]
    return children[close]


def _target(children: list[Token], index: int) -> Token | None:
    """What a block at the start of children[index] belongs to."""
    if index == 0:
        return None
    before = children[index - 1]
    if before.type not in FOLLOWS:
        return None
    return _opening(children, index - 1) if before.nesting == -1 else before


def _problem(env: Any, block: Token, text: str, found: str) -> None:
    line = (block.map[0] if block.map else 0) + block.content[: max(block.content.find(found), 0)].count("\n")
    env.setdefault("problems", []).append(
        (line, f"attribute block '{found}' has nothing to apply to (removed)")
    )


def _read_text(state: StateCore, tokens: list[Token], at: int, index: int) -> None:
    """Apply or remove the blocks in one text token of an inline token."""
    block = tokens[at]
    children = block.children or []
    child = children[index]
    out, last = [], 0
    for match in BLOCK.finditer(child.content):
        attrs = parse(match.group(1))
        target = _target(children, index) if match.start() == 0 else None
        heading = tokens[at - 1] if at and tokens[at - 1].type == "heading_open" else None
        at_end = index == len(children) - 1 and not child.content[match.end() :].strip()
        if target is None and heading is not None and at_end:
            target = heading
        if target is None:
            _problem(state.env, block, child.content, match.group(0))
        else:
            apply(target, attrs)
        out.append(child.content[last : match.start()])
        last = match.end()
    out.append(child.content[last:])
    text = "".join(out)
    child.content = text.rstrip() if _heading_end(tokens, at, index) else text
    if not child.content.strip() and len(children) == 1 and at and tokens[at - 1].type == "paragraph_open":
        # a paragraph that was only the block: nothing is left to show
        tokens[at - 1].hidden = tokens[at + 1].hidden = True
        child.content = ""


def _heading_end(tokens: list[Token], at: int, index: int) -> bool:
    return bool(at and tokens[at - 1].type == "heading_open" and index == len(tokens[at].children or []) - 1)


def read_blocks(state: StateCore) -> None:
    tokens = state.tokens
    for at, block in enumerate(tokens):
        if block.type != "inline" or not block.children:
            continue
        for index, child in enumerate(block.children):
            if child.type == "text" and "{" in child.content:
                _read_text(state, tokens, at, index)
        for child in block.children:
            if child.type == "image":
                _pixel_sizes(child)


def _pixel_sizes(image: Token) -> None:
    """`width=50%` as a style (an HTML width attribute is pixels only)."""
    styles = []
    for key in ("width", "height"):
        value = image.attrGet(key)
        if value is not None and not PIXELS.fullmatch(str(value)):
            styles.append(f"{key}: {value}")
            del image.attrs[key]
    if styles:
        old = image.attrGet("style")
        image.attrSet("style", "; ".join(([str(old)] if old else []) + styles))


def pandoc_attrs_plugin(md: MarkdownIt) -> None:
    md.use(attrs_plugin, after=("image", "code_inline", "link_close", "span_close"), spans=True)
    # before text_join: an escaped `\{` is still its own token then, so `\{.x}` stays text
    md.core.ruler.before("text_join", "pandoc_attrs", read_blocks)
