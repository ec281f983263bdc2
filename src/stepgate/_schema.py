"""The SQLite schema, as ``sqlite_utils.Migrations``: plain tables and readable views.

``investigations`` holds one row per investigation (key, process, definition
hash, lifecycle state, version, head hash); ``events`` is the insert-only log:
each event is one canonical JSON ``body`` with its hash chain, and the columns
people query (investigation, seq, kind, actor, dates, payload) are generated
from the body, so they can never disagree with what the hash covers;
``snapshots`` holds a recent state per investigation so loading replays only
the tail. The views ``timeline``, ``decisions`` and
``participants`` read the log with plain SQL, so ``sqlite3`` or Datasette show
the record without stepgate.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("stepgate")
"""The schema's history. Never edit an applied migration: add a new one."""


@MIGRATIONS()
def m001_tables(db: Database) -> None:
    """The three tables, their keys and indexes, and the insert-only guards."""
    db.execute(
        """
        CREATE TABLE investigations (
            key TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            service_area TEXT NOT NULL,
            region TEXT NOT NULL,
            process TEXT NOT NULL,
            definition_hash TEXT NOT NULL,
            state TEXT NOT NULL,
            version INTEGER NOT NULL,
            head_hash TEXT NOT NULL,
            snapshot_version INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            body TEXT NOT NULL,
            prev_hash BLOB NOT NULL,
            hash BLOB NOT NULL,
            investigation TEXT GENERATED ALWAYS AS (json_extract(body, '$.investigation')),
            seq INTEGER GENERATED ALWAYS AS (json_extract(body, '$.seq')),
            kind TEXT GENERATED ALWAYS AS (json_extract(body, '$.kind')),
            actor TEXT GENERATED ALWAYS AS (json_extract(body, '$.actor')),
            on_date TEXT GENERATED ALWAYS AS (json_extract(body, '$.data.on')),
            recorded_at TEXT GENERATED ALWAYS AS (json_extract(body, '$.at')),
            public INTEGER GENERATED ALWAYS AS (json_extract(body, '$.data.exemption') IS NULL),
            payload TEXT GENERATED ALWAYS AS (json_extract(body, '$.data'))
        )"""
    )
    db.execute("CREATE UNIQUE INDEX events_by_seq ON events (investigation, seq)")
    db.execute(
        """
        CREATE TABLE snapshots (
            investigation TEXT PRIMARY KEY REFERENCES investigations(key),
            version INTEGER NOT NULL,
            state BLOB NOT NULL
        )"""
    )
    db.execute("CREATE INDEX investigations_by_activity ON investigations (updated_at, key)")
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"""
            CREATE TRIGGER events_insert_only_{verb.lower()} BEFORE {verb} ON events
            BEGIN SELECT RAISE(ABORT, 'stepgate events are insert-only'); END"""
        )


@MIGRATIONS()
def m002_views(db: Database) -> None:
    """Views that read the record without stepgate."""
    db.create_view(
        "timeline",
        """
        SELECT investigation, seq, on_date, kind, actor,
               json_extract(payload, '$.municipality') AS municipality,
               json_extract(payload, '$.step') AS step,
               json_extract(payload, '$.outcome') AS outcome,
               CASE public WHEN 1 THEN 'public'
                    ELSE 'exempt: ' || json_extract(payload, '$.exemption') END AS access,
               recorded_at, lower(hex(hash)) AS hash
        FROM events ORDER BY investigation, seq""",
    )
    db.create_view(
        "decisions",
        """
        SELECT investigation, seq, on_date, kind,
               json_extract(payload, '$.municipality') AS municipality,
               json_extract(payload, '$.step') AS step,
               COALESCE(json_extract(payload, '$.body'),
                        CASE kind WHEN 'steering_group_decided' THEN 'styringsgruppe'
                                  WHEN 'council_decided' THEN 'kommunestyre' END) AS body,
               COALESCE(json_extract(payload, '$.outcome'), 'opted_out') AS outcome,
               json_extract(payload, '$.case_ref') AS case_ref,
               json_extract(payload, '$.exemption') AS exemption,
               public
        FROM events
        WHERE kind IN ('mandate_anchored', 'step_anchored', 'steering_group_decided',
                       'council_decided', 'opted_out')
        ORDER BY investigation, seq""",
    )
    db.create_view(
        "participants",
        """
        SELECT investigation, municipality,
               CASE kind WHEN 'opted_out' THEN 'opted_out' ELSE 'participant' END AS status,
               on_date AS since
        FROM (
            SELECT investigation, kind, on_date,
                   json_extract(payload, '$.municipality') AS municipality,
                   ROW_NUMBER() OVER (
                       PARTITION BY investigation, json_extract(payload, '$.municipality')
                       ORDER BY seq DESC) AS latest
            FROM events
            WHERE kind = 'opted_out'
               OR (kind = 'mandate_anchored' AND json_extract(payload, '$.counts'))
        )
        WHERE latest = 1
        ORDER BY investigation, municipality""",
    )


@MIGRATIONS()
def m003_events_keyed_by_investigation(db: Database) -> None:
    """Key each event by its place: ``id = (investigation number << 32) | seq``.

    The rowid B-tree then keeps each investigation's events together and in
    order: loading reads one range, and appending an event writes one B-tree
    instead of a table and the ``UNIQUE (investigation, seq)`` index (a taken
    ``id`` is now the guard that index was). Investigations get a ``number``
    for it. Hashes do not cover ``id``, so every event moves as it is. The
    views name ``events`` and keep working (SQLite's table-rebuild procedure).
    """
    db.execute("ALTER TABLE investigations ADD COLUMN number INTEGER")
    db.execute("UPDATE investigations SET number = rowid")
    db.execute("CREATE UNIQUE INDEX investigations_by_number ON investigations (number)")
    db.execute(
        """
        CREATE TABLE events_m003 (
            id INTEGER PRIMARY KEY,
            body TEXT NOT NULL,
            prev_hash BLOB NOT NULL,
            hash BLOB NOT NULL,
            investigation TEXT GENERATED ALWAYS AS (json_extract(body, '$.investigation')),
            seq INTEGER GENERATED ALWAYS AS (json_extract(body, '$.seq')),
            kind TEXT GENERATED ALWAYS AS (json_extract(body, '$.kind')),
            actor TEXT GENERATED ALWAYS AS (json_extract(body, '$.actor')),
            on_date TEXT GENERATED ALWAYS AS (json_extract(body, '$.data.on')),
            recorded_at TEXT GENERATED ALWAYS AS (json_extract(body, '$.at')),
            public INTEGER GENERATED ALWAYS AS (json_extract(body, '$.data.exemption') IS NULL),
            payload TEXT GENERATED ALWAYS AS (json_extract(body, '$.data'))
        )"""
    )
    db.execute(
        """
        INSERT INTO events_m003 (id, body, prev_hash, hash)
        SELECT (i.number << 32) | e.seq, e.body, e.prev_hash, e.hash
        FROM events e JOIN investigations i ON i.key = e.investigation
        ORDER BY i.number, e.seq"""
    )
    db.execute("DROP TABLE events")  # its index and triggers go with it
    db.execute("PRAGMA legacy_alter_table = ON")  # leave the views' text as it is
    db.execute("ALTER TABLE events_m003 RENAME TO events")
    db.execute("PRAGMA legacy_alter_table = OFF")
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"""
            CREATE TRIGGER events_insert_only_{verb.lower()} BEFORE {verb} ON events
            BEGIN SELECT RAISE(ABORT, 'stepgate events are insert-only'); END"""
        )
