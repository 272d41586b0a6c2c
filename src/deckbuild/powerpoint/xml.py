"""Namespaces and small lookups shared by the PowerPoint import stages."""

from __future__ import annotations

from lxml import etree

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "a14": "http://schemas.microsoft.com/office/drawing/2010/main",
    "asvg": "http://schemas.microsoft.com/office/drawing/2016/SVG/main",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}
# what the importer understands when PowerPoint offers a choice in mc:AlternateContent
UNDERSTOOD = {NS["a14"], NS["asvg"], "http://schemas.microsoft.com/office/powerpoint/2010/main"}


def q(name: str) -> str:
    """`"a:p"` → Clark notation `{namespace}p`."""
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def find(element: etree._Element | None, path: str) -> etree._Element | None:
    if element is None:
        return None
    return element.find(path, NS)


def findall(element: etree._Element | None, path: str) -> list[etree._Element]:
    return [] if element is None else list(element.findall(path, NS))


def local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def chosen(alternate: etree._Element) -> list[etree._Element]:
    """The content of an `mc:AlternateContent` that we can read.

    The first `mc:Choice` whose required namespaces we understand (equations
    are `Requires="a14"`), else the `mc:Fallback` (often a picture).
    """
    for choice in alternate.findall(q("mc:Choice")):
        prefixes = (choice.get("Requires") or "").split()
        namespaces = {choice.nsmap.get(prefix) for prefix in prefixes}
        if prefixes and namespaces <= UNDERSTOOD:
            return list(choice)
    fallback = alternate.find(q("mc:Fallback"))
    return [] if fallback is None else list(fallback)


def emu(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def parse(data: bytes) -> etree._Element:
    """XML from the package: no entities, no network (the file is someone else's)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)
