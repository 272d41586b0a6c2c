"""Benchmark: `deckbuild serve` on the real course while it is edited.

    python bench/serve_course.py [COURSE] [--edits N] [--deck 06_dl_in_other_fields.md]
    python bench/serve_course.py --decks 300

A copy of the course (or, with --decks N, a synthetic course of N decks
made by bench/synth_course.py) is served by a real `deckbuild serve`
process; the time from its start to the index being served is printed.
While 4 clients keep requesting the index and the deck page, the deck is
edited N times. Per edit it prints the time from save to the new HTML being
served, and to the reload signal (the long poll answering); then p50 and
max, the stale reloads (a signal answered before the new page was served)
and the clients' errors (any non-200 or incomplete page). Last, serve is
started again: the decks now come from the build cache the first start
filled.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from synth_course import make_course

HERE = Path(__file__).resolve().parent
DEFAULT_COURSE = HERE.parent.parent / "shared" / "corpus" / "rses-dl-course"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


def start_serve(root: Path, port: int, base: str) -> tuple[subprocess.Popen[bytes], float]:
    """A `deckbuild serve` process, and the seconds from its start to the index being served."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "deckbuild", "serve", str(root), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if get(base + "index.html", 2)[0] == 200:
                break
        except OSError:
            time.sleep(0.02)
    return proc, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("course", nargs="?", type=Path, default=DEFAULT_COURSE)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--deck", default="06_dl_in_other_fields.md")
    parser.add_argument("--decks", type=int, default=0, help="a synthetic course of this many decks")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        if args.decks:
            make_course(args.decks, root)
            deck = sorted((root / "slides").rglob("*.md"))[args.decks // 2]
        else:
            shutil.copytree(args.course, root)
            deck = root / "slides" / args.deck
        original = deck.read_text("utf-8")
        page = deck.relative_to(root / "slides").with_suffix(".html").as_posix()
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        proc, start_cold = start_serve(root, port, base)
        try:
            errors: list[str] = []
            done = threading.Event()

            def client() -> None:
                while not done.is_set():
                    for path in ("index.html", page):
                        try:
                            status, body = get(base + path)
                        except OSError as exc:
                            errors.append(f"{path}: {exc}")
                            continue
                        if status != 200 or not body.rstrip().endswith(b"</html>"):
                            errors.append(f"{path}: {status} {len(body)} bytes")

            clients = [threading.Thread(target=client, daemon=True) for _ in range(4)]
            for c in clients:
                c.start()
            served_ms: list[float] = []
            signal_ms: list[float] = []
            stale = 0
            epoch = json.loads(get(base + "_deckbuild/events?epoch=0")[1])["epoch"]
            for n in range(args.edits):
                marker = f"deckbuild-bench-edit-{n}"
                signal: dict[str, float] = {}

                def wait_signal(
                    since: int = epoch, box: dict[str, float] = signal, want: str = marker
                ) -> None:
                    news = json.loads(get(f"{base}_deckbuild/events?epoch={since}")[1])
                    box["t"] = time.perf_counter()
                    box["epoch"] = news["epoch"]
                    # a reload now must get the new page
                    box["stale"] = float(want.encode() not in get(base + page)[1])

                waiter = threading.Thread(target=wait_signal)
                waiter.start()
                time.sleep(0.05)
                text = original + f"\n\n{marker}\n"
                saved = time.perf_counter()
                deck.write_text(text, "utf-8")
                while marker.encode() not in get(base + page)[1]:
                    pass
                served = time.perf_counter()
                waiter.join(30)
                served_ms.append((served - saved) * 1000)
                signal_ms.append((signal["t"] - saved) * 1000)
                stale += int(signal["stale"])
                epoch = int(signal["epoch"])
                print(
                    f"edit {n + 1:2d}: served {served_ms[-1]:6.1f} ms   reload signal {signal_ms[-1]:6.1f} ms"
                )
                time.sleep(0.2)
            done.set()
            for c in clients:
                c.join(30)
        finally:
            proc.terminate()
            proc.wait(10)
        deck.write_text(original, "utf-8")
        proc, start_warm = start_serve(root, port, base)
        proc.terminate()
        proc.wait(10)
    print(f"course: {args.decks or args.course} decks  deck: {page}  edits: {args.edits}  clients: 4")
    print(
        f"start -> index served:   {start_cold:.2f} s (no build cache), {start_warm:.2f} s (from the cache)"
    )
    print(f"save -> new HTML served: p50 {statistics.median(served_ms):.1f} ms  max {max(served_ms):.1f} ms")
    print(f"save -> reload signal:   p50 {statistics.median(signal_ms):.1f} ms  max {max(signal_ms):.1f} ms")
    print(f"stale reloads: {stale}")
    print(f"client errors: {len(errors)}")
    for error in errors[:5]:
        print("  ", error)


if __name__ == "__main__":
    main()
