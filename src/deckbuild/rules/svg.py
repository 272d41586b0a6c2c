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
import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from deckbuild.errors import Where, counting_warnings, display_path, warn
from deckbuild.rules.assets import Assets, collect_references, is_local
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
ID_LIST_ATTRIBUTES = ("aria-labelledby", "aria-describedby", "aria-owns", "aria-controls", "aria-flowto")
CARRIED = ("style", "width", "height", "class", "id")
MAX_SVG_BYTES = 10 * 1024 * 1024
MAX_COPIES = 4096
MARK = "\ue000"  # a private-use character: stands for a copy's id prefix in templates
TAG_ATTRIBUTE = '(\\s){name}="([^"]*)"'
URL_REF = re.compile(r"url\(\s*(['\"]?)#([^'\")\s]+)\1\s*\)")
CSS_ID_SELECTOR = re.compile(r"#([A-Za-z_][\w-]*)(?=[\s,.:>+~\[{)])")
PLACEHOLDER = "deckbuild-svg"
MEDIA = "deckbuild/media"
MEDIA_SCHEME = "deckbuild-media:"
CSS_FILE_URL = re.compile(r"url\(\s*['\"]?(?!#|data:)")
DATA_URI = re.compile(r"data:image/(png|jpeg|gif|webp);base64,(.*)", re.S)
TEXT_TAGS = {
    f"{{{SVG_NS}}}{name}" for name in ("text", "tspan", "textPath", "style", "title", "desc", "foreignObject")
}
HREF_NAMES = ("href", "{http://www.w3.org/1999/xlink}href")
EVENT_HANDLER = re.compile(r"^on[a-z]+$", re.I)

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
    ids: frozenset[str] = frozenset()
    _template: str | None = None

    @property
    def template(self) -> str:
        """The SVG serialized once with every id and reference as `MARK-id`.

        Each inlined copy is then one string replace of MARK by its prefix,
        plus small edits to the start tags its params name.
        """
        if self._template is None:
            marked = copy.deepcopy(self.root)
            rewrite_ids(marked, MARK, None)
            self._template = etree.tostring(marked, encoding="unicode")
        return self._template


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


def _scan(root: etree._Element) -> tuple[list[str], bool]:
    """One walk over every element (the slow part, so only one).

    Drops indentation between elements (meaningless in SVG outside text),
    event handlers and javascript: links (an inlined SVG runs in the page),
    and tells whether anything references a file beside the SVG.
    """
    removed: list[str] = []
    local_refs = False
    for element in root.iter(etree.Element):
        if element.tag not in TEXT_TAGS:
            if element.text is not None and not element.text.strip():
                element.text = None
            for child in element:
                if child.tail is not None and not child.tail.strip():
                    child.tail = None
        for name, value in element.attrib.items():
            if name[0] in "oO" and EVENT_HANDLER.match(name):
                removed.append(f"{name} attribute")
                del element.attrib[name]
            elif name in HREF_NAMES:
                if value.strip().lower().startswith("javascript:"):
                    removed.append("javascript: link")
                    del element.attrib[name]
                elif not local_refs and is_local(value.strip()):
                    local_refs = True
            elif name == "style" and not local_refs and "url(" in value and CSS_FILE_URL.search(value):
                local_refs = True
    return removed, local_refs


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
    for script in list(root.iter(f"{{{SVG_NS}}}script")):
        removed.append("<script>")
        remove_keeping_tail(script)
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
    layers = [str(layer) for layer in LAYERS(tree)]  # before inkscape: attributes go
    removed = _strip_editor_data(tree, data)
    _add_view_box(tree)
    scanned, local_refs = _scan(tree)
    removed += scanned
    media = _extract_media(tree)
    etree.cleanup_namespaces(tree)
    stat = path.stat()
    ids = frozenset(str(e.get("id")) for e in tree.iter(etree.Element) if e.get("id") is not None)
    return CleanSvg(tree, (stat.st_mtime_ns, stat.st_size), layers, removed, media, local_refs, ids)


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


def _edit_template(template: str, edits: dict[str, Edit], root_edit: Edit) -> str:
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
        prefix = f"s{self.count}"
        with counting_warnings() as warnings:
            for what in sorted(set(clean.removed)):
                warn(f"dropped {what} from {name} (an inlined SVG runs in the page)", where)
            edits = self.param_edits(obj, clean, name, locate)
            root_edit = Edit(
                attributes={a: str(obj.get(a)) for a in CARRIED if a != "id" and obj.get(a) is not None}
            )
            object_id = obj.get("id")
            if clean.local_refs:
                markup = self.copy_by_tree(
                    clean, edits, root_edit, prefix, object_id, source, page, assets, where
                )
            else:
                markup = self.copy_by_template(clean, edits, root_edit, prefix, object_id, page)
            assets.generated.update(clean.media)
        return InlinedCopy(markup, warnings.messages, assets)

    def copy_by_template(
        self,
        clean: CleanSvg,
        edits: dict[str, Edit],
        root_edit: Edit,
        prefix: str,
        object_id: str | None,
        page: str,
    ) -> str:
        root_id = clean.root.get("id")
        if object_id is not None:
            # the object's id names the SVG, and references to the SVG follow it
            root_edit.attributes["id"] = object_id
        markup = _edit_template(clean.template, edits, root_edit)
        if object_id is not None and root_id is not None:
            own = re.compile(f"#{re.escape(MARK)}-{re.escape(root_id)}(?=[\"')\\s])")
            markup = own.sub(lambda _m: f"#{object_id}", markup)
        markup = markup.replace(MARK, prefix)
        if clean.media:
            markup = markup.replace(MEDIA_SCHEME, "../" * page.count("/"))
        return markup

    def copy_by_tree(
        self,
        clean: CleanSvg,
        edits: dict[str, Edit],
        root_edit: Edit,
        prefix: str,
        object_id: str | None,
        source: Path,
        page: str,
        assets: Assets,
        where: Where,
    ) -> str:
        svg = copy.deepcopy(clean.root)
        by_id = {str(e.get("id")): e for e in svg.iter(etree.Element) if e.get("id") is not None}
        for element_id, edit in edits.items():
            edit.apply(by_id[element_id])
        root_edit.apply(svg)
        rewrite_ids(svg, prefix, object_id)
        collect_references(svg, assets, source.parent, page, lambda _url: where)
        self.link_media(svg, clean, page)
        return etree.tostring(svg, encoding="unicode")

    def link_media(self, svg: etree._Element, clean: CleanSvg, page: str) -> None:
        """Point extracted images at their files, relative to this page."""
        if not clean.media:
            return
        for image in svg.iter(f"{{{SVG_NS}}}image"):
            for name in (XLINK_HREF, "href"):
                value = image.get(name) or ""
                if value.startswith(MEDIA_SCHEME):
                    target = value.removeprefix(MEDIA_SCHEME)
                    image.set(name, posixpath.relpath(target, posixpath.dirname(page) or "."))

    def param_edits(self, obj: etree._Element, clean: CleanSvg, name: str, locate: Locate) -> dict[str, Edit]:
        """What the object's params (and data-layers) do to the SVG's elements."""
        edits: dict[str, Edit] = {}
        for param in obj.iter("param"):
            layer = param.get("id")
            if layer is None:
                continue
            if layer not in clean.ids:
                warn(f'unknown layer id "{layer}" in {name}', locate(f'id="{layer}"'))
                continue
            edit = edits.setdefault(layer, Edit())
            for attribute, value in param.attrib.items():
                if attribute == "class":
                    edit.add_classes(value)
                elif attribute not in ("id", "name", "value"):
                    edit.attributes[attribute] = value
        layers = obj.get("data-layers")
        if layers is not None:
            # "all": every layer after the first (the base drawing), in document order
            wanted = clean.layers[1:] if layers.strip() == "all" else layers.replace(",", " ").split()
            for step, layer in enumerate(wanted, 1):
                if layer not in clean.ids:
                    warn(f'unknown layer id "{layer}" in {name}', locate("data-layers"))
                    continue
                edit = edits.setdefault(layer, Edit())
                edit.add_classes("fragment")
                # the order named is the order shown, whatever the drawing's order
                edit.attributes["data-fragment-index"] = str(step)
        return edits

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
