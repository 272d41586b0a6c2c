"""`deckbuild init`: a new course that builds at once and publishes itself."""

from __future__ import annotations

from pathlib import Path

from deckbuild import __version__
from deckbuild.errors import DeckError

STARTER = Path(__file__).parent.parent / "starter"

# course file -> starter file (dot files are stored without their dot)
FILES = {
    "deckbuild.yml": "deckbuild.yml",
    "slides/01_welcome.md": "welcome.md",
    "assets/layers.svg": "layers.svg",
    "templates/README.md": "templates-README.md",
    ".gitignore": "gitignore",
    ".github/workflows/pages.yml": "pages.yml",
}


def init(folder: Path, *, force: bool = False) -> list[str]:
    """Write the starter course into `folder`; returns the files written."""
    existing = [name for name in FILES if (folder / name).exists()]
    if existing and not force:
        raise DeckError(f"{folder / existing[0]} exists; nothing was written (use --force to overwrite)")
    for name, starter in FILES.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        text = (STARTER / starter).read_text("utf-8").replace("__VERSION__", __version__)
        target.write_text(text, "utf-8")
    return list(FILES)
