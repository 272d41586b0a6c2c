"""A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe`.

`chromium --print-to-pdf` prints when its virtual time budget runs out,
which is sometimes before reveal.js has laid out its print view (a blank
one-page PDF). Driving the browser over its pipe lets us print exactly
when the page says it is ready. No network port is opened.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from deckbuild.errors import DeckError

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--remote-debugging-pipe",
]


class Browser:
    """A headless Chromium we talk to over fds 3 (commands) and 4 (replies)."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire() -> None:  # in the child: the pipe ends Chromium expects
            # first out of the way, in case either end already is fd 3 or 4
            high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        try:
            self.process = subprocess.Popen(
                [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=wire,
                pass_fds=(3, 4),  # kept open: they are set up by wire() before exec
            )
        except OSError as exc:
            raise DeckError(f"cannot start {executable}: {exc.strerror}") from None
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise DeckError("the browser did not answer in time")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise DeckError("the browser closed its connection (did it crash?)")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return dict(json.loads(message))

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float = 60,
    ) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise DeckError(f"browser: {method}: {reply['error'].get('message')}")
                return dict(reply.get("result", {}))

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except (DeckError, OSError):
            pass
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self._to_child)
        os.close(self._from_child)


def print_pdf(executable: str, url: str, ready: str, profile: Path, timeout: float = 120) -> bytes:
    """Open `url`, wait until the JavaScript `ready` is true, print to PDF."""
    browser = Browser(executable, profile)
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        browser.call("Page.enable", session=session)
        browser.call("Page.navigate", {"url": url}, session=session)
        deadline = time.monotonic() + timeout
        while True:
            result = browser.call(
                "Runtime.evaluate", {"expression": ready, "returnByValue": True}, session=session
            )
            if result.get("result", {}).get("value") is True:
                break
            if time.monotonic() > deadline:
                raise DeckError(f"the page was not ready to print after {timeout:.0f} s")
            time.sleep(0.1)
        printed = browser.call(
            "Page.printToPDF",
            {"preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False},
            session=session,
            timeout=timeout,
        )
        return base64.b64decode(printed["data"])
    finally:
        browser.close()
