"""User-facing problems: one line each, `path:line: message`.

Build stages raise `DeckError` for what stops a build and log warnings on the
`deckbuild` logger for what does not; the CLI alone turns them into output
and exit codes. `strict` mode counts the warnings (as mkdocs does).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("deckbuild")


@dataclass(frozen=True)
class Where:
    """A place in a source file, shown relative to the course folder."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


class DeckError(Exception):
    """A problem in the user's input that stops the build."""

    def __init__(self, message: str, where: Where | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return self.message if self.where is None else f"{self.where}: {self.message}"


def warn(message: str, where: Where | None = None) -> None:
    log.warning("%s", message if where is None else f"{where}: {message}")


def display_path(path: Path, root: Path) -> str:
    """`path` relative to the course folder when it lies inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


class WarningCounter(logging.Handler):
    """Counts (and keeps) the warnings logged while it is installed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def counting_warnings() -> Iterator[WarningCounter]:
    counter = WarningCounter()
    log.addHandler(counter)
    try:
        yield counter
    finally:
        log.removeHandler(counter)
