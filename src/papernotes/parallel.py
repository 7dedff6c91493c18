"""A map over a list on every core, in order: the only place that starts processes.

`map_in_order(function, items, workers)` returns `[function(item) for item in items]`. With more
than one worker, it forks `workers - 1` processes that share the list with this one: slices of it
(chunks) go to whichever process asks first, so that a process the machine slows down takes fewer
of them instead of keeping the others waiting. A worker pickles each chunk's results as soon as it
has them, so that pickling is shared out too, and sends them all at the end.

Processes are forked, so they inherit everything already loaded (the function, its data, the items)
instead of receiving it; where fork is unsafe (macOS) or missing (Windows), or for fewer than two
items, one process does everything. Ctrl-C is the main process's: workers ignore it and are stopped
with it. A worker that fails or dies (its traceback is on stderr) leaves its chunks to this process,
where the same fault, if it is one, is raised with its traceback.

Only `os` is used (fork, pipes, wait): `multiprocessing` would add 15–25 ms of imports to every
large check. The chunks are 4-byte records written into a pipe before the fork; each process reads
the next one (a read of 4 bytes from a pipe takes 4 whole bytes), and an empty pipe means every
chunk is taken.

This module imports nothing from the package: whoever decides what runs in parallel imports it.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_THRESHOLD = 400  # below this many items, starting a process costs more than it saves
MAX_WORKERS = 4
CHUNKS_PER_PROCESS = 64
MIN_CHUNK, MAX_CHUNK = 16, 128
MAX_CHUNKS = 4096  # their records (16 KiB) fit in any system's pipe buffer, written before anyone reads
_RECORD = 4


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
    """About CHUNKS_PER_PROCESS chunks per process, each of MIN_CHUNK to MAX_CHUNK items (more for a
    list so long that it would make more than MAX_CHUNKS chunks)."""
    return max(MIN_CHUNK, min(MAX_CHUNK, items // (processes * CHUNKS_PER_PROCESS)), -(-items // MAX_CHUNKS))


def _take(queue: int) -> int | None:
    """The start of the next chunk, or None when every chunk is taken."""
    record = os.read(queue, _RECORD)
    return int.from_bytes(record, "little") if record else None


def map_in_order(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """`[function(item) for item in items]`, shared between this process and up to `workers - 1`
    forked ones."""
    if workers < 2 or len(items) < 2 or not fork_is_safe():
        return [function(item) for item in items]
    processes = min(workers, len(items))
    size = chunk_size(len(items), processes)
    queue, filling = os.pipe()
    os.write(filling, b"".join(start.to_bytes(_RECORD, "little") for start in range(0, len(items), size)))
    os.close(filling)
    children: dict[int, int] = {}  # pid -> the read end of its pipe
    done: dict[int, list[R]] = {}
    try:
        for _ in range(processes - 1):
            theirs, ours = os.pipe()
            try:
                pid = os.fork()
            except OSError:  # no more processes allowed: fewer workers
                os.close(theirs)
                os.close(ours)
                break
            if pid == 0:  # the worker: it never returns
                os.close(theirs)
                _run_worker(ours, function, items, queue, size)
            os.close(ours)
            children[pid] = theirs
        while (start := _take(queue)) is not None:
            done[start] = [function(item) for item in items[start : start + size]]
        for pid, pipe in list(children.items()):
            sent = _read_all(pipe)
            del children[pid]
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) == 0:  # else it died: its chunks are done below
                for start, pickled in pickle.loads(sent):  # noqa: S301 - from our own forked worker, over a pipe
                    done[start] = pickle.loads(pickled)  # noqa: S301
    finally:
        os.close(queue)
        for pid, pipe in children.items():  # this process is stopping (Ctrl-C, a fault): their work is not wanted
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(pipe)
    results: list[R] = []
    for start in range(0, len(items), size):
        results += done[start] if start in done else [function(item) for item in items[start : start + size]]
    return results


def _read_all(pipe: int) -> bytes:
    parts = []
    while part := os.read(pipe, 1 << 20):
        parts.append(part)
    os.close(pipe)
    return b"".join(parts)


def _run_worker(pipe: int, function: Callable[[Any], Any], items: Sequence[Any], queue: int, size: int) -> None:
    """The forked process: serve, then leave without running anything of the parent's (no exit
    handlers, no buffers flushed twice); the exit code says whether everything was sent."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _serve(pipe, function, items, queue, size)
        code = 0
    except BaseException:
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(code)


def _serve(pipe: int, function: Callable[[Any], Any], items: Sequence[Any], queue: int, size: int) -> None:
    """A worker: take chunks until none is left, pickle each chunk's results, send them all."""
    pickled = []
    while (start := _take(queue)) is not None:
        pickled.append((start, pickle.dumps([function(item) for item in items[start : start + size]], protocol=pickle.HIGHEST_PROTOCOL)))
    with os.fdopen(pipe, "wb") as out:
        out.write(pickle.dumps(pickled, protocol=pickle.HIGHEST_PROTOCOL))
