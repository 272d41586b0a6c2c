"""Writing a site while it is built: a new folder beside the output, swapped in whole.

Each deck's page is written as soon as it is rendered (by a few threads:
the calls wait on the file system, not on Python), so a build holds one
page at a time, not the whole site, and memory does not grow with the
number of decks. Nothing is visible at the output until the build is
complete: the new folder and the old site then change places in one step,
and a failed or killed build leaves the old site as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from deckbuild.errors import DeckError
from deckbuild.writer import WRITERS, Output, clean_leftovers, exchange, only_build, write_tree


class SiteFolder:
    """`with SiteFolder(out) as folder:` write pages, then `folder.commit(rest)` puts the site in place."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.fresh: Path | None = None
        self.stack = contextlib.ExitStack()
        self.pool: ThreadPoolExecutor | None = None
        self.pending: deque[Future[None]] = deque()

    def error(self, exc: OSError) -> DeckError:
        # a read-only or full disk: one line, and the old site as it was
        return DeckError(f"cannot write the site to {self.out}: {exc.strerror or exc}")

    def __enter__(self) -> SiteFolder:
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.stack.enter_context(only_build(self.out.parent))
            clean_leftovers(self.out)
            self.fresh = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        except OSError as exc:
            self.stack.close()
            raise self.error(exc) from None
        self.pool = ThreadPoolExecutor(max_workers=WRITERS)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self.fresh is not None and self.fresh.exists():
            shutil.rmtree(self.fresh, ignore_errors=True)
        self.stack.close()

    def write_page(self, site_path: str, text: str | bytes) -> None:
        """Write one page now (in a writer thread); at most a few wait in memory."""
        assert self.pool is not None
        self.pending.append(self.pool.submit(self._write, site_path, text))
        while len(self.pending) > 2 * WRITERS:
            self._wait(self.pending.popleft())

    def _write(self, site_path: str, text: str | bytes) -> None:
        assert self.fresh is not None
        path = self.fresh / site_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    def _wait(self, future: Future[None]) -> None:
        try:
            future.result()
        except OSError as exc:
            raise self.error(exc) from None

    def commit(self, rest: Output, before_swap: Callable[[Path], None] | None = None) -> None:
        """Write the rest of the site, then put it in place of the old one in one step;
        `before_swap` may add files made from the written site (PDFs, pictures)."""
        assert self.fresh is not None
        while self.pending:
            self._wait(self.pending.popleft())
        fresh, out = self.fresh, self.out
        try:
            write_tree(rest, fresh)
            if before_swap is not None:
                before_swap(fresh)
            os.chmod(fresh, 0o755)
            if not out.exists():
                os.replace(fresh, out)
            elif exchange(fresh, out):
                shutil.rmtree(fresh, ignore_errors=True)  # now the old site
            else:
                old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
                os.replace(out, old / "site")
                os.replace(fresh, out)
                shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:
            raise self.error(exc) from None


def swap_in(output: Output, out: Path) -> None:
    """Write a whole site held in memory in place of `out` (the old one stays until it is complete)."""
    with SiteFolder(out) as folder:
        folder.commit(output)
