"""Render the staged tree into a site: the selected engine's `build --strict` (see `choice`) and Pagefind
in subprocesses, then the built site's link check, and the result swapped into place.

The engine never imports papernotes; papernotes never imports the engine.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from papernotes.engine.choice import CONFIG, SiteEngine, selected_engine
from papernotes.engine.linkcheck import BrokenLink, check_site
from papernotes.engine.staging import SITE, ensure_output_folders, swap_in


def site_base_path() -> str:
    """The path the site is served under: from PAPERNOTES_SITE_URL, as the engine's configuration reads it ('/' by default)."""
    from urllib.parse import urlsplit

    path = urlsplit(os.environ.get("PAPERNOTES_SITE_URL", "")).path or "/"
    return path if path.endswith("/") else path + "/"


def _build_args(root: Path, site_dir: Path, *, dirty: bool) -> list[str]:
    mode = ["--dirty", "--no-strict"] if dirty else ["--strict"]
    return ["build", *mode, "--config-file", str(root / CONFIG), "--site-dir", str(site_dir)]


def engine_build(root: Path, site_dir: Path, *, quiet: bool = True, dirty: bool = False, engine: SiteEngine | None = None) -> subprocess.CompletedProcess[str]:
    """`<engine> build --strict` into `site_dir`, in a subprocess, with the selected engine unless one is given.

    With `dirty` (for `serve`), only pages whose source is newer than their output are rendered, and
    with --no-strict (mkdocs.yml sets strict): the engine warns about every dirty build, which strict mode would turn into a failure.
    """
    engine = engine or selected_engine()
    cmd = [sys.executable, "-m", engine.module, *_build_args(root, site_dir, dirty=dirty)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # mkdocs-material's notice about a future MkDocs 2
    return subprocess.run(cmd, cwd=root, capture_output=quiet, text=True, check=False, env=env)


# The program of a warm engine: the engine's own command line, loaded once, run once per line of arguments
# read from stdin; each run answers one line, [exit code, what it printed]. It imports nothing of papernotes.
WARM_LOOP = """
import contextlib, importlib, io, json, sys, traceback
cli = importlib.import_module(sys.argv[1] + ".__main__").cli
try:
    for line in sys.stdin:
        out = io.StringIO()
        code = 0
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                cli.main(args=json.loads(line), prog_name=sys.argv[1], standalone_mode=False)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except Exception:
            code = 1
            out.write(traceback.format_exc())
        sys.stdout.write(json.dumps([code, out.getvalue()]) + "\\n")
        sys.stdout.flush()
except KeyboardInterrupt:
    pass
"""


class WarmEngine:
    """The engine's command line kept loaded in one child process, for `serve`: a rebuild after an edit then costs
    the build alone, not starting Python and importing the engine, its theme and Markdown's extensions again
    (about half a second). When the child is gone, a build runs in a fresh subprocess as `engine_build` does."""

    def __init__(self, root: Path, engine: SiteEngine | None = None) -> None:
        self.root = root
        self.engine = engine or selected_engine()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.proc: subprocess.Popen[str] | None = subprocess.Popen(
            [sys.executable, "-c", WARM_LOOP, self.engine.module], cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def build(self, site_dir: Path, *, dirty: bool = True) -> subprocess.CompletedProcess[str]:
        """What `engine_build(root, site_dir, dirty=dirty)` returns, from the warm child when it is alive."""
        args = [*_build_args(self.root, site_dir, dirty=dirty)]
        proc = self.proc
        if proc is not None and proc.poll() is None and proc.stdin is not None and proc.stdout is not None:
            try:
                proc.stdin.write(json.dumps(args) + "\n")
                proc.stdin.flush()
                answer = proc.stdout.readline()
                if answer:
                    code, output = json.loads(answer)
                    return subprocess.CompletedProcess(args, int(code), str(output), "")
            except (BrokenPipeError, OSError, ValueError):
                pass
            self.close()
        return engine_build(self.root, site_dir, dirty=dirty, engine=self.engine)

    def close(self) -> None:
        """End the child (it ends on its own when its stdin closes)."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - only when a build hangs
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def pagefind_command(site_dir: Path) -> list[str]:
    """The command that indexes the built site with Pagefind (the binary of the `pagefind[bin]` wheel, which
    `python -m pagefind` execs) into `site_dir/pagefind/`."""
    # the headings' permalink signs ("¶") are no part of a title or an excerpt
    return [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--exclude-selectors", ".headerlink", "--quiet"]


def pagefind_index(site_dir: Path, *, quiet: bool = True) -> subprocess.CompletedProcess[str]:
    """Run Pagefind over the built site and wait for it."""
    return subprocess.run(pagefind_command(site_dir), capture_output=quiet, text=True, check=False)


def build_site(root: Path, site: Path = SITE) -> tuple[int, str, list[BrokenLink]]:
    """Build into a temporary folder, check its links, and swap it into `site/` only when all is well.

    Returns (exit code of the engine, its output, broken links). A failure leaves the old site intact.
    """
    ensure_output_folders(root, (Path("build"), site))
    dest = root / site
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=root / "build"))
    try:
        proc = engine_build(root, tmp)
        output = (proc.stdout or "") + (proc.stderr or "")
        if proc.returncode != 0:
            return proc.returncode, output, []
        indexed = pagefind_index(tmp)
        output += (indexed.stdout or "") + (indexed.stderr or "")
        if indexed.returncode != 0:
            return indexed.returncode, output, []
        broken = check_site(tmp, site_base_path())
        if broken:
            return 1, output, broken
        swap_in(tmp, dest)
        return 0, output, []
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
