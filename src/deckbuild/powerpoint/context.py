"""What one import has seen: counts for the summary line, and warnings per slide."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Report:
    """Counts for the one-line summary; each warning is `slide N: message`."""

    slides: int = 0
    hidden: int = 0
    pictures: int = 0
    tables: int = 0
    equations: int = 0
    notes: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class SlideContext:
    """One slide being read: its number, its package part, and the shared report."""

    number: int
    part: Any  # python-pptx SlidePart: relationships to pictures, links, charts
    report: Report
    # writes a picture's bytes under a file name and returns the markdown path to it
    save_picture: Callable[[str, bytes], str]

    def warn(self, message: str) -> None:
        self.report.warnings.append(f"slide {self.number}: {message}")

    def link_target(self, rel_id: str | None) -> str | None:
        """An external hyperlink's URL; None for slide jumps and unsafe schemes."""
        if not rel_id:
            return None
        rel = self.part.rels.get(rel_id)
        if rel is None or not rel.is_external:
            return None
        target = str(rel.target_ref).strip()
        scheme = target.split(":", 1)[0].lower() if ":" in target else ""
        return target if scheme in {"http", "https", "mailto", "ftp"} else None

    def related(self, rel_id: str | None) -> Any:
        """The package part a relationship points to, or None."""
        if not rel_id:
            return None
        rel = self.part.rels.get(rel_id)
        if rel is None or rel.is_external:
            return None
        return rel.target_part
