"""Incremental lists: list items that step in one by one, as fragments.

`incremental: true` (course or front matter; reveal.js's own spelling
`reveal: {markdown: {animateLists: true}}` too) makes every list of the
deck incremental. One list switches either way with a comment in reveal's
style on the line before it:

    <!-- .list: incremental -->      this list steps in
    <!-- .list: static -->           this list is shown whole

The comment applies to the first list that follows it in the slide; a
nested list follows its parent list unless it has a comment of its own.
`fragment` is added to each item's classes (an item that is a fragment
already keeps its own), so `.element` comments still refine single items.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from deckbuild.rules.tree import is_element, remove_keeping_tail

SWITCH = re.compile(r"^\s*\.list:\s*(\S+)\s*$")
MODES = {"incremental": True, "static": False}
LISTS = ("ul", "ol")


def _next_list(comment: etree._Element) -> etree._Element | None:
    """The first list after `comment` in document order, within the slide."""
    after = False
    root = comment.getroottree().getroot()
    for node in root.iter():
        if node is comment:
            after = True
        elif after and is_element(node) and node.tag in LISTS:
            return node
    return None


def read_switches(section: etree._Element, warn: Callable[[str, str], None]) -> dict[etree._Element, bool]:
    """Each `.list:` comment's list and mode; the comments are spent."""
    switches: dict[etree._Element, bool] = {}
    for comment in list(section.iter(etree.Comment)):
        text = comment.text or ""
        match = SWITCH.match(text)
        if match is None:
            if text.strip().startswith(".list"):
                warn(f"list switch '{text.strip()}' must be '.list: incremental' or '.list: static'", text)
            continue
        mode = MODES.get(match.group(1))
        target = _next_list(comment)
        if mode is None:
            warn(f"unknown list mode '{match.group(1)}' (use incremental or static)", text)
        elif target is None:
            warn("no list after this '.list:' comment", text)
        else:
            switches[target] = mode
        remove_keeping_tail(comment)
    return switches


def _mode(element: etree._Element, switches: dict[etree._Element, bool], default: bool) -> bool:
    node: etree._Element | None = element
    while node is not None:
        if node in switches:
            return switches[node]
        node = node.getparent()
        while node is not None and node.tag not in LISTS:
            node = node.getparent()
    return default


def make_incremental(section: etree._Element, default: bool, warn: Callable[[str, str], None]) -> None:
    """Make the items of incremental lists fragments."""
    switches = read_switches(section, warn)
    if not default and not any(switches.values()):
        return
    for item in section.iter("li"):
        parent = item.getparent()
        if parent is None or parent.tag not in LISTS or not _mode(parent, switches, default):
            continue
        classes = (item.get("class") or "").split()
        if "fragment" not in classes:
            item.set("class", " ".join([*classes, "fragment"]))
