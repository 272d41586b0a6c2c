"""The preview server answers only to its own name, takes bursts, and survives what it cannot watch."""

from __future__ import annotations

import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import make_course
from preview import previewing

from deckbuild.commands import serve as serve_module
from deckbuild.commands.serve import PreviewSession, watch_and_rebuild


def get(port: int, path: str, host: str | None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": host} if host is not None else {}
    connection.request("GET", path, headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def test_only_its_own_host_names_are_answered(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"})
    with previewing(root) as (_session, server):
        port = server.server_address[1]
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}"):
            assert get(port, "/a.html", host) == 200, host
        # DNS rebinding: a name the attacker controls now points at 127.0.0.1
        for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}"):
            assert get(port, "/a.html", host) == 421, host
            assert get(port, "/_deckbuild/events?epoch=0", host) == 421


def test_a_burst_of_sixty_connections_waits_for_none(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"})
    with previewing(root) as (_session, server):
        port = server.server_address[1]
        assert server.request_queue_size >= 128

        def timed(_n: int) -> float:
            started = time.perf_counter()
            assert get(port, "/a.html", f"127.0.0.1:{port}") == 200
            return time.perf_counter() - started

        with ThreadPoolExecutor(60) as pool:
            times = list(pool.map(timed, range(60)))
    assert max(times) < 0.9, sorted(times)[-5:]  # a full backlog of 5 made some wait a 1 s retry


def test_a_folder_that_cannot_be_watched_falls_back_to_polling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"})
    session = PreviewSession(root)
    assert session.rebuild()
    calls: list[bool] = []

    def fake_watch(*_args: object, force_polling: bool | None = None, **_kw: object) -> list[object]:
        calls.append(bool(force_polling))
        if not force_polling:
            raise PermissionError(13, "Permission denied", str(root / "db"))
        return []

    monkeypatch.setattr(serve_module, "watch", fake_watch)
    watch_and_rebuild(session, stop=threading.Event())
    assert calls == [False, True]
    assert "polling instead" in caplog.text and "Permission denied" in caplog.text


def test_the_serve_log_says_what_changed(tmp_path: Path) -> None:
    from watchfiles import Change

    from deckbuild.commands.serve import describe

    root = tmp_path
    css = [(Change.modified, str(root / "assets" / "tour.css"))]
    assert describe([], css, root) == "assets/tour.css changed, every page served anew"
    gone = [(Change.deleted, str(root / "slides" / "b.md"))]
    assert describe([], gone, root) == "removed slides/b.md"
    edit = [(Change.modified, str(root / "slides" / "a.md"))]
    assert describe(["slides/a.md"], edit, root) == "rebuilt slides/a.md"
    assert describe([], [], root) == "nothing changed"
