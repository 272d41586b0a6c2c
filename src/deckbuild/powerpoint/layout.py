"""Items in reading order, and a slide's markdown.

Reading order is by position: rows from top to bottom, left to right
within a row. Two items share a row when the lower one starts above the
middle of the higher one, so a picture beside a text box stays beside it.
A row where a content placeholder stands beside another item becomes
`::: columns`, each item a column as wide as its share of the row.
"""

from __future__ import annotations

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
    width = ""
    if item.box is not None and basis:
        share = max(1, min(100, round(item.box.w * 100 / basis)))
        width = f"{{width={share}%}}"
    return f"![{escape.alt(picture.alt)}]({path}){width}"


def block(item: Item, basis: int) -> str:
    return picture_markdown(item, basis) if item.kind == "picture" else item.markdown


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


def slide_markdown(items: list[Item], slide_width: int) -> tuple[str, str]:
    """The slide's title (plain markdown) and its markdown body."""
    titles = [item for item in items if item.kind == "title"]
    body = [item for item in items if item.kind != "title"]
    parts = []
    title = "<br>".join(item.markdown for item in titles)
    if title:
        parts.append(("# " if titles[0].center_title else "## ") + title)
    parts += [row_markdown(row, slide_width) for row in rows(body)]
    return title, "\n\n".join(part for part in parts if part)
