"""The Marp reader: slides, directives and notes as today's Marp reads them.

Slides split on every thematic break (`---`, `***`, `___`, long dash
rules) that markdown-it finds at the top level, so never inside code, and a
`---` under a line of text stays a heading; `headingDivider` splits before
headings too. Directives come from the front matter and from comments;
every other comment is a presenter note. Page numbers are computed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from deckbuild.config import DECK_SCHEMA, Located, load_yaml, validate
from deckbuild.errors import Where, warn
from deckbuild.marp.directives import (
    GLOBAL,
    LOCAL,
    Directives,
    convert_loose,
    is_directive,
    old_directive,
    parse_comment,
)
from deckbuild.marp.images import read_alt
from deckbuild.model import Deck, SlideSource
from deckbuild.readers.revealmd import FRONT_MATTER

COMMENT = re.compile(r"<!--+\s*(.*?)\s*-?-->", re.S)
ONLY_COMMENTS = re.compile(r"^(\s*<!--.*?-->\s*)+$", re.S)
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)")
KEBAB = re.compile(r"([A-Z])")
SIZES = {"16:9": (1280, 720), "4:3": (960, 720)}
TRANSITIONS = {"fade": "fade", "slide": "slide", "zoom": "zoom", "none": "none"}
# marpit's old keywords that today's Marp keeps as alt text
OLD_IMAGE_WORDS = {"center", "left", "right"}
ESCAPE = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|$~&])")


@dataclass
class Comment:
    text: str
    line: int  # in the body, from 0
    inline: bool


@dataclass
class Part:
    """A slide's lines in the body, and the comments in it."""

    start: int
    end: int
    comments: list[Comment] = field(default_factory=list)


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def divides(token: Token, divider: Any) -> bool:
    """Whether `headingDivider` starts a slide at this heading."""
    if token.type != "heading_open" or token.level != 0:
        return False
    level = int(token.tag[1])
    if isinstance(divider, list):
        return level in {int(d) for d in divider if str(d).isdigit()}
    return str(divider).isdigit() and level <= int(divider)


def references(body: str) -> str:
    """The deck's link reference definitions, as markdown to add to every slide.

    Marp reads a deck as one document, so `[text]` on one slide finds its
    `[text]: url` on another; here each slide is its own document."""
    env: dict[str, Any] = {}
    parser().parse(body, env)
    lines = []
    for label, ref in sorted(env.get("references", {}).items()):
        title = ref.get("title") or ""
        quoted = ' "' + title.replace('"', '\\"') + '"' if title else ""
        lines.append(f"[{label}]: <{ref['href']}>{quoted}")
    return "\n".join(lines)


def split_parts(body: str, divider: Any) -> list[Part]:
    """The slides' line ranges: cut at top-level thematic breaks and divided headings."""
    tokens = parser().parse(body)
    total = body.count("\n") + 1
    parts = [Part(0, total)]
    content = False  # whether the current slide has a block yet (a divided heading opens none then)
    for token in tokens:
        if token.map is None:
            continue
        if token.type == "hr" and token.level == 0:
            parts[-1].end = token.map[0]
            parts.append(Part(token.map[1], total))
            content = False
            continue
        if divides(token, divider) and content:
            parts[-1].end = token.map[0]
            parts.append(Part(token.map[0], total))
        if token.level == 0 and token.nesting >= 0 and not is_comment_block(token):
            content = True
        collect_comments(token, parts[-1])
    return parts


def is_comment_block(token: Token) -> bool:
    return token.type == "html_block" and ONLY_COMMENTS.match(token.content) is not None


def collect_comments(token: Token, part: Part) -> None:
    assert token.map is not None
    if is_comment_block(token):
        for match in COMMENT.finditer(token.content):
            line = token.map[0] + token.content.count("\n", 0, match.start())
            part.comments.append(Comment(match.group(1), line, inline=False))
    elif token.type == "inline" and token.children:
        for child in token.children:
            inline = COMMENT.fullmatch(child.content.strip()) if child.type == "html_inline" else None
            if inline:
                part.comments.append(Comment(inline.group(1), token.map[0], inline=True))


def escape_text(text: str) -> str:
    """A note is text, as Marp shows it: nothing in it is markdown."""
    return ESCAPE.sub(r"\\\1", text)


def paginate(locals_: list[dict[str, str]]) -> list[tuple[bool, int]]:
    """Marp's page numbers: `true` shows and counts, `false` counts only, `hold` shows
    the last number again, `skip` neither shows nor counts."""
    pages, number = [], 0
    for directives in locals_:
        mode = directives.get("paginate", "false")
        if mode == "skip":
            pages.append((False, number))
            continue
        if mode != "hold" or number == 0:
            number += 1
        pages.append((mode in ("true", "hold"), number))
    return pages


def section_attrs(
    directives: dict[str, str], page: tuple[bool, int], total: int, theme: str
) -> dict[str, str]:
    """What the directives put on the slide's <section>."""
    attrs: dict[str, str] = {"data-theme": theme}
    if directives.get("class"):
        attrs["class"] = directives["class"]
    # the directives as data attributes, as Marp writes them (themes select on some: section[data-color])
    for key in ("paginate", "class", "color", "backgroundColor", "header", "footer"):
        if directives.get(key):
            attrs["data-" + KEBAB.sub(r"-\1", key).lower()] = directives[key].strip().rstrip(";").strip()
    style = []
    # a trailing ";" (`#0473cf;`) works in Marp's inline style; cut, so it works here too
    for key, css in (("backgroundColor", "background-color"), ("color", "color")):
        value = directives.get(key, "").strip().rstrip(";").strip()
        if value:
            style.append(f"{css}:{value}")
    image = directives.get("backgroundImage", "").strip().rstrip(";")
    if image:
        style.append(f"background-image:{image}")
        for key, css in (
            ("backgroundPosition", "background-position"),
            ("backgroundRepeat", "background-repeat"),
            ("backgroundSize", "background-size"),
        ):
            if directives.get(key):
                style.append(f"{css}:{directives[key].rstrip(';')}")
    if directives.get("backgroundColor") and not image:
        style.append("background-image:none")  # a colour replaces the theme's background picture, as in Marp
    if style:
        attrs["style"] = ";".join(style)
    shown, number = page
    if shown:
        attrs["data-marpit-pagination"] = str(number)
        attrs["data-marpit-pagination-total"] = str(total)
    if directives.get("transition"):
        attrs["data-transition"] = TRANSITIONS.get(directives["transition"].split()[0], "fade")
    return attrs


def warn_old_images(text: str, name: str, first_line: int, line_of: int) -> None:
    """Old Marp's inline `center`/`left`/`right`: kept as alt text by today's Marp, centring nothing."""
    for match in IMAGE.finditer(text):
        keywords = read_alt(match.group(1))
        old = [w for w in match.group(1).split() if w in OLD_IMAGE_WORDS] if not keywords.background else []
        if old:
            line = first_line + line_of + text.count("\n", 0, match.start())
            warn(
                f"\"{old[0]}\" in an image's alt text is old Marp syntax: today's Marp keeps it as text "
                "(use a theme class such as lead, or bg left/right for a side picture)",
                Where(name, line),
            )


def divider_of(front: dict[str, Any], body: str) -> Any:
    """`headingDivider`, from the front matter or any comment (a global: the last one wins)."""
    divider = front.get("headingDivider")
    for part in split_parts(body, None):
        for comment in part.comments:
            data = parse_comment(comment.text)
            if is_directive(data) and data is not None and "headingDivider" in data:
                divider = data["headingDivider"]
    return divider


def front_directives(located: Located, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The front matter split into Marp directives and deckbuild's own deck settings."""
    marp: dict[str, Any] = {}
    own = Located({}, {})
    for key, value in located.data.items():
        bare = str(key).lstrip("_")
        if bare in GLOBAL or bare in LOCAL:
            marp[str(key)] = value
        else:
            own.data[key] = value
            if key in located.lines:
                own.lines[key] = located.lines[key]
    return marp, validate(own, DECK_SCHEMA, name)


def read(text: str, path: Path, name: str, page: str, course: dict[str, Any]) -> Deck:
    """A Marp deck's text as a Deck: its slides, their directives, notes and page numbers."""
    match = FRONT_MATTER.match(text)
    located = load_yaml(convert_loose(match.group(1)), Where(name, 2), first_line=2) if match else Located({})
    marp_front, own = front_directives(located, name)
    body = text[match.end() :] if match else text
    body_line = text.count("\n", 0, match.end()) + 1 if match else 1
    state = Directives()
    first_spot: dict[str, str] = {}
    state.take(marp_front, first_spot)
    parts = split_parts(body, divider_of(marp_front, body))
    lines = body.split("\n")
    slides: list[tuple[Part, dict[str, str], list[str]]] = []
    for index, part in enumerate(parts):
        spot = dict(first_spot) if index == 0 else {}
        notes = []
        for comment in part.comments:
            data = parse_comment(comment.text)
            if is_directive(data):
                assert data is not None
                state.take(data, spot)
            elif comment.inline and comment.text.strip() == "fit":
                continue  # a fitting heading, not a note
            else:
                notes.append(comment.text)
                old = old_directive(data)
                where = Where(name, body_line + comment.line)
                if old:
                    warn(
                        f"<!-- {old}: … --> is old Marp syntax: today's Marp shows it as a presenter note",
                        where,
                    )
                elif IMAGE.search(comment.text):
                    warn(
                        "an image inside a comment is a presenter note in Marp, never shown on the slide",
                        where,
                    )
        slides.append((part, state.for_slide(spot), notes))
    pages = paginate([directives for _part, directives, _notes in slides])
    total = max((number for _shown, number in pages), default=0)
    theme = state.globals.get("theme") or "default"
    deck = Deck(source=path, name=name, page=page, settings=marp_settings(course, own, state.globals, theme))
    deck.format = "marp"
    deck.setting_where = {key: Where(name, line) for key, line in located.lines.items() if "." not in key}
    shared = references(body)
    for (part, directives, notes), page_number in zip(slides, pages, strict=True):
        markdown = "\n".join(lines[part.start : part.end])
        if shared:
            markdown += "\n\n" + shared  # after the slide's own lines: their numbers stay
        first = body_line + part.start
        warn_old_images(markdown, name, body_line, part.start)
        source = SlideSource(markdown, first, attrs=section_attrs(directives, page_number, total, theme))
        source.header = directives.get("header") or None
        source.footer = directives.get("footer") or None
        if notes:
            source.notes = "\n\n".join(escape_text(n) for n in notes)
            source.notes_line = first
        deck.stacks.append([source])
    return deck


def marp_settings(
    course: dict[str, Any], own: dict[str, Any], globals_: dict[str, str], theme: str
) -> dict[str, Any]:
    """The deck's settings: the course's, its own, and what Marp's globals decide."""
    settings = {**course, **{k: v for k, v in own.items() if k != "reveal"}}
    width, height = SIZES.get(globals_.get("size", "16:9"), SIZES["16:9"])
    # a Marp slide is the whole page at Marp's size; its own page numbers replace reveal's
    settings["reveal"] = {
        **course.get("reveal", {}),
        **own.get("reveal", {}),
        "width": width,
        "height": height,
        "margin": 0,
        "center": False,
        "slideNumber": False,
        "controlsLayout": "edges",  # the page number sits in the corner reveal.js puts its arrows in
    }
    # Marp shrinks no slide to fit (only fitting headings); a deck may still ask for it
    settings["fit"] = bool(own.get("fit", False))
    # a Marp deck's footer is its `footer` directive, drawn by the theme, not the course's
    settings["footer"] = None
    settings["title"] = own.get("title") or globals_.get("title")
    settings["description"] = own.get("description") or globals_.get("description", "")
    settings["marp"] = {
        "theme": theme,
        **{k: v for k, v in globals_.items() if k in ("size", "style", "lang", "math")},
    }
    return settings
