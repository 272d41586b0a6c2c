"""`deckbuild serve`: live preview that reloads only onto a complete build."""

from __future__ import annotations

import gc
import ipaddress
import json
import logging
import signal
import threading
import time
import webbrowser
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
from watchfiles import Change, DefaultFilter, watch

from deckbuild.cache import FOLDER, BuildCache
from deckbuild.commands.build import cache_folder
from deckbuild.errors import DeckError, counting_warnings, display_path
from deckbuild.live import DeckPage, PageParts, SlideCache, site_parts
from deckbuild.parallel import default_workers
from deckbuild.server import PreviewServer, SiteState
from deckbuild.site import SiteBuilder
from deckbuild.writer import CLIENT, Output, PageCache, SiteWriter, make_environment, template_stamps

log = logging.getLogger("deckbuild")

# watchfiles waits this long after a change for more before it reports;
# its default (50 ms) is most of our time budget for showing an edit.
WATCH_STEP_MS = 10


class CourseFilter(DefaultFilter):
    """Watch the course, not its built output nor editors' temporary files."""

    def __init__(self, ignore: Iterable[Path]) -> None:
        super().__init__(ignore_paths=[str(p) for p in ignore])

    def __call__(self, change: Change, path: str) -> bool:
        name = Path(path).name
        if name.startswith((".#", "#")) or name.endswith(("~", ".tmp")):
            return False
        return bool(super().__call__(change, path))


class PreviewSession:
    """Builds into memory and publishes each complete build to the server."""

    def __init__(self, root: Path) -> None:
        # a reused deck's warnings were shown when it was rendered: not again
        self.builder = SiteBuilder(root, replay_warnings=False)
        self.root = self.builder.root
        self.state = SiteState()
        self.script = (CLIENT / "reload.js").read_text("utf-8")
        self.env: jinja2.Environment | None = None
        self.templates: list[tuple[str, int, int]] | None = None
        self.pages: PageCache = {}
        self.slides: SlideCache = {}
        self.output_dirs: list[Path] = [self.root / "_site"]
        self.failed = False
        self.cache_config = ""

    def environment(self) -> jinja2.Environment:
        stamps = template_stamps(self.root)
        if self.env is None or stamps != self.templates:
            self.env, self.templates = make_environment(self.root), stamps
            self.pages.clear()
        return self.env

    def warm(self) -> None:
        """Parse the decks' SVGs in this process, where edits render.

        The first build ran in workers (or came from the build cache), so the
        first edit of a deck would otherwise parse every drawing it inlines
        (0.2-0.4 s on the real course) before the page shows the edit."""
        svgs = self.builder.svgs
        for built in list(self.builder.decks.values()):
            for path in list(built.assets.depends):
                if path.suffix.lower() == ".svg" and path.is_file():
                    try:
                        svgs.load(path)
                    except Exception as exc:  # a broken drawing: the next build says so
                        log.debug("not warmed: %s: %s", path, exc)

    def page_parts(self, output: Output, messages: list[str]) -> dict[str, PageParts]:
        """What each page is made of, for the open pages to follow in place (live.py)."""
        decks = [
            DeckPage(built.deck, tuple(built.assets.files.values()), tuple(built.warnings))
            for built in self.builder.decks.values()
        ]
        own = {message for deck in decks for message in deck.warnings}
        common = [message for message in messages if message not in own]
        return site_parts(
            output.pages, output.texts, output.shells, output.styles, decks, common, self.slides
        )

    def rebuild(self, changes: Iterable[tuple[Change, str]] = ()) -> bool:
        """One build; on success it is served, on failure the last good one stays."""
        started = time.perf_counter()
        changes = list(changes)
        try:
            with counting_warnings() as warnings:
                config = self.builder.load_config()
                out = (self.root / str(config["output"])).resolve()
                # what a build and the build cache write is no change to watch
                self.output_dirs = [self.root / "_site", out, out.parent / FOLDER]
                self.use_cache(config)
                site, assets = self.builder.build(self.changed(changes))
                writer = SiteWriter(
                    site, assets, self.environment(), serve_script=self.script, page_cache=self.pages
                )
                output = writer.render_all()
            parts = self.page_parts(output, warnings.messages)
        except DeckError as exc:
            self.failed = True
            self.state.fail(str(exc))
            log.error("%s", exc)
            return False
        except Exception as exc:  # keep serving the last good build whatever happened
            self.failed = True
            self.state.fail(f"internal error: {type(exc).__name__}: {exc}")
            log.exception("internal error while building")
            return False
        self.failed = False
        epoch = self.state.publish(output, parts)
        log.info(
            "build %d: %s in %.0f ms",
            epoch,
            describe(self.builder.rendered, changes, self.root),
            (time.perf_counter() - started) * 1000,
        )
        settle(self.builder)
        return True

    def use_cache(self, config: dict[str, Any]) -> None:
        """The build cache `deckbuild build` fills: a large course starts from it (and adds to it)."""
        key = json.dumps(config, sort_keys=True, default=str)
        if key == self.cache_config:
            return
        out = (self.root / str(config["output"])).resolve()
        folder = cache_folder(out, self.builder.slides_dir(config))
        cache = BuildCache.open(folder, self.root, config) if folder is not None else None
        if cache is not None:
            cache.deferred = []
        self.builder.cache, self.cache_config = cache, key

    def changed(self, changes: list[tuple[Change, str]]) -> set[Path] | None:
        """The files the watcher reported; None (look at every stamp) at start and after a failed build."""
        if self.failed or not changes:
            return None
        return {Path(path).resolve() for _change, path in changes}


def settle(builder: SiteBuilder) -> None:
    """After a build: what it kept is moved out of the cyclic collector's sight.

    The builder keeps every deck's slides, trees and parsed SVGs between
    builds; a full collection walking them all took ~100 ms of a one-deck
    rebuild on a 300-deck course. Garbage is still freed by reference
    counting; only cycles among the kept objects would stay (there are few).
    The cache entries rendered meanwhile are written now, after the build
    was served."""
    if builder.cache is not None:
        builder.cache.flush()
    gc.collect()
    gc.freeze()


def names(paths: list[str]) -> str:
    return ", ".join(paths) if len(paths) <= 3 else f"{', '.join(paths[:3])} and {len(paths) - 3} more"


def describe(rendered: list[str], changes: Iterable[tuple[Change, str]], root: Path) -> str:
    """What a rebuild did, in the words of what changed (a stylesheet, a deleted deck…)."""
    seen = sorted({(change, display_path(Path(path), root)) for change, path in changes})
    deleted = [name for change, name in seen if change == Change.deleted and name.endswith(".md")]
    others = [name for change, name in seen if name not in deleted and not name.endswith(".md")]
    parts = []
    if rendered:
        parts.append(f"rebuilt {names(rendered)}")
    if deleted:
        parts.append(f"removed {names(deleted)}")
    if others and not rendered:
        parts.append(f"{names(others)} changed, every page served anew")
    return "; ".join(parts) or "nothing changed"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def start_server(session: PreviewSession, host: str, port: int) -> PreviewServer:
    try:
        server = PreviewServer(host, port, session.state, script=session.script)
    except OSError as exc:
        raise DeckError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    server.start()
    return server


def watch_and_rebuild(
    session: PreviewSession, *, poll: bool = False, stop: threading.Event | None = None
) -> None:
    """Rebuild on every change under the course folder until `stop` or Ctrl-C."""
    watch_filter = CourseFilter(session.output_dirs)
    try:
        for changes in watch(
            session.root,
            watch_filter=watch_filter,
            step=WATCH_STEP_MS,
            stop_event=stop,
            force_polling=poll or None,
        ):
            session.rebuild(changes)
    except (OSError, RuntimeError) as exc:
        if poll:
            raise DeckError(f"cannot watch {session.root} for changes: {exc}") from None
        # e.g. a folder inside the course this user may not read (a database's data)
        log.warning("cannot watch %s for changes (%s): polling instead", session.root, exc)
        watch_and_rebuild(session, poll=True, stop=stop)


def serve(
    root: Path, host: str = "127.0.0.1", port: int = 8000, *, open_browser: bool = False, poll: bool = False
) -> None:
    """Serve the course at `root` until Ctrl-C."""
    if not is_loopback(host):
        log.warning("serving on %s: anyone who can reach this machine can read the course", host)
    session = PreviewSession(root)
    # the first build renders on every core (and says how far it is); edits then render here,
    # where parsed SVGs stay warm (and no process is forked beside the server's threads)
    session.builder.workers, session.builder.progress = default_workers(), True
    session.rebuild()
    session.builder.workers, session.builder.progress = 1, False
    server = start_server(session, host, port)
    threading.Thread(target=session.warm, name="deckbuild-warm", daemon=True).start()
    log.info("serving %s at %s (Ctrl-C to stop)", session.root, server.url)
    if open_browser:
        webbrowser.open(server.url)
    stop = threading.Event()
    # Ctrl-C, and `kill`, end the watch loop cleanly (also where SIGINT was ignored)
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    try:
        watch_and_rebuild(session, poll=poll, stop=stop)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        log.info("stopped")
