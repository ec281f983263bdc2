"""The PostgreSQL figures: B3, B5, B6 and B8 on PostgreSQL beside raw psycopg, and 8 writers.

Run by ``python -m benchmarks`` when ``--pg URL`` (or ``STEPGATE_PG_URL``) names a
server. Each figure gets a schema of its own, dropped afterwards. Baselines are
plain psycopg in the same run: one row per transaction (B3p), a binary-mode
``SELECT`` of the same rows (B5p, B5ap), the same queries on 100 investigations (B6p),
``executemany`` of B8's rows in one transaction (B8p). W8 is the throughput of
durable commands from 8 processes writing to different investigations at once,
on SQLite and on PostgreSQL side by side.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

import stepgate as sg
from benchmarks.history import story
from benchmarks.run import ROUNDS, at_most, importing, many, paired, row, started
from stepgate.model.serial import event_to_dict
from stepgate.store.record import LAST_SEQ, event_id
from stepgate.store.workers import cores

ON = "2024-02-05"


@contextmanager
def schema(url: str) -> Iterator[str]:
    """A schema of its own on the server, as a store URL; dropped afterwards."""
    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    joiner = "&" if "?" in url else "?"
    try:
        yield f"{url}{joiner}options=-csearch_path%3D{name}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")


def b3p(quick: bool, url: str) -> dict[str, Any]:
    """A durable command on PostgreSQL vs raw psycopg, one row per transaction."""
    with schema(url) as where:
        store = sg.open_store(where, clock=sg.FixedClock())
        run = started(store)
        inv, by, session = run.inv, run.employer["4640"], run.session

        def durable() -> None:
            inv.rate_topic("T1", 3, by=by, session=session, on=ON)

        payload = json.dumps(event_to_dict(inv.events[-1].event))
        raw = psycopg.connect(where, autocommit=True)
        raw.execute(
            "CREATE TABLE raw_events (id bigserial PRIMARY KEY, investigation text, seq bigint,"
            " payload text, hash text, UNIQUE (investigation, seq))"
        )
        counter = iter(range(1, 10**9))

        def bare() -> None:
            with raw.transaction():
                raw.execute(
                    "INSERT INTO raw_events (investigation, seq, payload, hash)"
                    " VALUES (%s, %s, %s, %s)",
                    ("barnevern-2024", next(counter), payload, "0" * 64),
                )

        ours, base = paired(durable, bare, number=100 if quick else 300)
        raw.close()
        store.close()
    return row(
        "B3p", "PostgreSQL: durable command (own transaction)", ours, base, "s", "<= 2x", at_most(2)
    )


def b5p(quick: bool, url: str) -> list[dict[str, Any]]:
    """B5p: the full verify on every core vs a binary-mode ``SELECT``; B5ap: one investigation."""
    investigations = 100 if quick else 1_000
    long = 10_000 if quick else 100_000
    with schema(url) as many_at, schema(url) as one_at:
        store = sg.open_store(many_at, clock=sg.FixedClock())
        many(store, investigations, 100)
        jobs = cores()
        total = store.verify(jobs=1).events
        raw = psycopg.connect(many_at, autocommit=True)

        def every_core() -> None:
            assert store.verify(jobs=jobs).ok

        def select_binary() -> None:
            with raw.cursor(binary=True) as cur:
                cur.execute("SELECT body, hash FROM events ORDER BY id").fetchall()

        rounds = 5 if quick else ROUNDS
        ours, base = paired(every_core, select_binary, number=1, rounds=rounds)
        raw.close()
        store.close()
        found = [
            row(
                "B5p",
                f"PostgreSQL: full verify, {investigations} investigations / {total} events,"
                f" {jobs} cores, vs a binary SELECT",
                ours,
                base,
                "s",
                "<= 4x",
                at_most(4),
                events=total,
                jobs=jobs,
                events_per_second=total / statistics.median(ours),
            )
        ]
        found.append(_one_audit(one_at, long, rounds))
    return found


def _one_audit(where: str, size: int, rounds: int) -> dict[str, Any]:
    """B5ap (info): replay and verify one investigation of ``size`` events vs its rows."""
    store = sg.open_store(where, clock=sg.FixedClock())
    story(store, "growing", size)
    process = sg.trust_reform()

    def replay_and_verify() -> None:
        assert store.audit("growing", process).ok

    raw = psycopg.connect(where, autocommit=True)
    (number,) = raw.execute(
        "SELECT number FROM investigations WHERE key = 'growing'"
    ).fetchone() or (0,)
    ids = [event_id(number, 1), event_id(number, LAST_SEQ)]

    def select() -> None:
        with raw.cursor(binary=True) as cur:
            cur.execute(
                "SELECT body, hash FROM events WHERE id BETWEEN %s AND %s ORDER BY id", ids
            ).fetchall()

    events = store.summary("growing").version
    ours, base = paired(replay_and_verify, select, number=1, rounds=rounds)
    raw.close()
    store.close()
    return row(
        "B5ap",
        f"PostgreSQL: audit of one investigation, replay + verify {events} events (info)",
        ours,
        base,
        "s",
        "(info: B5p replaces it)",
        None,
        events_per_second=events / statistics.median(ours),
    )


def b6p(quick: bool, url: str) -> list[dict[str, Any]]:
    """Status by key and the 50 most recent open, 10 000 investigations vs 100, on PostgreSQL."""
    count = 500 if quick else 10_000
    with schema(url) as big_at, schema(url) as small_at:
        big, small = sg.open_store(big_at), sg.open_store(small_at)
        many(big, count, 100, closed=0.99)
        many(small, 100, 100)
        plans = [analyzed(where) for where in (big_at, small_at)]  # as a server settles
        key = f"inv-{count - 1:05d}"
        status = paired(lambda: big.summary(key), lambda: small.summary("inv-00050"), number=200)
        recent = paired(
            lambda: big.summaries(open_only=True, limit=50),
            lambda: small.summaries(open_only=True, limit=50),
            number=50,
        )
        big.close()
        small.close()
    return [
        row(
            "B6ap",
            f"PostgreSQL: status by key among {count} investigations (99 % closed)",
            *status,
            "s",
            "<= 3x",
            at_most(3),
        ),
        row(
            "B6bp",
            f"PostgreSQL: 50 most recent open among {count}, 99 % closed, VACUUM ANALYZE",
            *recent,
            "s",
            "<= 3x",
            at_most(3),
            plan=plans[0],
            plan_of_the_baseline=plans[1],
        ),
    ]


def analyzed(where: str) -> str:
    """``VACUUM ANALYZE`` the investigations, then the plan of the 50 most recent open ones."""
    from stepgate.store.postgres import PostgresBackend  # noqa: PLC0415 - its query

    with psycopg.connect(where, autocommit=True) as raw:
        raw.execute("VACUUM ANALYZE investigations")
        lines = raw.execute(f"EXPLAIN {PostgresBackend.open_summaries} LIMIT 50").fetchall()
    return " / ".join(line[0].strip() for line in lines)


WRITER = """
import sys, time, stepgate as sg
from stepgate.testing import Scenario
store = sg.open_store(sys.argv[1], clock=sg.FixedClock())
run = Scenario(store, key=sys.argv[2]).start()
inv = run.inv
print("ready", flush=True)
sys.stdin.readline()
start = time.perf_counter()
for i in range(int(sys.argv[3])):
    inv.record_fact(f"f{i % 50}", str(i))
print(time.perf_counter() - start, flush=True)
"""


def b8p(quick: bool, url: str) -> dict[str, Any]:
    """B8 on PostgreSQL: 10 000 commands in one ``Store.batch()`` vs raw ``executemany`` rows."""
    count = 2_000 if quick else 10_000
    with schema(url) as where:
        store = sg.open_store(where, clock=sg.FixedClock())
        bulk, rows = importing(store, count)
        raw = psycopg.connect(where, autocommit=True)
        raw.execute("CREATE TABLE raw_events (id bigint PRIMARY KEY, body text, hash text)")
        offset = iter(range(0, 10**9, count))

        def baseline() -> None:
            base = next(offset)
            with raw.transaction(), raw.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO raw_events (id, body, hash) VALUES (%s, %s, %s)",
                    [(base + i, body, hashed) for i, body, hashed in rows],
                )

        ours, base = paired(bulk, baseline, number=1, rounds=5)
        assert store.verify().ok
        raw.close()
        store.close()
    rate = count / statistics.median(ours)
    return row(
        "B8p",
        f"PostgreSQL: bulk import of {count} commands in one transaction",
        ours,
        base,
        "s",
        "(info; B8's target is SQLite's)",
        None,
        commands=count,
        commands_per_second=rate,
    )


def writers(location: str, count: int, commands: int) -> float:
    """Durable commands per second from ``count`` processes on investigations of their own."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, location, f"w{n}", str(commands)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        for n in range(count)
    ]
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
    start = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        proc.communicate(timeout=600)
    return count * commands / (time.perf_counter() - start)


def w4p(quick: bool, url: str) -> dict[str, Any]:
    """4 PostgreSQL writer processes on investigations of their own vs 1 writer: throughput."""
    commands = 50 if quick else 400
    one, four = [], []
    for n in range(5):
        pair = [(one, 1), (four, 4)] if n % 2 == 0 else [(four, 4), (one, 1)]
        for rates, count in pair:
            with schema(url) as where:
                rates.append(writers(where, count, commands))
    return row(
        "W4p",
        "4 PostgreSQL writers, investigations of their own: cmds/s (baseline: 1 writer)",
        four,
        one,
        "commands/s",
        ">= 1.5x",
        lambda ratio, _value: ratio >= 1.5,
    )


def w8(quick: bool, url: str, folder: Path) -> dict[str, Any]:
    """8 writers on different investigations: commands/s on PostgreSQL beside SQLite."""
    commands = 50 if quick else 300
    postgres_rates, sqlite_rates = [], []
    for n in range(5):
        sqlite_rates.append(writers(str(folder / f"w8-{n}.db"), 8, commands))
        with schema(url) as where:
            postgres_rates.append(writers(where, 8, commands))
    return row(
        "W8",
        "8 writers, different investigations: PostgreSQL cmds/s (baseline: SQLite)",
        postgres_rates,
        sqlite_rates,
        "commands/s",
        "(info)",
        None,
    )
