"""`deckbuild serve`: build epochs, no stale reload, no partial page, errors, traversal."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import make_course
from preview import previewing

from deckbuild.commands.build import build
from deckbuild.commands.serve import PreviewSession, start_server
from deckbuild.server import PreviewServer

DECK = "# Title\n\n---\n## Slide two\n\nversion 0\n"


@dataclass
class Running:
    root: Path
    session: PreviewSession
    server: PreviewServer

    @property
    def url(self) -> str:
        return self.server.url

    def get(self, path: str) -> tuple[int, str, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as r:
                return r.status, r.headers["Content-Type"], r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.headers["Content-Type"], e.read().decode("utf-8", "replace")

    def events(self, epoch: int, error: int = 0) -> dict[str, object]:
        status, _, body = self.get(f"_deckbuild/events?epoch={epoch}&error={error}")
        assert status == 200
        return dict(json.loads(body))

    def edit(self, text: str, name: str = "slides/a.md") -> None:
        (self.root / name).write_text(text, "utf-8")


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    root = make_course(
        tmp_path,
        {"a.md": DECK, "b.md": "# Other deck\n"},
        {"slides/img/x.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'},
    )
    with previewing(root) as (session, server):
        yield Running(root, session, server)


def wait_for_epoch(running: Running, above: int, timeout: float = 5.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        news = running.events(above)
        if int(news["epoch"]) > above:  # type: ignore[call-overload]
            return news
    raise AssertionError("no new build")


def test_pages_are_served_with_their_build_epoch_and_the_reload_script(running: Running) -> None:
    status, kind, body = running.get("a.html")
    assert status == 200 and kind == "text/html; charset=utf-8"
    assert "var epoch = 1;" in body and "/_deckbuild/events" in body
    assert running.get("")[0] == 200 and running.get("a")[0] == 200


def test_build_output_never_has_the_reload_script(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": DECK})
    build(root)
    assert "_deckbuild" not in (root / "_site" / "a.html").read_text("utf-8")


def test_reload_signal_comes_only_with_the_new_page(running: Running) -> None:
    for n in range(1, 4):
        epoch = int(running.events(0)["epoch"])  # type: ignore[call-overload]
        running.edit(DECK.replace("version 0", f"version {n}"))
        news = wait_for_epoch(running, epoch)
        assert news["error"] is None
        # the moment the signal is seen, the page served is the new one
        assert f"version {n}" in running.get("a.html")[2]


def test_one_deck_edit_rebuilds_that_deck_only(running: Running) -> None:
    epoch = int(running.events(0)["epoch"])  # type: ignore[call-overload]
    running.edit("# Other deck, renamed\n", "slides/b.md")
    wait_for_epoch(running, epoch)
    assert running.session.builder.rendered == ["slides/b.md"]
    assert "Other deck, renamed" in running.get("index.html")[2]


def test_no_404_or_partial_page_while_rebuilding(running: Running) -> None:
    failures: list[str] = []
    done = threading.Event()

    def client() -> None:
        while not done.is_set():
            for path in ("a.html", "index.html"):
                status, _, body = running.get(path)
                if status != 200 or not body.rstrip().endswith("</html>"):
                    failures.append(f"{path}: {status} {len(body)}")

    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for n in range(5):
            epoch = int(running.events(0)["epoch"])  # type: ignore[call-overload]
            running.edit(DECK.replace("version 0", f"version {n + 10}") + ("x" * 20000))
            wait_for_epoch(running, epoch)
    finally:
        done.set()
        for t in threads:
            t.join()
    assert failures == []


def test_failed_build_keeps_last_good_site_and_reports_error_then_recovers(running: Running) -> None:
    epoch = int(running.events(0)["epoch"])  # type: ignore[call-overload]
    (running.root / "deckbuild.yml").write_text("title: [oops\n", "utf-8")
    news = running.events(epoch)
    assert isinstance(news["error"], str) and news["error"].startswith("deckbuild.yml:2: invalid YAML")
    status, _, body = running.get("a.html")
    assert status == 200 and "version 0" in body
    # a page that has shown the error waits for a good build
    (running.root / "deckbuild.yml").write_text("title: fixed\n", "utf-8")
    news = running.events(int(news["epoch"]), error=1)  # type: ignore[call-overload]
    assert news["error"] is None
    assert "fixed" in running.get("index.html")[2]


@pytest.mark.parametrize(
    "path",
    [
        "../conftest.py",
        "%2e%2e/%2e%2e/etc/passwd",
        "slides/a.md",
        "..%2fslides%2fa.md",
        "deckbuild.yml",
        "img/../../slides/a.md",
    ],
)
def test_only_the_site_is_served(running: Running, path: str) -> None:
    status, _, body = running.get(path)
    assert status == 404 and "version 0" not in body


def test_svg_mime_type(running: Running) -> None:
    running.edit(DECK + "\n![x](img/x.svg)\n")
    wait_for_epoch(running, 1)
    status, kind, _ = running.get("img/x.svg")
    assert status == 200 and kind == "image/svg+xml"


def test_image_edit_rebuilds_the_decks_that_use_it_and_config_edit_everything(running: Running) -> None:
    running.edit(DECK + '\n<object type="image/svg+xml" data="img/x.svg"></object>\n')
    wait_for_epoch(running, 1)
    epoch = int(running.events(0)["epoch"])  # type: ignore[call-overload]
    (running.root / "slides/img/x.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><g id="new"/></svg>', "utf-8"
    )
    wait_for_epoch(running, epoch)
    assert running.session.builder.rendered == ["slides/a.md"]
    assert 'id="s1-new"' in running.get("a.html")[2]
    epoch = int(running.events(0)["epoch"])  # type: ignore[call-overload]
    (running.root / "deckbuild.yml").write_text("title: New title\n", "utf-8")
    wait_for_epoch(running, epoch)
    assert running.session.builder.rendered == ["slides/a.md", "slides/b.md"]


def test_a_failing_first_build_serves_its_error_until_fixed(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": DECK}, {"deckbuild.yml": "reveal: {width: wide}\n"})
    session = PreviewSession(root)
    assert not session.rebuild()
    server = start_server(session, "127.0.0.1", 0)
    server.long_poll = 5.0
    try:
        running = Running(root, session, server)
        status, _, body = running.get("a.html")
        assert status == 503 and "deckbuild.yml:1: &#x27;width&#x27; must be a number" in body
        assert "/_deckbuild/events" in body  # the page reloads itself once a build succeeds
        (root / "deckbuild.yml").write_text("title: ok\n")
        assert session.rebuild()
        assert running.get("a.html")[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_serve_process_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    import signal
    import socket
    import subprocess
    import sys

    root = make_course(tmp_path, {"a.md": DECK})
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "deckbuild", "serve", str(root), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/a.html", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, output
    assert "serving" in output and "stopped" in output and "Traceback" not in output


def test_a_client_leaving_mid_poll_prints_nothing(
    running: Running, capfd: pytest.CaptureFixture[str]
) -> None:
    import socket

    host, port = running.server.server_address[:2]
    epoch = int(running.events(0)["epoch"])  # type: ignore[call-overload]
    for _ in range(3):  # pages that wait for the next build, then close
        with socket.create_connection((str(host), int(port))) as conn:
            conn.sendall(f"GET /_deckbuild/events?epoch={epoch} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            time.sleep(0.05)
    running.edit(DECK.replace("version 0", "version 7"))
    wait_for_epoch(running, epoch)
    time.sleep(0.2)
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False), ("192.0.2.1", False)],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    from deckbuild.commands.serve import is_loopback

    assert is_loopback(host) is loopback
