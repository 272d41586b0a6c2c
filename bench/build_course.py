"""Benchmark: build the real course several times; print wall time, memory and sizes.

    python bench/build_course.py [COURSE] [--runs N]

Each run is a fresh process (cold caches, as `deckbuild build` is run), so
peak memory is that process's own high-water mark. Every run is a clean
build (the build cache is not read); then a copy of the course has one
deck edited before each of as many runs, the other decks reused from the
build cache ("one edit").
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_COURSE = HERE.parent.parent / "shared" / "corpus" / "rses-dl-course"

CHILD = """
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from deckbuild.commands.build import build
t1 = time.perf_counter()
result = build(Path(sys.argv[1]), Path(sys.argv[2]), clean=sys.argv[3] == "clean")
t2 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"import": t1 - t0, "build": t2 - t1, "peak_mib": peak, "slides": result.slides}))
"""


def site_sizes(out: Path) -> tuple[int, str, int]:
    files = [p for p in out.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html" and p.name[0].isdigit()]
    largest = max(pages, key=lambda p: p.stat().st_size)
    return sum(p.stat().st_size for p in files), largest.name, largest.stat().st_size


def run(course: Path, out: Path, mode: str) -> dict[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(course), str(out), mode], capture_output=True, text=True, check=True
    )
    return {**json.loads(done.stdout), "process": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("course", nargs="?", type=Path, default=DEFAULT_COURSE)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site" / "site"
        runs = [run(args.course, out, "clean") for _ in range(args.runs)]
        total, page, page_size = site_sizes(out)
        course = Path(tmp) / "course"
        shutil.copytree(args.course, course)
        edited = Path(tmp) / "edited" / "site"
        run(course, edited, "clean")
        deck = sorted((course / "slides").glob("*.md"))[0]
        edits = []
        for number in range(args.runs):
            with deck.open("a", encoding="utf-8") as handle:
                handle.write(f"\n\nedit {number}\n")
            edits.append(run(course, edited, "cached"))
    build_times = [r["build"] for r in runs]
    print(f"course: {args.course}  runs: {args.runs}  slides: {runs[0]['slides']}")
    print(
        f"build (median):   {statistics.median(build_times):.3f} s  (min {min(build_times):.3f}, max {max(build_times):.3f})"
    )
    print(f"import (median):  {statistics.median(r['import'] for r in runs):.3f} s")
    print(
        f"whole process:    {statistics.median(r['process'] for r in runs):.3f} s  (python start, imports, build, exit)"
    )
    print(f"peak memory:      {max(r['peak_mib'] for r in runs):.0f} MiB")
    print(
        f"one edit (median): {statistics.median(r['build'] for r in edits):.3f} s build, "
        f"{statistics.median(r['process'] for r in edits):.3f} s whole process "
        f"({deck.name} edited, the other decks from the build cache)"
    )
    print(f"site size:        {total / 1e6:.1f} MB")
    print(f"largest page:     {page} {page_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
