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
from pathlib import Path

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


def wait_until_gone(url: str, seconds: float = 60) -> None:
    """GET `url` until the server answers 404 (the page of a deleted note is removed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - a loopback URL we built
                pass
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} was still served {seconds:.0f} s after its note was deleted")


def test_serve_restages_on_change(kb: KB) -> None:
    """A note is served with its search index, an edit to it shows up (and bumps the live-reload version) without a
    restart, and the page of a deleted note is no longer served."""
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
        page = fetch_until(url, "After the edit")
        assert "__papernotes_version" in page  # the live-reload script
        assert fetch_until(f"http://127.0.0.1:{port}/__papernotes_version", "1") != "0"
        assert "page_count" in fetch_until(f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json", "page_count")  # indexed in the background
        assert '"pages":2' in fetch_until(f"http://127.0.0.1:{port}/pagefind/common-words.json", '"pages"')  # beside the index, for the box
        assert (kb.root / "build" / "staging" / "agents" / "live-note.md").read_text(encoding="utf-8").count("After the edit") >= 1
        other = f"http://127.0.0.1:{port}/agents/other-note/"
        assert "Another note" in fetch_until(other, "Another note")
        (kb.root / "notes" / "agents" / "other-note.md").unlink()
        wait_until_gone(other)
        assert not (kb.root / "build" / "serve-site" / "agents" / "other-note").exists()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def children(pid: int) -> list[int]:
    """The ids of the processes whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def group_alive(pgid: int) -> bool:
    """Whether any process is left in the process group."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads /proc to find the child processes")
@pytest.mark.parametrize("how", ["SIGTERM to serve", "Ctrl-C to the terminal's group"])
def test_serve_ends_with_every_child_on_a_signal(kb: KB, how: str) -> None:
    """SIGTERM to `serve`, or Ctrl-C, while it rebuilds ends it and every process it started, and frees the port."""
    body = note_text().split("---\n\n", 1)[1]
    kb.write("notes/agents/live-note.md", note_text(body=body, title="Before the edit"))
    port = free_port()
    env = {**os.environ, "PAPERNOTES_SITE_URL": f"http://127.0.0.1:{port}/"}
    cmd = [sys.executable, "-m", "papernotes", "--root", str(kb.root), "serve", "--addr", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        fetch_until(f"http://127.0.0.1:{port}/agents/live-note/", "Before the edit")
        kb.write("notes/agents/live-note.md", note_text(body=body, title="After the edit"))
        deadline = time.monotonic() + 30
        while not children(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert children(proc.pid), "serve started no child to rebuild"
        if how.startswith("SIGTERM"):
            os.kill(proc.pid, signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not group_alive(proc.pid), "a process started by serve outlived it"
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # closed connections may linger in TIME_WAIT
            sock.bind(("127.0.0.1", port))  # nothing listens on the port any more
            sock.listen()
    finally:
        if group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)
