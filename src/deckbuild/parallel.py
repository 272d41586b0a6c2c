"""Rendering decks on every core: a pool of forked workers for one build.

Rendering a deck (markdown, rules, SVG inlining) is pure Python work that
takes most of a build, and decks do not depend on each other, so a
one-shot build renders them in worker processes forked after the imports
(a worker starts in milliseconds and shares the parent's loaded code).
Results come back in deck order and their warnings are logged by the
parent in that order, so the site and the messages are the same as a
serial build's. `serve` renders in its own process: it keeps parsed SVGs
warm between rebuilds, and a rebuild is usually one deck.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from deckbuild.errors import DeckError, Where

log = logging.getLogger("deckbuild")
T = TypeVar("T")
AHEAD = 3  # decks in flight per worker
# an error crosses the process boundary as its parts: DeckError's `where` would not survive pickling
Failure = tuple[str, Where | None]

_job: Callable[[Path], object] | None = None  # set in the parent just before the fork


def default_workers() -> int:
    """Processes a build may use: every core, unless DECKBUILD_WORKERS says otherwise."""
    wanted = os.environ.get("DECKBUILD_WORKERS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def in_workers(workers: int, count: int) -> bool:
    """Whether `count` decks are rendered in worker processes (whose warnings the parent logs)."""
    return workers > 1 and count > 1 and "fork" in multiprocessing.get_all_start_methods()


def _quiet() -> None:
    # a worker's warnings are collected with its result and logged by the parent, in deck order
    log.handlers[:] = []
    log.propagate = False


def _run(path: Path) -> object:
    assert _job is not None
    try:
        return _job(path)
    except DeckError as exc:
        failure: Failure = (exc.message, exc.where)
        return failure


def render_all(job: Callable[[Path], T], paths: list[Path], workers: int) -> Iterator[T]:
    """`job(path)` for each path, in order, over `workers` forked processes.

    A DeckError in a worker is raised here when its deck's turn comes, as a
    serial build would raise it.
    """
    global _job
    if not in_workers(workers, len(paths)):
        yield from (job(path) for path in paths)
        return
    _job = job
    context = multiprocessing.get_context("fork")
    processes = min(workers, len(paths))
    with context.Pool(processes, initializer=_quiet) as pool:
        # a few decks ahead of the one taken, no more: rendered decks waiting
        # for their turn would otherwise pile up in memory
        todo = iter(paths)
        window = deque(pool.apply_async(_run, (p,)) for p in itertools.islice(todo, AHEAD * processes))
        while window:
            result = window.popleft().get()
            following = next(todo, None)
            if following is not None:
                window.append(pool.apply_async(_run, (following,)))
            if isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], str):
                raise DeckError(result[0], result[1])
            yield result  # type: ignore[misc]
    _job = None
