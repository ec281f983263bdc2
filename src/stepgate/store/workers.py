"""Auditing investigations in worker processes: a verify on every core.

The parent reads every investigation's row and the ledger's last position in
one read transaction, hands the rows out in contiguous chunks of about equal
numbers of events, and walks the ledger itself while the workers audit. Each
worker reads with a connection of its own, as of that position (``audit``'s
``row`` and ``until``): what writers commit meanwhile is left alone, so the
findings are those of one process reading the same position, in the same order.

Workers are forked: they inherit the processes to replay with (a process is
code, and is never sent or imported by name). Where a platform cannot fork, the
store lives in memory, or other threads of the process are running (a forked
copy could wait for ever on a lock one of them held), the investigations are
audited in the parent.
A worker that dies (killed, out of memory) fails the whole verify: nothing is
concluded from a verification that did not check everything.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from stepgate.errors import StoreError
from stepgate.store.verify import Audited, FanOut, Finder, audit_row, in_process, read_rows

Reader = Callable[[], contextlib.AbstractContextManager[Any]]
"""Opens one read transaction on the store (``Backend._read``)."""

CHUNKS_PER_JOB = 4
"""Chunks per worker: enough that a worker with small investigations takes more of them."""

_job: tuple[Reader, Finder, int] | None = None
"""What a worker audits with: the store's reader, the replayers, the ledger position."""


def can_fork() -> bool:
    """True where worker processes can be forked safely (they inherit the processes to replay):
    the platform forks, and no other thread of this process is running.

    A forked worker has only the thread that forked it. A lock another thread held at
    that moment stays held in the copy for ever: SQLite's allocator mutex, taken by a
    writer thread mid-command, made the worker's first connection wait for good and
    the verify never end. With other threads running, the investigations are audited
    in this process instead.
    """
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def cores() -> int:
    """The cores this process may run on (what ``verify --jobs`` takes when not told)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - platforms without affinity
        return os.cpu_count() or 1


def in_workers(read: Reader, jobs: int) -> FanOut:
    """A ``FanOut`` that audits in ``jobs`` forked worker processes, reading with ``read``."""

    def fan_out(
        conn: Any, rows: list[tuple[Any, ...]], replayer_for: Finder, until: int
    ) -> Iterable[Audited]:
        if jobs < 2 or len(rows) < 2:
            return in_process(conn, rows, replayer_for, until)
        executor = ProcessPoolExecutor(
            max_workers=min(jobs, len(rows)),
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start,
            initargs=((read, replayer_for, until),),
        )
        futures = [executor.submit(_audit, chunk) for chunk in chunks(rows, jobs)]
        return _Results(executor, futures)

    return fan_out


def chunks(rows: list[tuple[Any, ...]], jobs: int) -> list[list[tuple[Any, ...]]]:
    """``rows`` in contiguous chunks of about equal numbers of events (a row's ``[2]``)."""
    total = sum(row[2] for row in rows) or 1
    size = max(1, total // (jobs * CHUNKS_PER_JOB))
    found: list[list[tuple[Any, ...]]] = [[]]
    weight = 0
    for row in rows:
        if weight >= size:
            found.append([])
            weight = 0
        found[-1].append(row)
        weight += row[2]
    return found


def _start(job: tuple[Reader, Finder, int]) -> None:
    global _job  # noqa: PLW0603 - a worker process's one job, set once as it starts
    _job = job


def _audit(chunk: list[tuple[Any, ...]]) -> list[Audited]:
    assert _job is not None
    read, replayer_for, until = _job
    with read() as conn:
        return [
            audit_row(conn, row, replayer_for, until, ahead)
            for row, ahead in read_rows(conn, chunk)
        ]


class _Results:
    """The workers' results in the order of the rows; ``close`` stops the workers early."""

    def __init__(self, executor: ProcessPoolExecutor, futures: list[Future[list[Audited]]]):
        self.executor, self.futures = executor, futures

    def __iter__(self) -> Iterator[Audited]:
        try:
            for future in self.futures:
                yield from future.result()
        except BrokenProcessPool as error:
            raise StoreError(
                nn="ein arbeidsprosess i kontrollen stoppa før han var ferdig (drepen, eller "
                "tom for minne); ingenting er konkludert: køyr kontrollen på nytt",
                en="a worker process of the verify stopped before it finished (killed, or "
                "out of memory); nothing is concluded: run the verify again",
                detail=str(error) or type(error).__name__,
            ) from None
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers (what they have not begun is cancelled) and wait for them."""
        self.executor.shutdown(wait=True, cancel_futures=True)
