"""The SQLite schema, as ``sqlite_utils.Migrations``: plain tables and readable views.

``investigations`` holds one row per investigation (key, process, definition
hash, lifecycle state, version, head hash); ``event_bodies`` is the insert-only
log: each event is one canonical JSON ``body`` with its hash chain, keyed by its
place; the view ``events`` adds the columns people query (investigation, seq,
kind, actor, dates, payload), read from the body, so they can never disagree
with what the hash covers;
``snapshots`` holds a recent state per investigation so loading replays only
the tail. The views ``event_log``, ``timeline``, ``decisions``, ``participants``
and ``commits`` read the log with plain SQL (the same views as PostgreSQL's),
so ``sqlite3`` or Datasette show the record without stepgate.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from stepgate.store.record import ledger_hash

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


@MIGRATIONS()
def m004_ledger(db: Database) -> None:
    """A store-wide ledger; snapshots bound to the chain; who acted as whom.

    ``ledger`` gets one row per commit: the store-wide ``position`` of its last
    event (events counted in commit order, with no gaps), that event's ``id``,
    and ``hash = sha256(previous ledger hash || position as 8 bytes || event hash)``.
    Records from before get one row per event, in the order they were recorded.
    A snapshot is now vouched for by the chain: the event it is taken at carries
    the sha256 of the snapshot's state in its envelope. Snapshots also say their
    layout. Old ones (a cache without that binding) are dropped and written anew.
    ``acting_for`` is generated from the envelope: ``secretariat`` or a kommunenummer.
    """
    db.execute(
        """
        CREATE TABLE ledger (
            position INTEGER PRIMARY KEY,
            event INTEGER NOT NULL,
            hash BLOB NOT NULL
        )"""
    )
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"""
            CREATE TRIGGER ledger_insert_only_{verb.lower()} BEFORE {verb} ON ledger
            BEGIN SELECT RAISE(ABORT, 'the stepgate ledger is insert-only'); END"""
        )
    db.execute("ALTER TABLE investigations ADD COLUMN position INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "ALTER TABLE events ADD COLUMN acting_for TEXT"
        " GENERATED ALWAYS AS (json_extract(body, '$.acting_for')) VIRTUAL"
    )
    db.execute("DROP TABLE snapshots")
    db.execute(
        """
        CREATE TABLE snapshots (
            investigation TEXT PRIMARY KEY REFERENCES investigations(key),
            version INTEGER NOT NULL,
            format INTEGER NOT NULL,
            state BLOB NOT NULL
        )"""
    )
    db.execute("UPDATE investigations SET snapshot_version = 0")
    _backfill_ledger(db)
    for view in ("timeline", "decisions"):
        db.execute(f"DROP VIEW {view}")
    _views_m004(db)


def _backfill_ledger(db: Database) -> None:
    """One ledger row per existing event, in the order they were recorded."""
    prev, last = b"", {}
    rows = db.execute("SELECT id, hash FROM events ORDER BY recorded_at, id >> 32, id").fetchall()
    for position, (event, hashed) in enumerate(rows, start=1):
        prev = ledger_hash(prev, position, hashed)
        db.execute("INSERT INTO ledger VALUES (?, ?, ?)", [position, event, prev])
        last[event >> 32] = position
    for number, at in last.items():
        db.execute("UPDATE investigations SET position = ? WHERE number = ?", [at, number])


def _views_m004(db: Database) -> None:
    """``timeline`` and ``decisions`` with who recorded each row; ``commits`` for the ledger."""
    db.create_view(
        "timeline",
        """
        SELECT investigation, seq, on_date, kind, actor, acting_for,
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
               public, actor AS recorded_by, acting_for
        FROM events
        WHERE kind IN ('mandate_anchored', 'step_anchored', 'steering_group_decided',
                       'council_decided', 'opted_out')
        ORDER BY investigation, seq""",
    )
    db.create_view(
        "commits",
        """
        SELECT l.position, i.key AS investigation, l.event & 4294967295 AS seq,
               lower(hex(l.hash)) AS ledger_hash
        FROM ledger l LEFT JOIN investigations i ON i.number = l.event >> 32
        ORDER BY l.position""",
    )


@MIGRATIONS()
def m005_event_log(db: Database) -> None:
    """``event_log``: the events as people query them, the same view as on PostgreSQL."""
    db.create_view(
        "event_log",
        """
        SELECT id, investigation, seq, kind, actor, acting_for, on_date, recorded_at,
               public, payload, hash
        FROM events""",
    )


@MIGRATIONS()
def m006_open_investigations(db: Database) -> None:
    """A partial index of the open investigations, most recently active first.

    "The 50 most recently active open ones" then reads 50 index entries, however
    many investigations are closed (issue 14, B6b).
    """
    db.execute(
        "CREATE INDEX investigations_open ON investigations (updated_at DESC, key DESC)"
        " WHERE state NOT IN ('concluded', 'stopped')"
    )


@MIGRATIONS()
def m007_events_without_prev_hash(db: Database) -> None:
    """Drop ``events.prev_hash``: it is the hash of the event before, which is stored there.

    The chain checks ``hash = sha256(body || previous event's hash)`` as before,
    reading the previous hash from the row before it; a copy of it in every row
    cost 33 bytes per event (issue 14, B6c). SQLite rewrites the rows once
    (about 0.25 s per 100 000 events); the file shrinks only with ``VACUUM``.
    """
    db.execute("ALTER TABLE events DROP COLUMN prev_hash")


@MIGRATIONS()
def m008_documents(db: Database) -> None:
    """Documents' bytes, once per content, in 1 MiB chunks; both tables insert-only.

    ``documents`` has a row per content (its SHA-256 in hex, its size, how many
    chunks); ``document_chunks`` the bytes. The events say which document is
    filed where: the view ``case_file`` lists them with their investigation,
    place in the log, title, kind, file name, media type, size and screening.
    ``decisions`` also shows each position's registry entry and meeting item.
    """
    db.execute(
        """
        CREATE TABLE documents (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            chunks INTEGER NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE document_chunks (
            document TEXT NOT NULL,
            n INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (document, n)
        )"""
    )
    for table in ("documents", "document_chunks"):
        for verb in ("UPDATE", "DELETE"):
            db.execute(
                f"""
                CREATE TRIGGER {table}_insert_only_{verb.lower()} BEFORE {verb} ON {table}
                BEGIN SELECT RAISE(ABORT, 'stepgate documents are insert-only'); END"""
            )
    db.execute("DROP VIEW decisions")
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
               public, actor AS recorded_by, acting_for,
               json_extract(payload, '$.registry_entry.year') || '/'
                   || json_extract(payload, '$.registry_entry.sequence') || '-'
                   || json_extract(payload, '$.registry_entry.number') AS registry_entry,
               json_extract(payload, '$.meeting.item') AS meeting_item,
               json_extract(payload, '$.meeting.on') AS meeting_on
        FROM events
        WHERE kind IN ('mandate_anchored', 'step_anchored', 'steering_group_decided',
                       'council_decided', 'opted_out')
        ORDER BY investigation, seq""",
    )
    db.create_view(
        "case_file",
        """
        SELECT e.investigation, e.seq, e.on_date, e.kind AS filed_with,
               json_extract(d.value, '$.sha256') AS sha256,
               json_extract(d.value, '$.title') AS title,
               json_extract(d.value, '$.kind') AS kind,
               json_extract(d.value, '$.filename') AS filename,
               json_extract(d.value, '$.media_type') AS media_type,
               json_extract(d.value, '$.size') AS size,
               json_extract(d.value, '$.exemption') AS exemption,
               json_extract(d.value, '$.replaces') AS replaces
        FROM events e, json_each(e.payload, '$.documents') d
        ORDER BY e.investigation, e.seq""",
    )


EVENT_COLUMNS = (
    ("investigation", "json_extract(body, '$.investigation')"),
    ("seq", "json_extract(body, '$.seq')"),
    ("kind", "json_extract(body, '$.kind')"),
    ("actor", "json_extract(body, '$.actor')"),
    ("on_date", "json_extract(body, '$.data.on')"),
    ("recorded_at", "json_extract(body, '$.at')"),
    ("public", "json_extract(body, '$.data.exemption') IS NULL"),
    ("payload", "json_extract(body, '$.data')"),
    ("acting_for", "json_extract(body, '$.acting_for')"),
)
"""The columns of ``events`` read from the body (generated columns until ``m009``), in order."""


@MIGRATIONS()
def m009_event_bodies(db: Database) -> None:
    """Store each event as ``event_bodies (id, body, hash)``; ``events`` becomes a view.

    SQLite computes every generated column of a row as it is inserted, even the
    virtual ones no index needs: nine ``json_extract`` calls, more than half of an
    event's insert (issue 23). The stored row now holds only what the hash covers
    and where it stands. The view ``events`` has the columns the table had, in the
    same order, read from the body only when a query asks for them, so
    ``SELECT … FROM events`` and every view built on it read as before; a query of
    ``id``, ``body`` and ``hash`` reads the table itself. The rows are copied once
    (about 0.3 s per 100 000 events).
    """
    db.execute(
        "CREATE TABLE event_bodies (id INTEGER PRIMARY KEY, body TEXT NOT NULL, hash BLOB NOT NULL)"
    )
    db.execute("INSERT INTO event_bodies (id, body, hash) SELECT id, body, hash FROM events")
    db.execute("DROP TABLE events")  # its triggers go with it; the views name ``events`` still
    columns = ", ".join(f"{read} AS {name}" for name, read in EVENT_COLUMNS)
    db.execute(f"CREATE VIEW events AS SELECT id, body, hash, {columns} FROM event_bodies")  # noqa: S608 - our constants
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"""
            CREATE TRIGGER event_bodies_insert_only_{verb.lower()} BEFORE {verb} ON event_bodies
            BEGIN SELECT RAISE(ABORT, 'stepgate events are insert-only'); END"""
        )


def fresh_schema() -> sqlite3.Connection:
    """A new in-memory database with every migration applied: the schema as stepgate makes it."""
    db = Database(sqlite3.connect(":memory:"), recursive_triggers=False, execute_plugins=False)
    MIGRATIONS.apply(db)
    return db.conn
