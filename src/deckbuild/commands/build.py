"""`deckbuild build`: the course folder becomes a static reveal.js site."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from deckbuild.cache import FOLDER, BuildCache
from deckbuild.errors import DeckError, counting_warnings
from deckbuild.model import Deck, Site
from deckbuild.parallel import default_workers
from deckbuild.site import SiteBuilder
from deckbuild.writer import Output, SiteWriter, check_output, make_environment, swap_in


@dataclass
class BuildResult:
    decks: int
    slides: int
    assets: int
    seconds: float
    warnings: list[str]
    output: Output
    out: Path
    output_decks: list[Deck]
    cached: int = 0  # decks reused from the build cache


def render_site(builder: SiteBuilder) -> tuple[Output, Site]:
    """Read and render the course into an in-memory Output."""
    site, assets = builder.build()
    env = make_environment(builder.root)
    output = SiteWriter(site, assets, env).render_all()
    return output, site


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """A build makes many short-lived objects and no cycles worth chasing:
    the cyclic collector only costs time while it runs (about 5% here)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def cache_folder(out: Path, slides: Path) -> Path | None:
    """`.deckbuild-cache/` beside the output (the course folder for `_site/`); never among the decks."""
    folder = out.parent / FOLDER
    return None if folder.is_relative_to(slides) else folder


def course_cache(root: Path) -> Path | bool:
    """For builds into a temporary folder (pdf, check, gh-deploy): the course's cache if it has one."""
    folder = root.resolve() / FOLDER
    return folder if folder.is_dir() else False


def build(
    root: Path,
    out: Path | None = None,
    *,
    strict: bool = False,
    clean: bool = False,
    cache: Path | bool = True,
) -> BuildResult:
    """Build the course at `root` into `out`; the old site stays on failure.

    Decks rendered by an earlier build are reused from the cache folder
    (`cache`: True for the one beside `out`, a folder, or False for none)
    when nothing they read has changed; `clean` renders every deck and
    writes the cache anew.
    """
    started = time.perf_counter()
    builder = SiteBuilder(root, workers=default_workers())
    with counting_warnings() as warnings, no_cycle_collection():
        config = builder.load_config()
        out = (out or builder.root / str(config["output"])).resolve()
        check_output(out, builder.root, builder.sources(config))
        folder = cache_folder(out, builder.slides_dir(config)) if cache is True else cache or None
        if folder is not None:
            builder.cache = BuildCache.open(folder, builder.root, config, read=not clean)
        output, site = render_site(builder)
    if strict and warnings.messages:
        raise DeckError(f"{len(warnings.messages)} warning(s) in strict mode; the site was not written")
    swap_in(output, out)
    if builder.cache is not None:
        builder.cache.prune([deck.source for deck in site.decks])
    seconds = time.perf_counter() - started
    files = len(site.assets)
    cached = builder.cache.hits if builder.cache is not None else 0
    return BuildResult(
        len(site.decks), site.slide_count, files, seconds, warnings.messages, output, out, site.decks, cached
    )
