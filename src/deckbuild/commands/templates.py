"""`deckbuild templates`: the built-in page templates, and copies to start an override from."""

from __future__ import annotations

import shutil
from pathlib import Path

from deckbuild.errors import DeckError

BUILT_IN = Path(__file__).parent.parent / "templates"


def names() -> list[str]:
    return sorted(p.name for p in BUILT_IN.glob("*.html"))


def listing(root: Path) -> list[tuple[str, bool]]:
    """Each built-in template, and whether the course at `root` overrides it."""
    return [(name, (root / "templates" / name).is_file()) for name in names()]


def copy(root: Path, wanted: list[str], *, force: bool = False) -> list[str]:
    """Copy built-in templates into `root/templates/`; never over a file without `force`."""
    unknown = [name for name in wanted if name not in names()]
    if unknown:
        raise DeckError(f'no built-in template "{unknown[0]}" (there are: {", ".join(names())})')
    written = []
    for name in wanted:
        target = root / "templates" / name
        if target.exists() and not force:
            raise DeckError(f"{target} exists; nothing was written (use --force to overwrite)")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(BUILT_IN / name, target)
        written.append(f"templates/{name}")
    return written
