"""A slide's shape tree as positioned items of markdown, in document order.

Walks `p:spTree` itself (python-pptx's `slide.shapes` skips whatever sits in
`mc:AlternateContent`), flattening groups with their child coordinate
space mapped onto the slide so reading order can be decided on positions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from deckbuild.powerpoint import media, tables, text
from deckbuild.powerpoint.context import SlideContext
from deckbuild.powerpoint.inherit import (
    DROPPED_TYPES,
    TITLE_TYPES,
    Box,
    Bullet,
    Inheritance,
    Placeholder,
    bullet_in,
    group_transform,
    placeholder,
    xfrm_box,
)
from deckbuild.powerpoint.timing import shape_id
from deckbuild.powerpoint.xml import chosen, find, findall, local, q

Transform = tuple[float, float, float, float]  # scale x, scale y, offset x, offset y
IDENTITY: Transform = (1.0, 1.0, 0.0, 0.0)

TABLE = "http://schemas.openxmlformats.org/drawingml/2006/table"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DIAGRAM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"


@dataclass
class Item:
    kind: str  # "title", "text", "picture", "table"
    box: Box | None
    markdown: str = ""
    content_placeholder: bool = False  # a body/object placeholder: side by side ones are columns
    picture: media.Picture | None = None
    subtitle: bool = False
    center_title: bool = False
    plain: str = ""  # the text as PowerPoint shows it, for a deck title
    step: int = 0  # the click that shows it (an entrance animation), 0: shown with the slide
    group: str = ""  # the id of the outermost group it came from


def apply(transform: Transform, box: Box | None) -> Box | None:
    if box is None:
        return None
    sx, sy, ox, oy = transform
    return Box(round(box.x * sx + ox), round(box.y * sy + oy), round(box.w * sx), round(box.h * sy))


def compose(outer: Transform, inner: Transform) -> Transform:
    return (
        outer[0] * inner[0],
        outer[1] * inner[1],
        outer[2] + inner[2] * outer[0],
        outer[3] + inner[3] * outer[1],
    )


class SlideReader:
    """Turns one slide (or a notes page) into items."""

    def __init__(
        self, context: SlideContext, inheritance: Inheritance | None, steps: dict[str, int] | None = None
    ) -> None:
        self.context = context
        self.inheritance = inheritance
        self.steps = steps or {}

    def items(
        self, children: Iterable[etree._Element], transform: Transform = IDENTITY, step: int = 0
    ) -> Iterator[Item]:
        for child in children:
            # a shape shown by a click, or inside a group shown by one, is a fragment of that step
            own = self.steps.get(shape_id(child) or "", step)
            try:
                for found in list(self.item(child, transform, own)):
                    found.step = found.step or own
                    yield found
            except Exception as error:  # noqa: BLE001 - one odd shape must not cost the whole deck
                props = child.find(".//" + q("p:cNvPr"))
                shape = props.get("name", "") if props is not None else local(child)
                self.context.warn(
                    f'shape "{shape}" could not be imported ({type(error).__name__}: {error}); left out'
                )

    def item(self, child: etree._Element, transform: Transform, step: int) -> Iterator[Item]:
        """One child of a shape tree: a shape, picture, frame, group or a choice of them."""
        name = local(child)
        if child.tag == q("mc:AlternateContent"):
            yield from self.items(chosen(child), transform, step)
        elif name == "sp":
            yield from self.shape(child, transform)
        elif name == "pic":
            yield from self.pic(child, transform)
        elif name == "graphicFrame":
            yield from self.frame(child, transform)
        elif name == "grpSp":
            inner = group_transform(child, None)
            group = shape_id(child) or ""
            for found in self.items(list(child), compose(transform, inner) if inner else transform, step):
                found.group = group  # the outermost group wins: it is the last to set it
                yield found

    def paragraphs(self, shape: etree._Element, ph: Placeholder | None) -> list[text.Paragraph]:
        out = []
        for para in findall(shape, "p:txBody/a:p"):
            ppr = find(para, "a:pPr")
            level = int(ppr.get("lvl", "0")) if ppr is not None and (ppr.get("lvl") or "0").isdigit() else 0
            if self.inheritance is None:
                bullet = bullet_in(ppr) or Bullet("none")
            else:
                bullet = self.inheritance.bullet(shape, ph, ppr, level)
            out.append(text.paragraph(para, bullet, level, self.context))
        return out

    def box(self, shape: etree._Element, ph: Placeholder | None, transform: Transform) -> Box | None:
        if self.inheritance is None:
            return apply(transform, xfrm_box(find(shape, "p:spPr/a:xfrm")))
        return apply(transform, self.inheritance.box(shape, ph))

    def shape(self, shape: etree._Element, transform: Transform) -> Iterator[Item]:
        ph = placeholder(shape)
        if ph is not None and ph.type in DROPPED_TYPES:
            return
        box = self.box(shape, ph, transform)
        fill = find(shape, "p:spPr/a:blipFill/a:blip")
        if fill is not None and not text.plain(find(shape, "p:txBody")):
            yield from self.picture_item(shape, fill, box)
            return
        paras = self.paragraphs(shape, ph)
        if ph is not None and ph.type in TITLE_TYPES:
            # a heading is one line: a display equation in a title is set inline
            lines = [
                " ".join([p.markdown] * bool(p.markdown) + [f"${tex}$" for tex in p.display]) for p in paras
            ]
            title = "<br>".join(line for line in lines if line)
            if title:
                plain = text.plain(find(shape, "p:txBody"))
                yield Item("title", box, title, center_title=ph.type == "ctrTitle", plain=plain)
            return
        markdown = text.blocks(paras)
        if markdown:
            content = ph is not None and ph.type in {"body", "obj"}
            subtitle = ph is not None and ph.type == "subTitle"
            plain = text.plain(find(shape, "p:txBody"))
            yield Item("text", box, markdown, content_placeholder=content, subtitle=subtitle, plain=plain)

    def pic(self, pic: etree._Element, transform: Transform) -> Iterator[Item]:
        ph = placeholder(pic)
        blip = find(pic, "p:blipFill/a:blip")
        box = apply(transform, xfrm_box(find(pic, "p:spPr/a:xfrm")))
        if box is None and ph is not None and self.inheritance is not None:
            box = apply(transform, self.inheritance.box(pic, ph))
        if blip is None:
            self.context.warn("a picture with no image (a video or audio clip?) was left out")
            return
        yield from self.picture_item(pic, blip, box)

    def picture_item(self, shape: etree._Element, blip: etree._Element, box: Box | None) -> Iterator[Item]:
        props = find(shape, "./*/p:cNvPr")
        alt = (props.get("descr") or props.get("title") or "") if props is not None else ""
        picture = media.picture(blip, alt.strip(), self.context)
        if picture is not None:
            yield Item("picture", box, picture=picture)

    def frame(self, frame: etree._Element, transform: Transform) -> Iterator[Item]:
        box = apply(transform, xfrm_box(find(frame, "p:xfrm")))
        data = find(frame, "a:graphic/a:graphicData")
        uri = data.get("uri", "") if data is not None else ""
        if uri == TABLE:
            markdown = tables.table(frame, self.cell_markdown, self.cell_blocks, self.context)
        elif uri == CHART:
            markdown = tables.chart(frame, self.context)
        elif uri == DIAGRAM:
            markdown = tables.smartart(frame, self.context)
        else:
            yield from self.embedded(frame, box)
            return
        if markdown:
            yield Item("table" if uri != DIAGRAM else "text", box, markdown)

    def embedded(self, frame: etree._Element, box: Box | None) -> Iterator[Item]:
        """An OLE object (Equation Editor 3, MathType, a spreadsheet): its preview picture."""
        pictures = list(frame.iter(q("p:pic")))
        blip = find(pictures[0], "p:blipFill/a:blip") if pictures else None
        if blip is None:
            self.context.warn("an embedded object with no preview picture was left out")
            return
        self.context.warn(
            "an embedded object (e.g. an old Equation Editor equation) was imported as its picture"
        )
        yield from self.picture_item(pictures[0], blip, box)

    def cell_paragraphs(self, cell: etree._Element) -> list[text.Paragraph]:
        return [text.paragraph(p, Bullet("none"), 0, self.context) for p in findall(cell, "a:txBody/a:p")]

    def cell_markdown(self, cell: etree._Element) -> str:
        parts = []
        for para in self.cell_paragraphs(cell):
            parts += [para.markdown] if para.markdown else []
            parts += [f"${tex}$" for tex in para.display]
        return "<br>".join(parts)

    def cell_blocks(self, cell: etree._Element) -> str:
        return text.blocks(self.cell_paragraphs(cell))
