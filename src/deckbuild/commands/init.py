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


# what a course that already has decks gets: no sample deck, nothing that changes how it builds
FOR_EXISTING = (".gitignore", ".github/workflows/pages.yml", "deckbuild.yml")


def has_decks(folder: Path) -> bool:
    """A course already: decks in slides/, a reveal-md layout, or markdown files in the folder."""
    if (folder / "reveal-md.json").is_file() or (folder / "reveal.json").is_file():
        return True
    return (
        any((folder / "slides").rglob("*.md")) if (folder / "slides").is_dir() else any(folder.glob("*.md"))
    )


def commented(text: str) -> str:
    """The starter config with every setting commented out: the course keeps building as it did."""
    lines = []
    for line in text.splitlines():
        lines.append(line if not line.strip() or line.lstrip().startswith("#") else f"# {line}")
    return "\n".join(lines) + "\n"


def starter_text(starter: str, pip: str | None) -> str:
    text = (STARTER / starter).read_text("utf-8").replace("__VERSION__", __version__)
    return text.replace("__PIP__", pip or f"deckbuild=={__version__}")


def init_existing(folder: Path, force: bool, pip: str | None = None) -> list[str]:
    """Add to an existing course only what it lacks (all of it with --force)."""
    written = []
    for name in FOR_EXISTING:
        target = folder / name
        if target.exists() and not force:
            continue
        text = starter_text(FILES[name], pip)
        if name == "deckbuild.yml":
            text = commented(text)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        written.append(name)
    return written


def init(folder: Path, *, force: bool = False, pip: str | None = None) -> list[str]:
    """Write the starter course into `folder` (or what an existing course lacks); returns the files written."""
    if has_decks(folder):
        return init_existing(folder, force, pip)
    existing = [name for name in FILES if (folder / name).exists()]
    if existing and not force:
        raise DeckError(f"{folder / existing[0]} exists; nothing was written (use --force to overwrite)")
    for name, starter in FILES.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(starter_text(starter, pip), "utf-8")
    return list(FILES)
