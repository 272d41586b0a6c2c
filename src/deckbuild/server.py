"""The preview server: serves the last complete build from memory.

A build is swapped in whole (one attribute assignment of an immutable
snapshot), so a request never sees half a site, and a request that comes
during a rebuild gets the last complete one. Each snapshot has a build
epoch; pages ask `/_deckbuild/events?epoch=N&page=PATH` (a long poll), which
answers only when a newer complete build changed that page (or what it
uses), with what to do: replace some slides and stylesheets in place, or
reload (see live.py). A failed build keeps the last good site and sets an
error the pages show as an overlay.

Only paths the build produced are served: there is nothing on disk to
traverse to.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import mimetypes
import posixpath
import sys
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from deckbuild.live import PageParts, diff
from deckbuild.writer import Output

log = logging.getLogger("deckbuild")

EVENTS = "/_deckbuild/events"
PAGE_STATE = "/_deckbuild/page"
# versions of each page kept to bring an open page up to date from (an older one reloads)
VERSIONS = 4
EPOCH_MARK = "__DECKBUILD_EPOCH__"
LONG_POLL_SECONDS = 25.0
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".json": "application/json",
    ".webp": "image/webp",
}


def content_type(path: str) -> str:
    suffix = posixpath.splitext(path)[1].lower()
    return TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


@functools.lru_cache(maxsize=256)
def encoded_page(page: str) -> tuple[bytes, bytes]:
    """A page as bytes, cut where its build epoch goes (encoded once per page text)."""
    head, _, tail = page.partition(EPOCH_MARK)
    return head.encode("utf-8"), tail.encode("utf-8")


@dataclass(frozen=True)
class Snapshot:
    """One complete build as served, with its epoch and the error after it.

    `parts` describe each page (live.py); `revisions` give, per page, the
    epoch of the build that last changed it.
    """

    output: Output
    epoch: int
    error: str | None = None
    parts: dict[str, PageParts] = field(default_factory=dict)
    revisions: dict[str, int] = field(default_factory=dict)

    def find(self, path: str) -> bytes | Path | None:
        out = self.output
        if path in out.pages:
            head, tail = encoded_page(out.pages[path])
            return b"".join((head, str(self.epoch).encode(), tail)) if tail else head
        if path in out.texts:
            return out.texts[path].encode("utf-8")
        if path in out.data:
            return out.data[path]
        return out.files.get(path)

    def revision(self, page: str | None) -> int:
        """The build that last changed `page` (an unknown page: every build does)."""
        return self.revisions.get(page or "", self.epoch)


@dataclass
class SiteState:
    """The snapshot being served, each page's last few versions, and a condition to wake waiting pages."""

    snapshot: Snapshot = field(default_factory=lambda: Snapshot(Output(), 0, "building…"))
    changed: threading.Condition = field(default_factory=threading.Condition)
    versions: dict[str, dict[int, PageParts]] = field(default_factory=dict)  # page -> revision -> parts

    def publish(self, output: Output, parts: dict[str, PageParts] | None = None) -> int:
        with self.changed:
            old = self.snapshot
            epoch = old.epoch + 1
            parts = parts or {}
            revisions = {
                page: old.revisions[page] if page in old.revisions and old.parts.get(page) == new else epoch
                for page, new in parts.items()
            }
            self.advance(Snapshot(output, epoch, None, parts, revisions))
            return epoch

    def fail(self, error: str) -> int:
        with self.changed:
            old = self.snapshot
            self.advance(Snapshot(old.output, old.epoch + 1, error, old.parts, old.revisions))
            return self.snapshot.epoch

    def advance(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        for page, parts in snapshot.parts.items():
            if snapshot.revisions.get(page) == snapshot.epoch:  # this build changed the page
                kept = self.versions.setdefault(page, {})
                kept[snapshot.epoch] = parts
                for old in sorted(kept)[:-VERSIONS]:
                    del kept[old]
        for gone in set(self.versions) - set(snapshot.parts):
            del self.versions[gone]
        self.changed.notify_all()

    def wait(self, epoch: int, seen_error: bool, timeout: float, page: str | None = None) -> Snapshot:
        """Return once there is news for `page` as build `epoch` served it, or on time-out."""

        def news() -> bool:
            now = self.snapshot
            if now.error is not None:
                return not seen_error
            return seen_error or (now.epoch > epoch and now.revision(page) > epoch)

        with self.changed:
            self.changed.wait_for(news, timeout)
            return self.snapshot

    def changes(self, epoch: int, page: str | None, now: Snapshot) -> dict[str, Any]:
        """What a page of build `epoch` does to show build `now`."""
        if now.revision(page) <= epoch:
            return {"action": "none"}
        with self.changed:
            # the page as build `epoch` served it: its last version no later than that
            kept = self.versions.get(page or "", {})
            shown = [revision for revision in kept if revision <= epoch]
            old = kept[max(shown)] if shown else None
        new = now.parts.get(page or "")
        if old is None or new is None:
            return {"action": "reload"}
        return diff(old, new)


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    # headers and body are two writes: with Nagle's algorithm the body waited
    # for the browser's delayed ACK (40 ms on Linux) on every answer
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # requests are not news
        pass

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def do_GET(self) -> None:
        self.respond(head=False)

    def respond(self, *, head: bool) -> None:
        if not self.server.host_allowed(self.headers.get("Host")):
            # a page on another site that made its name point here (DNS rebinding) reads nothing
            self.send(HTTPStatus.MISDIRECTED_REQUEST, "text/plain; charset=utf-8", b"unknown host\n", head)
            return
        parts = urlsplit(self.path)
        if parts.path == EVENTS:
            self.events(parse_qs(parts.query))
            return
        if parts.path == PAGE_STATE:
            self.page_state(parse_qs(parts.query))
            return
        snapshot = self.server.state.snapshot
        if not snapshot.output.pages:
            self.send(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "text/html; charset=utf-8",
                self.server.waiting_page(snapshot),
                head,
            )
            return
        path, body = lookup(snapshot, site_path(parts.path))
        status = HTTPStatus.OK
        if body is None or path is None:
            status, path = HTTPStatus.NOT_FOUND, "404.html"
            body = snapshot.find(path) or b"not found"
        try:
            data = body.read_bytes() if isinstance(body, Path) else body
        except OSError:  # a source file removed since the build: the next build says so
            status, data = HTTPStatus.NOT_FOUND, b"not found"
        self.send(status, content_type(path), data, head)

    def send(self, status: HTTPStatus, kind: str, data: bytes, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def events(self, query: dict[str, list[str]]) -> None:
        try:
            epoch = int(query.get("epoch", ["0"])[0])
        except ValueError:
            epoch = 0
        seen_error = query.get("error", ["0"])[0] == "1"
        state = self.server.state
        page = page_key(state.snapshot, query.get("page", [""])[0]) if "page" in query else None
        snapshot = state.wait(epoch, seen_error, self.server.long_poll, page)
        answer: dict[str, Any] = {"epoch": snapshot.epoch, "error": snapshot.error}
        if snapshot.error is None:
            answer.update(state.changes(epoch, page, snapshot))
            answer["warnings"] = page_warnings(snapshot, page)
        self.send(HTTPStatus.OK, "application/json", json.dumps(answer).encode("utf-8"))

    def page_state(self, query: dict[str, list[str]]) -> None:
        """A page's warnings, as the page asks for them when it opens."""
        snapshot = self.server.state.snapshot
        page = page_key(snapshot, query.get("page", [""])[0])
        answer = {"epoch": snapshot.epoch, "warnings": page_warnings(snapshot, page)}
        self.send(HTTPStatus.OK, "application/json", json.dumps(answer).encode("utf-8"))


def page_warnings(snapshot: Snapshot, page: str | None) -> list[str]:
    parts = snapshot.parts.get(page or "")
    return list(parts.warnings) if parts is not None else []


def page_key(snapshot: Snapshot, url_path: str) -> str | None:
    """The page a URL path shows (the pages a page's own script names itself by)."""
    path = site_path(urlsplit(url_path).path)
    for candidate in candidates(path):
        if candidate in snapshot.output.pages:
            return candidate
    return None


def site_path(url_path: str) -> str | None:
    """The site path a URL asks for; None for anything trying to leave the site."""
    path = unquote(url_path)
    if "\0" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts:
        return None
    return "/".join(parts)


def candidates(path: str | None) -> list[str]:
    """The site paths a URL's path may name: as asked, as a folder's index, or as a page."""
    if path is None:
        return []
    return [path] if posixpath.splitext(path)[1] else [f"{path}/index.html".lstrip("/"), f"{path}.html"]


def lookup(snapshot: Snapshot, path: str | None) -> tuple[str | None, bytes | Path | None]:
    """The file for a site path: as asked, as a folder's index, or as a page."""
    for candidate in candidates(path):
        body = snapshot.find(candidate)
        if body is not None:
            return candidate, body
    return None, None


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # a page opening with 60 requests at once waits for none of them

    def __init__(
        self, host: str, port: int, state: SiteState, script: str = "", long_poll: float = LONG_POLL_SECONDS
    ) -> None:
        super().__init__((host, port), PreviewHandler)
        self.state = state
        self.script = script
        self.long_poll = long_poll

    def host_allowed(self, header: str | None) -> bool:
        """The `Host` a request names must be this server: its address, or localhost."""
        host = str(self.server_address[0])
        if header is None:
            return False
        if host in ("0.0.0.0", "::"):
            return True  # serving every address (with a warning): any name may reach it
        name = header.strip().lower()
        if name.startswith("["):
            name = name[1 : name.find("]")] if "]" in name else name
        elif name.count(":") == 1:
            name = name.split(":")[0]
        return name in {host.lower(), "localhost", "127.0.0.1", "::1"}

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A page closed mid-answer is ordinary; nothing here prints a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            log.debug("error answering %s: %r", client_address, error)

    def waiting_page(self, snapshot: Snapshot) -> bytes:
        """Before any good build: the error, and the script that reloads on success."""
        message = html.escape(snapshot.error or "building…")
        script = self.script.replace(EPOCH_MARK, str(snapshot.epoch))
        page = f"<!doctype html><meta charset=utf-8><title>deckbuild</title><pre>{message}</pre><script>{script}</script>"
        return page.encode("utf-8")

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="deckbuild-server", daemon=True)
        thread.start()
        return thread
