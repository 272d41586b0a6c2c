"""Benchmark: import the PowerPoint fixture decks and an equation deck; print time and coverage.

    python bench/import_pptx.py [DECKS_FOLDER] [--runs N]

For each deck of ../shared/pptx/decks/: median import time, slides,
pictures, tables, notes, warnings, and the share of the words PowerPoint
shows (its extracted-text.txt, notes included) that are in the built page.
Then the same for a generated deck of every OMML fixture equation.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from lxml import html

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
DEFAULT = HERE.parent.parent / "shared" / "pptx" / "decks"


def coverage(extracted: str, page: Path) -> float:
    tree = html.parse(str(page)).getroot()
    have = Counter(re.findall(r"\w+", tree.text_content().lower()))
    wanted = re.findall(r"\w+", re.sub(r"^(=== slide \d+|Notes:)", "", extracted, flags=re.M).lower())
    found = 0
    for word in wanted:
        if have[word] > 0:
            have[word] -= 1
            found += 1
    return found / max(1, len(wanted))


def one(source: Path, runs: int, extracted: Path | None) -> None:
    from deckbuild.commands.build import build
    from deckbuild.commands.import_pptx import import_pptx

    times = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for _ in range(runs):
            started = time.perf_counter()
            result = import_pptx(source, root / "slides" / f"{source.stem}.md", force=True)
            times.append(time.perf_counter() - started)
        build(root, strict=not result.report.warnings)
        r = result.report
        share = (
            coverage(extracted.read_text("utf-8"), root / "_site" / f"{source.stem}.html")
            if extracted
            else None
        )
        words = f", words on the page {share:.1%}" if share is not None else ""
        print(
            f"{source.name}: import {statistics.median(times) * 1000:.0f} ms (median of {runs}); "
            f"{r.slides} slides, {r.pictures} pictures, {r.tables} tables, {r.equations} equations, "
            f"{r.notes} with notes, {len(r.warnings)} warnings{words}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("decks", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for folder in sorted(p for p in args.decks.iterdir() if p.is_dir()):
        one(folder / f"{folder.name}.pptx", args.runs, folder / "extracted-text.txt")
    from pptxmaker import equation_deck

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "equations.pptx"
        expected = equation_deck(source)
        print(f"equations.pptx: {len(expected)} equations written")
        one(source, args.runs, None)


if __name__ == "__main__":
    main()
