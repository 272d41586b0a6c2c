"""Marp directives: which names exist, how comments become directives or notes.

As Marpit 3 reads them: a comment whose YAML is a mapping with at least one
directive name is a directive comment (its other keys are ignored), every
other comment is a presenter note. Global directives set the deck (the last
one wins); local ones apply from their slide on; a local one spelled with
`_` (a "spot" directive) applies to its slide only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

# marpit's own globals, marp-core's (size, math), marp-cli's metadata
GLOBAL = {
    "theme",
    "style",
    "headingDivider",
    "lang",
    "size",
    "math",
    "title",
    "description",
    "author",
    "keywords",
    "url",
    "image",
    "marp",
}
# marpit's locals, and marp-cli's transition
LOCAL = {
    "paginate",
    "header",
    "footer",
    "class",
    "backgroundColor",
    "backgroundImage",
    "backgroundPosition",
    "backgroundRepeat",
    "backgroundSize",
    "color",
    "transition",
}
# what older Marp (the desktop app) read and today's Marp ignores: such comments are notes
OLD = {"$theme", "$size", "$width", "$height", "page_number", "*page_number", "template", "prerender"}


def as_text(value: Any) -> str:
    """A directive value as Marp reads it: scalars as text, true/false lower case."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


LOOSE = re.compile(r"^(\s*)(_?)([A-Za-z]+)(\s*:[ \t]*)(\S.*?)[ \t]*$", re.M)


def convert_loose(text: str) -> str:
    """Directive values taken as written, as Marp's loose YAML does: in
    `_backgroundColor: #0473cf;` the `#` starts the colour, not a YAML comment."""

    def quote(match: re.Match[str]) -> str:
        indent, spot, name, colon, value = match.groups()
        if name not in GLOBAL | LOCAL or value[0] in "'\"[{|>&*!":
            return match.group(0)
        return f"{indent}{spot}{name}{colon}{json.dumps(value)}"

    return LOOSE.sub(quote, text)


def parse_comment(text: str) -> dict[str, Any] | None:
    """The YAML mapping inside a comment, or None when it is not one."""
    try:
        data = yaml.safe_load(convert_loose(text))
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) and data else None


def is_directive(data: dict[str, Any] | None) -> bool:
    return data is not None and any(str(k).lstrip("_") in GLOBAL | LOCAL for k in data)


def old_directive(data: dict[str, Any] | None) -> str | None:
    """The name of an old Marp directive the comment holds, if that is all it is."""
    if data is None or is_directive(data):
        return None
    return next((str(k) for k in data if str(k) in OLD), None)


@dataclass
class Directives:
    """The state of directives while walking the slides in order."""

    globals: dict[str, str] = field(default_factory=dict)
    carried: dict[str, str] = field(default_factory=dict)  # local ones, from their slide on

    def take(self, data: dict[str, Any], spot: dict[str, str]) -> None:
        """Apply one directive mapping; `spot` collects this slide's `_name` ones."""
        for raw, value in data.items():
            key = str(raw)
            name = key.lstrip("_")
            text = as_text(value)
            if name in GLOBAL:
                self.globals[name] = text
            elif name in LOCAL:
                (spot if key.startswith("_") else self.carried)[name] = text

    def for_slide(self, spot: dict[str, str]) -> dict[str, str]:
        return {**self.carried, **spot}
