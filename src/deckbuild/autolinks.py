"""GFM's extended autolinks: a bare `https://…` or `www.…` in text is a link.

reveal.js renders markdown with marked, whose `gfm` option (on by default)
makes these links; so does deckbuild for reveal.js decks. The rules are
GitHub's: the link starts at a line start, after white space or one of
`*_~(`; trailing punctuation (`?!.,:*_~`), an unbalanced `)` and a final
`&entity;` are not part of it. Text inside a link or code is left alone.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

CANDIDATE = re.compile(
    r"(?:(?<=^)|(?<=[\s*_~(]))(?:https?://|www\.)[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*[^\s<]*",
    re.IGNORECASE,
)
TRAILING = "?!.,:*_~"
ENTITY_END = re.compile(r"&[A-Za-z0-9]+;$")


def _trim(url: str) -> str:
    """The link without what GFM leaves after it."""
    while url:
        entity = ENTITY_END.search(url)
        if entity:
            url = url[: entity.start()]
        elif url[-1] in TRAILING:
            url = url[:-1]
        elif url[-1] == ")" and url.count(")") > url.count("("):
            url = url[:-1]
        else:
            break
    return url


def _valid(url: str) -> bool:
    """A domain with a dot, and no underscore in its last two labels (GFM)."""
    host = re.sub(r"^(?:https?://)", "", url, flags=re.IGNORECASE)
    host = re.split(r"[/?#]", host, maxsplit=1)[0]
    labels = host.split(".")
    return len(labels) >= 2 and all(labels) and "_" not in "".join(labels[-2:])


def _split(token: Token) -> list[Token]:
    """One text token as text and link tokens."""
    out: list[Token] = []
    last = 0
    text = token.content
    for match in CANDIDATE.finditer(text):
        url = _trim(match.group(0))
        if not _valid(url):
            continue
        if match.start() > last:
            out.append(_text(text[last : match.start()]))
        href = url if "://" in url else "http://" + url
        opening = Token("link_open", "a", 1)
        opening.attrSet("href", href)
        opening.markup, opening.info = "linkify", "auto"
        closing = Token("link_close", "a", -1)
        closing.markup, closing.info = "linkify", "auto"
        out += [opening, _text(url), closing]
        last = match.start() + len(url)
    if not out:
        return [token]
    if last < len(text):
        out.append(_text(text[last:]))
    return out


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def autolink(state: StateCore) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        depth = 0
        for child in block.children:
            if child.type in ("link_open", "link_close"):
                depth += child.nesting
            if (
                child.type == "text"
                and depth == 0
                and ("://" in child.content or "www." in child.content.lower())
            ):
                children += _split(child)
            else:
                children.append(child)
        block.children = children


def autolinks_plugin(md: MarkdownIt) -> None:
    # before the typographic rules, which must not curl a URL's quotes or dashes
    md.core.ruler.before("smartquotes", "gfm_autolinks", autolink)
