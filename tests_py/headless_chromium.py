"""A headless Chromium driven through the DevTools protocol, for the tests that look at
the HTML card as a browser lays it out.

Chromium is Debian's package (`apt-get install -y chromium`; `.ci/run` installs it);
nothing is downloaded. The browser listens on a port of 127.0.0.1 chosen by itself
(`--remote-debugging-port=0`, read back from its profile folder) and is spoken to over
one WebSocket (the `websocket-client` package), one page attached in flat mode.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

# Without the background-networking flags Chromium tries to reach its update and
# metrics services, which a closed network refuses.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--mute-audio", "--remote-debugging-port=0",
)


def find_chromium() -> str | None:
    """The browser to use: $CHROMIUM, else chromium (Debian) or chromium-browser on PATH."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


class BrowserError(RuntimeError):
    pass


class Chromium:
    """One headless browser with one page. Use as a context manager."""

    def __init__(self, executable: str, profile_dir: Path, timeout: float = 30.0) -> None:
        self.executable = executable
        self.profile_dir = Path(profile_dir)
        self.timeout = timeout
        self.process: subprocess.Popen | None = None
        self.socket = None
        self.session: str | None = None
        self._ids = itertools.count(1)
        self._events: list[dict] = []

    # --- lifetime ---

    def __enter__(self) -> "Chromium":
        import websocket  # websocket-client

        self.profile_dir.mkdir(parents=True, exist_ok=True)
        port_file = self.profile_dir / "DevToolsActivePort"
        port_file.unlink(missing_ok=True)  # a browser that used this profile before wrote its own
        log = open(self.profile_dir.parent / f"{self.profile_dir.name}.log", "wb")
        self.process = subprocess.Popen([self.executable, *FLAGS, f"--user-data-dir={self.profile_dir}",
                                         "about:blank"], stdout=log, stderr=subprocess.STDOUT)
        log.close()
        try:
            deadline = time.monotonic() + self.timeout
            while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise BrowserError(f"{self.executable} did not start; see {log.name}")
                time.sleep(0.05)
            port, path = port_file.read_text().split()[:2]
            self.socket = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=self.timeout,
                                                      suppress_origin=True)
            target = self.call("Target.createTarget", url="about:blank", session=False)["targetId"]
            self.session = self.call("Target.attachToTarget", targetId=target, flatten=True,
                                     session=False)["sessionId"]
            self.call("Page.enable")
            self.call("Runtime.enable")
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        closed_politely = False
        if self.socket is not None:
            try:
                self.call("Browser.close", session=False)
                closed_politely = True
            except Exception:
                pass
            self.socket.close()
            self.socket = None
        if self.process is not None:
            if not closed_politely and self.process.poll() is None:
                self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None

    # --- protocol ---

    def call(self, method: str, session: bool = True, **params: Any) -> dict:
        """Send one command and return its result (events that arrive meanwhile are kept)."""
        message_id = next(self._ids)
        message = {"id": message_id, "method": method, "params": params}
        if session and self.session:
            message["sessionId"] = self.session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv())
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def wait_for(self, event: str) -> dict:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            for index, seen in enumerate(self._events):
                if seen["method"] == event:
                    return self._events.pop(index)
            reply = json.loads(self.socket.recv())
            if "method" in reply:
                self._events.append(reply)
        raise BrowserError(f"no {event} within {self.timeout} s")

    # --- what the tests use ---

    def viewport(self, width: int, height: int, mobile: bool) -> None:
        """A window of ``width`` x ``height`` CSS pixels; ``mobile`` lays the page out as a
        phone does (the viewport meta decides the layout width)."""
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=mobile)

    def open(self, url: str) -> None:
        self._events.clear()
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        """A PNG of the window as it is now."""
        data = self.call("Page.captureScreenshot", format="png")["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) of a PNG file, from its header."""
    header = Path(path).read_bytes()[:24]
    if header[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG file")
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
