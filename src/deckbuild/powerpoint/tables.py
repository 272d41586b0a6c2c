"""Tables, charts and SmartArt as markdown.

A table without merged cells is a GFM table (its first row the header); one
with merged cells is an HTML table with row/colspan, since GFM cannot span.
A chart becomes the table of its data (the importer warns: the picture is
gone). SmartArt's text comes from its data part as a nested list.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from deckbuild.powerpoint import escape
from deckbuild.powerpoint.context import SlideContext
from deckbuild.powerpoint.xml import NS, emu, find, findall, parse, q

CellText = Callable[[etree._Element], str]


def cells_merged(table: etree._Element) -> bool:
    for cell in table.iter(q("a:tc")):
        if any(cell.get(attr) not in {None, "0", "1"} for attr in ("gridSpan", "rowSpan")):
            return True
        if cell.get("hMerge") in {"1", "true"} or cell.get("vMerge") in {"1", "true"}:
            return True
    return False


def grid(rows: list[list[str]]) -> str:
    """A GFM table of cells already written as markdown; the first row is the header."""
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    cells = [[escape.table_cell(cell) or " " for cell in row] + [" "] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in cells[1:]])


def gfm(table: etree._Element, cell_text: CellText) -> str:
    return grid([[cell_text(cell) for cell in findall(row, "a:tc")] for row in findall(table, "a:tr")])


def html_table(table: etree._Element, cell_html: CellText) -> str:
    lines = ["<table>"]
    for index, row in enumerate(findall(table, "a:tr")):
        tag = "th" if index == 0 else "td"
        cells = []
        for cell in findall(row, "a:tc"):
            if cell.get("hMerge") in {"1", "true"} or cell.get("vMerge") in {"1", "true"}:
                continue  # covered by a spanning cell
            spans = "".join(
                f' {name}="{cell.get(attr)}"'
                for attr, name in (("gridSpan", "colspan"), ("rowSpan", "rowspan"))
                if cell.get(attr) not in {None, "1"}
            )
            content = cell_html(cell)
            # blank lines around the cell's markdown let markdown render it inside the HTML table
            cells.append(f"<{tag}{spans}>\n\n{content}\n\n</{tag}>" if content else f"<{tag}{spans}></{tag}>")
        lines.append("<tr>\n" + "\n".join(cells) + "\n</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def table(frame: etree._Element, cell_text: CellText, cell_html: CellText, context: SlideContext) -> str:
    tbl = find(frame, "a:graphic/a:graphicData/a:tbl")
    if tbl is None:
        return ""
    context.report.tables += 1
    return html_table(tbl, cell_html) if cells_merged(tbl) else gfm(tbl, cell_text)


def _points(element: etree._Element | None) -> dict[int, str]:
    """A chart cache's points by index (`c:pt idx=… / c:v`)."""
    points = {}
    for pt in findall(element, ".//c:pt"):
        value = find(pt, "c:v")
        if value is not None:
            points[emu(pt.get("idx"))] = value.text or ""
    return points


def related_xml(
    frame: etree._Element, ref_path: str, attr: str, context: SlideContext, what: str
) -> etree._Element | None:
    """The XML of the part a graphic frame refers to (a chart's, a SmartArt's data), or None with a warning."""
    ref = find(frame, ref_path)
    part = context.related(ref.get(q(attr)) if ref is not None else None)
    if part is None:
        context.warn(f"{what} is missing from the file; left out")
        return None
    return parse(part.blob)


def chart(frame: etree._Element, context: SlideContext) -> str:
    root = related_xml(frame, "a:graphic/a:graphicData/c:chart", "r:id", context, "a chart's data")
    if root is None:
        return ""
    names, columns, categories = [], [], {}
    for number, ser in enumerate(root.findall(".//c:ser", NS), 1):
        names.append(" ".join(t.text or "" for t in ser.iterfind("c:tx//c:v", NS)) or f"Series {number}")
        columns.append(_points(find(ser, "c:val")))
        categories.update(_points(find(ser, "c:cat")))
    if not columns:
        context.warn("a chart with no data series; left out")
        return ""
    indexes = sorted(set(categories) | {i for column in columns for i in column})
    context.warn("a chart became a table of its data (the chart itself cannot be imported)")
    context.report.tables += 1
    rows = [[""] + names]
    rows += [[categories.get(i, str(i + 1))] + [column.get(i, "") for column in columns] for i in indexes]
    return grid([[escape.inline(cell) for cell in row] for row in rows])


def smartart(frame: etree._Element, context: SlideContext) -> str:
    root = related_xml(
        frame, "a:graphic/a:graphicData/dgm:relIds", "r:dm", context, "a SmartArt graphic's text"
    )
    if root is None:
        return ""
    points = {pt.get("modelId"): pt for pt in root.iter(q("dgm:pt"))}
    children: dict[str | None, list[tuple[int, str]]] = {}
    for cxn in root.iter(q("dgm:cxn")):
        if cxn.get("type", "parOf") == "parOf":
            children.setdefault(cxn.get("srcId"), []).append(
                (emu(cxn.get("srcOrd")), cxn.get("destId") or "")
            )
    doc = next((key for key, pt in points.items() if pt.get("type") == "doc"), None)
    lines: list[str] = []

    def visit(node: str | None, depth: int) -> None:
        for _, child in sorted(children.get(node, [])):
            point = points.get(child)
            if point is None or point.get("type", "node") != "node":
                continue
            text = " ".join(" ".join(t.text or "" for t in point.iter(q("a:t"))).split())
            if text:
                lines.append("    " * depth + "- " + escape.line_start(escape.inline(text)))
            visit(child, depth + 1 if text else depth)

    visit(doc, 0)
    return "\n".join(lines)
