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

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from deckbuild.errors import Where, counting_warnings, display_path, warn
from deckbuild.rules.assets import Assets, collect_references, is_local
from deckbuild.rules.svgfile import MEDIA_SCHEME, CleanSvg, SvgProblem, load_svg
from deckbuild.rules.svgids import MARK, Edit, edit_template, rewrite_ids, template_of

CARRIED = ("style", "width", "height", "class", "id")
MAX_COPIES = 4096
PLACEHOLDER = "deckbuild-svg"

Locate = Callable[[str], Where]


@dataclass
class CopySpec:
    """One copy to make of a cleaned SVG: its edits and its id prefix."""

    clean: CleanSvg
    edits: dict[str, Edit]
    root_edit: Edit
    prefix: str
    object_id: str | None


def copy_by_template(spec: CopySpec) -> str:
    """The fast way: string edits on the marked template."""
    root_id = spec.clean.root.get("id")
    if spec.object_id is not None:
        # the object's id names the SVG, and references to the SVG follow it
        spec.root_edit.attributes["id"] = spec.object_id
    markup = edit_template(template_of(spec.clean), spec.edits, spec.root_edit)
    if spec.object_id is not None and root_id is not None:
        own = re.compile(f"#{re.escape(MARK)}-{re.escape(root_id)}(?=[\"')\\s])")
        markup = own.sub(lambda _m: f"#{spec.object_id}", markup)
    return markup.replace(MARK, spec.prefix)


def copy_by_tree(spec: CopySpec, source: Path, page: str, assets: Assets, where: Where) -> str:
    """For SVGs that reference files beside them: those are found and rewritten too."""
    svg = copy.deepcopy(spec.clean.root)
    by_id = {str(e.get("id")): e for e in svg.iter(etree.Element) if e.get("id") is not None}
    for element_id, edit in spec.edits.items():
        edit.apply(by_id[element_id])
    spec.root_edit.apply(svg)
    rewrite_ids(svg, spec.prefix, spec.object_id)
    collect_references(svg, assets, source.parent, page, lambda _url: where)
    return etree.tostring(svg, encoding="unicode")


def text_alternative(obj: etree._Element) -> dict[str, str]:
    """What the inlined SVG says to a screen reader, from its `<object>`.

    An object is named by `title`, `aria-label` or `alt` (as an image
    would be) and the SVG becomes one picture with that name; `alt=""` or
    `aria-hidden="true"` marks it decorative, hidden from screen readers.
    """
    if (obj.get("aria-hidden") or "").strip().lower() == "true":
        return {"aria-hidden": "true"}
    for attribute in ("aria-label", "title", "alt"):
        name = obj.get(attribute)
        if name is None:
            continue
        if not name.strip():
            return {"aria-hidden": "true"}
        return {"role": "img", "aria-label": name.strip()}
    return {}


def known_ids(clean: CleanSvg, shown: int = 12) -> str:
    """What a mistyped layer id could have been: the drawing's layers, else its ids."""
    ids = clean.layers or sorted(clean.ids)
    more = f", … {len(ids) - shown} more" if len(ids) > shown else ""
    return (
        ("its layers: " if clean.layers else "its ids: ") + ", ".join(ids[:shown]) + more
        if ids
        else "it has no ids"
    )


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
        if not source.is_relative_to(self.assets.root):
            warn(f'"{data}" is outside the course folder: left as an <object>', where)
            return
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
                | text_alternative(obj)
            )
            spec = CopySpec(clean, edits, root_edit, prefix, obj.get("id"))
            if clean.local_refs:
                markup = copy_by_tree(spec, source, page, assets, where)
            else:
                markup = copy_by_template(spec)
            # extracted images: their files sit at the site root's deckbuild/media/
            markup = markup.replace(MEDIA_SCHEME, "../" * page.count("/"))
            assets.generated.update(clean.media)
        return InlinedCopy(markup, warnings.messages, assets)

    def param_edits(self, obj: etree._Element, clean: CleanSvg, name: str, locate: Locate) -> dict[str, Edit]:
        """What the object's params (and data-layers) do to the SVG's elements."""
        edits: dict[str, Edit] = {}
        for param in obj.iter("param"):
            layer = param.get("id")
            if layer is None:
                continue
            if layer not in clean.ids:
                warn(f'unknown layer id "{layer}" in {name} ({known_ids(clean)})', locate(f'id="{layer}"'))
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
                    warn(f'unknown layer id "{layer}" in {name} ({known_ids(clean)})', locate("data-layers"))
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
    trust: bool = False  # the course's svg_trust: inline scripts and all
    # (file, stamp, object markup, prefix, page, place) -> its inlined copy
    copies: dict[tuple[object, ...], InlinedCopy] = field(default_factory=dict)
    keep_copies: bool = True  # serve keeps them; a one-shot build has no use for them

    def remember(self, signature: tuple[object, ...], copy_: InlinedCopy) -> None:
        if not self.keep_copies:
            return  # a copy is made for one page: only a rebuild of that page could use it
        if len(self.copies) > MAX_COPIES:
            self.copies.clear()
        self.copies[signature] = copy_

    def load(self, path: Path) -> CleanSvg:
        stat = path.stat()
        cached = self.cache.get(path)
        if (
            cached is not None
            and cached.stamp == (stat.st_mtime_ns, stat.st_size)
            and cached.trusted == self.trust
        ):
            return cached
        clean = load_svg(path, self.trust)
        self.cache[path] = clean
        return clean

    def for_page(self, deck: str, assets: Assets) -> PageSvgs:
        return PageSvgs(self, deck, assets)
