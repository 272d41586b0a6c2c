"""Text from a slide written so markdown (and deckbuild) reads it back as text.

A slide says `PATH=$HOME/bin`, `<your name>`, `*`, `# 1`; written as they
are, markdown would start math, drop an unknown tag, emphasise or make a
heading. Each character that could be read as syntax is escaped with a
backslash (CommonMark escapes every ASCII punctuation character), and the
line-start forms (headings, list markers, `Note:`, `:::`, `---`) only where
they would be read as such, so the written deck stays readable to edit.
"""

from __future__ import annotations

import re

ALWAYS = set("\\`*$[]<~")
LINE_START = [
    (re.compile(r"^(\s*)([#>])"), r"\1\\\2"),
    (re.compile(r"^(\s*)([-+])(\s|$)"), r"\1\\\2\3"),
    (re.compile(r"^(\s*\d+)([.)])(\s|$)"), r"\1\\\2\3"),
    (re.compile(r"^(\s*)(notes?)(:)", re.I), r"\1\2\\\3"),
    (re.compile(r"^(\s*)(:::)"), r"\1\\\2"),
    (re.compile(r"^(\s*)(=+\s*)$"), r"\1\\\2"),
    # `---` alone is deckbuild's slide separator (and `----` a vertical one)
    (re.compile(r"^(\s*)(-{2,})"), r"\1\\\2"),
]


def inline(text: str) -> str:
    """Escape characters that markdown reads as syntax anywhere in a line."""
    out = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if char in ALWAYS:
            out.append("\\" + char)
        elif char == "_" and not (before.isalnum() and after.isalnum()):
            out.append("\\_")  # snake_case stays as it is: markdown ignores intraword `_`
        elif char == "&" and (after.isalnum() or after == "#"):
            out.append("\\&")  # `&copy;` would become ©
        elif char == "{" and "}" in text[index:]:
            out.append("\\{")  # `{.class}` would be read as attributes
        else:
            out.append(char)
    return "".join(out)


def line_start(text: str) -> str:
    """Escape what markdown reads as a block (heading, list, notes) at a line's start."""
    for pattern, replacement in LINE_START:
        text = pattern.sub(replacement, text, count=1)
    return text


def table_cell(text: str) -> str:
    return text.replace("|", "\\|")


def url(target: str) -> str:
    """A link target inside `(…)`: spaces and parentheses would end it."""
    return target.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def alt(text: str) -> str:
    """Alt text inside `![…]`."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
