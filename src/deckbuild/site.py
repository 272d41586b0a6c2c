"""The course as a Site: config read, decks found, ordered and rendered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from deckbuild.config import CONFIG_FILE, load_course_config
from deckbuild.errors import DeckError, Where, display_path
from deckbuild.model import Site
from deckbuild.reader import read_deck
from deckbuild.render import DeckRenderer
from deckbuild.rules.assets import Assets
from deckbuild.rules.svg import CleanSvg, SvgInliner

RESERVED_PAGES = {"index.html", "404.html"}


def find_decks(slides: Path, order: list[str], root: Path) -> list[Path]:
    """Decks in config order, then the others by path."""
    found = sorted(
        p
        for p in slides.rglob("*.md")
        if not any(part.startswith(".") for part in p.relative_to(slides).parts)
    )
    listed: list[Path] = []
    for entry in order:
        path = (slides / entry).resolve()
        if path not in found:
            raise DeckError(
                f'deck "{entry}" is not a markdown file in {display_path(slides, root)}/', Where(CONFIG_FILE)
            )
        listed.append(path)
    return listed + [p for p in found if p not in listed]


def page_for(deck: Path, slides: Path) -> str:
    return deck.relative_to(slides).with_suffix(".html").as_posix()


class SiteBuilder:
    """Reads and renders a course; keeps parsed SVGs warm between builds."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.svg_cache: dict[Path, CleanSvg] = {}
        self.config: dict[str, Any] | None = None

    def load_config(self) -> dict[str, Any]:
        """Read the course config (again: it may have changed since the last build)."""
        self.config = load_course_config(self.root)
        return self.config

    def sources(self, config: dict[str, Any]) -> list[Path]:
        """Folders the output must never overlap."""
        return [self.root / str(config["slides"]), self.root / "templates", self.root / "assets"]

    def slides_dir(self, config: dict[str, Any]) -> Path:
        slides = (self.root / str(config["slides"])).resolve()
        if not slides.is_dir():
            raise DeckError(f"no {config['slides']}/ folder of decks in {self.root}")
        return slides

    def read(self) -> tuple[Site, Assets]:
        config = self.config if self.config is not None else self.load_config()
        self.config = None
        slides = self.slides_dir(config)
        site = Site(root=self.root, config=config)
        assets = Assets(root=self.root, slides=slides)
        for path in find_decks(slides, list(config["decks"]), self.root):
            page = page_for(path, slides)
            name = display_path(path, self.root)
            if page in RESERVED_PAGES:
                raise DeckError(
                    f"a deck cannot be named {Path(page).stem}.md: the site's {page} is taken", Where(name)
                )
            site.decks.append(read_deck(path, name, page, config))
            assets.decks[path] = page
        return site, assets

    def build(self) -> tuple[Site, Assets]:
        site, assets = self.read()
        svgs = SvgInliner(assets, cache=self.svg_cache)
        for deck in site.decks:
            DeckRenderer(deck, assets, svgs).render()
        site.assets = assets.files
        return site, assets
