"""The durable record: round trips, views, snapshots, pinned definitions, bad files, tamper."""

from __future__ import annotations

import hashlib
import itertools
import json
import pathlib
import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

import stepgate as sg
from stepgate.model.serial import canonical_json, state_to_dict
from stepgate.store import backend as _store
from stepgate.store import schema
from stepgate.testing import Scenario
from tests._db import Raw
from tests.conftest import KO

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture
def path(tmp_path: pathlib.Path) -> pathlib.Path:
    """An SQLite database file that does not exist yet (for what only a file has)."""
    return tmp_path / "sogn.db"


@pytest.fixture
def file_run(location: str, clock: sg.FixedClock) -> Scenario:
    """The barnevern investigation in a durable store (each backend), through step 1's gate."""
    run = Scenario(sg.open_store(location, clock=clock))
    run.start().close().anchor()
    return run


def file_digest(path: pathlib.Path) -> str:
    """A hash of the database file's bytes (with its WAL, if any)."""
    digest = hashlib.sha256(path.read_bytes())
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        digest.update(wal.read_bytes())
    return digest.hexdigest()


def raw(path: pathlib.Path | str) -> sqlite3.Connection:
    """A plain sqlite3 connection, as a tamperer (or Datasette) would open the file."""
    return sqlite3.connect(path, isolation_level=None)


def test_a_durable_store_gives_back_the_same_state(file_run: Scenario, location: str) -> None:
    """Reopening the store and loading gives the state the commands built."""
    again = sg.open_store(location).load("barnevern-2024", sg.trust_reform())
    assert again.snapshot() == file_run.inv.snapshot()
    assert again.events == file_run.inv.events


def test_a_fresh_process_loads_the_same_state(file_run: Scenario, location: str) -> None:
    """Another Python process reads the record to an equal state."""
    out = subprocess.run(
        [sys.executable, "-m", "tests._workers", "load", location, "barnevern-2024"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.strip() == canonical_json(file_run.inv.snapshot())


def test_the_schema_is_plain_tables_and_views(file_run: Scenario, location: str) -> None:
    """sqlite3 (or psql) alone sees the tables, the views and the record in them."""
    conn = Raw(location)
    listing = (
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        if conn.postgres
        else "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
    )
    names = {r[0] for r in conn.execute(listing)}
    assert {
        "investigations",
        "events",
        "snapshots",
        "event_log",
        "timeline",
        "decisions",
        "participants",
    } <= names
    count = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM timeline").fetchone()[0] == count
    assert conn.execute("SELECT count(*) FROM commits").fetchone()[0] > 0
    if not conn.postgres:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_range_query_in_the_schema_docs_reads_one_investigation_in_order(
    path: pathlib.Path,
) -> None:
    """docs/schema.md's query by range of ids gives one investigation's events, in seq order."""
    store = sg.open_store(path)
    for key in ("nav-2024", "barnevern-2024"):
        Scenario(store, key=key).start()
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    sql = text.split('sqlite3 big.db "', 1)[1].split('"\n', 1)[0]
    rows = raw(path).execute(sql).fetchall()
    version = store.summary("barnevern-2024").version
    assert [row[0] for row in rows] == list(range(1, version + 1))
    assert rows[0][1] == "created"


def test_the_views_show_participants_and_decisions(location: str) -> None:
    """A small investigation: the views list its participants, opt-outs and gate records, with
    their registry entries, meeting items and exemption grounds (as cited canonically)."""
    run = Scenario(sg.open_store(location))
    run.start(joined=["4640", "4644", "4643"])
    run.close()
    run.inv.anchor_step(
        "4640",
        body="formannskap",
        registry_entry="24/7-2",
        meeting=sg.MeetingItem(body="formannskap", on="2024-02-29", item="PS 15/24"),
        exemption="offentleglova § 14",
    )
    conn = Raw(location)
    participants = conn.execute(
        "SELECT municipality, status FROM participants WHERE investigation = ?",
        ["barnevern-2024"],
    ).fetchall()
    assert participants == [
        ("4639", "opted_out"),
        ("4640", "participant"),
        ("4641", "opted_out"),
        ("4642", "opted_out"),
        ("4643", "participant"),
        ("4644", "participant"),
    ]
    gate = conn.execute(
        "SELECT municipality, body, outcome, registry_entry, meeting_item, meeting_on,"
        " exemption, public FROM decisions WHERE kind = 'step_anchored'"
    ).fetchall()
    assert [(*row[:7], bool(row[7])) for row in gate] == [
        (
            "4640",
            "formannskap",
            "endorsed",
            "2024/7-2",
            "PS 15/24",
            "2024-02-29",
            "offl. § 14",
            False,
        )
    ]
    access = conn.execute("SELECT access FROM timeline ORDER BY seq DESC LIMIT 1").fetchone()
    assert access == ("exempt: offl. § 14",)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE events SET hash = hash WHERE id = (SELECT min(id) FROM events)",
        "DELETE FROM events",
        "UPDATE ledger SET hash = hash",
        "DELETE FROM ledger",
    ],
)
def test_events_and_the_ledger_are_insert_only(file_run: Scenario, location: str, sql: str) -> None:
    """An UPDATE or DELETE on events or the ledger is refused by the database itself."""
    with pytest.raises(Exception, match="insert-only"):
        Raw(location).execute(sql)


def test_loading_uses_the_snapshot_and_equals_a_full_replay(
    location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With snapshots every 7 events, loading replays the tail only and equals a full replay."""
    monkeypatch.setattr(_store, "SNAPSHOT_EVERY", 7)
    run = Scenario(sg.open_store(location))
    run.start().close().anchor()
    conn = Raw(location)
    version = conn.execute("SELECT version FROM snapshots").fetchone()[0]
    assert 0 < version <= run.inv.version
    loaded = sg.open_store(location).load("barnevern-2024", sg.trust_reform())
    replayed = loaded._engine.replay(loaded.events)
    assert loaded.snapshot() == state_to_dict(replayed) == run.inv.snapshot()


def test_a_snapshot_of_an_older_format_is_passed_over_until_the_next_is_written(
    location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record whose snapshot an older release wrote loads by a full fold, verifies, and gets a
    snapshot of today's format with the next one due."""
    monkeypatch.setattr(_store, "SNAPSHOT_EVERY", 7)
    run = Scenario(sg.open_store(location))
    run.start().close().anchor()
    conn = Raw(location)
    conn.execute("UPDATE snapshots SET format = 2")  # as a record of the previous release
    (old,) = conn.execute("SELECT version FROM snapshots").fetchone()
    store = sg.open_store(location)
    loaded = store.load("barnevern-2024", sg.trust_reform(), actor=KO)
    assert loaded.snapshot() == run.inv.snapshot()
    assert store.verify().ok
    for i in range(7):
        loaded.record_fact(f"fakta-{i}", "ja")
    form, version = conn.execute("SELECT format, version FROM snapshots").fetchone()
    assert (form, version) == (_store.SNAPSHOT_FORMAT, old + 7)
    assert sg.open_store(location).load("barnevern-2024").snapshot() == loaded.snapshot()


def test_a_large_working_state_is_snapshotted_in_proportion_to_its_size(
    location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Snapshots come every SNAPSHOT_EVERY events while small, then every SNAPSHOT_EVERY x size /
    SNAPSHOT_SIZE events (the size read back by a new store too); loads still equal the record."""
    monkeypatch.setattr(_store, "SNAPSHOT_EVERY", 5)
    monkeypatch.setattr(_store, "SNAPSHOT_SIZE", 400)
    run = Scenario(sg.open_store(location))
    run.start()
    conn = Raw(location)
    taken: list[tuple[int, int]] = []  # (version, stored bytes) of each snapshot written
    for i in range(120):
        if i == 60:  # a new store reads the last snapshot's size from the record
            run.inv = sg.open_store(location).load("barnevern-2024", sg.trust_reform(), actor=KO)
        run.inv.record_fact(f"fakta-{i}", "ei lang verdi som får tilstanden til å vekse " * 3)
        found = conn.execute("SELECT version, length(state) FROM snapshots").fetchone()
        if found and (not taken or found[0] != taken[-1][0]):
            taken.append((found[0], found[1]))
    gaps = [
        (later[0] - earlier[0], _store.due(earlier[1]))
        for earlier, later in itertools.pairwise(taken)
    ]
    assert len(gaps) >= 3
    assert all(gap == expected for gap, expected in gaps), gaps
    assert gaps[0][1] < gaps[-1][1]  # the state grew, and its snapshots came further apart
    loaded = sg.open_store(location).load("barnevern-2024", sg.trust_reform())
    assert loaded.snapshot() == state_to_dict(loaded._engine.replay(loaded.events))
    assert loaded.snapshot() == run.inv.snapshot()


def _as_before_m009(conn: sqlite3.Connection) -> None:
    """Store an SQLite record's events as before ``m009``: the table ``events`` with its
    generated columns and guards, and no ``event_bodies``."""
    conn.execute("DROP VIEW events")
    for verb in ("update", "delete"):
        conn.execute(f"DROP TRIGGER event_bodies_insert_only_{verb}")
    conn.execute("PRAGMA legacy_alter_table = ON")  # the views name ``events`` as they did
    conn.execute("ALTER TABLE event_bodies RENAME TO events")
    conn.execute("PRAGMA legacy_alter_table = OFF")
    for name, read in schema.EVENT_COLUMNS:
        conn.execute(f"ALTER TABLE events ADD COLUMN {name} GENERATED ALWAYS AS ({read})")
    for verb in ("UPDATE", "DELETE"):
        conn.execute(
            f"CREATE TRIGGER events_insert_only_{verb.lower()} BEFORE {verb} ON events"
            " BEGIN SELECT RAISE(ABORT, 'stepgate events are insert-only'); END"
        )
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_event_bodies'")


def _as_before_m007(conn: Raw) -> None:
    """Give every event its ``prev_hash`` again and forget the step that dropped it (on
    SQLite, the events are stored as they were before ``m009`` too)."""
    if conn.postgres:
        conn.drop_guards()
        conn.execute("ALTER TABLE events ADD COLUMN prev_hash bytea NOT NULL DEFAULT ''")
        conn.execute("DELETE FROM stepgate_migrations WHERE name = 'p004_events_without_prev_hash'")
        conn.execute(
            "UPDATE events SET prev_hash = before.hash FROM events before"
            " WHERE before.id = events.id - 1"
        )
        conn.restore_guards()
        return
    raw = conn.conn
    _as_before_m009(raw)
    raw.execute("DROP TRIGGER events_insert_only_update")
    raw.execute("ALTER TABLE events ADD COLUMN prev_hash BLOB NOT NULL DEFAULT x''")
    raw.execute(
        "UPDATE events SET prev_hash = before.hash FROM events before"
        " WHERE before.id = events.id - 1"
    )
    raw.execute(
        "CREATE TRIGGER events_insert_only_update BEFORE UPDATE ON events"
        " BEGIN SELECT RAISE(ABORT, 'stepgate events are insert-only'); END"
    )
    raw.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_events_without_prev_hash'")


def _columns(conn: Raw) -> list[str]:
    if conn.postgres:
        sql = (
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = 'events' ORDER BY 1"
        )
    else:
        sql = (  # the table that stores the events: ``events`` until ``m009``
            "SELECT name FROM pragma_table_info((SELECT name FROM sqlite_master"
            " WHERE type = 'table' AND name IN ('events', 'event_bodies'))) ORDER BY 1"
        )
    return [name for (name,) in conn.execute(sql)]


def test_a_record_that_stored_each_previous_hash_is_migrated(
    location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record whose events still carry ``prev_hash`` opens without it: the chain verifies, the
    snapshot is still vouched for and used, and the next commands are chained on."""
    monkeypatch.setattr(_store, "SNAPSHOT_EVERY", 7)
    run = Scenario(sg.open_store(location))
    run.start().close().anchor()
    run.store.close()
    conn = Raw(location)
    _as_before_m007(conn)
    assert "prev_hash" in _columns(conn)
    used: list[tuple[int, object, bytes]] = []
    snapshot = _store.Backend._snapshot
    monkeypatch.setattr(
        _store.Backend, "_snapshot", staticmethod(lambda *a: used.append(snapshot(*a)) or used[-1])
    )
    store = sg.open_store(location)
    assert _columns(conn) == ["body", "hash", "id"]
    loaded = store.load("barnevern-2024", sg.trust_reform(), actor=KO)
    assert loaded.snapshot() == run.inv.snapshot()
    assert used[0][0] == conn.execute("SELECT version FROM snapshots").fetchone()[0] > 1
    loaded.record_fact("etter", "ja")
    report = store.verify()
    assert report.ok, report.breaks
    assert report.events == sum(summary.version for summary in store.summaries())


def test_an_sqlite_event_is_stored_as_its_body_and_hash_and_read_as_before(
    path: pathlib.Path,
) -> None:
    """A record from before ``m009`` opens with its events in ``event_bodies``, a table with no
    generated column, and ``SELECT * FROM events`` gives the same columns and rows as before."""
    run = Scenario(sg.open_store(path))
    run.start().close().anchor()
    run.store.close()
    raw = sqlite3.connect(path, isolation_level=None)
    _as_before_m009(raw)
    before = raw.execute("SELECT * FROM events ORDER BY id")
    names, rows = [d[0] for d in before.description], before.fetchall()
    views = {v: raw.execute(f"SELECT * FROM {v}").fetchall() for v in ("timeline", "decisions")}  # noqa: S608
    store = sg.open_store(path)
    after = raw.execute("SELECT * FROM events ORDER BY id")
    assert [d[0] for d in after.description] == names
    assert after.fetchall() == rows
    assert {v: raw.execute(f"SELECT * FROM {v}").fetchall() for v in views} == views  # noqa: S608
    kinds = raw.execute("SELECT type FROM sqlite_master WHERE name IN ('events', 'event_bodies')")
    assert sorted(kind for (kind,) in kinds) == ["table", "view"]
    stored = raw.execute("SELECT name, hidden FROM pragma_table_xinfo('event_bodies')").fetchall()
    assert stored == [("id", 0), ("body", 0), ("hash", 0)]  # nothing computed on insert
    run.inv = store.load("barnevern-2024", sg.trust_reform(), actor=KO)
    run.inv.record_fact("etter", "ja")
    assert raw.execute("SELECT kind FROM events ORDER BY id DESC LIMIT 1").fetchone() == (
        "fact_recorded",
    )
    report = store.verify()
    assert report.ok, report.breaks


@pytest.mark.parametrize(
    "query",
    [
        "SELECT CAST(body AS BLOB), hash FROM events WHERE id BETWEEN ? AND ? ORDER BY id",
        "SELECT hash FROM events WHERE id = ?",
    ],
)
def test_reading_events_by_place_reads_the_table_itself(path: pathlib.Path, query: str) -> None:
    """A read of ``id``, ``body`` and ``hash`` through the view ``events`` is a search of
    ``event_bodies`` by its key, with nothing read from the body."""
    sg.open_store(path).close()
    raw = sqlite3.connect(path)
    plan = " / ".join(
        row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {query}", [1] * query.count("?"))
    )
    assert plan in {
        "SEARCH event_bodies USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)",
        "SEARCH event_bodies USING INTEGER PRIMARY KEY (rowid=?)",
    }, plan


def test_a_stale_writer_gets_a_conflict_and_writes_nothing(
    file_run: Scenario, location: str
) -> None:
    """Two handles at the same version: the second writer is refused, the log unchanged."""
    first = sg.open_store(location).load("barnevern-2024", sg.trust_reform(), actor=KO)
    second = sg.open_store(location).load("barnevern-2024", sg.trust_reform(), actor=KO)
    first.register_topic("Kommuneadvokat", 2)
    events = first.events
    with pytest.raises(sg.ConcurrencyConflict, match="another writer"):
        second.register_topic("Plan", 2)
    assert second.events == events
    assert second.version == first.version  # the handle reloaded after the conflict
    second.register_topic("Plan", 2)
    assert [e.event.id for e in second.events[-2:]] == ["T1", "T2"]


def test_with_retry_reloads_and_runs_again(file_run: Scenario, location: str) -> None:
    """The retry helper turns a conflict into a second attempt on fresh state."""
    other = sg.open_store(location)
    calls = []

    def action(inv: sg.Investigation) -> str:
        calls.append(inv.version)
        if len(calls) == 1:
            other.load("barnevern-2024", sg.trust_reform(), actor=KO).record_fact("x")
        return inv.register_topic("Innkjøp", 3)

    store = sg.open_store(location)
    assert store.with_retry("barnevern-2024", action, actor=KO) == "T1"
    assert calls[1] == calls[0] + 1


def test_with_retry_in_its_older_form_still_works_and_warns(
    file_run: Scenario, location: str
) -> None:
    """``with_retry(key, process, action)`` runs as before, with a DeprecationWarning that
    names the new form."""
    store = sg.open_store(location)
    with pytest.warns(DeprecationWarning, match=r"with_retry\(key, action, actor=…\)"):
        found = store.with_retry(  # type: ignore[call-overload]
            "barnevern-2024",
            sg.trust_reform(),
            lambda inv: inv.register_topic("Innkjøp", 3),
            actor=KO,
        )
    assert found == "T1"


def test_with_retry_without_a_second_attempt_raises_the_conflict(
    file_run: Scenario, location: str
) -> None:
    """With one attempt, losing to another writer raises ConcurrencyConflict."""
    other = sg.open_store(location)

    def action(inv: sg.Investigation) -> None:
        other.load("barnevern-2024", sg.trust_reform(), actor=KO).record_fact("x")
        inv.record_fact("y")

    with pytest.raises(sg.ConcurrencyConflict):
        sg.open_store(location).with_retry("barnevern-2024", action, actor=KO, attempts=1)


def _race(location: str, mode: str, workers: int = 4, count: int = 100) -> list[dict[str, int]]:
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests._workers",
                "race",
                location,
                "barnevern-2024",
                f"w{w}",
                str(count),
                mode,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(workers)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    return results


def test_eight_processes_with_retry_lose_nothing(file_run: Scenario, location: str) -> None:
    """8 processes x 100 commands with the retry helper: exactly 800 new events, one chain."""
    before = file_run.inv.version
    results = _race(location, "retry", workers=8)
    assert sum(r["done"] for r in results) == 800
    store = sg.open_store(location)
    log = store.load("barnevern-2024", sg.trust_reform()).events
    assert [r.seq for r in log] == list(range(1, before + 801))
    titles = [r.event.title for r in log if r.kind == "topic_registered"]
    assert len(titles) == len(set(titles)) == 800
    assert store.verify().ok


def test_racing_without_retry_the_losers_left_nothing(file_run: Scenario, location: str) -> None:
    """Without the helper, every command either landed once or got ConcurrencyConflict."""
    before = file_run.inv.version
    results = _race(location, "once", count=60)
    done = sum(r["done"] for r in results)
    assert done + sum(r["conflicts"] for r in results) == 240
    store = sg.open_store(location)
    assert store.summary("barnevern-2024").version == before + done
    assert store.verify().ok


def test_a_writer_killed_at_random_moments_leaves_a_sound_file(location: str) -> None:
    """SIGKILL a writer 20 times: the file opens, verifies, and every command is whole."""
    rng = random.Random(20240205)
    for _ in range(20):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests._workers", "forever", location],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        try:
            proc.wait(timeout=rng.uniform(0.01, 0.25))
        except subprocess.TimeoutExpired:
            proc.kill()
        proc.wait()
        store = sg.open_store(location)
        report = store.verify()
        assert report.ok, report.breaks
        conn = Raw(location)
        rows = conn.execute(
            "SELECT i.key, i.version, count(e.id), max(e.seq) FROM investigations i "
            "LEFT JOIN event_log e ON e.investigation = i.key GROUP BY i.key, i.version"
        ).fetchall()
        for key, version, count, last in rows:
            assert version == count == last, key
        conn.close()
        store.close()
    assert len(sg.open_store(location).keys()) > 0


def edit(conn: Raw, seq: int, old: str, new: str) -> None:
    """Replace text in the body of event ``seq`` (of the one investigation)."""
    (event,) = conn.execute("SELECT id FROM event_log WHERE seq = ?", [seq]).fetchone()
    body = conn.execute("SELECT CAST(body AS BLOB) FROM events WHERE id = ?", [event]).fetchone()[0]
    changed = conn.text(body).replace(old, new)
    conn.execute("UPDATE events SET body = ? WHERE id = ?", [conn.body(changed), event])


def renumber(conn: Raw) -> None:
    """Swap what events 5 and 6 say their seq is, leaving each in its place."""
    edit(conn, 5, '"seq":5}', '"seq":-1}')
    edit(conn, 6, '"seq":6}', '"seq":5}')
    edit(conn, -1, '"seq":-1}', '"seq":6}')


def move(conn: Raw) -> None:
    """Swap the places (ids) of events 5 and 6."""
    five = conn.execute("SELECT id FROM event_log WHERE seq = 5").fetchone()[0]
    conn.execute("UPDATE events SET id = -1 WHERE id = ?", [five])
    conn.execute("UPDATE events SET id = ? WHERE id = ?", [five, five + 1])
    conn.execute("UPDATE events SET id = ? WHERE id = -1", [five + 1])


TAMPERS = [
    ("payload-byte", lambda c: edit(c, 1, "Sogn", "Sogm"), 1, "content"),
    ("actor", lambda c: edit(c, 3, '"actor":"sogn-ko"', '"actor":"someone"'), 3, "content"),
    (
        "deleted",
        lambda c: c.execute(
            "DELETE FROM events WHERE id = (SELECT id FROM event_log WHERE seq = 4)"
        ),
        4,
        "event 4 is missing",
    ),
    ("renumbered", renumber, 5, "out of order (event 6 is in its place)"),
    ("moved", move, 5, "out of order (event 6 is in its place)"),
    (
        "deleted-last",
        lambda c: c.execute("DELETE FROM events WHERE id = (SELECT max(id) FROM events)"),
        None,
        "ends at",
    ),
]


@pytest.mark.parametrize(("name", "tamper", "seq", "words"), TAMPERS, ids=[t[0] for t in TAMPERS])
def test_verify_names_the_first_tampered_event(  # noqa: PLR0917 - the parametrised case
    file_run: Scenario,
    location: str,
    name: str,
    tamper: Callable[[Raw], object],
    seq: int | None,
    words: str,
) -> None:
    """An edited, deleted or reordered event is found, with its seq."""
    store = sg.open_store(location)
    assert store.verify().ok
    conn = Raw(location)
    conn.drop_guards()
    tamper(conn)
    report = store.verify()
    assert not report.ok
    (found,) = [b for b in report.breaks if b.part == "chain"]
    assert found.investigation == "barnevern-2024"
    assert found.seq == (file_run.inv.version if seq is None else seq)
    assert words in found.reason
    lifted = {b.reason for b in report.breaks if b.part == "schema"}  # the guards lifted, named
    assert any("insert_only" in reason for reason in lifted)
    assert all(reason.startswith("trigger ") for reason in lifted)


def test_a_log_shorter_than_its_head_is_not_loaded(file_run: Scenario, location: str) -> None:
    """A log that lost its last event does not load as if it were whole."""
    conn = Raw(location)
    conn.drop_guards()
    conn.execute("DELETE FROM events WHERE id = (SELECT max(id) FROM events)")
    with pytest.raises(sg.StoreError, match=f"up to {file_run.inv.version - 1}.*run verify"):
        sg.open_store(location).load("barnevern-2024", sg.trust_reform())


def test_an_investigation_at_the_most_events_an_id_holds_refuses_more(
    file_run: Scenario, location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the last seq an id has room for, a command is refused and nothing is written."""
    monkeypatch.setattr(_store, "LAST_SEQ", file_run.inv.version)
    before = file_run.inv.version
    with pytest.raises(sg.StoreError, match="the most one can"):
        file_run.inv.record_fact("merknad", "ein til", on="2024-03-01")
    assert sg.open_store(location).summary("barnevern-2024").version == before


def test_the_head_hash_is_there_for_the_minutes(file_run: Scenario) -> None:
    """The head hash is the last event's hash and changes with every command."""
    head = file_run.inv.head_hash
    assert len(head) == 64
    assert file_run.store.verify().heads["barnevern-2024"] == head
    file_run.inv.record_fact("protokoll", "ok")
    assert file_run.inv.head_hash != head


def test_a_changed_definition_must_be_migrated_on_purpose(
    file_run: Scenario, location: str
) -> None:
    """Loading with a changed definition fails, unless migrated; the migration is an event."""
    store = sg.open_store(location)
    changed = sg.trust_reform(noted_counts=False)
    with pytest.raises(sg.DefinitionChanged, match="migrate="):
        store.load("barnevern-2024", changed)
    with pytest.raises(sg.NotAllowed):
        store.load(
            "barnevern-2024",
            changed,
            migrate="strengare forankring",
            actor=sg.Actor("vik", municipality="4639"),
        )
    inv = store.load("barnevern-2024", changed, migrate="strengare forankring", actor=KO)
    assert inv.events[-1].kind == "definition_migrated"
    assert inv.events[-1].event.note == "strengare forankring"  # type: ignore[attr-defined]
    assert store.load("barnevern-2024", changed).version == inv.version


def write_m002_file(path: pathlib.Path) -> sg.Store:
    """A file as stepgate 0.1.0 wrote it (schema m001 + m002), and the same record in memory."""
    memory = sg.open_store(clock=sg.FixedClock())
    for key in ("barnevern-2024", "nav-2024"):
        Scenario(memory, key=key).start().close().anchor()
    old = Migrations("stepgate")
    for migration in schema.MIGRATIONS._migrations[:2]:
        old(name=migration.name)(migration.fn)
    db = Database(path)
    old.apply(db)
    for key in reversed(memory.keys()):  # rowids in another order than the keys
        summary = memory.summary(key)
        state = memory.load(key, sg.trust_reform()).state
        db["investigations"].insert(
            {
                "key": key,
                "title": summary.title,
                "service_area": state.service_area,
                "region": state.region.name,
                "process": summary.process,
                "definition_hash": state.definition_hash,
                "state": summary.state,
                "version": summary.version,
                "head_hash": summary.head_hash,
                "created_at": "2024-01-15T09:00:00+00:00",
                "updated_at": summary.updated_at,
            }
        )
        prev = _store.GENESIS
        for recorded in memory.backend.log(key):
            body = _store.event_body(key, recorded).decode()  # a TEXT column, as 0.1.0 wrote
            hashed = _store.chain_hash(body.encode(), prev)
            db.execute(
                "INSERT INTO events (body, prev_hash, hash) VALUES (?, ?, ?)", [body, prev, hashed]
            )
            prev = hashed
    db.conn.commit()
    db.close()
    return memory


def test_a_file_from_before_m003_is_migrated_with_every_event(path: pathlib.Path) -> None:
    """A file written with the m002 schema opens migrated: same events, sound chains, same state."""
    memory = write_m002_file(path)
    store = sg.open_store(path)
    report = store.verify()
    assert report.ok
    keys = memory.keys()
    assert report.events == sum(memory.summary(key).version for key in keys)
    for key in keys:
        assert (
            store.load(key, sg.trust_reform()).snapshot()
            == memory.load(key, sg.trust_reform()).snapshot()
        )
    timeline = raw(path).execute("SELECT count(*) FROM timeline").fetchone()[0]
    assert timeline == report.events


def test_a_file_from_before_m003_opened_read_only_is_refused_untouched(
    path: pathlib.Path,
) -> None:
    """Read-only cannot migrate: the file is refused with the step it lacks, and left as it was."""
    write_m002_file(path)
    before = file_digest(path)
    with pytest.raises(sg.SchemaTooOld, match="m003_events_keyed_by_investigation"):
        sg.open_store(path, read_only=True)
    assert file_digest(path) == before


def test_a_newer_schema_is_refused_untouched(file_run: Scenario, location: str) -> None:
    """A record from a newer stepgate is refused and left as it was."""
    file_run.store.close()
    conn = Raw(location)
    if conn.postgres:
        conn.execute("INSERT INTO stepgate_migrations (name) VALUES ('p999_future')")
        applied = "SELECT count(*) FROM stepgate_migrations"
    else:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('stepgate', 'm999_future', '2030-01-01')"
        )
        applied = "SELECT count(*) FROM _sqlite_migrations"
    before = conn.execute(applied).fetchone()[0], conn.execute("SELECT count(*) FROM events")
    before = (before[0], before[1].fetchone()[0])
    with pytest.raises(sg.SchemaTooNew, match="9_future"):
        sg.open_store(location)
    after = (conn.execute(applied).fetchone()[0], conn.execute("SELECT count(*) FROM events"))
    assert (after[0], after[1].fetchone()[0]) == before


@pytest.mark.parametrize("content", ["other-tables", "not-sqlite"])
def test_a_file_that_is_not_a_stepgate_database_is_refused(
    path: pathlib.Path, content: str
) -> None:
    """Another app's SQLite file, or no SQLite at all, is refused and left alone."""
    if content == "other-tables":
        conn = raw(path)
        conn.execute("CREATE TABLE invoices (id INTEGER)")
        conn.close()
    else:
        path.write_bytes(b"This is a minutes document, not a database.\n" * 100)
    before = file_digest(path)
    with pytest.raises(sg.NotAStepgateDatabase):
        sg.open_store(path)
    assert file_digest(path) == before


def test_a_read_only_store_reads_but_writes_nothing(file_run: Scenario, location: str) -> None:
    """A read-only store loads and verifies; a command is refused cleanly."""
    file_run.store.close()
    before = sg.open_store(location).checkpoint()
    store = sg.open_store(location, read_only=True)
    inv = store.load("barnevern-2024", sg.trust_reform(), actor=KO)
    assert store.verify().ok
    with pytest.raises(sg.StorageUnavailable, match="read-only"):
        inv.record_fact("x")
    assert inv.version == file_run.inv.version
    assert sg.open_store(location).checkpoint() == before


def test_a_full_disk_refuses_the_command_and_corrupts_nothing(path: pathlib.Path) -> None:
    """With a tiny max_page_count, commands fail cleanly once the file is full."""
    run = Scenario(sg.open_store(path))
    run.start()
    db = run.store.backend.db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(sg.StorageUnavailable, match="full"):  # noqa: PT012 - fill it up
        for i in range(10_000):
            run.inv.register_topic(f"Tema {i} " + "x" * 500, 3)
    version = run.inv.version
    store = sg.open_store(path)
    assert store.verify().ok
    assert store.summary("barnevern-2024").version == version


def test_an_unknown_key_is_a_clear_error(file_run: Scenario) -> None:
    """Loading or summarising a key that does not exist says so."""
    with pytest.raises(sg.UnknownInvestigation):
        file_run.store.load("nav-2024", sg.trust_reform())
    with pytest.raises(sg.UnknownInvestigation):
        file_run.store.summary("nav-2024")
    with pytest.raises(sg.UnknownInvestigation):
        file_run.store.backend.log("nav-2024")


def test_summaries_list_the_most_recently_active_first(location: str, clock: sg.FixedClock) -> None:
    """Open investigations come most recent first; concluded and stopped ones can be left out."""
    store = sg.open_store(location, clock=clock)
    for i in range(3):
        clock.advance(days=1)
        Scenario(store, key=f"k{i}")
    clock.advance(days=1)
    store.load("k0", sg.trust_reform(), actor=KO).invite()
    assert [s.key for s in store.summaries()] == ["k0", "k2", "k1"]
    assert [s.key for s in store.summaries(open_only=True, limit=2)] == ["k0", "k2"]
    assert store.keys() == ["k0", "k1", "k2"]
    with sg.open_store(location) as again:
        assert again.summary("k0").state == "mandate"


def test_an_audit_rebuilds_the_state_from_verified_events_only(
    file_run: Scenario, location: str
) -> None:
    """An audit replays the whole chain without the snapshot; a break stops it there."""
    store = sg.open_store(location)
    audit = store.audit("barnevern-2024", sg.trust_reform())
    assert audit.ok
    assert audit.events == file_run.inv.version
    assert audit.state is not None
    assert state_to_dict(audit.state) == file_run.inv.snapshot()
    conn = Raw(location)
    conn.drop_guards()
    edit(conn, 1, "Sogn", "Sogm")
    broken = store.audit("barnevern-2024", sg.trust_reform())
    assert (broken.ok, broken.state, broken.broken.seq if broken.broken else None) == (
        False,
        None,
        1,
    )
    with pytest.raises(sg.UnknownInvestigation):
        store.audit("nav-2024", sg.trust_reform())


@pytest.mark.parametrize("enabled", [True, False])
def test_replays_leave_the_garbage_collector_as_they_found_it(
    file_run: Scenario, location: str, enabled: bool
) -> None:
    """Loading, auditing and verifying pause the collector and give it back as it was."""
    import gc  # noqa: PLC0415 - only this test touches it

    store = sg.open_store(location)
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        store.load("barnevern-2024", sg.trust_reform())
        store.audit("barnevern-2024", sg.trust_reform())
        store.verify()
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_a_writer_keeps_working_after_many_conflicts(file_run: Scenario, location: str) -> None:
    """Ten conflicts in a row on one connection; then its commands go through, nothing behind."""
    store = sg.open_store(location)
    other = sg.open_store(location).load("barnevern-2024", sg.trust_reform(), actor=KO)
    for i in range(10):
        copy = store.load("barnevern-2024", sg.trust_reform(), actor=KO)
        other.record_fact(f"fyrst-{i}", "ja")
        with pytest.raises(sg.ConcurrencyConflict):
            copy.record_fact(f"sein-{i}", "nei")
    inv = store.load("barnevern-2024", sg.trust_reform(), actor=KO)
    for i in range(10):
        inv.record_fact(f"etterpå-{i}", "ja")
    report = store.verify()
    assert report.ok, report.breaks
    assert store.summary("barnevern-2024").version == file_run.inv.version + 20
