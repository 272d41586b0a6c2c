"""Benchmark: `deckbuild build` of synthetic courses of growing size.

    python bench/scale_course.py [--sizes 10 100 300 1000] [--runs 3]

For each size N a course of N decks is made by bench/synth_course.py and
built by the real command in a fresh process; prints wall time, CPU time
(user + system, all cores) and peak memory (the largest process's
high-water mark: the build or one of its workers) of a clean build
(`--clean`), the median of the runs; then the wall time of a build after
one deck was edited (the others reused from the build cache), the median
of as many edits.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synth_course import make_course

BUILT = re.compile(r"built (\d+) decks?, (\d+) slides")


def run_build(course: Path, out: Path, *options: str) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak MiB and slide count of one `deckbuild build`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "deckbuild", "build", str(course), "-o", str(out), *options],
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of children is the largest child so far: sizes run in growing order
    found = BUILT.search(done.stdout + done.stderr)
    return wall, cpu, after.ru_maxrss / 1024, int(found.group(2)) if found else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 300, 1000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}  runs per size: {args.runs}")
    print(f"{'decks':>6} {'slides':>7} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'1 edit s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sorted(args.sizes):
            course = make_course(size, Path(tmp) / f"course{size}")
            out = Path(tmp) / f"site{size}" / "site"
            runs = [run_build(course, out, "--clean") for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            peak = max(r[2] for r in runs)
            slides = runs[0][3]
            deck = sorted((course / "slides").rglob("*.md"))[size // 2]
            edits = []
            for run in range(args.runs):
                with deck.open("a", encoding="utf-8") as handle:
                    handle.write(f"\n\nedit {run}\n")
                edits.append(run_build(course, out)[0])
            edit = statistics.median(edits)
            print(f"{size:>6} {slides:>7} {wall:>8.2f} {cpu:>8.2f} {peak:>9.0f} {edit:>9.2f}", flush=True)


if __name__ == "__main__":
    main()
