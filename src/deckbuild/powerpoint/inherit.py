"""What a slide's shapes inherit from their layout and master.

A placeholder on a slide usually has no position and no bullet style of its
own: both come from the matching placeholder on the slide's layout, then on
the master, then the master's text styles. python-pptx resolves positions
but not bullets; this follows the chain for both, as PowerPoint does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from deckbuild.powerpoint.xml import emu, find, findall, q

TITLE_TYPES = {"title", "ctrTitle"}
DROPPED_TYPES = {"sldNum", "dt", "ftr", "hdr"}


@dataclass(frozen=True)
class Placeholder:
    type: str  # "body" when the XML leaves it out, as the specification says
    idx: str | None


@dataclass(frozen=True)
class Bullet:
    kind: str  # "none", "bullet" or "number"
    start: int = 1


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int


def placeholder(shape: etree._Element) -> Placeholder | None:
    ph = find(shape, "./*/p:nvPr/p:ph")
    if ph is None:
        return None
    return Placeholder(ph.get("type", "body" if ph.get("idx") else "obj"), ph.get("idx"))


def xfrm_box(xfrm: etree._Element | None) -> Box | None:
    off, ext = find(xfrm, "a:off"), find(xfrm, "a:ext")
    if off is None or ext is None:
        return None
    return Box(emu(off.get("x")), emu(off.get("y")), emu(ext.get("cx")), emu(ext.get("cy")))


def bullet_in(ppr: etree._Element | None) -> Bullet | None:
    """The bullet a paragraph-properties element sets, or None when it leaves it to inheritance."""
    if ppr is None:
        return None
    if find(ppr, "a:buNone") is not None:
        return Bullet("none")
    number = find(ppr, "a:buAutoNum")
    if number is not None:
        start = number.get("startAt", "1")
        return Bullet("number", int(start) if start.isdigit() else 1)
    if find(ppr, "a:buChar") is not None or find(ppr, "a:buBlip") is not None:
        return Bullet("bullet")
    return None


def level_ppr(container: etree._Element | None, level: int) -> etree._Element | None:
    """`a:lvl{N}pPr` of a list style (or text style) for paragraph level `level`."""
    return find(container, f"a:lvl{level + 1}pPr")


class Inheritance:
    """The layout and master of one slide, to look placeholders up in."""

    def __init__(self, slide: Any) -> None:
        layout = slide.slide_layout
        self.layout: etree._Element = layout.element
        self.master: etree._Element = layout.slide_master.element

    def _match(self, tree: etree._Element, ph: Placeholder, by_idx: bool) -> etree._Element | None:
        shapes = [s for s in tree.iter(q("p:sp")) if placeholder(s) is not None]
        if by_idx and ph.idx is not None:
            for shape in shapes:
                found = placeholder(shape)
                if found is not None and found.idx == ph.idx:
                    return shape
        wanted = "title" if ph.type in TITLE_TYPES else ph.type
        for shape in shapes:
            found = placeholder(shape)
            if found is None:
                continue
            kind = "title" if found.type in TITLE_TYPES else found.type
            if kind == wanted or (wanted in {"obj", "body"} and kind in {"obj", "body"}):
                return shape
        return None

    def chain(self, ph: Placeholder) -> list[etree._Element]:
        """The layout's and the master's placeholder this one inherits from."""
        found = [self._match(self.layout, ph, True), self._match(self.master, ph, False)]
        return [shape for shape in found if shape is not None]

    def box(self, shape: etree._Element, ph: Placeholder | None) -> Box | None:
        own = xfrm_box(find(shape, "p:spPr/a:xfrm"))
        if own is not None or ph is None:
            return own
        for parent in self.chain(ph):
            inherited = xfrm_box(find(parent, "p:spPr/a:xfrm"))
            if inherited is not None:
                return inherited
        return None

    def bullet(
        self, shape: etree._Element, ph: Placeholder | None, ppr: etree._Element | None, level: int
    ) -> Bullet:
        own = bullet_in(ppr) or bullet_in(level_ppr(find(shape, "p:txBody/a:lstStyle"), level))
        if own is not None:
            return own
        if ph is None:
            return bullet_in(level_ppr(find(self.master, "p:txStyles/p:otherStyle"), level)) or Bullet("none")
        for parent in self.chain(ph):
            inherited = bullet_in(level_ppr(find(parent, "p:txBody/a:lstStyle"), level))
            if inherited is not None:
                return inherited
        style = "p:titleStyle" if ph.type in TITLE_TYPES else "p:bodyStyle"
        return bullet_in(level_ppr(find(self.master, f"p:txStyles/{style}"), level)) or Bullet("none")


def group_transform(group: etree._Element, parent: Box | None) -> tuple[float, float, float, float] | None:
    """Scale and offset mapping a group's child coordinates onto the slide."""
    xfrm = find(group, "p:grpSpPr/a:xfrm")
    box = xfrm_box(xfrm)
    ch_off, ch_ext = find(xfrm, "a:chOff"), find(xfrm, "a:chExt")
    if box is None or ch_off is None or ch_ext is None:
        return None
    cx, cy = emu(ch_ext.get("cx")) or 1, emu(ch_ext.get("cy")) or 1
    sx, sy = box.w / cx, box.h / cy
    return sx, sy, box.x - emu(ch_off.get("x")) * sx, box.y - emu(ch_off.get("y")) * sy


def paragraphs(body: etree._Element | None) -> list[etree._Element]:
    return findall(body, "a:p")
