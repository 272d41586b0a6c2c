"""A whole .pptx as one markdown deck and the pictures it uses.

Everything is converted in memory first; files are written only when the
whole deck converted, pictures before the deck, and the deck through a
temporary file and a rename, so `serve` never builds half an import.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from deckbuild.errors import DeckError
from deckbuild.powerpoint import text
from deckbuild.powerpoint.context import Report, SlideContext
from deckbuild.powerpoint.inherit import Bullet, Inheritance, bullet_in
from deckbuild.powerpoint.layout import slide_markdown
from deckbuild.powerpoint.shapes import SlideReader
from deckbuild.powerpoint.timing import entrance_steps
from deckbuild.powerpoint.xml import find, findall

PLACEHOLDER_TITLES = {"", "powerpoint presentation", "presentation"}
# a .pptx is a zip: refuse one that would expand past this (a zip bomb)
MAX_UNPACKED = 2 * 1024**3


@dataclass
class ImportedDeck:
    markdown: str
    pictures: dict[str, bytes] = field(default_factory=dict)  # file name → bytes
    report: Report = field(default_factory=Report)


def open_presentation(source: Path) -> Any:
    try:
        with zipfile.ZipFile(source) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (OSError, zipfile.BadZipFile) as error:
        raise DeckError(f"{source.name}: not a PowerPoint .pptx file ({error})") from None
    if unpacked > MAX_UNPACKED:
        raise DeckError(f"{source.name}: unpacks to {unpacked // 1024**2} MiB; refused")
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    try:
        return Presentation(str(source))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise DeckError(f"{source.name}: not a PowerPoint .pptx file ({error})") from None
    except Exception as error:  # noqa: BLE001 - python-pptx raises many kinds on a damaged package
        raise DeckError(f"{source.name}: cannot be read ({type(error).__name__}: {error})") from None


def notes_markdown(slide: Any, context: SlideContext) -> str:
    if not slide.has_notes_slide:
        return ""
    notes = slide.notes_slide.element
    reader = SlideReader(
        SlideContext(context.number, slide.notes_slide.part, context.report, context.save_picture), None
    )
    paragraphs: list[text.Paragraph] = []
    for shape in notes.iter("{*}sp"):
        ph = find(shape, "p:nvSpPr/p:nvPr/p:ph")
        if ph is None or ph.get("type") != "body":
            continue
        for para in findall(shape, "p:txBody/a:p"):
            ppr = find(para, "a:pPr")
            level = int(ppr.get("lvl", "0")) if ppr is not None and (ppr.get("lvl") or "0").isdigit() else 0
            paragraphs.append(text.paragraph(para, bullet_in(ppr) or Bullet("none"), level, reader.context))
    return text.blocks(paragraphs)


class DeckImporter:
    def __init__(self, source: Path, picture_folder: str) -> None:
        self.source = source
        self.folder = picture_folder  # relative to the deck, e.g. "lecture1"
        self.deck = ImportedDeck("")
        self.names: dict[tuple[str, int], str] = {}

    def save_picture(self, name: str, data: bytes) -> str:
        """Keep a picture once per content; two different ones with one name get -2, -3…"""
        stem, dot, suffix = name.rpartition(".")
        candidate, number = name, 1
        while candidate in self.deck.pictures and self.deck.pictures[candidate] != data:
            number += 1
            candidate = f"{stem}-{number}{dot}{suffix}" if dot else f"{name}-{number}"
        self.deck.pictures[candidate] = data
        return f"{self.folder}/{candidate}"

    def convert(self) -> ImportedDeck:
        presentation = open_presentation(self.source)
        width = int(presentation.slide_width or 12192000)
        report = self.deck.report
        slides: list[str] = []
        first_title = ""
        for number, slide in enumerate(presentation.slides, 1):
            context = SlideContext(number, slide.part, report, self.save_picture)
            reader = SlideReader(context, Inheritance(slide), entrance_steps(slide.element))
            tree = find(slide.element, "p:cSld/p:spTree")
            items = list(reader.items(list(tree) if tree is not None else []))
            _, body = slide_markdown(items, width)
            if number == 1:
                titles = [item.plain for item in items if item.kind == "title" and item.plain]
                texts = [item.plain for item in items if item.kind == "text" and item.plain]
                first_title = " ".join(titles) or (texts[0][:100] if texts else "")
            hidden = slide.element.get("show") in {"0", "false"}
            parts = ['<!-- .slide: data-visibility="hidden" -->'] if hidden else []
            parts += [body] if body else []
            notes = notes_markdown(slide, context)
            if notes:
                report.notes += 1
                parts.append("Note:\n" + notes)
            report.slides += 1
            report.hidden += hidden
            slides.append("\n\n".join(parts))
        title = (presentation.core_properties.title or "").strip()
        if title.lower() in PLACEHOLDER_TITLES:
            title = first_title or self.source.stem
        front = yaml.safe_dump({"title": title}, allow_unicode=True, sort_keys=False, width=1000)
        self.deck.markdown = f"---\n{front}---\n\n" + "\n\n---\n\n".join(slides) + "\n"
        return self.deck


def write(deck: ImportedDeck, target: Path, picture_folder: Path, *, force: bool) -> None:
    """Write the pictures, then the deck; refuse to replace a file without `force`."""
    clashes = [target] if target.exists() else []
    clashes += [picture_folder / name for name in deck.pictures if (picture_folder / name).exists()]
    if clashes and not force:
        raise DeckError(f"{clashes[0]} exists; nothing was written (use --force to overwrite)")
    if deck.pictures:
        picture_folder.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(deck.pictures.items()):
        (picture_folder / name).write_bytes(data)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.importing")
    partial.write_text(deck.markdown, "utf-8")
    os.replace(partial, target)
