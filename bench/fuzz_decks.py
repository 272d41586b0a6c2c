"""A long fuzz run of the deck readers and renderer: random decks must raise only DeckError.

python bench/fuzz_decks.py [--examples N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fuzzdecks import build_deck, deck_texts  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=5000)
    args = parser.parse_args()

    @settings(max_examples=args.examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(deck_texts)
    def run(text: str) -> None:
        build_deck(text)

    started = time.perf_counter()
    run()
    print(
        f"{args.examples} random decks, none raised anything but DeckError, in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
