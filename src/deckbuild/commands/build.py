"""`deckbuild build`: the course folder becomes a static reveal.js site."""

from __future__ import annotations

import gc
import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deckbuild.cache import FOLDER, BuildCache, TemplateCode
from deckbuild.errors import DeckError, counting_warnings
from deckbuild.model import Deck, Site, Slide
from deckbuild.parallel import default_workers
from deckbuild.site import SiteBuilder
from deckbuild.snapshots import Snapshots, wanted
from deckbuild.stream import SiteFolder
from deckbuild.writer import Output, SiteWriter, check_output, make_environment, template_stamps


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
    pages_reused: int = 0  # of which the page was reused whole


def lighten(deck: Deck) -> None:
    """Let a deck's slides go once its page is written; what the index shows stays
    (title, description, page, slide count and titles)."""
    deck.stacks = []
    deck.slides = [[Slide(where=s.where, html="", title=s.title) for s in stack] for stack in deck.slides]
    deck.frame_html = ""


def page_key(context: dict[str, Any], cache: BuildCache) -> str | None:
    """What a deck page is made from besides the deck: the template's other values, the
    course config and deckbuild's own templates (in the cache's key); None if not plain data."""
    rest = {k: v for k, v in context.items() if k not in ("deck", "site")}
    try:
        return hashlib.sha256(json.dumps([cache.key, rest], sort_keys=True).encode()).hexdigest()
    except (TypeError, ValueError):
        return None


def stream_site(
    builder: SiteBuilder, folder: SiteFolder, *, keep_decks: bool, snapshots: Snapshots | None = None
) -> tuple[Output, Site]:
    """Read and render the course, each deck's page written as soon as it is ready.

    Whatever a page or the index needs from a deck's slides is taken in
    `SiteWriter.render_deck`: without `keep_decks` the slides are let go
    right after (a course of any size is built in flat memory). A deck the
    cache has unchanged comes without its slides, and its page is reused
    whole when everything else the template is given is the same too."""
    cache = builder.cache
    # a course template could show anything of any deck: its pages are always made anew
    builder.light_hits = cache is not None and not keep_decks and not template_stamps(builder.root)
    site, assets, decks = builder.start()
    writer = SiteWriter(site, assets, make_environment(builder.root, TemplateCode(cache) if cache else None))
    for built in decks:
        deck = built.deck
        if cache is None or not builder.light_hits:
            writer.render_deck(deck)
            folder.write_page(deck.page, writer.output.pages.pop(deck.page))
        else:
            # the build path of SiteWriter.render_deck, with the page kept and reused
            context = writer.deck_context(deck)
            writer.index_deck(deck, context)  # a light deck has its slides' titles, text and notes
            key = page_key(context, cache)
            page = cache.reused_page(built.entry, key) if built.entry is not None and key else None
            if page is None:
                whole = builder.full(built, assets, site.config)
                html = writer.render_template("deck.html", {**context, "deck": whole.deck})
                page = html.encode("utf-8")
                if key is not None:
                    cache.keep_page(deck.source, key, page)
            folder.write_page(deck.page, page)
        if not keep_decks:
            lighten(deck)
    if snapshots:  # the home page links each deck's PDF and picture, made before the swap
        writer.home_extras = snapshots.extras(site)
    writer.render_index()
    return writer.finish(), site


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
    keep_decks: bool = False,
) -> BuildResult:
    """Build the course at `root` into `out`; the old site stays on failure.

    Decks rendered by an earlier build are reused from the cache folder
    (`cache`: True for the one beside `out`, a folder, or False for none)
    when nothing they read has changed; `clean` renders every deck and
    writes the cache anew. The result's decks keep their slides only with
    `keep_decks` (`deckbuild check` reads them).
    """
    started = time.perf_counter()
    builder = SiteBuilder(root, workers=default_workers(), keep=False)
    with counting_warnings() as warnings, no_cycle_collection():
        config = builder.load_config()
        out = (out or builder.root / str(config["output"])).resolve()
        check_output(out, builder.root, builder.sources(config))
        folder = cache_folder(out, builder.slides_dir(config)) if cache is True else cache or None
        if folder is not None:
            builder.cache = BuildCache.open(folder, builder.root, config, read=not clean)
        with SiteFolder(out) as site_folder:
            snapshots = wanted(config)
            output, site = stream_site(builder, site_folder, keep_decks=keep_decks, snapshots=snapshots)
            if strict and warnings.messages:
                raise DeckError(
                    f"{len(warnings.messages)} warning(s) in strict mode; the site was not written"
                )
            site_folder.commit(output, lambda fresh: snapshots.make(site, fresh))
    if builder.cache is not None:
        builder.cache.prune([deck.source for deck in site.decks])
    seconds = time.perf_counter() - started
    files = len(site.assets)
    cached = len(site.decks) - len(builder.rendered) if builder.cache is not None else 0
    reused = builder.cache.pages_reused if builder.cache is not None else 0
    return BuildResult(
        len(site.decks),
        site.slide_count,
        files,
        seconds,
        warnings.messages,
        output,
        out,
        site.decks,
        cached,
        reused,
    )
