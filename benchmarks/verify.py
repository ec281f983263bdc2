"""The verify figures of issue 23: B5 and B5j (every core), B5c (chain only), B5i (``--since``).

Each beside its baseline in the same run, in paired rounds:

- **B5**: the store-wide verify of 1 000 investigations (100 000 events) on every core,
  beside a raw ``SELECT`` of the stored bytes (``CAST(body AS BLOB)``, ``hash``) in one
  process: what any verify must read at the least.
- **B5j**: the same verify on every core beside the same in one process.
- **B5c**: the chain-only tier in one process beside the same ``SELECT`` with
  ``hashlib.sha256`` of each body in one loop.
- **B5i**: ``verify --since`` a checkpoint 1 000 events before the head of a
  1 000 000-event store, beside a full verify of a 1 000-event store.
"""

from __future__ import annotations

import hashlib
import sqlite3
import statistics
from pathlib import Path
from typing import Any

import stepgate as sg
from benchmarks.history import extend, story
from benchmarks.run import ROUNDS, at_most, many, paired, row
from stepgate.store.workers import cores

_RAW = "SELECT CAST(body AS BLOB), hash FROM events ORDER BY id"


def b5(quick: bool, folder: Path) -> list[dict[str, Any]]:
    """B5, B5j and B5c on one store of many investigations."""
    investigations = 100 if quick else 1_000
    path = folder / "b5.db"
    with sg.open_store(path, clock=sg.FixedClock()) as store:
        many(store, investigations, 100)
    jobs = cores()
    store = sg.open_store(path, read_only=True)
    conn = sqlite3.connect(path)
    total = store.verify(jobs=1).events
    rounds = 5 if quick else ROUNDS

    def every_core() -> None:
        assert store.verify(jobs=jobs).ok

    def one_process() -> None:
        assert store.verify(jobs=1).ok

    def chain_only() -> None:
        assert store.verify(chain_only=True, jobs=1).ok

    def raw() -> None:
        conn.execute(_RAW).fetchall()

    def raw_hashed() -> None:
        sha256 = hashlib.sha256
        for body, _hash in conn.execute(_RAW):
            sha256(body).digest()

    b5_rounds = paired(every_core, raw, number=1, rounds=rounds)
    rate = total / statistics.median(b5_rounds[0])
    found = [
        row(
            "B5",
            f"full verify, {investigations} investigations / {total} events, {jobs} cores",
            *b5_rounds,
            "s",
            "<= 3.5x and >= 300000 events/s",
            lambda ratio, _value: ratio <= 3.5 and rate >= 300_000,
            events=total,
            jobs=jobs,
            events_per_second=rate,
        ),
        row(
            "B5j",
            f"the same verify on {jobs} cores vs one process",
            *paired(every_core, one_process, number=1, rounds=rounds),
            "s",
            "<= 0.6x on 2 cores",
            at_most(0.6),
            events=total,
            jobs=jobs,
        ),
        row(
            "B5c",
            f"chain-only tier, {total} events, one process vs SELECT + sha256",
            *paired(chain_only, raw_hashed, number=1, rounds=rounds),
            "s",
            "<= 1.3x",
            at_most(1.3),
            events=total,
        ),
    ]
    conn.close()
    store.close()
    return found


def b5i(quick: bool, folder: Path) -> dict[str, Any]:
    """``verify --since`` 1 000 events before the head of a large store vs a whole small one."""
    size = 20_000 if quick else 1_000_000
    per = 10_000
    path = folder / "b5i.db"
    count = size // per
    moved = min(10, count)  # 1 000 new events, shared by up to ten investigations
    with sg.open_store(path, clock=sg.FixedClock()) as store:
        for n in range(count):
            story(store, f"stor-{n:03d}", per - 1_000 if n == 0 else per, seed=n)
        checkpoint = store.verify(jobs=cores()).checkpoint
        assert checkpoint is not None
        for n in range(moved):
            extend(store.load(f"stor-{n:03d}", sg.trust_reform()), 1_000 // moved, seed=n)
    small = folder / "b5i-small.db"
    with sg.open_store(small, clock=sg.FixedClock()) as store:
        many(store, 10, 100)
    big_store = sg.open_store(path, read_only=True)
    small_store = sg.open_store(small, read_only=True)
    events = big_store.checkpoint().position

    def since() -> None:
        assert big_store.verify(since=checkpoint).ok

    def whole_small() -> None:
        assert small_store.verify(jobs=1).ok

    ours, base = paired(since, whole_small, number=1, rounds=5 if quick else ROUNDS)
    big_store.close()
    small_store.close()
    return row(
        "B5i",
        f"verify --since 1 000 events before the head of {events} vs a whole 1 000-event store",
        ours,
        base,
        "s",
        "<= 2x",
        at_most(2),
        events=events,
    )
