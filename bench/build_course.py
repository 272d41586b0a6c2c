"""Benchmark: build the real course several times; print wall time, memory and sizes.

    python bench/build_course.py [COURSE] [--runs N]

Each run is a fresh process (cold caches, as `deckbuild build` is run), so
peak memory is that process's own high-water mark.
"""

from __future__ import annotations

import argparse
import json
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
result = build(Path(sys.argv[1]), Path(sys.argv[2]))
t2 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"import": t1 - t0, "build": t2 - t1, "peak_mib": peak, "slides": result.slides}))
"""


def site_sizes(out: Path) -> tuple[int, str, int]:
    files = [p for p in out.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html" and p.name[0].isdigit()]
    largest = max(pages, key=lambda p: p.stat().st_size)
    return sum(p.stat().st_size for p in files), largest.name, largest.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("course", nargs="?", type=Path, default=DEFAULT_COURSE)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        for _ in range(args.runs):
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(args.course), str(out)],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append({**json.loads(done.stdout), "process": time.perf_counter() - started})
        total, page, page_size = site_sizes(out)
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
    print(f"site size:        {total / 1e6:.1f} MB")
    print(f"largest page:     {page} {page_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
