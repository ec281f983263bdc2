"""Benchmarks B1-B7 of DESIGN.md §5, each beside its baseline in the same run.

    python -m benchmarks [--quick] [--json FILE]

Prints a table (figure, baseline, ratio, target, pass/fail) and writes the same
as JSON. Ratios hold on a noisy machine; absolute times do not. ``--quick``
runs small sizes (well under 30 s) for the smoke test; the full run takes a few
minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import transitions

import stepgate as sg
from stepgate.model import commands as cmd
from stepgate.model.serial import state_from_dict, state_to_dict
from stepgate.store.record import LAST_SEQ, event_id
from stepgate.testing import SECRETARIAT, Scenario

AT = dt.datetime(2024, 2, 5, 9, tzinfo=dt.UTC)
ON = dt.date(2024, 2, 5)


def best(fn: Callable[[], object], *, number: int, repeat: int = 5) -> float:
    """The best mean seconds per call over ``repeat`` rounds of ``number`` calls."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def paired(
    ours: Callable[[], object], baseline: Callable[[], object], *, number: int, repeat: int = 7
) -> tuple[float, float]:
    """Best seconds per call of each, measured in alternating rounds (the same noise for both)."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        a.append(best(ours, number=number, repeat=1))
        b.append(best(baseline, number=number, repeat=1))
    return min(a), min(b)


def row(
    bid: str,
    what: str,
    value: float,
    baseline: float | None,
    unit: str,
    target: str,
    ok: bool,
    **extra: Any,
) -> dict[str, Any]:
    """One line of the results."""
    ratio = value / baseline if baseline else None
    return {
        "id": bid,
        "what": what,
        "value": value,
        "baseline": baseline,
        "ratio": ratio,
        "unit": unit,
        "target": target,
        "pass": ok,
        **extra,
    }


# --- B1 ------------------------------------------------------------------------------


def started(store: sg.Store | None = None) -> Scenario:
    """The barnevern investigation in step 1 with a session (all six, both parties)."""
    run = Scenario(store or sg.open_store(clock=sg.FixedClock()))
    run.topic("Kostnadsfordeling", 5)
    run.start()
    run.hold()
    return run


def b1(quick: bool) -> dict[str, Any]:
    """An in-memory guarded command vs a bare transitions trigger with one condition."""
    run = started()
    engine, state = run.inv._engine, run.inv.state
    by = run.employer["4640"]
    command = cmd.RateTopic("T1", 3, by=by, session=run.session, on=ON)

    def guarded() -> None:
        engine.execute(state, command, SECRETARIAT, AT)

    class Model:
        pass

    model = Model()
    machine = transitions.Machine(model=model, states=["a"], initial="a", auto_transitions=False)
    machine.add_transition("go", "a", "a", conditions=lambda: True)
    number = 2_000 if quick else 20_000
    ours, bare = paired(guarded, model.go, number=number)  # type: ignore[attr-defined]
    return row(
        "B1", "guarded in-memory command (rate_topic)", ours, bare, "s", "<= 5x", ours / bare <= 5
    )


# --- B2 ------------------------------------------------------------------------------


def with_topics(n: int) -> Scenario:
    """Step 1 with ``n`` topics, each raised by an insight (built through the engine)."""
    run = Scenario(sg.open_store(clock=sg.FixedClock()))
    run.milestones().join()
    inv, engine = run.inv, run.inv._engine
    run.inv.start("?", on=ON)
    session = run.hold()
    state = inv.state
    for i in range(n):
        engine.execute(state, cmd.RegisterTopic(f"Tema {i}", 1 + i % 5, on=ON), SECRETARIAT, AT)
        engine.execute(
            state,
            cmd.RecordInsight(session, f"Innsikt {i}", topics=(f"T{i + 1}",), on=ON),
            SECRETARIAT,
            AT,
        )
    return run


def time_close(run: Scenario, rounds: int) -> float:
    """Best seconds for close_step on fresh copies of the state."""
    engine = run.inv._engine
    frozen = state_to_dict(run.inv.state)
    times = []
    command = cmd.CloseStep(on=ON)
    for _ in range(rounds):
        copy = state_from_dict(frozen)
        gc.collect()
        start = time.perf_counter()
        engine.execute(copy, command, SECRETARIAT, AT)
        times.append(time.perf_counter() - start)
    return min(times)


def b2(quick: bool) -> dict[str, Any]:
    """close_step with 10 000 topics and insights vs with 10."""
    big = 1_000 if quick else 10_000
    ours = time_close(with_topics(big), 5 if quick else 15)
    small = time_close(with_topics(10), 50)
    return row(
        "B2",
        f"close_step with {big} topics+insights",
        ours,
        small,
        "s",
        "<= 2x",
        ours / small <= 2,
        topics=big,
    )


# --- B3 ------------------------------------------------------------------------------


def b3(quick: bool, folder: Path) -> dict[str, Any]:
    """A durable command in its own transaction vs raw sqlite3, one row per transaction."""
    store = sg.open_store(folder / "b3.db", clock=sg.FixedClock())
    run = started(store)
    inv = run.inv
    by = run.employer["4640"]
    session = run.session

    def durable() -> None:
        inv.rate_topic("T1", 3, by=by, session=session, on=ON)

    payload = json.dumps(sg.model.serial.event_to_dict(inv.events[-1].event))  # type: ignore[attr-defined]
    conn = sqlite3.connect(folder / "raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, investigation TEXT, seq INTEGER,"
        " payload TEXT, hash TEXT, UNIQUE (investigation, seq))"
    )
    counter = iter(range(1, 10**9))

    def raw() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO events (investigation, seq, payload, hash) VALUES (?,?,?,?)",
            ("barnevern-2024", next(counter), payload, "0" * 64),
        )
        conn.execute("COMMIT")

    number = 100 if quick else 300
    ours, bare = paired(durable, raw, number=number, repeat=3 if quick else 9)
    return row(
        "B3",
        "durable command (own transaction, synchronous=FULL)",
        ours,
        bare,
        "s",
        "<= 2x",
        ours / bare <= 2,
    )


# --- building big records ------------------------------------------------------------


def fill(
    store: sg.Store, key: str, events: int, *, grow: bool = True, batch: int = 5_000
) -> sg.Investigation:
    """An investigation of ``events`` events.

    ``grow=True``: a steady mix of sessions (10 %), new topics (20 %), insights
    (20 %) and ratings (50 %), so the state grows with the history.
    ``grow=False``: the same mix for the first 100 events, then only ratings of
    the topics so far and updated facts: a long history over a state that stays
    the size it had at 100 events.
    Commands run through the engine; the store appends them in batches (one
    transaction per batch), as an import or a migration would write.
    """
    run = Scenario(store, key=key)
    run.milestones().join()
    run.inv.start("?", on=ON)
    inv, engine, state = run.inv, run.inv._engine, run.inv.state
    attendees = list(state.representatives)
    pending: list[sg.Recorded] = []
    expected = state.version
    i = 0
    while state.version < events:
        i += 1
        command = _next(state, attendees, i) if grow or state.version < 100 else _steady(i)
        pending += engine.execute(state, command, SECRETARIAT, AT)
        if len(pending) >= batch:
            store.backend.append(state, expected, pending)
            expected, pending = state.version, []
    if pending:
        store.backend.append(state, expected, pending)
    return inv


def _next(state: sg.InvestigationState, attendees: list[str], i: int) -> cmd.Command:
    """The next command of the growing mix."""
    step = i % 10
    if step == 0 or not state.sessions:
        return cmd.HoldSession(f"Økt {i}", attendees[:4], on=ON)
    if step in (1, 2) or not state.topics:
        return cmd.RegisterTopic(f"Tema {i}", 1 + i % 5, on=ON)
    topic = f"T{1 + i % len(state.topics)}"
    if step in (3, 4):
        return cmd.RecordInsight(
            next(reversed(state.sessions)), f"Innsikt {i}", topics=topic, on=ON
        )
    return cmd.RateTopic(topic, 1 + i % 5, by="sogn-ko", on=ON)


def _steady(i: int) -> cmd.Command:
    """The next command of the steady history: ratings of known topics, updated facts."""
    if i % 10 == 0:
        return cmd.RecordFact(f"status-{i % 7}", str(i), on=ON)
    return cmd.RateTopic(f"T{1 + i % 10}", 1 + i % 5, by="sogn-ko", on=ON)


# --- B4, B5 ---------------------------------------------------------------------------


def b4_b5(quick: bool, folder: Path) -> list[dict[str, Any]]:
    """Loading 100 000 events vs 100 (snapshots); replay + verify vs a raw SELECT."""
    big = 10_000 if quick else 100_000
    store = sg.open_store(folder / "b4.db", clock=sg.FixedClock())
    fill(store, "steady", big, grow=False)
    fill(store, "growing", big)
    fill(store, "small", 100, grow=False)
    process = sg.trust_reform()
    load_steady = best(lambda: store.load("steady", process), number=20, repeat=7)
    load_growing = best(lambda: store.load("growing", process), number=2, repeat=3)
    load_small = best(lambda: store.load("small", process), number=20, repeat=7)

    def replay_and_verify() -> None:
        audit = store.audit("growing", process)
        assert audit.ok

    conn = sqlite3.connect(folder / "b4.db")
    (number,) = conn.execute("SELECT number FROM investigations WHERE key = 'growing'").fetchone()
    ids = [event_id(number, 1), event_id(number, LAST_SEQ)]  # the investigation's range

    def raw_select() -> None:
        # the stored columns, i.e. the bytes on disk, by the same access path: what
        # replay + verify must read at the least
        conn.execute(
            "SELECT body, prev_hash, hash FROM events WHERE id BETWEEN ? AND ? ORDER BY id", ids
        ).fetchall()

    def select_star() -> None:
        # every column, the generated ones (json_extract of the body) included
        conn.execute("SELECT * FROM events WHERE id BETWEEN ? AND ? ORDER BY id", ids).fetchall()

    def whole_store() -> None:
        report = store.verify()
        assert report.ok, report.breaks

    def raw_store() -> None:
        # every event and every ledger row, as stored
        conn.execute("SELECT body, prev_hash, hash FROM events ORDER BY id").fetchall()
        conn.execute("SELECT position, event, hash FROM ledger ORDER BY position").fetchall()

    events = store.summary("growing").version
    ours, bare = paired(replay_and_verify, raw_select, number=1, repeat=3 if quick else 5)
    star = best(select_star, number=1, repeat=3)
    rate = events / ours
    everything, everything_raw = paired(whole_store, raw_store, number=1, repeat=3)
    total = sum(summary.version for summary in store.summaries())
    return [
        row(
            "B4",
            f"load: {big} events over a steady state",
            load_steady,
            load_small,
            "s",
            "<= 2x",
            load_steady / load_small <= 2,
            events=big,
        ),
        row(
            "B4g",
            f"load: {big} events, state growing with them",
            load_growing,
            load_small,
            "s",
            "(info)",
            None,
            events=big,
        ),
        row(
            "B5",
            f"audit: replay + verify {events} events (chain, places, snapshot, row, ledger)",
            ours,
            bare,
            "s",
            "<= 5x and >= 100000 events/s",
            ours / bare <= 5 and rate >= 100_000,
            events_per_second=rate,
            select_star_seconds=star,
        ),
        row(
            "B5v",
            f"store-wide verify of {total} events (+ snapshot contents, whole ledger, schema)",
            everything,
            everything_raw,
            "s",
            "(info)",
            None,
            events=total,
            events_per_second=total / everything,
        ),
    ]


# --- B6 ------------------------------------------------------------------------------


def many(store: sg.Store, investigations: int, events: int) -> None:
    """``investigations`` investigations of ``events`` events each, some concluded."""
    for n in range(investigations):
        fill(store, f"inv-{n:05d}", events)


def b6_queries(store: sg.Store, key: str) -> tuple[float, float]:
    """Seconds for one status by key, and for the 50 most recently active open ones."""
    status = best(lambda: store.summary(key), number=200, repeat=5)
    recent = best(lambda: store.summaries(open_only=True, limit=50), number=50, repeat=5)
    return status, recent


def b6(quick: bool, folder: Path) -> list[dict[str, Any]]:
    """Queries in a DB of 10 000 investigations / 1 M events vs 100 investigations."""
    count = 500 if quick else 10_000
    big_path, small_path = folder / "b6-big.db", folder / "b6-small.db"
    big, small = sg.open_store(big_path), sg.open_store(small_path)
    many(big, count, 100)
    many(small, 100, 100)
    status_big, recent_big = b6_queries(big, f"inv-{count // 2:05d}")
    status_small, recent_small = b6_queries(small, "inv-00050")
    events = sum(s.version for s in big.summaries())
    big.backend.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = big_path.stat().st_size
    per_event = size / events
    return [
        row(
            "B6a",
            f"status by key among {count} investigations",
            status_big,
            status_small,
            "s",
            "<= 3x",
            status_big / status_small <= 3,
            investigations=count,
            events=events,
        ),
        row(
            "B6b",
            f"50 most recently active open among {count}",
            recent_big,
            recent_small,
            "s",
            "<= 3x",
            recent_big / recent_small <= 3,
        ),
        row(
            "B6c",
            "bytes per event on disk",
            per_event,
            None,
            "bytes",
            "<= 400",
            per_event <= 400,
            file_bytes=size,
        ),
    ]


# --- B7 ------------------------------------------------------------------------------

B7_CHILD = """
import sys, stepgate as sg
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
store = sg.open_store(sys.argv[1])
keys = store.keys()[: int(sys.argv[2])]
process = sg.trust_reform()
store.load(keys[0], process)
before = rss()
loaded = [store.load(k, process) for k in keys]
print(rss() - before, len(loaded))
"""


def b7(quick: bool, folder: Path) -> dict[str, Any]:
    """Resident memory for 1 000 loaded investigations, measured in a fresh process."""
    count = 200 if quick else 1_000
    path = folder / "b7.db"
    many(sg.open_store(path), count, 100)
    out = subprocess.run(
        [sys.executable, "-c", B7_CHILD, str(path), str(count)],
        capture_output=True,
        text=True,
        check=True,
    )
    grown, loaded = (int(x) for x in out.stdout.split())
    megabytes = grown / 2**20 * (1_000 / loaded)
    return row(
        "B7",
        f"RSS for 1000 loaded investigations (measured {loaded})",
        megabytes,
        None,
        "MB",
        "<= 50",
        megabytes <= 50,
    )


def machine() -> dict[str, Any]:
    """What this ran on."""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
        "stepgate": sg.__version__,
        "transitions": transitions.__version__,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark, print the table, write the JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, under 30 s")
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument("--only", help="comma-separated ids to run (B1,B2,...)")
    parser.add_argument(
        "--pg",
        default=os.environ.get("STEPGATE_PG_URL", ""),
        metavar="URL",
        help="a PostgreSQL server for B3p, B5p, B6p and W8 (default: $STEPGATE_PG_URL)",
    )
    args = parser.parse_args(argv)
    wanted = set(args.only.split(",")) if args.only else None
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="stepgate-bench-") as tmp:
        folder = Path(tmp)
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("B1", lambda: b1(args.quick)),
            ("B2", lambda: b2(args.quick)),
            ("B3", lambda: b3(args.quick, folder)),
            ("B4", lambda: b4_b5(args.quick, folder)),
            ("B6", lambda: b6(args.quick, folder)),
            ("B7", lambda: b7(args.quick, folder)),
        ]
        if args.pg:
            from benchmarks import postgres  # noqa: PLC0415 - only with a server

            steps += [
                ("B3p", lambda: postgres.b3p(args.quick, args.pg)),
                ("B5p", lambda: postgres.b5p(args.quick, args.pg)),
                ("B6p", lambda: postgres.b6p(args.quick, args.pg)),
                ("W8", lambda: postgres.w8(args.quick, args.pg, folder)),
            ]
        for bid, step in steps:
            if wanted and bid not in wanted and not (bid == "B4" and "B5" in wanted):
                continue
            started_at = time.perf_counter()
            found = step()
            for item in found if isinstance(found, list) else [found]:
                item["seconds_to_run"] = round(time.perf_counter() - started_at, 2)
                results.append(item)
                print_row(item)
    report = {"quick": args.quick, "machine": machine(), "results": results}
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


def print_row(item: dict[str, Any]) -> None:
    """One line of the table."""

    def show(value: float | None) -> str:
        if value is None:
            return "-"
        if item["unit"] == "s":
            return f"{value * 1e6:10.1f} µs"
        return f"{value:10.1f} {item['unit'][:5]}"

    ratio = f"{item['ratio']:6.2f}x" if item["ratio"] is not None else "      -"
    verdict = {True: "pass", False: "FAIL", None: "info"}[item["pass"]]
    print(
        f"{item['id']:<4} {item['what'][:52]:<52} {show(item['value'])} "
        f"{show(item['baseline'])} {ratio} {item['target']:>16} {verdict}",
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
