"""The map on every core (`papernotes.parallel`): the same results, in the same order, as one
process; workers that die leave their work to the main process; the module stands alone."""

from __future__ import annotations

import ast
import os
import signal
import time
from pathlib import Path

import pytest

from papernotes import parallel
from papernotes.parallel import chunk_size, default_workers, map_in_order

MAIN = os.getpid()


def square(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def slow_here(n: int) -> tuple[int, int, object]:
    """Slow in the main process, so that the workers certainly take chunks too."""
    if os.getpid() == MAIN:
        time.sleep(0.001)
    return n, os.getpid(), signal.getsignal(signal.SIGINT)


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("count", [0, 1, 2, 17, 1000])
def test_results_come_back_in_order(workers: int, count: int) -> None:
    items = list(range(count))
    assert [value for value, _ in map_in_order(square, items, workers)] == [n * n for n in items]


def test_the_work_is_shared_and_workers_leave_ctrl_c_to_the_main_process() -> None:
    results = map_in_order(slow_here, list(range(300)), 2)
    assert [n for n, _, _ in results] == list(range(300))
    theirs = [handler for _, pid, handler in results if pid != MAIN]
    ours = [handler for _, pid, handler in results if pid == MAIN]
    assert theirs and ours
    assert set(theirs) == {signal.SIG_IGN} and signal.SIG_IGN not in ours


def test_one_process_where_fork_is_unsafe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "fork_is_safe", lambda: False)
    assert {pid for _, pid in map_in_order(square, list(range(500)), 4)} == {MAIN}


def die_in_a_worker(n: int) -> tuple[int, int]:
    if os.getpid() != MAIN:
        os._exit(3)
    time.sleep(0.001)
    return n * n, os.getpid()


def test_a_worker_that_dies_leaves_its_chunks_to_the_main_process() -> None:
    results = map_in_order(die_in_a_worker, list(range(200)), 3)
    assert [value for value, _ in results] == [n * n for n in range(200)]
    assert {pid for _, pid in results} == {MAIN}


def fail_on_seven(n: int) -> int:
    if n == 7:
        raise ValueError("seven")
    return n


def test_a_fault_is_raised_in_the_main_process() -> None:
    """Wherever the item is, the exception reaches the caller (a worker's fault is redone here)."""
    with pytest.raises(ValueError, match="seven"):
        map_in_order(fail_on_seven, list(range(500)), 2)


def test_results_are_taken_in_frame_by_frame_as_they_come() -> None:
    """A worker's chunks are unpickled as soon as their frames are whole, however the pipe cuts them."""
    theirs, ours = os.pipe()
    received = parallel._Received(theirs)
    frames = parallel._frame(0, [1, 2]) + parallel._frame(16, ["x"] * 1000)
    cut = len(frames) - 4  # the second frame but its last bytes
    os.write(ours, frames[:3])
    received.read(wait=False)
    assert received.chunks == {}
    os.write(ours, frames[3:cut])
    received.read(wait=False)
    assert received.chunks == {0: [1, 2]}
    os.write(ours, frames[cut:])
    os.close(ours)
    received.read(wait=True)
    assert received.chunks == {0: [1, 2], 16: ["x"] * 1000} and received.pipe is None


def test_default_workers_and_chunks() -> None:
    assert default_workers(399) == 1
    assert default_workers(400) == min(parallel.cores(), parallel.MAX_WORKERS)
    assert default_workers(10, threshold=5) == min(parallel.cores(), parallel.MAX_WORKERS)
    assert chunk_size(120, 2) == 16 and chunk_size(10_000, 2) == 78 and chunk_size(500_000, 2) == 128
    assert chunk_size(10**6, 2) == 245  # at most MAX_CHUNKS chunks


@pytest.mark.parametrize(
    ("items", "processes", "shrinks"), [(2, 2, False), (120, 2, True), (10_000, 2, True), (10_000, 4, True), (10**6, 2, False), (10**7, 2, False)]
)
def test_chunks_shrink_towards_the_end(items: int, processes: int, shrinks: bool) -> None:
    """The chunks cover the items in order, none larger than chunk_size, the last ones smallest; even
    ones where smaller ones would make more than MAX_CHUNKS."""
    starts = parallel.chunk_starts(items, processes)
    sizes = [b - a for a, b in zip(starts, [*starts[1:], items], strict=True)]
    assert starts[0] == 0 and all(size > 0 for size in sizes) and len(starts) <= parallel.MAX_CHUNKS
    assert max(sizes) <= chunk_size(items, processes)
    assert (sizes[-1] <= parallel.TAIL_CHUNK < sizes[0] and sizes == sorted(sizes, reverse=True)) is shrinks


def test_the_module_imports_nothing_from_the_package() -> None:
    """Whoever decides what runs in parallel imports it; it imports no stage, so no cycle is possible."""
    tree = ast.parse(Path(parallel.__file__).read_text(encoding="utf-8"))
    imported = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    imported += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert imported and not [m for m in imported if m.split(".")[0] == "papernotes"]
