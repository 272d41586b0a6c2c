"""Items in reading order, and a slide's markdown.

Reading order is by position: rows from top to bottom, left to right
within a row. Two items share a row when the lower one starts above the
middle of the higher one, so a picture beside a text box stays beside it.
A row where a content placeholder stands beside another item becomes
`::: columns`, each item a column as wide as its share of the row.
"""

from __future__ import annotations

import html
from itertools import pairwise

from deckbuild.powerpoint import escape
from deckbuild.powerpoint.inherit import Box
from deckbuild.powerpoint.shapes import Item

NO_BOX = Box(0, 0, 0, 0)


def rows(items: list[Item]) -> list[list[Item]]:
    placed = sorted(enumerate(items), key=lambda pair: ((pair[1].box or NO_BOX).y, pair[0]))
    out: list[list[tuple[int, Item]]] = []
    for index, item in placed:
        box = item.box or NO_BOX
        if out:
            first = out[-1][0][1].box or NO_BOX
            if item.box is not None and first.h and box.y < first.y + first.h / 2:
                out[-1].append((index, item))
                continue
        out.append([(index, item)])
    return [
        [item for _, item in sorted(row, key=lambda pair: ((pair[1].box or NO_BOX).x, pair[0]))]
        for row in out
    ]


def side_by_side(row: list[Item]) -> bool:
    """Whether the row's items stand apart horizontally (no item overlaps the next by half)."""
    boxes = [item.box for item in row]
    if len(row) < 2 or any(box is None for box in boxes):
        return False
    for left, right in pairwise(boxes):
        assert left is not None and right is not None
        if right.x < left.x + left.w / 2:
            return False
    return True


def picture_markdown(item: Item, basis: int) -> str:
    picture = item.picture
    assert picture is not None
    path = escape.url(picture.path)
    if not picture.shown:
        label = escape.alt(picture.alt) or picture.path.rsplit("/", 1)[-1]
        return f"[{label} (picture file)]({path})"
    attributes = []
    if item.box is not None and basis:
        attributes.append(f"width={max(1, min(100, round(item.box.w * 100 / basis)))}%")
    if item.step:
        attributes += [".fragment", f"data-fragment-index={item.step}"]
    return f"![{escape.alt(picture.alt)}]({path})" + ("{" + " ".join(attributes) + "}" if attributes else "")


def block(item: Item, basis: int) -> str:
    if item.kind == "picture":
        return picture_markdown(item, basis)
    if item.step:
        # markdown between blank lines inside the div is still read as markdown
        return f'<div class="fragment" data-fragment-index="{item.step}">\n\n{item.markdown}\n\n</div>'
    return item.markdown


def columns(row: list[Item], basis: int) -> str:
    total = sum(item.box.w for item in row if item.box is not None) or 1
    out = ["::: columns"]
    for item in row:
        width = item.box.w if item.box is not None else 0
        share = round(width * 100 / total)
        out += [f"::: column width={share}%", block(item, width), ":::"]
    out.append(":::")
    return "\n".join(out)


def row_markdown(row: list[Item], basis: int) -> str:
    if side_by_side(row) and any(item.content_placeholder for item in row):
        return columns(row, basis)
    if all(item.kind == "picture" for item in row):
        return " ".join(block(item, basis) for item in row)
    return "\n\n".join(block(item, basis) for item in row)


def figures(items: list[Item], slide_width: int) -> list[Item]:
    """A group made only of pictures (a map with pieces on it) stays one figure, laid out as on the slide."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        if item.group:
            groups.setdefault(item.group, []).append(item)
    whole = {
        key: members
        for key, members in groups.items()
        if len(members) > 1
        and all(m.kind == "picture" and m.box and m.picture and m.picture.shown for m in members)
    }
    out: list[Item] = []
    for item in items:
        members = whole.get(item.group)
        if members is None:
            out.append(item)
        elif item is members[0]:
            out.append(figure(members, slide_width))
    return out


def figure(members: list[Item], slide_width: int) -> Item:
    """Pictures placed in percentages of their group's box, so the figure scales as one."""
    boxes = [m.box for m in members if m.box is not None]
    left, top = min(b.x for b in boxes), min(b.y for b in boxes)
    width = max(b.x + b.w for b in boxes) - left or 1
    height = max(b.y + b.h for b in boxes) - top or 1
    share = min(100.0, width * 100 / (slide_width or width))
    style = f"position: relative; width: {share:.0f}%; aspect-ratio: {width} / {height}; margin: 0 auto"
    lines = [f'<div class="pptx-figure" style="{style}">']
    for member in members:
        box, picture = member.box, member.picture
        assert box is not None and picture is not None
        place = (
            f"position: absolute; left: {(box.x - left) * 100 / width:.2f}%; top: {(box.y - top) * 100 / height:.2f}%; "
            f"width: {box.w * 100 / width:.2f}%; height: {box.h * 100 / height:.2f}%; margin: 0"
        )
        step = f' class="fragment" data-fragment-index="{member.step}"' if member.step else ""
        lines.append(
            f'<img src="{html.escape(picture.path)}" alt="{html.escape(picture.alt)}"{step} style="{place}">'
        )
    lines.append("</div>")
    group_box = Box(left, top, width, height)
    return Item("figure", group_box, "\n".join(lines), step=0, group=members[0].group)


def slide_markdown(items: list[Item], slide_width: int) -> tuple[str, str]:
    """The slide's title (plain markdown) and its markdown body."""
    titles = [item for item in items if item.kind == "title"]
    body = [item for item in items if item.kind != "title"]
    parts = []
    title = "<br>".join(item.markdown for item in titles)
    if title:
        parts.append(("# " if titles[0].center_title else "## ") + title)
    parts += [row_markdown(row, slide_width) for row in rows(figures(body, slide_width))]
    return title, "\n\n".join(part for part in parts if part)
