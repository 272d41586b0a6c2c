"""Math checked at build time, so broken TeX is a warning with file:line.

KaTeX typesets in the browser; here we catch what would make it fail:
commands KaTeX does not know (its own list, read from the bundled
katex.min.js), unbalanced braces, `\\begin`/`\\end` and `\\left`/`\\right`
that do not pair, and math delimiters inside math. The page still shows
such TeX as its source, marked (client/deckbuild.js).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from lxml import etree

from deckbuild.errors import Where, warn
from deckbuild.vendor import VENDOR

COMMAND = re.compile(r"\\([A-Za-z]+|.)")
ENVIRONMENT = re.compile(r"\\(begin|end)\s*\{([^}]*)\}")
DEFINES = re.compile(
    r"\\(?:newcommand|renewcommand|providecommand|def|gdef|edef|xdef|let)\s*\{?\\([A-Za-z]+)"
)
DELIMITERS = {"(", ")", "[", "]"}

Locate = Callable[[str], Where]


@cache
def katex_commands() -> frozenset[str]:
    """The control sequences the bundled KaTeX defines (empty when not bundled)."""
    try:
        source = (VENDOR / "katex" / "dist" / "katex.min.js").read_text("utf-8")
    except OSError:
        return frozenset()
    return frozenset(re.findall(r'"\\\\([A-Za-z]+)"', source))


def _braces(tex: str) -> str | None:
    depth = 0
    for match in re.finditer(r"\\.|[{}]", tex):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return "a '}' closes no '{'"
    return "a '{' is not closed" if depth else None


def _environments(tex: str) -> str | None:
    stack: list[str] = []
    for kind, name in ENVIRONMENT.findall(tex):
        if kind == "begin":
            stack.append(name)
        elif not stack or stack.pop() != name:
            return f"\\end{{{name}}} does not close the open environment"
    return f"\\begin{{{stack[-1]}}} is not ended" if stack else None


def check_tex(tex: str) -> str | None:
    """Why KaTeX would fail on `tex`, or None when it looks sound."""
    known = katex_commands()
    defined = set(DEFINES.findall(tex))
    for name in COMMAND.findall(tex):
        if name in DELIMITERS:
            return f"math delimiter \\{name} inside math"
        if known and len(name) > 1 and name not in known and name not in defined:
            return f"unknown TeX command \\{name}"
    problem = _braces(tex) or _environments(tex)
    if problem:
        return problem
    lefts, rights = len(re.findall(r"\\left(?![A-Za-z])", tex)), len(re.findall(r"\\right(?![A-Za-z])", tex))
    if lefts != rights:
        return f"{lefts} \\left but {rights} \\right"
    return None


def check_math(root: etree._Element, locate: Locate) -> None:
    """Warn about each math element KaTeX would not typeset."""
    for element in root.iter("span", "div"):
        if element.get("data-math") is None:
            continue
        tex = element.text or ""
        problem = check_tex(tex)
        if problem:
            short = " ".join(tex.split())
            short = short if len(short) <= 60 else short[:57] + "..."
            warn(f"KaTeX cannot typeset this math ({problem}): {short}", locate(tex.strip().split("\n")[0]))
