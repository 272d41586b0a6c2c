"""`deckbuild import FILE.pptx`: a PowerPoint lecture becomes a markdown deck of the course."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deckbuild.errors import DeckError
from deckbuild.powerpoint.context import Report
from deckbuild.powerpoint.deck import DeckImporter, write


@dataclass(frozen=True)
class Imported:
    deck: Path
    pictures: Path
    report: Report


def default_target(source: Path, course: Path) -> Path:
    return course / "slides" / f"{source.stem}.md"


def import_pptx(
    source: Path, target: Path | None = None, *, force: bool = False, course: Path | None = None
) -> Imported:
    """Convert `source` and write the deck (default `slides/<stem>.md`) and its pictures beside it."""
    if source.suffix.lower() != ".pptx":
        raise DeckError(f"{source}: deckbuild imports PowerPoint .pptx files (save a .ppt as .pptx first)")
    if not source.is_file():
        raise DeckError(f"{source}: no such file")
    target = target or default_target(source, course or Path.cwd())
    if target.suffix.lower() != ".md":
        raise DeckError(f"{target}: the deck to write must be a .md file")
    pictures = target.with_suffix("")
    deck = DeckImporter(source, pictures.name).convert()
    write(deck, target, pictures, force=force)
    return Imported(target, pictures, deck.report)


def summary(source: Path, imported: Imported) -> str:
    report = imported.report
    counts = [
        _count(report.slides, "slide") + (f" ({report.hidden} hidden)" if report.hidden else ""),
        _count(report.pictures, "picture"),
        _count(report.tables, "table"),
        _count(report.equations, "equation"),
        _count(report.notes, "slide") + " with notes",
        _count(len(report.warnings), "warning"),
    ]
    return f"imported {source.name} → {_shown(imported.deck)}: " + ", ".join(counts)


def _shown(path: Path) -> str:
    """The deck's path as the user would type it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"
