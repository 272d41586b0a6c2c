"""The front-end files bundled in the package (reveal.js, KaTeX).

They are fetched and checked against vendor.lock.json when the package is
built (hatch_build.py); here they are only found and versioned.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from deckbuild.errors import DeckError

VENDOR = Path(__file__).parent / "_vendor"


@cache
def versions() -> dict[str, str]:
    """Bundled package versions, from the lock copied in at build time."""
    try:
        lock = json.loads((VENDOR / "lock.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {name: str(entry["version"]) for name, entry in lock["packages"].items()}


@cache  # the package's files do not change while it runs: asked for every deck, looked up once
def vendor_file(relative: str) -> Path:
    """A bundled file, or a one-line error saying how to get it."""
    path = VENDOR / relative
    if not path.is_file():
        raise DeckError(
            f"bundled file {relative} is missing: reinstall deckbuild "
            "(its build fetches reveal.js and KaTeX with npm)"
        )
    return path


@cache
def _themes(folder: str) -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in (VENDOR / folder).glob("*.css")))


def bundled_themes(folder: str) -> list[str]:
    return list(_themes(folder))


@cache
def folder_files(relative: str) -> tuple[str, ...]:
    """The names of the files in a bundled folder (KaTeX's fonts), listed once."""
    return tuple(sorted(p.name for p in (VENDOR / relative).iterdir()))
