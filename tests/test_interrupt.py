"""Ctrl-C ends a command with exit code 130 (128 + SIGINT), as a shell expects of an interrupted command."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from papernotes import cli
from support import KB, note_text


def test_an_interrupted_command_exits_130(kb: KB, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A KeyboardInterrupt out of a command is no problem report (1) and no internal error (2): main returns 130."""

    def interrupted(root: Path, args: argparse.Namespace) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_check", interrupted)
    assert cli.main(["--root", str(kb.root), "check"]) == 130
    err = capsys.readouterr().err
    assert "papernotes: interrupted" in err and "internal error" not in err


def engine_children(pid: int) -> list[int]:
    """The processes whose parent is `pid` and that run the site engine (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid and b"mkdocs" in cmdline:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads /proc to see when the engine runs")
def test_ctrl_c_during_a_build_exits_130_and_keeps_no_site(kb: KB) -> None:
    """Ctrl-C (SIGINT to the terminal's process group) while the engine renders: `papernotes build` exits 130,
    writes no site/ and leaves no temporary build folder."""
    kb.write("notes/agents/a-note.md", note_text())
    env = {**os.environ, "PAPERNOTES_ENGINE": "mkdocs"}
    cmd = [sys.executable, "-m", "papernotes", "--root", str(kb.root), "build"]
    # SIGINT as a terminal leaves it, even when the tests run under a shell that ignores it (a background job)
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)
    )
    try:
        deadline = time.monotonic() + 60
        while not engine_children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert engine_children(proc.pid), "the build never started the engine"
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err.decode(errors="replace")[-2000:]
    assert b"papernotes: interrupted" in err
    assert not (kb.root / "site").exists()
    assert [p.name for p in (kb.root / "build").iterdir() if p.name.startswith(".site-")] == []
