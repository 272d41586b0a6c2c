"""A preview server with its watcher, as `deckbuild serve` runs them, for tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deckbuild.commands.serve import PreviewSession, start_server, watch_and_rebuild
from deckbuild.server import PreviewServer


@contextmanager
def previewing(root: Path, long_poll: float = 5.0) -> Iterator[tuple[PreviewSession, PreviewServer]]:
    """Build `root`, serve it on 127.0.0.1 and rebuild on changes until the block ends."""
    session = PreviewSession(root)
    assert session.rebuild()
    server = start_server(session, "127.0.0.1", 0)
    server.long_poll = long_poll
    stop = threading.Event()
    watcher = threading.Thread(target=watch_and_rebuild, args=(session,), kwargs={"stop": stop}, daemon=True)
    watcher.start()
    time.sleep(0.3)  # let the watcher settle before the first edit
    try:
        yield session, server
    finally:
        stop.set()
        watcher.join(5)
        server.shutdown()
        server.server_close()
