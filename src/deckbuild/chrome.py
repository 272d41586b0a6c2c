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
import threading
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
    # pages in tabs that are not in front must keep their timers and frames running
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    "--remote-debugging-pipe",
]


class Browser:
    """A headless Chromium we talk to over fds 3 (commands) and 4 (replies).

    One thread reads every message: replies go to whoever waits for that
    id, events are kept per session, so several tabs can be driven at once
    from several threads (`deckbuild check` opens pages in parallel).
    """

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
        self._lock = threading.Lock()
        self._replies: dict[int, dict[str, Any]] = {}
        self._arrived = threading.Condition(self._lock)
        self._closed = False
        self._next_id = 0
        self.events: dict[str | None, list[dict[str, Any]]] = {}
        self._reader = threading.Thread(target=self._read_all, name="devtools-reader", daemon=True)
        self._reader.start()

    def _read_all(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_child, 1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buffer += chunk
            while b"\0" in buffer:
                message, _, buffer = buffer.partition(b"\0")
                self._dispatch(dict(json.loads(message)))
        with self._lock:
            self._closed = True
            self._arrived.notify_all()

    def _dispatch(self, message: dict[str, Any]) -> None:
        with self._lock:
            if "id" in message:
                self._replies[int(message["id"])] = message
                self._arrived.notify_all()
            else:
                self.events.setdefault(message.get("sessionId"), []).append(message)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> int:
        """Send a command; its reply is collected by `reply(id)`."""
        with self._lock:
            self._next_id += 1
            number = self._next_id
        message: dict[str, Any] = {"id": number, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode("utf-8") + b"\0"
        with self._lock:  # one whole message at a time on the pipe
            os.write(self._to_child, data)
        return number

    def reply(self, number: int, method: str, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while number not in self._replies:
                if self._closed:
                    raise DeckError("the browser closed its connection (did it crash?)")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise DeckError("the browser did not answer in time")
                self._arrived.wait(left)
            reply = self._replies.pop(number)
        if "error" in reply:
            raise DeckError(f"browser: {method}: {reply['error'].get('message')}")
        return dict(reply.get("result", {}))

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float = 60,
    ) -> dict[str, Any]:
        return self.reply(self.send(method, params, session), method, timeout)

    def take_events(self, session: str | None) -> list[dict[str, Any]]:
        """The events of `session` received so far (and forget them)."""
        with self._lock:
            return self.events.pop(session, [])

    def open_tab(self, own_process: bool = False) -> str:
        """A new blank tab; returns its session id.

        `own_process`: in a browser context of its own, so in a renderer
        process of its own (file:// pages otherwise share one, and one
        main thread runs every tab's scripts in turn)."""
        params: dict[str, Any] = {"url": "about:blank"}
        if own_process:
            params["browserContextId"] = self.call("Target.createBrowserContext")["browserContextId"]
        target = self.call("Target.createTarget", params)["targetId"]
        return str(self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"])

    def evaluate(self, session: str, expression: str, timeout: float = 60, awaited: bool = False) -> Any:
        """The value of a JavaScript expression in the tab; a thrown error is a DeckError."""
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": awaited},
            session=session,
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise DeckError(f"browser: {str(text).splitlines()[0]}")
        return result.get("result", {}).get("value")

    def wait_until(self, session: str, ready: str, timeout: float) -> None:
        """Poll the JavaScript `ready` until it is true."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.evaluate(session, ready) is True:
                    return
            except DeckError:
                pass  # a page still navigating has no context to evaluate in yet
            if time.monotonic() > deadline:
                raise DeckError(f"the page was not ready after {timeout:.0f} s")
            time.sleep(0.05)

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
        self._reader.join(5)
        os.close(self._from_child)


def print_pdf(executable: str, url: str, ready: str, profile: Path, timeout: float = 120) -> bytes:
    """Open `url`, wait until the JavaScript `ready` is true, print to PDF."""
    browser = Browser(executable, profile)
    try:
        session = browser.open_tab()
        browser.call("Page.enable", session=session)
        browser.call("Page.navigate", {"url": url}, session=session)
        try:
            browser.wait_until(session, ready, timeout)
        except DeckError:
            raise DeckError(f"the page was not ready to print after {timeout:.0f} s") from None
        printed = browser.call(
            "Page.printToPDF",
            {"preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False},
            session=session,
            timeout=timeout,
        )
        return base64.b64decode(printed["data"])
    finally:
        browser.close()
