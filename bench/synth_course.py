"""Make a synthetic course of N decks from the real course, for scale benchmarks.

    python bench/synth_course.py N OUT [--course COURSE]

Deck i is deck (i mod 7) of the real course with its headings and text
varied by i (so no two pages are the same and search indexes differ),
placed in `slides/partK/` groups of 50; every deck keeps its images by
pointing at the real course's `slides/assets/` (copied once, shared).
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_COURSE = HERE.parent.parent / "shared" / "corpus" / "rses-dl-course"
GROUP = 50
HEADING = re.compile(r"^(#{1,6} )(.+)$", re.M)


def vary(text: str, index: int) -> str:
    """Headings get the deck number, so titles and ids differ between copies."""
    return HEADING.sub(lambda m: f"{m.group(1)}{m.group(2)} ({index})", text)


def make_course(count: int, out: Path, course: Path = DEFAULT_COURSE) -> Path:
    if out.exists():
        shutil.rmtree(out)
    slides = out / "slides"
    slides.mkdir(parents=True)
    shutil.copytree(course / "slides" / "assets", slides / "assets")
    for name in ("reveal-md.json", "reveal.json"):
        if (course / name).is_file():
            shutil.copy(course / name, out / name)
    decks = sorted((course / "slides").glob("*.md"))
    for index in range(count):
        source = decks[index % len(decks)]
        group = slides / f"part{index // GROUP:03d}"
        group.mkdir(exist_ok=True)
        # one level deeper than the original: image paths gain a "../"
        text = source.read_text(encoding="utf-8").replace("assets/", "../assets/")
        (group / f"{index:04d}_{source.stem}.md").write_text(vary(text, index), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--course", type=Path, default=DEFAULT_COURSE)
    args = parser.parse_args()
    make_course(args.count, args.out, args.course)
    print(f"{args.count} decks in {args.out}")


if __name__ == "__main__":
    main()
