"""Reading an SVG file for inlining: parsed safely, cleaned once.

No entities are expanded and no network is reached; files over the size
limit are refused. What only an editor reads (other namespaces, metadata)
is dropped, and what would run in the page (scripts, event handlers,
javascript: links) too; base64 images become files named by content.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from deckbuild.rules.assets import is_local
from deckbuild.rules.svgsafe import sanitize
from deckbuild.rules.tree import remove_keeping_tail

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
KEPT_NAMESPACES = (
    SVG_NS,
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/1999/xhtml",  # foreignObject content
)
PIXELS = re.compile(r"(\d+(?:\.\d+)?)(?:px)?")
MAX_SVG_BYTES = 10 * 1024 * 1024
MEDIA = "deckbuild/media"
MEDIA_SCHEME = "deckbuild-media:"
CSS_FILE_URL = re.compile(r"url\(\s*['\"]?(?!#|data:)")
DATA_URI = re.compile(r"data:image/(png|jpeg|gif|webp);base64,(.*)", re.S)
TEXT_TAGS = {
    f"{{{SVG_NS}}}{name}" for name in ("text", "tspan", "textPath", "style", "title", "desc", "foreignObject")
}
HREF_NAMES = ("href", "{http://www.w3.org/1999/xlink}href")


PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


class SvgProblem(Exception):
    """An SVG that cannot be inlined; the text completes "… in path"."""


@dataclass
class CleanSvg:
    """A parsed SVG with editor data dropped, shared by every use of the file."""

    root: etree._Element
    stamp: tuple[int, int]
    layers: list[str]  # ids of Inkscape layers, in document order
    removed: list[str]  # what was dropped for safety, said once per use
    media: dict[str, bytes] = field(default_factory=dict)  # site path -> embedded image
    local_refs: bool = False  # whether it references files beside it
    ids: frozenset[str] = frozenset()
    template: str | None = None  # made by svgids.template_of on first use
    trusted: bool = False  # read with svg_trust: nothing removed for safety


def _extract_media(root: etree._Element) -> dict[str, bytes]:
    """Move base64 images out of the SVG into files named by their content.

    Inkscape embeds rasters as data: URIs; as files they are a quarter
    smaller, cached by the browser and stored once however often used.
    """
    media: dict[str, bytes] = {}
    for image in root.iter(f"{{{SVG_NS}}}image"):
        for name in (XLINK_HREF, "href"):
            match = DATA_URI.match((image.get(name) or "").strip())
            if match is None:
                continue
            try:
                data = base64.b64decode(match.group(2))  # skips the line breaks editors put in
            except ValueError:
                continue
            site_path = f"{MEDIA}/{hashlib.sha256(data).hexdigest()[:20]}.{match.group(1)}"
            media[site_path] = data
            # a scheme of its own, so the reference rule leaves it to link_media
            image.set(name, MEDIA_SCHEME + site_path)
    return media


LAYERS = etree.XPath(
    "//svg:g[@inkscape:groupmode = 'layer'][@id]/@id",
    namespaces={"svg": SVG_NS, "inkscape": "http://www.inkscape.org/namespaces/inkscape"},
)
NAMESPACE_DECLARATION = re.compile(rb"""xmlns(?::[\w.-]+)?\s*=\s*["']([^"']*)["']""")


def _scan(root: etree._Element) -> bool:
    """One walk over every element (the slow part, so only one).

    Drops indentation between elements (meaningless in SVG outside text)
    and tells whether anything references a file beside the SVG.
    """
    local_refs = False
    for element in root.iter(etree.Element):
        if element.tag not in TEXT_TAGS:
            if element.text is not None and not element.text.strip():
                element.text = None
            for child in element:
                if child.tail is not None and not child.tail.strip():
                    child.tail = None
        # names only: reading every value (long path data) would cost the most here
        for name in element.keys():
            if name in HREF_NAMES:
                if not local_refs and is_local((element.get(name) or "").strip()):
                    local_refs = True
            elif name == "style" and not local_refs:
                style = element.get(name) or ""
                if "url(" in style and CSS_FILE_URL.search(style):
                    local_refs = True
    return local_refs


def _foreign_namespaces(data: bytes) -> set[str]:
    # every namespace the file declares, wherever: read off the bytes, not the tree
    declared = {m.decode("utf-8", "replace") for m in NAMESPACE_DECLARATION.findall(data)}
    return declared - set(KEPT_NAMESPACES)


def _strip_editor_data(root: etree._Element, data: bytes) -> list[str]:
    """Drop what only an editor reads, and what would run in the page.

    Elements and attributes of other namespaces (inkscape:, sodipodi:, rdf:,
    extension data) do not change rendering; `<metadata>` neither. XHTML in
    `<foreignObject>` is kept as it is.
    """
    removed: list[str] = []
    for entity in list(root.iter(etree.Entity)):
        remove_keeping_tail(entity)  # entity references: never expanded
    foreign = [f"{{{ns}}}*" for ns in _foreign_namespaces(data)]
    if foreign:
        etree.strip_attributes(root, *foreign)
        etree.strip_elements(root, *foreign, with_tail=False)
    etree.strip_elements(root, f"{{{SVG_NS}}}metadata", with_tail=False)
    return removed


def _add_view_box(root: etree._Element) -> None:
    """Let a fixed-size drawing scale to the size the slide gives it.

    Without a viewBox an SVG drawn at 600x300 px is cropped, not scaled,
    when the slide's style makes it 50% wide.
    """
    if root.get("viewBox") is not None:
        return
    sizes = [PIXELS.fullmatch((root.get(axis) or "").strip()) for axis in ("width", "height")]
    if all(sizes):
        root.set("viewBox", f"0 0 {sizes[0].group(1)} {sizes[1].group(1)}")  # type: ignore[union-attr]


def load_svg(path: Path, trust: bool = False) -> CleanSvg:
    """Parse and clean an SVG file (no entities, no network, size-limited).

    Only what the allowlist of svgsafe.py keeps is inlined, unless the
    course trusts its SVGs (`svg_trust: true`: scripts and all)."""
    try:
        size = path.stat().st_size
        if size > MAX_SVG_BYTES:
            raise SvgProblem(
                f"is {size // 1024} KiB, over the {MAX_SVG_BYTES // 1024 // 1024} MiB limit for inlining"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise SvgProblem(f"cannot be read ({exc.strerror})") from None
    try:
        tree = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise SvgProblem(f"is not valid XML ({exc.msg}, line {exc.lineno})") from None
    if tree.getroottree().docinfo.internalDTD is not None and b"<!ENTITY" in data:
        raise SvgProblem("declares XML entities, which deckbuild never expands")
    if tree.tag != f"{{{SVG_NS}}}svg":
        raise SvgProblem("is not an SVG document")
    layers = [str(layer) for layer in LAYERS(tree)]  # before inkscape: attributes go
    removed = _strip_editor_data(tree, data)
    if not trust:
        removed += sanitize(tree)
    _add_view_box(tree)
    local_refs = _scan(tree)
    media = _extract_media(tree)
    etree.cleanup_namespaces(tree)
    stat = path.stat()
    ids = frozenset(str(e.get("id")) for e in tree.iter(etree.Element) if e.get("id") is not None)
    clean = CleanSvg(tree, (stat.st_mtime_ns, stat.st_size), layers, removed, media, local_refs, ids)
    clean.trusted = trust
    return clean
