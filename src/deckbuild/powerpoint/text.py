"""A text body's paragraphs as markdown: runs, links, equations and lists.

Adjacent runs with the same formatting are joined before they are marked,
so a word PowerPoint split into three bold runs is `**one**`, not
`**o****n****e**`; spaces at a run's edge go outside the markers, where
markdown needs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from deckbuild.powerpoint import escape
from deckbuild.powerpoint.context import SlideContext
from deckbuild.powerpoint.inherit import Bullet
from deckbuild.powerpoint.omml import UnsupportedMath, omath_tex
from deckbuild.powerpoint.xml import chosen, find, local, q
from deckbuild.rules.math import check_tex

MONOSPACE = re.compile(r"consol|courier|mono|menlo|lucida console|source code|fira code|cascadia", re.I)


@dataclass(frozen=True)
class Style:
    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    code: bool = False
    script: str = ""  # "sup" or "sub"
    link: str | None = None


@dataclass
class Segment:
    text: str  # plain text, or TeX when `math`
    style: Style
    math: bool = False


@dataclass
class Paragraph:
    level: int
    bullet: Bullet
    markdown: str
    display: list[str] = field(default_factory=list)  # TeX of display equations


def run_style(rpr: etree._Element | None, context: SlideContext) -> Style:
    if rpr is None:
        return Style()
    latin = find(rpr, "a:latin")
    typeface = latin.get("typeface", "") if latin is not None else ""
    baseline = int(rpr.get("baseline", "0") or 0)
    link = find(rpr, "a:hlinkClick")
    return Style(
        bold=rpr.get("b") in {"1", "true"},
        italic=rpr.get("i") in {"1", "true"},
        underline=rpr.get("u", "none") != "none",
        strike=rpr.get("strike", "noStrike") != "noStrike",
        code=bool(MONOSPACE.search(typeface)),
        script="sup" if baseline > 0 else "sub" if baseline < 0 else "",
        link=context.link_target(link.get(q("r:id"))) if link is not None else None,
    )


def equation(element: etree._Element, context: SlideContext) -> tuple[str, bool] | None:
    """TeX of an `a14:m` and whether it is a display equation; None (with a warning) if it cannot be."""
    math = element.find(q("m:oMathPara"))
    display = math is not None
    if math is None:
        math = element.find(q("m:oMath"))
    if math is None:
        return None
    text = "".join(t.text or "" for t in math.iter(q("m:t")))
    try:
        tex = omath_tex(math)
    except UnsupportedMath as error:
        context.warn(f"{error}; the equation is kept as its text: {text}")
        return None
    problem = check_tex(tex)
    if problem:
        context.warn(f"equation {tex!r} would not typeset ({problem}); kept as its text: {text}")
        return None
    context.report.equations += 1
    return tex, display


def segments(paragraph: etree._Element, context: SlideContext) -> tuple[list[Segment], list[str]]:
    """The paragraph's inline pieces, and the display equations it holds."""
    pieces: list[Segment] = []
    display: list[str] = []
    for child in _inline_children(paragraph):
        name = local(child)
        if name in {"r", "fld"}:
            text = "".join(t.text or "" for t in child.iter(q("a:t")))
            pieces.append(Segment(text, run_style(find(child, "a:rPr"), context)))
        elif name == "br":
            pieces.append(Segment("\n", Style()))
        elif child.tag == q("a14:m"):
            converted = equation(child, context)
            if converted is None:
                text = "".join(t.text or "" for t in child.iter(q("m:t")))
                pieces.append(Segment(text, Style()))
            elif converted[1]:
                display.append(converted[0])
            else:
                pieces.append(Segment(converted[0], Style(), math=True))
    return pieces, display


def _inline_children(paragraph: etree._Element) -> Iterator[etree._Element]:
    """A paragraph's runs, with the chosen side of any `mc:AlternateContent` around them.

    PowerPoint may wrap an inline equation itself (not its text box) in
    `mc:AlternateContent`: the `a14:m` in the Choice, plain runs in the Fallback.
    """
    for child in paragraph:
        if child.tag == q("mc:AlternateContent"):
            yield from chosen(child)
        else:
            yield child


def merged(pieces: list[Segment]) -> list[Segment]:
    """Join neighbours of equal style; two equations in a row become one (`$a$$b$` is display math)."""
    out: list[Segment] = []
    for piece in pieces:
        if out and piece.math and out[-1].math:
            out[-1] = Segment(out[-1].text + " " + piece.text, piece.style, math=True)
        elif out and not piece.math and not out[-1].math and out[-1].style == piece.style:
            out[-1] = Segment(out[-1].text + piece.text, piece.style)
        elif piece.text:
            out.append(piece)
    return out


def code_span(text: str) -> str:
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def styled(piece: Segment) -> str:
    """One run of equal formatting as markdown, spaces kept outside its markers."""
    text = piece.text
    core = text.strip()
    if not core:
        return text.replace("\n", "<br>")
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    style = piece.style
    out = code_span(core) if style.code else escape.inline(core).replace("\n", "<br>")
    if style.strike:
        out = f"~~{out}~~"
    if style.italic:
        out = f"*{out}*"
    if style.bold:
        out = f"**{out}**"
    if style.underline and not style.link:
        out = f"<u>{out}</u>"
    if style.script:
        out = f"<{style.script}>{out}</{style.script}>"
    if style.link:
        out = f"[{out}]({escape.url(style.link)})"
    return lead.replace("\n", "<br>") + out + trail.replace("\n", "<br>")


def inline_math(tex: str, following: str) -> str:
    """`$tex$`; an empty comment keeps it closed before a digit (`$x$2` is not math)."""
    return f"${tex}$" + ("<!---->" if following[:1].isdigit() else "")


def render(pieces: list[Segment]) -> str:
    out: list[str] = []
    for index, piece in enumerate(pieces):
        if piece.math:
            following = pieces[index + 1].text if index + 1 < len(pieces) else ""
            out.append(inline_math(piece.text, following))
        else:
            out.append(styled(piece))
    text = "".join(out).strip()
    text = re.sub(r"(<br>\s*)+$", "", text)
    return escape.line_start(text)


def paragraph(element: etree._Element, bullet: Bullet, level: int, context: SlideContext) -> Paragraph:
    pieces, display = segments(element, context)
    return Paragraph(level, bullet, render(merged(pieces)), display)


def plain(element: etree._Element | None) -> str:
    """All the text of an element, as PowerPoint shows it (for titles in front matter)."""
    if element is None:
        return ""
    lines = []
    for para in element.iter(q("a:p")):
        lines.append("".join(t.text or "" for t in para.iter(q("a:t"), q("m:t"))))
    return " ".join(" ".join(lines).split())


def display_block(tex: str, indent: str = "") -> str:
    return f"{indent}$$\n{indent}{tex}\n{indent}$$"


def blocks(paras: list[Paragraph]) -> str:
    """Paragraphs as markdown blocks: bulleted ones as nested lists, relative to the first level.

    A level never jumps by more than one (markdown would read a deeper
    indent as code), and numbers count up per level for readability.
    """
    bulleted = [p.level for p in paras if p.bullet.kind != "none" and p.markdown]
    base = min(bulleted) if bulleted else 0
    out: list[str] = []
    previous: int | None = None  # level of the last list item, None outside a list
    counters: dict[int, int] = {}
    for para in paras:
        if para.bullet.kind != "none" and para.markdown:
            level = max(0, para.level - base)
            level = min(level, 0 if previous is None else previous + 1)
            if previous is None and out:
                out.append("")
            counters = {k: v for k, v in counters.items() if k <= level}
            if para.bullet.kind == "number":
                counters[level] = counters.get(level, para.bullet.start - 1) + 1
                marker = f"{counters[level]}."
            else:
                counters.pop(level, None)
                marker = "-"
            out.append("    " * level + f"{marker} {para.markdown}")
            previous = level
        elif para.markdown:
            out += ["", para.markdown] if out else [para.markdown]
            previous = None
        for tex in para.display:
            out += ["", display_block(tex)] if out else [display_block(tex)]
            previous = None
    return "\n".join(out).strip("\n")
