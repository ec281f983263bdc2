"""Benchmarks B1-B8 of DESIGN.md §5 and issue 14, D1 and DV of issue 20 (``documents``), each
beside its baseline in the same run.

    python -m benchmarks [--quick] [--json FILE] [--only B1,B4] [--pg URL]

Every figure is measured in paired rounds: ours and its baseline alternate,
round after round (at least five), so both meet the same noise. The table
shows the median of the rounds with their minimum and maximum; the ratio is
the median of the rounds' own ratios. The JSON carries every round. Records
are built as long investigations run (``benchmarks.history``): step after
step, texts of real length. ``--quick`` runs small sizes for the smoke test;
the full run takes several minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import transitions

import stepgate as sg
from benchmarks.history import AT, ON, close_by_opting_out, extend, interleaved, story, text
from stepgate.model import commands as cmd
from stepgate.model.serial import event_to_dict, state_from_dict, state_to_dict
from stepgate.store import backend as _backend
from stepgate.store.audit import Walk
from stepgate.store.connections import quiet_gc
from stepgate.store.record import LAST_SEQ, event_id
from stepgate.testing import SECRETARIAT, Scenario

ROUNDS = 7
"""Paired rounds per figure (at least five, as issue 14 asks)."""


def timed(fn: Callable[[], object], number: int) -> float:
    """Mean seconds per call over ``number`` calls (the collector cleared first)."""
    gc.collect()
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def paired(
    ours: Callable[[], object],
    baseline: Callable[[], object],
    *,
    number: int,
    rounds: int = ROUNDS,
) -> tuple[list[float], list[float]]:
    """Seconds per call of each, round by round, alternating which goes first."""
    a: list[float] = []
    b: list[float] = []
    for i in range(rounds):
        if i % 2:
            b.append(timed(baseline, number))
            a.append(timed(ours, number))
        else:
            a.append(timed(ours, number))
            b.append(timed(baseline, number))
    return a, b


def spread(values: list[float]) -> dict[str, float]:
    """Median, minimum and maximum."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def row(
    bid: str,
    what: str,
    ours: list[float],
    baseline: list[float] | None,
    unit: str,
    target: str,
    check: Callable[[float, float | None], bool] | None,
    **extra: Any,
) -> dict[str, Any]:
    """One figure: medians with their spread, the median of the rounds' ratios, the verdict."""
    value = statistics.median(ours)
    base = statistics.median(baseline) if baseline else None
    ratios = [a / b for a, b in zip(ours, baseline, strict=True)] if baseline else None
    ratio = statistics.median(ratios) if ratios else None
    return {
        "id": bid,
        "what": what,
        "value": value,
        "baseline": base,
        "ratio": ratio,
        "unit": unit,
        "target": target,
        "pass": None if check is None else check(ratio if ratios else value, value),
        "rounds": len(ours),
        "spread": {
            "value": spread(ours),
            "baseline": spread(baseline) if baseline else None,
            "ratio": spread(ratios) if ratios else None,
        },
        "samples": {"value": ours, "baseline": baseline},
        **extra,
    }


def at_most(limit: float) -> Callable[[float, float | None], bool]:
    """Pass when the median ratio (or value) is at most ``limit``."""
    return lambda measured, _value: measured <= limit


# --- B1, B2, B3 --------------------------------------------------------------------------


def started(store: sg.Store | None = None, key: str = "barnevern-2024") -> Scenario:
    """The barnevern investigation in step 1 with a session (all six, both parties)."""
    run = Scenario(store or sg.open_store(clock=sg.FixedClock()), key=key)
    run.topic("Kostnadsfordeling mellom kommunane i vertskommunemodellen", 5)
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
    ours, bare = paired(guarded, model.go, number=2_000 if quick else 20_000)  # type: ignore[attr-defined]
    return row("B1", "guarded in-memory command (rate_topic)", ours, bare, "s", "<= 5x", at_most(5))


def with_topics(n: int) -> Scenario:
    """Step 1 with ``n`` topics, each raised by an insight (built through the engine)."""
    rng = random.Random(n)
    run = Scenario(sg.open_store(clock=sg.FixedClock()))
    run.milestones().join()
    inv, engine = run.inv, run.inv._engine
    run.inv.start("Kva modell for felles barnevern skal vi greie ut?", on=ON)
    session = run.hold()
    state = inv.state
    for i in range(n):
        engine.execute(state, cmd.RegisterTopic(text(rng, 50), 1 + i % 5, on=ON), SECRETARIAT, AT)
        insight = cmd.RecordInsight(session, text(rng, 300), topics=(f"T{i + 1}",), on=ON)
        engine.execute(state, insight, SECRETARIAT, AT)
    return run


def b2(quick: bool) -> dict[str, Any]:
    """close_step with 10 000 topics and insights vs with 10, on fresh copies of each state."""
    big = 1_000 if quick else 10_000
    runs = {"big": with_topics(big), "small": with_topics(10)}
    frozen = {name: state_to_dict(run.inv.state) for name, run in runs.items()}
    close = cmd.CloseStep(on=ON)
    found: dict[str, list[float]] = {"big": [], "small": []}
    for round_ in range(5 if quick else ROUNDS):
        for name in ("big", "small") if round_ % 2 == 0 else ("small", "big"):
            engine = runs[name].inv._engine
            copies = [state_from_dict(frozen[name]) for _ in range(3)]  # close_step changes it
            gc.collect()
            start = time.perf_counter()
            for copy in copies:
                engine.execute(copy, close, SECRETARIAT, AT)
            found[name].append((time.perf_counter() - start) / len(copies))
    ours, base = found["big"], found["small"]
    return row(
        "B2",
        f"close_step with {big} topics+insights",
        ours,
        base,
        "s",
        "<= 2x",
        at_most(2),
        topics=big,
    )


def b3(quick: bool, folder: Path) -> dict[str, Any]:
    """A durable command in its own transaction vs raw sqlite3, one row per transaction."""
    store = sg.open_store(folder / "b3.db", clock=sg.FixedClock())
    run = started(store)
    inv, by, session = run.inv, run.employer["4640"], run.session

    def durable() -> None:
        inv.rate_topic("T1", 3, by=by, session=session, on=ON)

    payload = json.dumps(event_to_dict(inv.events[-1].event))
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

    ours, bare = paired(durable, raw, number=100 if quick else 300)
    return row(
        "B3",
        "durable command (own transaction, synchronous=FULL)",
        ours,
        bare,
        "s",
        "<= 2x",
        at_most(2),
    )


# --- B4, B4s, B5 -----------------------------------------------------------------------


def b4_b5(quick: bool, folder: Path) -> list[dict[str, Any]]:
    """Loads at 100 000 events vs 100 (random tails); snapshot writes; the audit vs SELECT."""
    big = 10_000 if quick else 100_000
    rng = random.Random(14)
    store = sg.open_store(folder / "b4.db", clock=sg.FixedClock())
    long_one = story(store, "long", big)
    short_one = story(store, "short", 100, seed=15)
    for inv in (long_one, short_one):  # a tail after the last snapshot: 0 to 99 events
        extend(inv, rng.randrange(100))
    process = sg.trust_reform()
    loads = paired(
        lambda: store.load("long", process),
        lambda: store.load("short", process),
        number=3,
        rounds=5 if quick else ROUNDS,
    )
    writes = snapshot_writes(store, quick)

    def replay_and_verify() -> None:
        assert store.audit("long", process).ok

    conn = sqlite3.connect(folder / "b4.db")
    (number,) = conn.execute("SELECT number FROM investigations WHERE key = 'long'").fetchone()
    ids = [event_id(number, 1), event_id(number, LAST_SEQ)]

    def raw_select() -> None:
        # the stored columns, i.e. the bytes on disk, by the same access path: what
        # replay + verify must read at the least
        conn.execute(
            "SELECT body, hash FROM events WHERE id BETWEEN ? AND ? ORDER BY id", ids
        ).fetchall()

    def walk_only() -> None:
        # what every audit pays before it folds: each body read, hashed with the hash
        # before, its place checked, parsed and built into its event
        (version,) = conn.execute(
            "SELECT version FROM investigations WHERE key = 'long'"
        ).fetchone()
        walk = Walk(conn, "long", number, version)
        with quiet_gc:  # as the audit runs
            for _event in walk.events():
                pass
        assert walk.broken is None

    def whole_store() -> None:
        report = store.verify()
        assert report.ok, report.breaks

    def raw_store() -> None:
        conn.execute("SELECT body, hash FROM events ORDER BY id").fetchall()
        conn.execute("SELECT position, event, hash FROM ledger ORDER BY position").fetchall()

    events = store.summary("long").version
    audits = paired(replay_and_verify, raw_select, number=1, rounds=5 if quick else ROUNDS)
    walks = paired(walk_only, raw_select, number=1, rounds=5 if quick else ROUNDS)
    rate = events / statistics.median(audits[0])
    everything = paired(whole_store, raw_store, number=1, rounds=5)
    total = sum(summary.version for summary in store.summaries())
    return [
        row(
            "B4",
            f"load at {events} events (growing state, 0-99 tail) vs {short_one.version}",
            *loads,
            "s",
            "<= 2x",
            at_most(2),
            events=events,
        ),
        writes,
        row(
            "B5a",
            f"audit: replay + verify {events} events (chain, places, snapshot, row, ledger)",
            *audits,
            "s",
            "(info: issue 23's B5 replaces it)",
            None,
            events_per_second=rate,
        ),
        row(
            "B5w",
            f"the audit's walk alone: {events} events read, hashed, placed, parsed, built",
            *walks,
            "s",
            "(info: B5's floor)",
            None,
            events=events,
        ),
        row(
            "B5v",
            f"store-wide verify of {total} events (+ snapshot contents, whole ledger, schema)",
            *everything,
            "s",
            "(info)",
            None,
            events=total,
        ),
    ]


def snapshot_writes(store: sg.Store, quick: bool) -> dict[str, Any]:
    """The command that writes a snapshot, at the long investigation's length vs at 1 000 (B4s).

    Each round brings both investigations to one event before their next
    snapshot, then times that one command on each.
    """
    story(store, "thousand", 1_000, seed=16)
    process = sg.trust_reform()
    found: dict[str, list[float]] = {"long": [], "thousand": []}
    for round_ in range(5 if quick else ROUNDS):
        for key in ("long", "thousand") if round_ % 2 == 0 else ("thousand", "long"):
            inv = store.load(key, process, actor=SECRETARIAT)
            summary = store.backend.summary(key)
            taken, size = _snapshot_version(store, key)
            due = _backend.due(size) - (summary.version - taken) - 1
            extend(inv, max(due, 0), seed=round_)
            gc.collect()
            start = time.perf_counter()
            inv.record_fact("snapshot-now", str(round_), actor=SECRETARIAT)
            found[key].append(time.perf_counter() - start)
            assert _snapshot_version(store, key)[0] == inv.version  # it did write one
    return row(
        "B4s",
        f"the snapshot-writing command at {store.summary('long').version} vs 1000 events",
        found["long"],
        found["thousand"],
        "s",
        "<= 2x",
        at_most(2),
    )


def b4t(quick: bool) -> dict[str, Any]:
    """Commands with their snapshots, 10 000 unraised topics vs 1, in memory (no disk's cost).

    A working state with thousands of unraised topics has a large snapshot; written
    every 100 events, it made each command pay in proportion to the topics (issue 14).
    """
    topics, commands = (2_000, 600) if quick else (10_000, 3_000)
    rng = random.Random(4)
    store = sg.open_store(clock=sg.FixedClock())
    wide, narrow = started(store, "wide"), started(store, "narrow")
    with store.batch():
        for i in range(topics):
            wide.inv.register_topic(text(rng, 50), 1 + i % 4, on=ON)

    def rating(run: Scenario) -> Callable[[], None]:
        inv, by, session = run.inv, run.employer["4640"], run.session

        def rate() -> None:
            for _ in range(commands):
                inv.rate_topic("T1", 3, by=by, session=session, on=ON)

        return rate

    ours, base = paired(rating(wide), rating(narrow), number=1, rounds=5 if quick else ROUNDS)
    unraised = len(wide.inv.state.unraised)
    return row(
        "B4t",
        f"{commands} commands with snapshots, {unraised} unraised topics vs 1 (in memory)",
        [value / commands for value in ours],
        [value / commands for value in base],
        "s",
        "<= 2x",
        at_most(2),
        topics=unraised,
    )


def _snapshot_version(store: sg.Store, key: str) -> tuple[int, int]:
    """The version of ``key``'s last snapshot, and its stored size in bytes."""
    with store.backend._read() as conn:
        row_ = conn.execute(
            "SELECT snapshot_version, (SELECT length(state) FROM snapshots WHERE investigation = ?)"
            " FROM investigations WHERE key = ?",
            [key, key],
        ).fetchone()
    return int(row_[0]), int(row_[1] or 0)


# --- B6 --------------------------------------------------------------------------------


def many(store: sg.Store, investigations: int, events: int, *, closed: float = 0.0) -> None:
    """``investigations`` investigations of about ``events`` events; a share of them closed."""
    shut = int(investigations * closed)
    for n in range(investigations):
        key = f"inv-{n:05d}"
        story(store, key, events, seed=n)
        if n < shut:
            close_by_opting_out(store, key)


def b6c(quick: bool, folder: Path) -> dict[str, Any]:
    """Bytes per event on disk above the body, written as concurrent investigations write."""
    count, events = (100, 100) if quick else (1_000, 100)
    path = folder / "b6c.db"
    store = sg.open_store(path)
    interleaved(store, count, events)
    db = store.backend.db
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    stored, body = db.execute(
        "SELECT count(*), sum(length(CAST(body AS BLOB))) FROM events"
    ).fetchone()
    pages = (
        dict(db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
        if _has_dbstat(db)
        else {}
    )
    store.close()
    above = (size - body) / stored
    return row(
        "B6c",
        f"bytes per event above the body: {count} investigations written interleaved",
        [above],
        None,
        "bytes",
        "<= 110",
        at_most(110),
        events=stored,
        file_bytes=size,
        body_bytes_per_event=body / stored,
        bytes_by_table={name: pages[name] / stored for name in sorted(pages)},
    )


def _has_dbstat(db: Any) -> bool:
    """True when this SQLite was built with the ``dbstat`` virtual table."""
    try:
        db.execute("SELECT 1 FROM dbstat LIMIT 1").fetchall()
    except sqlite3.Error:
        return False
    return True


def b6(quick: bool, folder: Path) -> list[dict[str, Any]]:
    """Queries among 10 000 investigations (99 % closed, 1 M events) vs 100 all open."""
    count = 500 if quick else 10_000
    big_path, small_path = folder / "b6-big.db", folder / "b6-small.db"
    big, small = sg.open_store(big_path), sg.open_store(small_path)
    many(big, count, 100, closed=0.99)
    many(small, 100, 100)
    key = f"inv-{count - 1:05d}"  # one of the open ones
    rounds = 5 if quick else ROUNDS
    status = paired(lambda: big.summary(key), lambda: small.summary("inv-00050"), number=200)
    recent = paired(
        lambda: big.summaries(open_only=True, limit=50),
        lambda: small.summaries(open_only=True, limit=50),
        number=50,
        rounds=rounds,
    )
    events = sum(s.version for s in big.summaries())
    return [
        row(
            "B6a",
            f"status by key among {count} investigations (99 % closed)",
            *status,
            "s",
            "<= 3x",
            at_most(3),
            investigations=count,
            events=events,
        ),
        row(
            "B6b",
            f"50 most recently active open among {count}, 99 % closed",
            *recent,
            "s",
            "<= 3x",
            at_most(3),
        ),
    ]


# --- B7 --------------------------------------------------------------------------------

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
    """Resident memory for 1 000 loaded investigations of 1 000 events, in fresh processes."""
    count, events = (100, 1_000) if quick else (1_000, 1_000)
    path = folder / "b7.db"
    many(sg.open_store(path), count, events)
    found = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", B7_CHILD, str(path), str(count)],
            capture_output=True,
            text=True,
            check=True,
        )
        grown, loaded = (int(x) for x in out.stdout.split())
        found.append(grown / 2**20 * (1_000 / loaded))
    return row(
        "B7",
        f"RSS for 1000 loaded investigations of {events} events (measured {count})",
        found,
        None,
        "MB",
        "<= 60",
        at_most(60),
    )


# --- B8 --------------------------------------------------------------------------------


def b8_commands(count: int, session: str = "S1") -> list[tuple[str, dict[str, Any]]]:
    """B8's commands: two insights of 300 characters to each topic of 50, in the open step's
    session (``started`` holds session ``S1``)."""
    rng = random.Random(8)
    return [
        ("record_insight", {"session": session, "text": text(rng, 300), "on": ON})
        if i % 3
        else ("register_topic", {"title": text(rng, 50), "difficulty": 1 + i % 5, "on": ON})
        for i in range(count)
    ]


def importing(store: sg.Store, count: int) -> tuple[Callable[[], None], list[tuple[int, str, str]]]:
    """B8's import into ``store``: one batch of ``count`` commands, and the same as raw rows."""
    run = started(store)
    commands = b8_commands(count, run.session)
    rows = [
        (i, json.dumps({"kind": name, **{k: str(v) for k, v in fields.items()}}), "0" * 64)
        for i, (name, fields) in enumerate(commands)
    ]
    inv = run.inv

    def bulk() -> None:
        with store.batch():
            for name, fields in commands:
                inv.run(inv.build(name, **fields))

    return bulk, rows


def b8(quick: bool, folder: Path) -> dict[str, Any]:
    """A bulk import of 10 000 commands in one ``Store.batch()`` into a file, vs the same
    commands one by one on an in-memory store (what the batch saves beyond the disk)."""
    count = 2_000 if quick else 10_000
    disk = sg.open_store(folder / "b8.db", clock=sg.FixedClock())
    memory = sg.open_store(clock=sg.FixedClock())
    commands = b8_commands(count)
    imports = iter([started(disk, key=f"b8-{n}").inv for n in range(ROUNDS)])
    singles = iter([started(memory, key=f"b8-{n}").inv for n in range(ROUNDS)])

    def bulk() -> None:
        inv = next(imports)
        with disk.batch():
            for name, fields in commands:
                inv.run(inv.build(name, **fields))

    def one_by_one() -> None:
        inv = next(singles)
        for name, fields in commands:
            inv.run(inv.build(name, **fields))

    ours, base = paired(bulk, one_by_one, number=1, rounds=ROUNDS)
    rate = count / statistics.median(ours)
    assert disk.verify().ok
    return row(
        "B8",
        f"bulk import: {count} commands in one Store.batch() (baseline: one by one in memory)",
        ours,
        base,
        "s",
        "<= 0.5x and >= 30000 commands/s",
        lambda ratio, _value: ratio <= 0.5 and rate >= 30_000,
        commands=count,
        commands_per_second=rate,
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
    parser.add_argument("--quick", action="store_true", help="small sizes, for the smoke test")
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument("--only", help="comma-separated ids to run (B1,B2,...)")
    parser.add_argument(
        "--pg",
        default=os.environ.get("STEPGATE_PG_URL", ""),
        metavar="URL",
        help="a PostgreSQL server for B3p, B5p, B6p and W8 (default: $STEPGATE_PG_URL)",
    )
    args = parser.parse_args(argv)
    from benchmarks import archive, documents, verify  # noqa: PLC0415 - they import our helpers

    wanted = set(args.only.split(",")) if args.only else None
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="stepgate-bench-") as tmp:
        folder = Path(tmp)
        steps: list[tuple[set[str], Callable[[], Any]]] = [
            ({"B1"}, lambda: b1(args.quick)),
            ({"B2"}, lambda: b2(args.quick)),
            ({"B3"}, lambda: b3(args.quick, folder)),
            ({"B4", "B4s", "B5a", "B5w", "B5v"}, lambda: b4_b5(args.quick, folder)),
            ({"B5", "B5j", "B5c"}, lambda: verify.b5(args.quick, folder)),
            ({"B5i"}, lambda: verify.b5i(args.quick, folder)),
            ({"B4t"}, lambda: b4t(args.quick)),
            ({"B6", "B6a", "B6b"}, lambda: b6(args.quick, folder)),
            ({"B6c"}, lambda: b6c(args.quick, folder)),
            ({"B7"}, lambda: b7(args.quick, folder)),
            ({"B8"}, lambda: b8(args.quick, folder)),
            ({"D1", "D1w", "D1s", "D1r", "D1m"}, lambda: documents.d1(args.quick, folder)),
            ({"DV"}, lambda: documents.dv(args.quick, folder)),
            ({"A1", "A1m"}, lambda: archive.a1(args.quick, folder)),
        ]
        if args.pg:
            from benchmarks import postgres  # noqa: PLC0415 - only with a server

            steps += [
                ({"B3p"}, lambda: postgres.b3p(args.quick, args.pg)),
                ({"B5p", "B5ap"}, lambda: postgres.b5p(args.quick, args.pg)),
                ({"B6p", "B6ap", "B6bp"}, lambda: postgres.b6p(args.quick, args.pg)),
                ({"B8p"}, lambda: postgres.b8p(args.quick, args.pg)),
                ({"W4p"}, lambda: postgres.w4p(args.quick, args.pg)),
                ({"W8"}, lambda: postgres.w8(args.quick, args.pg, folder)),
            ]
        for ids, step in steps:
            if wanted and not ids & wanted:
                continue
            started_at = time.perf_counter()
            found = step()
            for item in found if isinstance(found, list) else [found]:
                item["seconds_to_run"] = round(time.perf_counter() - started_at, 2)
                results.append(item)
                print_row(item)
    report = {"quick": args.quick, "rounds": ROUNDS, "machine": machine(), "results": results}
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


def print_row(item: dict[str, Any]) -> None:
    """One line of the table: median [min-max], and the ratio's median [min-max]."""

    def show(value: float | None) -> str:
        if value is None:
            return "-"
        if item["unit"] == "s":
            return f"{value * 1e6:.1f} µs"
        return f"{value:.1f} {item['unit'][:5]}"

    ratio_spread = item["spread"]["ratio"]
    ratio = (
        f"{item['ratio']:.2f}x [{ratio_spread['min']:.2f}-{ratio_spread['max']:.2f}]"
        if item["ratio"] is not None
        else "-"
    )
    verdict = {True: "pass", False: "FAIL", None: "info"}[item["pass"]]
    print(
        f"{item['id']:<5} {item['what'][:50]:<50} {show(item['value']):>14} "
        f"{show(item['baseline']):>14} {ratio:>22} {item['target']:>16} {verdict}",
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
