"""A map over a list on every core, in order: the only place that starts processes.

`map_in_order(function, items, workers)` returns `[function(item) for item in items]`. With more
than one worker, it forks `workers - 1` processes that share the list with this one: slices of it
(chunks) go to whichever process asks first, so that a process the machine slows down takes fewer
of them instead of keeping the others waiting. A worker pickles each chunk's results as soon as it
has them, so that pickling is shared out too, and sends them all at the end.

Processes are forked, so they inherit everything already loaded (the function, its data, the items)
instead of receiving it; where fork is unsafe (macOS) or missing (Windows), or for fewer than two
items, one process does everything. Ctrl-C is the main process's: workers ignore it and end when it
stops listening. A worker that dies (its traceback is on stderr) leaves its chunks to this process,
where the same fault, if it is one, is raised with its traceback.

This module imports nothing from the package: whoever decides what runs in parallel imports it.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_THRESHOLD = 400  # below this many items, starting a process costs more than it saves
MAX_WORKERS = 4
CHUNKS_PER_PROCESS = 64
MIN_CHUNK, MAX_CHUNK = 16, 128


def cores() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def default_workers(items: int, threshold: int = PARALLEL_THRESHOLD) -> int:
    """Processes worth starting for this many items: one per core (at most MAX_WORKERS), from
    `threshold` items on."""
    return min(cores(), MAX_WORKERS) if items >= threshold else 1


def fork_is_safe() -> bool:
    """Linux and the BSDs fork safely; macOS discourages it, Windows has none."""
    return hasattr(os, "fork") and sys.platform != "darwin"


def chunk_size(items: int, processes: int) -> int:
    """About CHUNKS_PER_PROCESS chunks per process, each of MIN_CHUNK to MAX_CHUNK items."""
    return max(MIN_CHUNK, min(MAX_CHUNK, items // (processes * CHUNKS_PER_PROCESS)))


class Chunks:
    """Where the next chunk starts: a counter in shared memory that every process advances."""

    def __init__(self, total: int, size: int, counter: Any) -> None:
        self.total = total
        self.size = size
        self.counter = counter  # a multiprocessing.Value

    def take(self) -> int | None:
        """The start of the next chunk, or None when every chunk is taken."""
        with self.counter.get_lock():
            start: int = self.counter.value
            self.counter.value = start + self.size
        return start if start < self.total else None


def map_in_order(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """`[function(item) for item in items]`, shared between this process and up to `workers - 1`
    forked ones."""
    if workers < 2 or len(items) < 2 or not fork_is_safe():
        return [function(item) for item in items]
    import multiprocessing  # imported here: it costs 15 ms, and a small input never forks

    context = multiprocessing.get_context("fork")
    processes = min(workers, len(items))
    chunks = Chunks(len(items), chunk_size(len(items), processes), context.Value("q", 0))
    conns: list[Connection] = []
    procs: list[Any] = []
    done: dict[int, list[R]] = {}
    finished = False
    try:
        for _ in range(processes - 1):
            ours, theirs = context.Pipe(duplex=False)
            proc = context.Process(target=_serve, args=(theirs, function, items, chunks), daemon=True)
            proc.start()
            theirs.close()
            conns.append(ours)
            procs.append(proc)
        while (start := chunks.take()) is not None:
            done[start] = [function(item) for item in items[start : start + chunks.size]]
        for conn in conns:
            try:
                for start, pickled in conn.recv():
                    done[start] = pickle.loads(pickled)  # noqa: S301 - from our own forked worker, over a pipe
            except (EOFError, OSError):
                pass  # the worker died: its chunks are done below
        finished = True
    finally:
        for conn in conns:
            conn.close()
        for proc in procs:
            if not finished:  # this process is stopping (Ctrl-C, a fault): the workers' results are not wanted
                proc.kill()
            proc.join(timeout=5)
            if proc.is_alive():  # pragma: no cover - only when a worker hangs
                proc.kill()
    results: list[R] = []
    for start in range(0, len(items), chunks.size):
        results += done[start] if start in done else [function(item) for item in items[start : start + chunks.size]]
    return results


def _serve(conn: Connection, function: Callable[[Any], Any], items: Sequence[Any], chunks: Chunks) -> None:
    """A worker: take chunks until none is left, pickle each chunk's results, send them all."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pickled = []
        while (start := chunks.take()) is not None:
            results = [function(item) for item in items[start : start + chunks.size]]
            pickled.append((start, pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)))
        conn.send(pickled)
    except (EOFError, BrokenPipeError):
        pass  # the main process has stopped listening
    finally:
        conn.close()
