"""Columns as fenced containers (Pandoc/Quarto style), a markdown-it block rule.

    ::: columns
    ::: column width=40%
    Left
    :::
    ::: column
    Right
    :::
    :::

Quarto's spelling works too (`:::: {.columns}`, `::: {.column width="40%"}`).
Unlike mdit-py-plugins' container plugin, whose block ends at the first
closing fence, a block here ends at the fence that balances it, so the
inner fences need not be shorter than the outer ones.
A column's `width` becomes its flex basis; a column without one shares
what is left. A problem (bad width, unknown attribute, column outside a
`columns` block) is a warning in `env["problems"]`, never text on the slide.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

FENCE = re.compile(r"^(:{3,})\s*(.*?)\s*$")
# `columns`, `column width=40%`, `{.column width="40%"}`
PARAMS = re.compile(r"^(?:\{\s*\.(columns?)\b(.*)\}|(columns?)\b(.*))$")
ATTRIBUTE = re.compile(r'\s*([\w-]+)=(?:"([^"]*)"|(\S+))')
WIDTH = re.compile(r"\d+(\.\d+)?(%|px|em|rem|vw|ch)")


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _closing_line(state: StateBlock, start: int, end: int) -> int:
    """The line of the fence that balances the one at `start` (or `end`)."""
    depth = 1
    for line in range(start + 1, end):
        if state.sCount[line] < state.blkIndent and _line(state, line):
            return line  # less indented: the parent block ends here, and so do we
        if state.sCount[line] - state.blkIndent >= 4:
            continue  # indented code
        match = FENCE.match(_line(state, line))
        if match is None:
            continue
        depth += 1 if match.group(2) else -1
        if depth == 0:
            return line
    return end


def _parse_params(text: str) -> tuple[str, dict[str, str]] | None:
    match = PARAMS.match(text)
    if match is None:
        return None
    name = match.group(1) or match.group(3)
    rest = (match.group(2) if match.group(1) else match.group(4)) or ""
    attrs: dict[str, str] = {}
    for attribute in ATTRIBUTE.finditer(rest):
        attrs[attribute.group(1)] = (
            attribute.group(2) if attribute.group(2) is not None else attribute.group(3)
        )
    leftover = ATTRIBUTE.sub("", rest).strip()
    if leftover:
        attrs["\0"] = leftover
    return name, attrs


def _problem(state: StateBlock, line: int, message: str) -> None:
    state.env.setdefault("problems", []).append((line, message))


def _column_style(state: StateBlock, line: int, attrs: dict[str, str]) -> str | None:
    style = None
    for key, value in attrs.items():
        if key == "width" and WIDTH.fullmatch(value):
            style = f"flex: 0 0 {value}"
        elif key == "width":
            _problem(state, line, f"column width '{value}' must be a length such as 40% or 300px")
        elif key == "\0":
            _problem(state, line, f"cannot read '{value}' in a column fence (ignored)")
        else:
            _problem(state, line, f"unknown column attribute '{key}' (ignored)")
    return style


def columns_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    match = FENCE.match(_line(state, start))
    if match is None or not match.group(2):
        return False
    parsed = _parse_params(match.group(2))
    if parsed is None:
        return False
    if silent:
        return True
    name, attrs = parsed
    inside = state.parentType == "columns"
    if name == "column" and not inside:
        _problem(state, start, "'::: column' outside a '::: columns' block (shown as a block)")
    closing = _closing_line(state, start, end)
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "columns" if name == "columns" else "column"
    state.lineMax = closing
    token = state.push(f"{name}_open", "div", 1)
    token.block = True
    token.map = [start, closing]
    token.attrSet("class", name)
    if name == "columns" and attrs:
        _problem(state, start, "a columns fence takes no attributes (ignored)")
    style = _column_style(state, start, attrs) if name == "column" else None
    if style:
        token.attrSet("style", style)
    state.md.block.tokenize(state, start + 1, closing)
    state.push(f"{name}_close", "div", -1).block = True
    state.parentType, state.lineMax = old_parent, old_max
    state.line = min(closing + 1, end)
    return True


def columns_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "fence", "columns", columns_rule, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
