"""A map over a list on every core, in order: the only place that starts processes.

`map_in_order(function, items, workers)` returns `[function(item) for item in items]`. With more
than one worker, it forks `workers - 1` processes that share the list with this one: slices of it
(chunks) go to whichever process asks first, so that a process the machine slows down takes fewer
of them instead of keeping the others waiting. A worker pickles and sends each chunk's results as
soon as it has them, and this process unpickles what has come in between two of its own chunks:
unpickling is shared out with the rest of the work instead of all waiting for the end. A worker's
results are used only if it exits cleanly.

Processes are forked, so they inherit everything already loaded (the function, its data, the items)
instead of receiving it; where fork is unsafe (macOS) or missing (Windows), or for fewer than two
items, one process does everything. Ctrl-C is the main process's: workers ignore it and are stopped
with it. A worker that fails or dies (its traceback is on stderr) leaves its chunks to this process,
where the same fault, if it is one, is raised with its traceback.

Only `os` is used (fork, pipes, wait): `multiprocessing` would add 15–25 ms of imports to every
large check. The chunks are 4-byte records written into a pipe before the fork; each process reads
the next one (a read of 4 bytes from a pipe takes 4 whole bytes), and an empty pipe means every
chunk is taken. A worker's results come back over a pipe of its own, one frame per chunk (its
start, its length, its pickle); on Linux the pipe is widened so that a worker never waits for this
process to read.

This module imports nothing from the package: whoever decides what runs in parallel imports it.
"""

from __future__ import annotations

import contextlib
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
TAIL_CHUNK = 4
PIPE_SIZE = 1 << 20  # Linux's largest pipe for an unprivileged process, by default
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


def chunk_starts(items: int, processes: int) -> list[int]:
    """Where the chunks start: `chunk_size` items each, then smaller ones (a quarter of what is left
    per process, down to TAIL_CHUNK), so that the processes run out of work close together instead
    of one waiting for another's last whole chunk. Even chunks if that would make more than
    MAX_CHUNKS."""
    size = chunk_size(items, processes)
    starts, at = [], 0
    while at < items:
        starts.append(at)
        at += max(min(size, (items - at) // (4 * processes)), TAIL_CHUNK)
    return starts if len(starts) <= MAX_CHUNKS else list(range(0, items, size))


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
    starts = chunk_starts(len(items), processes)
    ends = dict(zip(starts, [*starts[1:], len(items)], strict=True))  # a chunk's start -> its end
    queue, filling = os.pipe()
    os.write(filling, b"".join(start.to_bytes(_RECORD, "little") for start in starts))
    os.close(filling)
    children: dict[int, _Received] = {}  # pid -> what it has sent
    done: dict[int, list[R]] = {}
    try:
        for _ in range(processes - 1):
            theirs, ours = os.pipe()
            _widen(ours)
            try:
                pid = os.fork()
            except OSError:  # no more processes allowed: fewer workers
                os.close(theirs)
                os.close(ours)
                break
            if pid == 0:  # the worker: it never returns
                os.close(theirs)
                _run_worker(ours, function, items, queue, ends)
            os.close(ours)
            children[pid] = _Received(theirs)
        while (start := _take(queue)) is not None:
            done[start] = [function(item) for item in items[start : ends[start]]]
            for received in children.values():
                received.read(wait=False)
        for pid, received in list(children.items()):
            received.read(wait=True)
            del children[pid]
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) == 0:  # else it died: its chunks are done below
                done.update(received.chunks)
    finally:
        os.close(queue)
        for pid, received in children.items():  # this process is stopping (Ctrl-C, a fault): their work is not wanted
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            received.close()
    results: list[R] = []
    for start in starts:
        results += done[start] if start in done else [function(item) for item in items[start : ends[start]]]
    return results


_HEADER = 8  # a frame's start and length, 4 bytes each


def _frame(start: int, results: list[Any]) -> bytes:
    pickled = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
    return start.to_bytes(4, "little") + len(pickled).to_bytes(4, "little") + pickled


class _Received:
    """The chunks one worker has sent, unpickled as their frames come in."""

    def __init__(self, pipe: int) -> None:
        self.pipe: int | None = pipe
        self.buffer = bytearray()
        self.chunks: dict[int, Any] = {}
        os.set_blocking(pipe, False)

    def read(self, wait: bool) -> None:
        """Take in what has come (with `wait`, everything until the worker closes its end)."""
        if self.pipe is None:
            return
        if wait:
            os.set_blocking(self.pipe, True)
        while True:
            try:
                part = os.read(self.pipe, 1 << 20)
            except BlockingIOError:
                break
            if not part:
                self.close()
                break
            self.buffer += part
            self._unpickle()

    def _unpickle(self) -> None:
        buffer = self.buffer
        while len(buffer) >= _HEADER:
            length = int.from_bytes(buffer[4:_HEADER], "little")
            if len(buffer) < _HEADER + length:
                break
            start = int.from_bytes(buffer[:4], "little")
            self.chunks[start] = pickle.loads(buffer[_HEADER : _HEADER + length])  # noqa: S301 - from our own forked worker, over a pipe
            del buffer[: _HEADER + length]

    def close(self) -> None:
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None


def _widen(pipe: int) -> None:
    """Make a worker's pipe hold a few chunks' results (Linux), so that it never waits for a read."""
    import fcntl  # POSIX, as fork is

    if hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError):  # a smaller pipe: a worker may wait a little for this process to read
            fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, PIPE_SIZE)


def _run_worker(pipe: int, function: Callable[[Any], Any], items: Sequence[Any], queue: int, ends: dict[int, int]) -> None:
    """The forked process: serve, then leave without running anything of the parent's (no exit
    handlers, no buffers flushed twice); the exit code says whether everything was sent."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _serve(pipe, function, items, queue, ends)
        code = 0
    except BaseException:
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(code)


def _serve(pipe: int, function: Callable[[Any], Any], items: Sequence[Any], queue: int, ends: dict[int, int]) -> None:
    """A worker: take chunks until none is left, and send each chunk's results as soon as they are pickled."""
    try:
        while (start := _take(queue)) is not None:
            frame = memoryview(_frame(start, [function(item) for item in items[start : ends[start]]]))
            while frame:
                frame = frame[os.write(pipe, frame) :]
    finally:
        os.close(pipe)
