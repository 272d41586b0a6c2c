"""`deckbuild check`: build the course, then look at every slide in Chromium.

Build-time checks see what the markdown says; this sees what the audience
sees: content outside the slide box, media that does not load, text a
screen reader or a student with low vision cannot read (axe-core), and
errors in the page. Every finding names its deck file and line.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from deckbuild.check.findings import Finding, place
from deckbuild.check.runner import Checker
from deckbuild.commands.build import build, course_cache
from deckbuild.commands.pdf import find_browser


@dataclass
class CheckReport:
    decks: int
    slides: int
    findings: list[Finding]
    warnings: list[str]


def check(root: Path, *, chrome: str | None = None, tabs: int = 2) -> CheckReport:
    """Build `root` into a temporary folder and check every deck page."""
    browser = find_browser(chrome)
    with tempfile.TemporaryDirectory(prefix="deckbuild-check-") as tmp:
        site = Path(tmp) / "site"
        result = build(root, site, cache=course_cache(root), keep_decks=True)
        decks = result.output_decks
        reports = Checker(browser, tabs).run(site, [deck.page for deck in decks])
    findings = [
        place(deck, raw) for deck, report in zip(decks, reports, strict=True) for raw in report.findings
    ]
    slides = sum(report.slides for report in reports)
    return CheckReport(len(decks), slides, findings, result.warnings)
