"""SVG layers as fragments: `<object type="image/svg+xml">` inlined at build time.

Each object becomes the SVG itself, so its Inkscape layers can step in as
reveal.js fragments: a `<param id="layer2" class="fragment" …>` adds its
classes to the SVG element with that id and sets its other attributes.
`data-layers="layer2 layer3"` (or `all`) on the object is the short form:
one fragment per named layer, in that order.

Inlined copies must not see each other: every id in a copy is rewritten to
a prefix unique in the page (`s3-layer2`), and so is every reference to it
(`url(#…)` in attributes, styles and `<style>`, `href="#…"`, id lists),
so a marker or gradient always resolves inside its own SVG. Editor-only
data is dropped; scripts and event handlers too (an inlined SVG runs in the
page). The file is parsed without entities or network, with a size limit.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from deckbuild.errors import Where, counting_warnings, display_path, warn
from deckbuild.rules.assets import Assets, collect_references, is_local
from deckbuild.rules.tree import is_element

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
KEPT_NAMESPACES = (SVG_NS, "http://www.w3.org/1999/xlink", "http://www.w3.org/XML/1998/namespace")
KEPT_PREFIXES = tuple(f"{{{ns}}}" for ns in KEPT_NAMESPACES)
PIXELS = re.compile(r"(\d+(?:\.\d+)?)(?:px)?")
ID_LIST_ATTRIBUTES = ("aria-labelledby", "aria-describedby", "aria-owns", "aria-controls", "aria-flowto")
CARRIED = ("style", "width", "height", "class", "id")
MAX_SVG_BYTES = 10 * 1024 * 1024
MAX_COPIES = 4096
URL_REF = re.compile(r"url\(\s*(['\"]?)#([^'\")\s]+)\1\s*\)")
CSS_ID_SELECTOR = re.compile(r"#([A-Za-z_][\w-]*)(?=[\s,.:>+~\[{)])")
PLACEHOLDER = "deckbuild-svg"
MEDIA = "deckbuild/media"
MEDIA_SCHEME = "deckbuild-media:"
CSS_FILE_URL = re.compile(r"url\(\s*['\"]?(?!#|data:)")
DATA_URI = re.compile(r"data:image/(png|jpeg|gif|webp);base64,(.*)", re.S)
TEXT_ELEMENTS = {"text", "tspan", "textPath", "style", "title", "desc", "foreignObject"}
EVENT_HANDLER = re.compile(r"^on[a-z]+$", re.I)
LAYER_MODE = "{http://www.inkscape.org/namespaces/inkscape}groupmode"

Locate = Callable[[str], Where]

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


def _has_local_refs(root: etree._Element) -> bool:
    """Whether any attribute points at a file (most drawings reference none)."""
    for element in root.iter(etree.Element):
        for name in (XLINK_HREF, "href"):
            if is_local((element.get(name) or "").strip()):
                return True
        if "url(" in (element.get("style") or "") and CSS_FILE_URL.search(element.get("style") or ""):
            return True
    return False


def _drop_layout_whitespace(root: etree._Element) -> None:
    """Indentation between elements means nothing in SVG outside text."""
    for element in root.iter(etree.Element):
        if etree.QName(element).localname in TEXT_ELEMENTS:
            continue
        if element.text is not None and not element.text.strip():
            element.text = None
        for child in element:
            if child.tail is not None and not child.tail.strip():
                child.tail = None


def _is_foreign(name: str) -> bool:
    # plain string tests: this runs for every element and attribute of every SVG
    return name.startswith("{") and not name.startswith(KEPT_PREFIXES)


def _strip_editor_data(root: etree._Element) -> list[str]:
    """Drop what only an editor reads, and what would run in the page.

    Elements and attributes of other namespaces (inkscape:, sodipodi:, rdf:,
    extension data) do not change rendering; `<metadata>` neither. Content
    of `<foreignObject>` is XHTML and kept as it is.
    """
    removed: list[str] = []
    foreign = {id(e) for f in root.iter(f"{{{SVG_NS}}}foreignObject") for e in f.iterdescendants()}
    for element in list(root.iter()):
        parent = element.getparent()
        if parent is None:
            continue
        if not is_element(element):
            parent.remove(element)  # entity references: never expanded
            continue
        if foreign and id(element) in foreign:
            continue
        if _is_foreign(str(element.tag)) or element.tag == f"{{{SVG_NS}}}metadata":
            parent.remove(element)
        elif element.tag == f"{{{SVG_NS}}}script":
            removed.append("<script>")
            parent.remove(element)
    for element in root.iter(etree.Element):
        for name in list(element.attrib):
            if name == LAYER_MODE:
                continue
            if _is_foreign(name):
                del element.attrib[name]
            elif EVENT_HANDLER.match(name):
                removed.append(f"{name} attribute")
                del element.attrib[name]
            elif name in ("href", XLINK_HREF) and element.get(name, "").strip().lower().startswith(
                "javascript:"
            ):
                removed.append("javascript: link")
                del element.attrib[name]
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


def load_svg(path: Path) -> CleanSvg:
    """Parse and clean an SVG file (no entities, no network, size-limited)."""
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
    removed = _strip_editor_data(tree)
    _add_view_box(tree)
    _drop_layout_whitespace(tree)
    media = _extract_media(tree)
    local_refs = _has_local_refs(tree)
    layers = [
        str(g.get("id")) for g in tree.iter(f"{{{SVG_NS}}}g") if g.get(LAYER_MODE) == "layer" and g.get("id")
    ]
    for g in tree.iter(f"{{{SVG_NS}}}g"):
        g.attrib.pop(LAYER_MODE, None)
    etree.cleanup_namespaces(tree)
    stat = path.stat()
    return CleanSvg(tree, (stat.st_mtime_ns, stat.st_size), layers, removed, media, local_refs)


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


def _add_classes(element: etree._Element, classes: str) -> None:
    have = (element.get("class") or "").split()
    element.set("class", " ".join(have + [c for c in classes.split() if c not in have]))


@dataclass
class InlinedCopy:
    """One object's inlined SVG, kept for the next build while nothing changed."""

    markup: str
    warnings: list[str]
    assets: Assets


@dataclass
class PageSvgs:
    """The SVGs inlined into one page: unique prefixes and placeholders."""

    owner: SvgInliner
    deck: str
    assets: Assets
    count: int = 0
    pending: dict[str, str] = field(default_factory=dict)

    def inline(self, section: etree._Element, base: Path, page: str, locate: Locate) -> None:
        for obj in list(section.iter("object")):
            if (obj.get("type") or "").strip().lower() != "image/svg+xml" or not obj.get("data"):
                continue
            self.inline_one(obj, base, page, locate)

    def inline_one(self, obj: etree._Element, base: Path, page: str, locate: Locate) -> None:
        data = str(obj.get("data")).strip()
        if not is_local(data):
            return
        where = locate(data)
        source = (base / unquote(urlsplit(data).path)).resolve()
        name = display_path(source, self.assets.root)
        self.assets.depend(source)
        if not source.is_file():
            return  # the reference rule reports it as a missing file
        try:
            clean = self.owner.load(source)
        except SvgProblem as exc:
            warn(f"{name} {exc}; left as an <object>", where)
            return
        self.count += 1
        signature = (source, clean.stamp, etree.tostring(obj, with_tail=False), self.count, page, where)
        copy_ = self.owner.copies.get(signature)
        if copy_ is None:
            copy_ = self.make_copy(obj, clean, source, name, page, locate)
            self.owner.remember(signature, copy_)
        else:
            for message in copy_.warnings:
                warn(message)
        self.assets.merge(copy_.assets)
        self.assets.depends.update(copy_.assets.depends)
        key = f"{self.count}"
        self.pending[key] = copy_.markup
        placeholder = etree.Element(PLACEHOLDER, key=key)
        placeholder.tail = obj.tail
        parent = obj.getparent()
        assert parent is not None
        parent.replace(obj, placeholder)

    def make_copy(
        self, obj: etree._Element, clean: CleanSvg, source: Path, name: str, page: str, locate: Locate
    ) -> InlinedCopy:
        """The SVG as this object shows it: params applied, ids prefixed."""
        where = locate(str(obj.get("data")).strip())
        assets = Assets(root=self.assets.root, slides=self.assets.slides, decks=self.assets.decks)
        with counting_warnings() as warnings:
            for what in sorted(set(clean.removed)):
                warn(f"dropped {what} from {name} (an inlined SVG runs in the page)", where)
            svg = copy.deepcopy(clean.root)
            self.apply_params(obj, svg, clean, name, locate)
            rewrite_ids(svg, f"s{self.count}", obj.get("id"))
            for attribute in CARRIED:
                value = obj.get(attribute)
                if value is not None and attribute != "id":
                    svg.set(attribute, value)
            if clean.local_refs:
                collect_references(svg, assets, source.parent, page, lambda _url: where)
            self.link_media(svg, clean, page, assets)
        return InlinedCopy(etree.tostring(svg, encoding="unicode"), warnings.messages, assets)

    def link_media(self, svg: etree._Element, clean: CleanSvg, page: str, assets: Assets) -> None:
        """Point extracted images at their files, relative to this page."""
        if not clean.media:
            return
        assets.generated.update(clean.media)
        for image in svg.iter(f"{{{SVG_NS}}}image"):
            for name in (XLINK_HREF, "href"):
                value = image.get(name) or ""
                if value.startswith(MEDIA_SCHEME):
                    target = value.removeprefix(MEDIA_SCHEME)
                    image.set(name, posixpath.relpath(target, posixpath.dirname(page) or "."))

    def apply_params(
        self, obj: etree._Element, svg: etree._Element, clean: CleanSvg, name: str, locate: Locate
    ) -> None:
        by_id = {str(e.get("id")): e for e in svg.iter(etree.Element) if e.get("id") is not None}
        for param in obj.iter("param"):
            layer = param.get("id")
            if layer is None:
                continue
            target = by_id.get(layer)
            if target is None:
                warn(f'unknown layer id "{layer}" in {name}', locate(f'id="{layer}"'))
                continue
            for attribute, value in param.attrib.items():
                if attribute == "class":
                    _add_classes(target, value)
                elif attribute not in ("id", "name", "value"):
                    target.set(attribute, value)
        layers = obj.get("data-layers")
        if layers is not None:
            # "all": every layer after the first (the base drawing), in document order
            wanted = clean.layers[1:] if layers.strip() == "all" else layers.replace(",", " ").split()
            for step, layer in enumerate(wanted, 1):
                target = by_id.get(layer)
                if target is None:
                    warn(f'unknown layer id "{layer}" in {name}', locate("data-layers"))
                    continue
                _add_classes(target, "fragment")
                # the order named is the order shown, whatever the drawing's order
                target.set("data-fragment-index", str(step))

    def finish(self, markup: str) -> str:
        """Put the serialized SVGs where their placeholders stand."""
        if not self.pending:
            return markup
        return re.sub(
            rf'<{PLACEHOLDER} key="(\d+)"></{PLACEHOLDER}>',
            lambda m: self.pending.pop(m.group(1)),
            markup,
        )


@dataclass
class SvgInliner:
    """Parsed SVGs kept warm between pages and rebuilds (keyed by mtime)."""

    cache: dict[Path, CleanSvg] = field(default_factory=dict)
    # (file, stamp, object markup, prefix, page, place) -> its inlined copy
    copies: dict[tuple[object, ...], InlinedCopy] = field(default_factory=dict)

    def remember(self, signature: tuple[object, ...], copy_: InlinedCopy) -> None:
        if len(self.copies) > MAX_COPIES:
            self.copies.clear()
        self.copies[signature] = copy_

    def load(self, path: Path) -> CleanSvg:
        stat = path.stat()
        cached = self.cache.get(path)
        if cached is not None and cached.stamp == (stat.st_mtime_ns, stat.st_size):
            return cached
        clean = load_svg(path)
        self.cache[path] = clean
        return clean

    def for_page(self, deck: str, assets: Assets) -> PageSvgs:
        return PageSvgs(self, deck, assets)
