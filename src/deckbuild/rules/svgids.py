"""Ids of an inlined SVG copy: prefixed to be unique in the page, references too.

A cleaned SVG is serialized once as a template in which every id and every
reference to one reads `MARK-id`; a copy is then one string replace of
MARK by its page-unique prefix, plus small edits to the start tags its
params name. (SVGs that reference files beside them are copied as trees.)
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass, field

from lxml import etree

from deckbuild.rules.svgfile import SVG_NS, XLINK_HREF, CleanSvg

ID_LIST_ATTRIBUTES = ("aria-labelledby", "aria-describedby", "aria-owns", "aria-controls", "aria-flowto")
MARK = "\ue000"  # a private-use character: stands for a copy's id prefix in templates
TAG_ATTRIBUTE = '(\\s){name}="([^"]*)"'
URL_REF = re.compile(r"url\(\s*(['\"]?)#([^'\")\s]+)\1\s*\)")
CSS_ID_SELECTOR = re.compile(r"#([A-Za-z_][\w-]*)(?=[\s,.:>+~\[{)])")


def rewrite_ids(root: etree._Element, prefix: str, root_id: str | None) -> None:
    """Give every id in this copy the page-unique prefix, references too."""
    ids: dict[str, str] = {}
    for element in root.iter(etree.Element):
        old = element.get("id")
        if old is not None:
            ids[old] = f"{prefix}-{old}"
    if root_id is not None and root.get("id") is not None:
        ids[str(root.get("id"))] = root_id

    def url(match: re.Match[str]) -> str:
        new = ids.get(match.group(2))
        return match.group(0) if new is None else f"url({match.group(1)}#{new}{match.group(1)})"

    def selector(match: re.Match[str]) -> str:
        new = ids.get(match.group(1))
        return match.group(0) if new is None else f"#{new}"

    for element in root.iter(etree.Element):
        for name, value in element.attrib.items():
            if name == "id":
                element.set(name, ids[value])
            elif "url(" in value:
                element.set(name, URL_REF.sub(url, value))
            elif name in ("href", XLINK_HREF) and value.startswith("#"):
                element.set(name, "#" + ids.get(value[1:], value[1:]))
            elif name in ID_LIST_ATTRIBUTES:
                element.set(name, " ".join(ids.get(part, part) for part in value.split()))
        if element.tag == f"{{{SVG_NS}}}style" and element.text:
            element.text = CSS_ID_SELECTOR.sub(selector, URL_REF.sub(url, element.text))
    if root_id is not None:
        root.set("id", root_id)


def _merge_classes(have: str, add: list[str]) -> str:
    own = have.split()
    return " ".join(own + [c for c in add if c not in own])


@dataclass
class Edit:
    """What a copy changes on one element: classes added, attributes set."""

    classes: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)

    def add_classes(self, classes: str) -> None:
        self.classes += [c for c in classes.split() if c not in self.classes]

    def apply(self, element: etree._Element) -> None:
        if self.classes:
            element.set("class", _merge_classes(element.get("class") or "", self.classes))
        for name, value in self.attributes.items():
            element.set(name, value)

    def apply_to_tag(self, tag: str) -> str:
        """The same edit on a serialized start tag (`<g id="…" …>`)."""
        if self.classes:
            match = re.search(TAG_ATTRIBUTE.format(name="class"), tag)
            merged = _merge_classes(html.unescape(match.group(2)) if match else "", self.classes)
            tag = _set_in_tag(tag, "class", merged, match)
        for name, value in self.attributes.items():
            tag = _set_in_tag(tag, name, value, re.search(TAG_ATTRIBUTE.format(name=re.escape(name)), tag))
        return tag


def _set_in_tag(tag: str, name: str, value: str, match: re.Match[str] | None) -> str:
    quoted = html.escape(value, quote=True)
    if match is not None:
        return f'{tag[: match.start()]}{match.group(1)}{name}="{quoted}"{tag[match.end() :]}'
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return f'{tag[:end]} {name}="{quoted}"{tag[end:]}'


def edit_template(template: str, edits: dict[str, Edit], root_edit: Edit) -> str:
    """Apply start-tag edits to a template, found by their marked ids."""
    spans: list[tuple[int, int, Edit]] = []
    root_end = template.index(">") + 1
    spans.append((0, root_end, root_edit))
    for element_id, edit in edits.items():
        at = template.find(f' id="{MARK}-{element_id}"')
        if at < 0:
            continue
        start = template.rfind("<", 0, at)
        spans.append((start, template.index(">", at) + 1, edit))
    out: list[str] = []
    position = 0
    for start, end, edit in sorted(spans, key=lambda s: s[0]):
        if start < position:  # the root itself named by a param: one edit on one tag
            continue
        out += [template[position:start], edit.apply_to_tag(template[start:end])]
        position = end
    out.append(template[position:])
    return "".join(out)


def template_of(clean: CleanSvg) -> str:
    """The SVG serialized once with every id and reference marked."""
    if clean.template is None:
        markup = etree.tostring(clean.root, encoding="unicode")
        if "<style" in markup or "aria-" in markup:
            # CSS selectors and id lists need to know which words are ids: the tree way
            marked = copy.deepcopy(clean.root)
            rewrite_ids(marked, MARK, None)
            markup = etree.tostring(marked, encoding="unicode")
        else:
            # Every id, and every #reference (url(#…), href="#…"), gets the mark; a
            # reference to no id of this SVG stays one to no id of the page.
            # (plain replaces: lxml writes each attribute as ` name="value"`)
            for start in (' id="', 'href="#', "url(#", "url('#", "url(&quot;#", "url(&apos;#"):
                markup = markup.replace(start, f"{start}{MARK}-")
        clean.template = markup
    return clean.template
