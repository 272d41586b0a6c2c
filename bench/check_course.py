"""Benchmark: `deckbuild check` of the real course; prints wall time and findings.

    python bench/check_course.py [COURSE] [--tabs N]

Goal: the whole real course (7 decks, 197 slides) checked in ≤ 20 s on a
2-core machine, one browser with pages in parallel tabs.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from deckbuild.check.findings import summary
from deckbuild.commands.check import check

HERE = Path(__file__).resolve().parent
DEFAULT_COURSE = HERE.parent.parent / "shared" / "corpus" / "rses-dl-course"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("course", nargs="?", type=Path, default=DEFAULT_COURSE)
    parser.add_argument("--tabs", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    report = check(args.course, tabs=args.tabs)
    wall = time.perf_counter() - started
    print(summary(report.decks, report.slides, report.findings))
    for rule, count in sorted(Counter(f.rule for f in report.findings).items()):
        print(f"  {rule:<24} {count}")
    print(f"wall time: {wall:.1f} s with {args.tabs} tab(s) (goal: 20 s)")


if __name__ == "__main__":
    main()
