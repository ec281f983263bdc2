"""What only the PostgreSQL store has: URLs shown without secrets, its errors, its guards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

import stepgate as sg
from stepgate.store import audit as _audit
from stepgate.store import verify as _verify
from stepgate.store.locations import is_url, shown
from stepgate.store.postgres import PgConn
from stepgate.testing import Scenario
from tests._db import Raw, fresh_schema_url


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        (
            "postgresql://u:hemmeleg@db.kommune.no:5433/saker",
            "postgresql://u@db.kommune.no:5433/saker",
        ),
        ("postgres://db/saker", "postgres://db/saker"),
        (
            "postgresql://stepgate@/saker?host=/run/pg&options=-csearch_path%3Dstepgate",
            "postgresql://stepgate@[/run/pg]/saker (schema stepgate)",
        ),
        ("arkiv/sogn.db", "arkiv/sogn.db"),
    ],
)
def test_a_location_is_shown_without_its_password(location: str, expected: str) -> None:
    """Messages name the store; a URL's password never appears."""
    assert shown(location) == expected
    assert is_url(location) == location.startswith("postgres")


def test_a_server_that_cannot_be_reached_is_one_line_without_secrets() -> None:
    """No server there: StorageUnavailable, one line, no password, in both languages."""
    url = "postgresql://kommune:hemmeleg@127.0.0.1:1/saker?connect_timeout=3"
    with pytest.raises(sg.StorageUnavailable) as caught:
        sg.open_store(url)
    for lang in ("en", "nn"):
        said = caught.value.message(lang)
        assert "hemmeleg" not in said
        assert len(said.splitlines()) == 1
        assert "postgresql://kommune@127.0.0.1:1/saker" in said


@pytest.fixture
def url() -> Iterator[str]:
    """A PostgreSQL schema of its own (skips without a server, fails in CI)."""
    yield from fresh_schema_url()


def test_a_read_only_store_reads_and_refuses_commands(url: str, clock: sg.FixedClock) -> None:
    """read_only=True: loads and verifies; a command is refused, nothing written."""
    run = Scenario(sg.open_store(url, clock=clock)).start()
    store = sg.open_store(url, read_only=True)
    inv = store.load("barnevern-2024", actor=run.inv.actor)
    assert store.verify().ok
    with pytest.raises(sg.StorageUnavailable, match="read-only"):
        inv.record_fact("x", "y")
    assert sg.open_store(url).summary("barnevern-2024").version == run.inv.version


def test_an_empty_schema_is_no_record_when_read(url: str) -> None:
    """Opened read-only, a schema without stepgate's tables is refused, and stays empty."""
    with pytest.raises(sg.NotAStepgateDatabase, match="holds no stepgate record"):
        sg.open_store(url, read_only=True)
    tables = Raw(url).execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
    )
    assert tables.fetchone()[0] == 0


def test_a_host_table_of_the_same_name_is_left_alone(url: str) -> None:
    """A schema with an 'investigations' table of another app is refused, not taken over."""
    Raw(url).execute("CREATE TABLE investigations (id integer)")
    with pytest.raises(sg.NotAStepgateDatabase, match="tables named like stepgate's"):
        sg.open_store(url)


@pytest.mark.parametrize(
    ("attack", "words"),
    [
        ("ALTER TABLE ledger DISABLE TRIGGER ledger_insert_only", "ledger_insert_only is disabled"),
        ("DROP TRIGGER events_no_truncate ON events", "events_no_truncate is missing"),
        (
            "CREATE OR REPLACE FUNCTION stepgate_insert_only() RETURNS trigger"
            " LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            "function stepgate_insert_only was changed",
        ),
        (
            "CREATE TRIGGER quiet BEFORE INSERT ON ledger"
            " FOR EACH ROW EXECUTE FUNCTION stepgate_insert_only()",
            "trigger quiet was not made by stepgate",
        ),
        (
            "CREATE OR REPLACE FUNCTION stepgate_commit(lock bigint, commit_key text,"
            " expected bigint, last_event bigint, event_count bigint, head bytea,"
            " new_state text, new_version bigint, new_head text, new_updated_at text,"
            " new_definition_hash text, new_snapshot_version bigint) RETURNS bigint"
            " LANGUAGE plpgsql AS $$ BEGIN RETURN 0; END $$",
            "function stepgate_commit was changed",
        ),
        ("DROP VIEW participants", "view participants is missing"),
        (
            "CREATE OR REPLACE VIEW commits AS SELECT l.position, i.key AS investigation,"
            " l.event & 4294967295 AS seq, 'ok'::text AS ledger_hash"
            " FROM ledger l LEFT JOIN investigations i ON i.number = l.event >> 32",
            "view commits was changed",
        ),
    ],
)
def test_verify_names_a_changed_guard_function_or_view(
    url: str, clock: sg.FixedClock, attack: str, words: str
) -> None:
    """The guards, their function and the views are compared with what stepgate makes."""
    Scenario(sg.open_store(url, clock=clock)).start()
    assert sg.open_store(url).verify().ok
    Raw(url).execute(attack)
    report = sg.open_store(url, read_only=True).verify()
    assert [b.part for b in report.breaks] == ["schema"]
    assert words in report.breaks[0].reason


def test_the_most_recent_open_are_read_without_a_scan_after_years_of_commands(url: str) -> None:
    """10 000 investigations each moved 20 times while open, then 99 % closed: after ``VACUUM
    ANALYZE`` the 50 most recently active open ones are found through the table of open ones,
    never by reading every investigation (B6bp's plan)."""
    from stepgate.store.postgres import PostgresBackend  # noqa: PLC0415 - its query

    sg.open_store(url).close()
    raw = Raw(url)
    raw.conn.execute(
        "INSERT INTO investigations (key, number, title, service_area, region, process,"
        " definition_hash, state, version, head_hash, created_at, updated_at, snapshot_version,"
        " position)"
        " SELECT 'utgreiing-' || g, g, 'Utgreiing ' || g, 'barnevern', 'Sogn', 'trust-reform',"
        " '8d592da1aa04fee3', 'insight', 100, repeat('ab', 32), '2024-01-15T09:00:00+00:00',"
        " '2024-01-15T09:00:00+00:00', 0, g FROM generate_series(1, 10000) g"
    )
    for moved in range(1, 21):  # every command moves the row: its updated_at, its state
        raw.conn.execute(
            "UPDATE investigations SET updated_at = to_char(timestamp '2024-01-15 09:00'"
            " + (number * 20 + %s) * interval '1 minute', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"'),"
            " state = CASE WHEN %s = 20 AND number %% 100 <> 0 THEN 'stopped' ELSE state END",
            [moved, moved],
        )
    raw.conn.execute("VACUUM ANALYZE investigations")
    raw.conn.execute("VACUUM ANALYZE open_investigations")
    plan = "\n".join(
        row[0] for row in raw.conn.execute(f"EXPLAIN {PostgresBackend.open_summaries} LIMIT 50")
    )
    raw.close()
    assert "Seq Scan on investigations" not in plan, plan
    assert "open_investigations" in plan
    store = sg.open_store(url, read_only=True)
    recent = store.summaries(open_only=True, limit=50)
    assert len(recent) == 50
    assert [s.key for s in recent[:2]] == ["utgreiing-10000", "utgreiing-9900"]
    assert {s.state for s in recent} == {"insight"}


def test_the_table_of_open_ones_is_kept_and_checked(url: str, clock: sg.FixedClock) -> None:
    """Triggers keep ``open_investigations`` as investigations open and end; verify names an
    edited table (a missing open one) and a dropped trigger."""
    store = sg.open_store(url, clock=clock)
    run = Scenario(store).start().to_decision()
    Scenario(store, key="nav-2024", title="NAV").start()
    run.inv.steering_decision("stop")
    assert [s.key for s in store.summaries(open_only=True)] == ["nav-2024"]
    assert store.verify().ok
    raw = Raw(url)
    raw.conn.execute("DELETE FROM open_investigations")
    raw.conn.execute("DROP TRIGGER investigations_open_state ON investigations")
    raw.close()
    found = store.verify()
    assert ("nav-2024", "row") in {(b.investigation, b.part) for b in found.breaks}
    assert any("investigations_open_state is missing" in b.reason for b in found.breaks)


def test_a_command_writes_its_events_before_it_waits_for_the_commit_order(
    url: str, clock: sg.FixedClock
) -> None:
    """While another transaction holds the commit-order lock, a command has written its
    events already (it holds its lock on ``events``) and waits only to order its commit;
    once the lock is free it commits in order."""
    import threading  # noqa: PLC0415 - only here

    run = Scenario(sg.open_store(url, clock=clock))
    run.start()
    store = run.store
    holder = psycopg.connect(url)
    holder.execute("SELECT pg_advisory_xact_lock(%s)", [store.backend._ledger_key])
    position = store.checkpoint().position
    done = threading.Thread(target=lambda: run.inv.record_fact("venta", "ja"))
    done.start()
    with psycopg.connect(url, autocommit=True) as watcher:
        for _ in range(200):  # until the command waits for the lock
            waiting = watcher.execute(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            ).fetchall()
            if waiting:
                break
            threading.Event().wait(0.02)
        assert len(waiting) == 1
        held = watcher.execute(
            "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE l.pid = %s AND l.granted AND l.mode = 'RowExclusiveLock'",
            [waiting[0][0]],
        ).fetchall()
    assert "events" in {name for (name,) in held}  # written before the wait
    assert store.checkpoint().position == position  # nothing of it is committed yet
    holder.rollback()
    done.join(timeout=30)
    assert store.checkpoint().position == position + 1
    assert sg.open_store(url).verify().ok
    holder.close()


@pytest.mark.parametrize("chain_only", [False, True])
def test_a_verify_reads_many_investigations_in_one_round_trip(
    url: str, clock: sg.FixedClock, monkeypatch: pytest.MonkeyPatch, chain_only: bool
) -> None:
    """What a verify reads for each investigation travels with the others' in one pipeline,
    ``AHEAD_ROWS`` investigations at a time: the statements it sends one by one do not grow
    with the investigations, and it finds what it found before."""
    monkeypatch.setattr(_verify, "AHEAD_ROWS", 4)
    sent: dict[str, int] = {"one": 0, "together": 0}
    one, together = PgConn.execute, PgConn.reads

    def counted_one(conn: PgConn, sql: str, params: Any = None) -> Any:
        sent["one"] += 1
        return one(conn, sql, params)

    def counted_together(conn: PgConn, statements: list[tuple[str, Any]]) -> Any:
        sent["together"] += 1
        return together(conn, statements)

    store = sg.open_store(url, clock=clock)
    counts = []
    for n in range(12):
        Scenario(store, key=f"utgreiing-{n}").start()
        if n + 1 in (3, 12):
            monkeypatch.setattr(PgConn, "execute", counted_one)
            monkeypatch.setattr(PgConn, "reads", counted_together)
            assert store.verify(jobs=1, chain_only=chain_only).ok
            monkeypatch.setattr(PgConn, "execute", one)
            monkeypatch.setattr(PgConn, "reads", together)
            counts.append(dict(sent))
            sent.update(one=0, together=0)
    assert counts[0]["one"] == counts[1]["one"]
    assert [c["together"] for c in counts] == [1, 3]
    store.close()


@pytest.mark.parametrize("tampered", [False, True])
@pytest.mark.parametrize("chain_only", [False, True])
def test_a_verify_holds_no_more_rows_than_its_bound_however_large_the_record(
    url: str,
    clock: sg.FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    chain_only: bool,
    tampered: bool,
) -> None:
    """No result a verify holds in the client has more than ``HELD_AT_MOST`` rows: larger reads
    (an investigation's events, the store's events and ledger) stream through a server-side
    cursor, and the verify finds what it finds with every read held whole."""
    store = sg.open_store(url, clock=clock)
    run = Scenario(store, key="stor").start()
    for n in range(60):
        run.inv.record_fact(f"fakta-{n}", "ja")
    for n in range(3):
        Scenario(store, key=f"lita-{n}").start()
    if tampered:
        raw = Raw(url)
        raw.drop_guards()
        (number,) = raw.execute("SELECT number FROM investigations WHERE key = 'stor'").fetchone()
        event = number << 32 | 40
        (body,) = raw.execute("SELECT body FROM events WHERE id = ?", [event]).fetchone()
        edited = raw.text(body).replace("fakta-37", "fakta-73")
        raw.execute("UPDATE events SET body = ? WHERE id = ?", [raw.body(edited), event])
        raw.close()
    whole = store.verify(jobs=1, chain_only=chain_only)
    assert whole.ok is not tampered

    most, held = 30, []
    monkeypatch.setattr(_audit, "HELD_AT_MOST", most)
    monkeypatch.setattr(_audit, "FETCH_AT_ONCE", 8)
    one, together = PgConn.execute, PgConn.reads
    taken = psycopg.ServerCursor.fetchmany

    def counted_one(conn: PgConn, sql: str, params: Any = None) -> Any:
        cursor = one(conn, sql, params)
        if cursor is not None and cursor.pgresult is not None:
            held.append((cursor.pgresult.ntuples, sql))
        return cursor

    def counted_together(conn: PgConn, statements: list[tuple[str, Any]]) -> Any:
        cursors = together(conn, statements)
        held.extend(
            (c.pgresult.ntuples, sql) for c, (sql, _) in zip(cursors, statements, strict=True)
        )
        return cursors

    def counted_taken(cursor: Any, size: int = 0) -> Any:
        rows = taken(cursor, size)
        held.append((len(rows), "FETCH"))
        return rows

    monkeypatch.setattr(PgConn, "execute", counted_one)
    monkeypatch.setattr(PgConn, "reads", counted_together)
    monkeypatch.setattr(psycopg.ServerCursor, "fetchmany", counted_taken)
    bounded = store.verify(jobs=1, chain_only=chain_only)
    assert bounded.breaks == whole.breaks
    assert bounded.heads == whole.heads
    assert max(n for n, _ in held) <= most, max(held)
    assert any(sql == "FETCH" and n == 8 for n, sql in held)  # streamed, not read whole
    store.close()
