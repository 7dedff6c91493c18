"""A check of many notes, shared between processes without sending the notes between them.

`papernotes check` only needs problems, not the linked corpus that staging builds. So each process
loads its share of the notes and keeps them. The processes exchange what a link needs from every
other note (its id, its page and its headings' anchors), then each one validates and link-checks
its own share and sends back only its problems and which works and tags its notes use. This costs
a few bytes per note instead of pickling every parsed note into the main process.

The steps are the ones `pipeline.check` runs (`load_note`, `duplicate_ids`, `validate_note`,
`check_links`, `usage_warnings`), and a test holds the two to the same problems.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from papernotes.diagnostics import Diagnostic
from papernotes.link import anchors_of, check_links, note_uses
from papernotes.load import load_note
from papernotes.records import KnowledgeData, Note, NoteFile
from papernotes.registries import glossary_usage
from papernotes.validate import validate_note

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

# What each process tells the others about one of its notes: source, id, staged page, anchors.
Summary = tuple[str, str, str, frozenset[str]]
# What the main process sends back: the sources dropped as duplicates, and every page a link may reach.
Targets = dict[str, frozenset[str] | None]


@dataclass
class Usage:
    """What a share's notes use: problems found, works cited, and how many notes carry each tag."""

    diags: list[Diagnostic]
    cited: set[str]
    tag_uses: Counter[str]
    terms: set[str]

    def add(self, other: Usage) -> None:
        self.diags += other.diags
        self.cited |= other.cited
        self.tag_uses.update(other.tag_uses)
        self.terms |= other.terms


class Share:
    """The notes one process loaded, kept where they were parsed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.notes: list[Note] = []
        self.diags: list[Diagnostic] = []

    def load(self, files: Sequence[NoteFile]) -> None:
        for file in files:
            note, problems = load_note(self.root, file)
            self.diags += problems
            if note is not None:
                self.notes.append(note)

    def load_all(self, chunks: Chunks) -> None:
        """Load chunks of files until none is left."""
        while files := chunks.take():
            self.load(files)

    def summaries(self) -> list[Summary]:
        return [(n.source, n.id, n.site, anchors_of(n)) for n in self.notes]

    def finish(self, data: KnowledgeData, dropped: set[str], targets: Targets) -> Usage:
        """Validate and link-check every note that was not dropped as a duplicate."""
        usage = Usage(self.diags, set(), Counter(), set())
        kept = [n for n in self.notes if n.source not in dropped]
        for note in kept:
            usage.diags += validate_note(note, data)
            usage.diags += check_links(note, targets, data)
            keys, tags = note_uses(data, note)
            usage.cited.update(keys)
            usage.tag_uses.update(tags)
        usage.terms = glossary_usage((n.body for n in kept), data.glossary)
        return usage


class Chunks:
    """Slices of the file list, handed to whichever process asks first, so that a process the machine
    slows down takes fewer of them instead of keeping the others waiting."""

    def __init__(self, files: list[NoteFile], size: int, counter: Any = None) -> None:
        self.files = files
        self.size = size
        self.counter = counter  # a multiprocessing.Value in shared memory, or None in one process
        self.taken = 0

    def take(self) -> list[NoteFile]:
        return self.take_at()[1]

    def take_at(self) -> tuple[int, list[NoteFile]]:
        """The next chunk and where it starts in the file list."""
        if self.counter is None:
            start, self.taken = self.taken, self.taken + self.size
        else:
            with self.counter.get_lock():
                start = self.counter.value
                self.counter.value = start + self.size
        return start, self.files[start : start + self.size]


def serve_check(conn: Connection, chunks: Chunks, root: Path, data: KnowledgeData) -> None:
    """A worker of a shared check (`pipeline.check_report`): load chunks, send the share's summaries, wait for the targets,
    send its usage.

    Ctrl-C is the main process's to handle: when it stops, it closes the pipe, and the worker ends
    quietly at its next send or receive."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        share = Share(root)
        share.load_all(chunks)
        conn.send(share.summaries())
        message = conn.recv()
        if message is not None:
            dropped, targets = message
            conn.send(share.finish(data, dropped, targets))
    except (EOFError, BrokenPipeError):
        pass  # the main process has stopped waiting
    finally:
        conn.close()


def _serve_loaded(conn: Connection, chunks: Chunks, root: Path) -> None:
    """A worker of a shared load: load chunks and send back every loaded note. Each chunk is
    pickled as soon as it is loaded, so that pickling is shared out with the chunks too."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pickled = []
        while (taken := chunks.take_at())[1]:
            start, files = taken
            pickled.append((start, pickle.dumps([load_note(root, f) for f in files], protocol=pickle.HIGHEST_PROTOCOL)))
        conn.send(pickled)
    except (EOFError, BrokenPipeError):
        pass
    finally:
        conn.close()


def load_shared(root: Path, files: list[NoteFile], workers: int) -> list[tuple[Note | None, list[Diagnostic]]]:
    """`load_note` for every file, in file order, shared between this process and up to
    `workers - 1` forked ones (for staging, which needs every note in this process)."""
    helpers = start_helpers(files, workers, _serve_loaded, root)
    if helpers is None:
        return [load_note(root, f) for f in files]
    pieces: list[tuple[int, list[tuple[Note | None, list[Diagnostic]]]]] = []
    try:
        while (taken := helpers.chunks.take_at())[1]:
            start, chunk = taken
            pieces.append((start, [load_note(root, f) for f in chunk]))
        for pickled in helpers.gather(lambda conn: conn.recv()):
            pieces += [(start, pickle.loads(piece)) for start, piece in pickled]  # noqa: S301 - from our own forked worker, over a pipe
    except (EOFError, BrokenPipeError, ConnectionResetError):
        return [load_note(root, f) for f in files]  # a worker died: load everything here
    finally:
        helpers.close()
    pieces.sort(key=lambda piece: piece[0])
    return [result for _, loaded in pieces for result in loaded]


class Helpers:
    """Worker processes sharing `files` with this one through `chunks`, each running
    `serve(conn, chunks, *args)`. They are started by fork, so that they inherit the loaded data
    instead of receiving it."""

    def __init__(self, files: list[NoteFile], count: int, serve: Callable[..., None], *args: Any) -> None:
        import multiprocessing  # imported here: it costs 15 ms, and a small check never forks

        context = multiprocessing.get_context("fork")
        size = max(16, min(128, len(files) // ((count + 1) * 64)))  # about 64 chunks per process
        self.chunks = Chunks(files, size, context.Value("q", 0))
        self.conns: list[Connection] = []
        self.procs: list[Any] = []
        for _ in range(count):
            ours, theirs = context.Pipe()
            proc = context.Process(target=serve, args=(theirs, self.chunks, *args), daemon=True)
            proc.start()
            theirs.close()
            self.conns.append(ours)
            self.procs.append(proc)

    def gather(self, step: Callable[[Connection], Any]) -> list[Any]:
        return [step(conn) for conn in self.conns]

    def close(self) -> None:
        for conn in self.conns:
            conn.close()
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():  # pragma: no cover - only when a worker hangs
                proc.kill()


def start_helpers(files: list[NoteFile], workers: int, serve: Callable[..., None], *args: Any) -> Helpers | None:
    """`workers - 1` helpers running `serve`, or None when one process will do: a single worker
    asked for, fewer than two files, or no safe fork on this system (Linux and the BSDs have one;
    macOS discourages it, Windows has none)."""
    if workers < 2 or len(files) < 2 or not hasattr(os, "fork") or sys.platform == "darwin":
        return None
    return Helpers(files, workers - 1, serve, *args)
