"""The course as a Site: config read, decks found, ordered and rendered."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from deckbuild.cache import BuildCache, DeckBuild
from deckbuild.config import CONFIG_FILE, load_course_config
from deckbuild.errors import DeckError, Where, counting_warnings, display_path, warn
from deckbuild.model import Site
from deckbuild.parallel import in_workers, render_all
from deckbuild.readers import read_deck
from deckbuild.render import DeckRenderer
from deckbuild.rules.assets import Assets
from deckbuild.rules.svg import SvgInliner

RESERVED_PAGES = {"index.html", "404.html"}
PROGRESS_SECONDS = 2.0
log = logging.getLogger("deckbuild")


def inside(path: Path, root: Path) -> bool:
    """Whether a file really is in the course (a link to /etc/passwd named slides/x.md is not)."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except OSError:
        return False


def find_decks(slides: Path, order: list[str], root: Path) -> list[Path]:
    """Decks in config order, then the others by path; links to files outside the course are left out."""
    found = []
    folders: dict[Path, bool] = {}  # a file that is no link is where its folder really is
    for p in sorted(slides.rglob("*.md")):
        if any(part.startswith(".") for part in p.relative_to(slides).parts):
            continue
        if p.is_symlink():
            real = inside(p, root)
        else:
            if p.parent not in folders:
                folders[p.parent] = inside(p.parent, root)
            real = folders[p.parent]
        if not real:
            warn(
                "is a link to a file outside the course folder: left out",
                Where(p.relative_to(root).as_posix()),
            )
            continue
        found.append(p)
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


class Unchanged:
    """Whether a deck kept in memory can be reused: by the watcher's change set, or by stamps."""

    def __init__(self, changed: set[Path] | None) -> None:
        self.changed = changed
        # a folder renamed or deleted is reported alone, not file by file
        self.folders = {p for p in changed or () if p.is_dir() or not p.exists()}

    def __call__(self, built: DeckBuild) -> bool:
        if self.changed is None:
            return built.fresh()
        changed, folders = self.changed, self.folders
        for path in built.assets.depends:
            if path in changed or (folders and not folders.isdisjoint(path.parents)):
                return False
        return True


class SiteBuilder:
    """Reads and renders a course.

    It keeps what a rebuild can reuse: parsed SVGs, and each rendered deck
    with the stamps of every file it read (deck, images, SVGs, linked
    decks, missing files too). A deck is rendered again only when one of
    those changed or the course config did, so `serve` rebuilds one deck
    for one edit. With a `cache` (cache.py), a deck not in memory is
    looked up on disk before it is rendered, and every render is kept there.
    """

    def __init__(
        self, root: Path, *, replay_warnings: bool = True, workers: int = 1, keep: bool = True
    ) -> None:
        self.root = root.resolve()
        # keep rendered decks and SVG copies for the next build (serve); a one-shot build lets them go
        self.keep = keep
        self.replay_warnings = replay_warnings
        self.workers = workers  # processes for rendering decks (see parallel.py)
        self.svgs = SvgInliner(keep_copies=keep)
        self.decks: dict[Path, DeckBuild] = {}
        self.config: dict[str, Any] | None = None
        self.config_key = ""
        self.rendered: list[str] = []  # decks rendered (not reused) by the last build
        self.cache: BuildCache | None = None
        self.progress = False  # say how far a long build is, every few seconds
        # a cached deck may come as its head says it (no slide HTML): its page is then reused whole,
        # or the deck is asked for in `full` (build.py)
        self.light_hits = False

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

    def build(self, changed: set[Path] | None = None) -> tuple[Site, Assets]:
        """Every deck read and rendered (or reused), in order.

        `changed`: the files a watcher saw change since the last build; a
        deck kept in memory is then rendered again only if it read one of
        them (no file looked at), else (None) every file it read is checked.
        """
        site, merged, decks = self.start(changed)
        for _built in decks:
            pass
        return site, merged

    def start(self, changed: set[Path] | None = None) -> tuple[Site, Assets, Iterator[DeckBuild]]:
        """The site, its files, and its decks one by one as they are ready.

        The site's deck list and files fill as the decks are taken, so a
        build can write each page and let it go (stream.py)."""
        config = self.config if self.config is not None else self.load_config()
        self.config = None
        key = json.dumps(config, sort_keys=True, default=str)
        if key != self.config_key:
            self.decks.clear()
            self.config_key = key
        slides = self.slides_dir(config)
        self.svgs.trust = bool(config.get("svg_trust"))
        if self.svgs.trust:
            warn(
                "svg_trust is on: inlined SVGs keep their scripts and event handlers, and run them in the page",
                Where(CONFIG_FILE),
            )
        site = Site(root=self.root, config=config)
        paths = find_decks(slides, list(config["decks"]), self.root)
        pages = {path: page_for(path, slides) for path in paths}
        merged = Assets(root=self.root, slides=slides, decks=pages)
        self.rendered = []
        if self.cache is not None:
            self.cache.ids.clear()  # files are hashed once a build, not once a session
        return site, merged, self.each_deck(site, merged, paths, pages, config, changed)

    def each_deck(
        self,
        site: Site,
        merged: Assets,
        paths: list[Path],
        pages: dict[Path, str],
        config: dict[str, Any],
        changed: set[Path] | None,
    ) -> Iterator[DeckBuild]:
        slides = merged.slides
        unchanged = Unchanged(changed)
        stale = [p for p in paths if (built := self.decks.get(p)) is None or not unchanged(built)]
        cache = self.cache
        # only the small head of each entry is read now: a deck is loaded when its turn comes
        kept = {p: e for p in stale if cache is not None and (e := cache.check(p, pages, slides)) is not None}
        stale = [p for p in stale if p not in kept]

        def render(path: Path) -> DeckBuild:
            return self.render_deck(path, pages, slides, config)

        fresh = render_all(render, stale, self.workers)
        replay_fresh = in_workers(self.workers, len(stale))  # a worker logs nothing itself
        said = time.monotonic()
        for done, path in enumerate(paths):
            if self.progress and time.monotonic() - said > PROGRESS_SECONDS:
                log.info("%d of %d decks ready", done, len(paths))
                said = time.monotonic()
            if path in kept:
                entry = kept.pop(path)
                built = None
                if cache is not None:
                    built = (self.light_hits and cache.light(entry)) or cache.load(entry)
                if built is None:  # damaged since it was checked
                    built = render(path)
                    self.rendered.append(built.deck.name)
                else:
                    for message in built.warnings:
                        warn(message)
            elif path in stale:
                built = next(fresh)
                for message in built.warnings if replay_fresh else []:
                    warn(message)
                self.rendered.append(built.deck.name)
            else:
                built = self.decks[path]
                if self.replay_warnings:
                    for message in built.warnings:
                        warn(message)
            if self.keep:
                self.decks[path] = built
            site.decks.append(built.deck)
            merged.merge(built.assets)
            yield built
        for gone in set(self.decks) - set(paths):
            del self.decks[gone]
        site.assets = merged.files

    def full(self, built: DeckBuild, merged: Assets, config: dict[str, Any]) -> DeckBuild:
        """A light deck's slides: from the cache's body, or rendered here if that is damaged."""
        entry = built.entry
        if not built.light:
            return built
        whole = self.cache.load(entry) if self.cache is not None and entry is not None else None
        if whole is None:
            whole = self.render_deck(built.deck.source, merged.decks, merged.slides, config)
            self.rendered.append(whole.deck.name)
        return whole

    def render_deck(
        self, path: Path, pages: dict[Path, str], slides: Path, config: dict[str, Any]
    ) -> DeckBuild:
        name = display_path(path, self.root)
        page = pages[path]
        if page in RESERVED_PAGES:
            raise DeckError(
                f"a deck cannot be named {Path(page).stem}.md: the site's {page} is taken", Where(name)
            )
        assets = Assets(root=self.root, slides=slides, decks=pages)
        assets.depend(path)
        with counting_warnings() as warnings:
            deck = read_deck(path, name, page, config)
            # the reader looked for a theme file beside the deck: a new one there means a new page
            assets.depend((path.parent / str(deck.settings.get("theme"))).resolve())
            DeckRenderer(deck, assets, self.svgs).render()
        built = DeckBuild(deck, assets, warnings.messages)
        if self.cache is not None:
            self.cache.store(path, built, pages)  # in the worker that rendered it
        return built
