"""`papernotes serve`: the site is served on 127.0.0.1 and restaged when a note changes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from support import KB, note_text

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch_until(url: str, needle: str, seconds: float = 60) -> str:
    """GET `url` until its body contains `needle` (the server or the restage may still be starting)."""
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a loopback URL we built
                body = response.read().decode("utf-8")
            if needle in body:
                return body
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {needle!r}; last body starts {body[:200]!r}")


def test_serve_restages_on_change(kb: KB) -> None:
    """A note is served, and an edit to it shows up without restarting the server."""
    body = note_text().split("---\n\n", 1)[1]
    kb.write("notes/agents/live-note.md", note_text(body=body, title="Before the edit"))
    kb.write("notes/agents/other-note.md", note_text(body=body, title="Another note"))
    port = free_port()
    env = {**os.environ, "PAPERNOTES_SITE_URL": f"http://127.0.0.1:{port}/"}
    cmd = [sys.executable, "-m", "papernotes", "--root", str(kb.root), "serve", "--addr", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/agents/live-note/"
        fetch_until(url, "Before the edit")
        kb.write("notes/agents/live-note.md", note_text(body=body, title="After the edit"))
        assert "After the edit" in fetch_until(url, "After the edit")
        assert (kb.root / "build" / "staging" / "agents" / "live-note.md").read_text(encoding="utf-8").count("After the edit") >= 1
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
