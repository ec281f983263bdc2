"""The PostgreSQL schema: the same tables, guards and views as SQLite's, in PostgreSQL's words.

Migrations are numbered and recorded in ``stepgate_migrations``, as SQLite's
are in ``_sqlite_migrations``; each runs once, in one transaction, under an
advisory lock so that several app servers starting together migrate once.
The tables live in the connection's current schema (``search_path``), so one
database may hold several stores side by side, and a host app's own tables.

``events.body`` is ``bytea``: the exact UTF-8 bytes the hash covers, and the
table holds nothing else (its place, the body and the two hashes), as cheap to
append as a table can be. The columns people query (investigation, seq, kind,
…) are read from the body by the view ``event_log`` — as SQLite's generated
columns are, on reading — with ``stepgate_doc``, which reads the body as JSON
(declared immutable: the same bytes always give the same document). Events
and the ledger are insert-only: a trigger refuses ``UPDATE``, ``DELETE`` and
``TRUNCATE``. The views ``event_log``, ``timeline``, ``decisions``,
``participants`` and ``commits`` show the record in ``psql`` without stepgate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stepgate.store.record import ledger_hash_sql

DOC_FUNCTION = "SELECT convert_from(body, 'UTF8')::jsonb"
"""The body of ``stepgate_doc(body bytea)``: the event's JSON document."""

GUARD_FUNCTION = (
    " BEGIN RAISE EXCEPTION 'stepgate % are insert-only', TG_TABLE_NAME"
    " USING ERRCODE = 'restrict_violation'; END "
)
"""The body of ``stepgate_insert_only()``, the trigger function of the guards."""

MOVED_FUNCTION = (
    " BEGIN IF moved <> 1 THEN RAISE EXCEPTION 'another writer moved % first; reload and retry',"
    " key USING ERRCODE = 'serialization_failure'; END IF; RETURN moved; END "
)
"""The body of ``stepgate_moved(moved, key)``: a command whose row did not move is refused."""

OPEN_FUNCTION = (
    " BEGIN IF NEW.state IN ('concluded', 'stopped') THEN"
    " DELETE FROM open_investigations WHERE number = NEW.number;"
    " ELSE INSERT INTO open_investigations (number) VALUES (NEW.number) ON CONFLICT DO NOTHING;"
    " END IF; RETURN NULL; END "
)
"""The body of ``stepgate_open()``: an investigation is listed as open until it ends."""

_BEFORE = "COALESCE(chained, ''::bytea)"  # the ledger's last hash; none before the first row
COMMIT_FUNCTION = (
    " DECLARE at bigint; chained bytea;"  # noqa: S608 - our own SQL
    " BEGIN"
    " PERFORM pg_advisory_xact_lock(lock);"
    " SELECT l.position, l.hash INTO at, chained FROM ledger l ORDER BY l.position DESC LIMIT 1;"
    " at := COALESCE(at, 0) + event_count;"
    " INSERT INTO ledger (position, event, hash)"
    f" VALUES (at, last_event, {ledger_hash_sql(_BEFORE, 'at', 'head')});"
    " UPDATE investigations SET state = new_state, version = new_version, head_hash = new_head,"
    " updated_at = new_updated_at, definition_hash = new_definition_hash,"
    " snapshot_version = new_snapshot_version, position = at"
    " WHERE key = commit_key AND version = expected;"
    " IF NOT FOUND THEN"
    " RAISE EXCEPTION 'another writer moved % first; reload and retry', commit_key"
    " USING ERRCODE = 'serialization_failure';"
    " END IF;"
    " RETURN at; END "
)
"""The body of ``stepgate_commit(…)``: a command's ledger row and row, under the commit lock.

It takes the commit-order lock, reads the ledger's head (a statement of its own,
so it sees the commit before), appends the ledger's next row and moves the
investigation's row if it is still at ``expected`` — else it refuses the whole
command. Only this and the ``COMMIT`` are under the lock: the events, their
bodies and the snapshot were written before it was taken.
"""

KEEPERS = {
    # trigger: (table, tgtype) — tgtype bits: row 1, insert 4, update 16 (after: no bit 2)
    "investigations_open_insert": ("investigations", 1 | 4),
    "investigations_open_state": ("investigations", 1 | 16),
}
"""The triggers that keep ``open_investigations``, with what each must fire on."""

GUARDS = {
    # trigger: (table, tgtype) — tgtype bits: row 1, before 2, delete 8, update 16, truncate 32
    "events_insert_only": ("events", 1 | 2 | 8 | 16),
    "events_no_truncate": ("events", 2 | 32),
    "ledger_insert_only": ("ledger", 1 | 2 | 8 | 16),
    "ledger_no_truncate": ("ledger", 2 | 32),
    "documents_insert_only": ("documents", 1 | 2 | 8 | 16),
    "documents_no_truncate": ("documents", 2 | 32),
    "document_chunks_insert_only": ("document_chunks", 1 | 2 | 8 | 16),
    "document_chunks_no_truncate": ("document_chunks", 2 | 32),
}
"""The insert-only triggers stepgate makes, with what each must fire on."""

TABLES = (
    "investigations",
    "events",
    "snapshots",
    "ledger",
    "documents",
    "document_chunks",
    "open_investigations",
    "stepgate_migrations",
)

VIEWS: dict[str, str] = {
    "event_log": """
        SELECT id, doc ->> 'investigation' AS investigation, (doc ->> 'seq')::bigint AS seq,
               doc ->> 'kind' AS kind, doc ->> 'actor' AS actor,
               doc ->> 'acting_for' AS acting_for, doc -> 'data' ->> 'on' AS on_date,
               doc ->> 'at' AS recorded_at, (doc -> 'data' ->> 'exemption') IS NULL AS public,
               doc -> 'data' AS payload, hash
        FROM (SELECT id, hash, stepgate_doc(body) AS doc FROM events) AS bodies""",
    "timeline": """
        SELECT investigation, seq, on_date, kind, actor, acting_for,
               payload ->> 'municipality' AS municipality,
               (payload ->> 'step')::bigint AS step,
               payload ->> 'outcome' AS outcome,
               CASE WHEN public THEN 'public'
                    ELSE 'exempt: ' || (payload ->> 'exemption') END AS access,
               recorded_at, encode(hash, 'hex') AS hash
        FROM event_log ORDER BY investigation, seq""",
    "decisions": """
        SELECT investigation, seq, on_date, kind,
               payload ->> 'municipality' AS municipality,
               (payload ->> 'step')::bigint AS step,
               COALESCE(payload ->> 'body',
                        CASE kind WHEN 'steering_group_decided' THEN 'styringsgruppe'
                                  WHEN 'council_decided' THEN 'kommunestyre' END) AS body,
               COALESCE(payload ->> 'outcome', 'opted_out') AS outcome,
               payload ->> 'case_ref' AS case_ref,
               payload ->> 'exemption' AS exemption,
               public, actor AS recorded_by, acting_for,
               (payload -> 'registry_entry' ->> 'year') || '/'
                   || (payload -> 'registry_entry' ->> 'sequence') || '-'
                   || (payload -> 'registry_entry' ->> 'number') AS registry_entry,
               payload -> 'meeting' ->> 'item' AS meeting_item,
               payload -> 'meeting' ->> 'on' AS meeting_on
        FROM event_log
        WHERE kind IN ('mandate_anchored', 'step_anchored', 'steering_group_decided',
                       'council_decided', 'opted_out')
        ORDER BY investigation, seq""",
    "participants": """
        SELECT investigation, municipality,
               CASE kind WHEN 'opted_out' THEN 'opted_out' ELSE 'participant' END AS status,
               on_date AS since
        FROM (
            SELECT investigation, kind, on_date, payload ->> 'municipality' AS municipality,
                   ROW_NUMBER() OVER (
                       PARTITION BY investigation, payload ->> 'municipality'
                       ORDER BY seq DESC) AS latest
            FROM event_log
            WHERE kind = 'opted_out'
               OR (kind = 'mandate_anchored' AND (payload ->> 'counts')::boolean)
        ) AS positions
        WHERE latest = 1
        ORDER BY investigation, municipality""",
    "commits": """
        SELECT l.position, i.key AS investigation, l.event & 4294967295 AS seq,
               encode(l.hash, 'hex') AS ledger_hash
        FROM ledger l LEFT JOIN investigations i ON i.number = l.event >> 32
        ORDER BY l.position""",
    "case_file": """
        SELECT l.investigation, l.seq, l.on_date, l.kind AS filed_with,
               d ->> 'sha256' AS sha256, d ->> 'title' AS title, d ->> 'kind' AS kind,
               d ->> 'filename' AS filename, d ->> 'media_type' AS media_type,
               (d ->> 'size')::bigint AS size, d ->> 'exemption' AS exemption,
               d ->> 'replaces' AS replaces
        FROM event_log l, jsonb_array_elements(COALESCE(l.payload -> 'documents', '[]')) d
        ORDER BY l.investigation, l.seq""",
}
"""The readable views, by name: their ``SELECT``."""


def p001_tables(conn: Any) -> None:
    """The tables, the insert-only guards and the views: SQLite's schema as of ``m004``."""
    conn.execute(
        "CREATE FUNCTION stepgate_doc(body bytea) RETURNS jsonb"
        f" LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $doc${DOC_FUNCTION}$doc$"
    )
    conn.execute(
        "CREATE FUNCTION stepgate_insert_only() RETURNS trigger"
        f" LANGUAGE plpgsql AS $guard${GUARD_FUNCTION}$guard$"
    )
    conn.execute(
        """
        CREATE TABLE investigations (
            key text PRIMARY KEY,
            title text NOT NULL,
            service_area text NOT NULL,
            region text NOT NULL,
            process text NOT NULL,
            definition_hash text NOT NULL,
            state text NOT NULL,
            version bigint NOT NULL,
            head_hash text NOT NULL,
            snapshot_version bigint NOT NULL DEFAULT 0,
            created_at text NOT NULL,
            updated_at text NOT NULL,
            number bigint NOT NULL UNIQUE,
            position bigint NOT NULL DEFAULT 0
        )"""
    )
    conn.execute("CREATE INDEX investigations_by_activity ON investigations (updated_at, key)")
    conn.execute(
        """
        CREATE TABLE events (
            id bigint PRIMARY KEY,
            body bytea NOT NULL,
            prev_hash bytea NOT NULL,
            hash bytea NOT NULL
        )"""
    )
    conn.execute(
        """
        CREATE TABLE snapshots (
            investigation text PRIMARY KEY REFERENCES investigations(key),
            version bigint NOT NULL,
            format integer NOT NULL,
            state bytea NOT NULL
        )"""
    )
    conn.execute(
        """
        CREATE TABLE ledger (
            position bigint PRIMARY KEY,
            event bigint NOT NULL,
            hash bytea NOT NULL
        )"""
    )
    for name, (table, kind) in GUARDS.items():
        if table in ("events", "ledger"):
            _guard(conn, name, table, kind)
    for name, select in VIEWS.items():
        if name != "case_file":
            conn.execute(f"CREATE VIEW {name} AS {select}")


def p002_one_statement_commits(conn: Any) -> None:
    """``stepgate_moved``: a command is one statement, refused in the database on a conflict."""
    conn.execute(
        "CREATE FUNCTION stepgate_moved(moved bigint, key text) RETURNS bigint"
        f" LANGUAGE plpgsql AS $moved${MOVED_FUNCTION}$moved$"
    )


def p003_open_investigations(conn: Any) -> None:
    """A partial index of the open investigations, most recently active first (as ``m006``)."""
    conn.execute(
        "CREATE INDEX investigations_open ON investigations (updated_at DESC, key DESC)"
        " WHERE state NOT IN ('concluded', 'stopped')"
    )


def p004_events_without_prev_hash(conn: Any) -> None:
    """Drop ``events.prev_hash``, the previous event's hash stored again (as ``m007``)."""
    conn.execute("ALTER TABLE events DROP COLUMN prev_hash")


def p005_documents(conn: Any) -> None:
    """Documents' bytes, once per content, in chunks; insert-only; the view ``case_file``."""
    conn.execute(
        "CREATE TABLE documents (sha256 text PRIMARY KEY, size bigint NOT NULL,"
        " chunks bigint NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE document_chunks (document text NOT NULL, n bigint NOT NULL,"
        " data bytea NOT NULL, PRIMARY KEY (document, n))"
    )
    for name, (table, kind) in GUARDS.items():
        if table in ("documents", "document_chunks"):
            _guard(conn, name, table, kind)
    conn.execute(f"CREATE VIEW case_file AS {VIEWS['case_file']}")
    conn.execute(f"CREATE OR REPLACE VIEW decisions AS {VIEWS['decisions']}")


def p006_blob(conn: Any) -> None:
    """The type ``blob`` (a domain over ``bytea``), so the shared SQL's ``CAST(x AS BLOB)``,
    which SQLite needs to read a body as bytes, reads the same in PostgreSQL unchanged."""
    conn.execute("CREATE DOMAIN blob AS bytea")


def p007_open_table(conn: Any) -> None:
    """The open investigations in a table of their own, changed only when one opens or ends.

    The partial index ``investigations_open`` gets an entry each time an open
    investigation's row moves: after years of commands it is large even when
    vacuumed, and the planner then reads the whole table and sorts it to find the
    few open ones. ``open_investigations`` holds only their numbers; triggers keep
    it as investigations open and end, so "the most recent open" reads as many rows
    as are open.
    """
    conn.execute("CREATE TABLE open_investigations (number bigint PRIMARY KEY)")
    conn.execute(
        "INSERT INTO open_investigations (number) SELECT number FROM investigations"
        " WHERE state NOT IN ('concluded', 'stopped')"
    )
    conn.execute(
        "CREATE FUNCTION stepgate_open() RETURNS trigger"
        f" LANGUAGE plpgsql AS $open${OPEN_FUNCTION}$open$"
    )
    conn.execute(
        "CREATE TRIGGER investigations_open_insert AFTER INSERT ON investigations"
        " FOR EACH ROW EXECUTE FUNCTION stepgate_open()"
    )
    conn.execute(
        "CREATE TRIGGER investigations_open_state AFTER UPDATE OF state ON investigations"
        " FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state)"
        " EXECUTE FUNCTION stepgate_open()"
    )


def p008_commit_function(conn: Any) -> None:
    """``stepgate_commit``: a command takes the commit-order lock after its events are written.

    Until now the lock was the first thing a command took, and everything it wrote
    was under it. The events, their bodies, their index entries and the snapshot
    need no order; only the ledger's row and the investigation's row do. Writers
    on different investigations now write their events side by side, and hold the
    lock only for those two rows and the commit. ``stepgate_moved`` (``p002``),
    which refused a command inside the old statement, is called by nothing now.
    """
    conn.execute(
        "CREATE FUNCTION stepgate_commit(lock bigint, commit_key text, expected bigint,"
        " last_event bigint, event_count bigint, head bytea, new_state text,"
        " new_version bigint, new_head text, new_updated_at text, new_definition_hash text,"
        " new_snapshot_version bigint) RETURNS bigint"
        f" LANGUAGE plpgsql AS $commit${COMMIT_FUNCTION}$commit$"
    )
    conn.execute("DROP FUNCTION stepgate_moved(bigint, text)")


def _guard(conn: Any, name: str, table: str, kind: int) -> None:
    when = "BEFORE TRUNCATE" if kind & 32 else "BEFORE UPDATE OR DELETE"
    each = "ROW" if kind & 1 else "STATEMENT"
    conn.execute(
        f"CREATE TRIGGER {name} {when} ON {table}"
        f" FOR EACH {each} EXECUTE FUNCTION stepgate_insert_only()"
    )


MIGRATIONS: tuple[tuple[str, Callable[[Any], None]], ...] = (
    ("p001_tables", p001_tables),
    ("p002_one_statement_commits", p002_one_statement_commits),
    ("p003_open_investigations", p003_open_investigations),
    ("p004_events_without_prev_hash", p004_events_without_prev_hash),
    ("p005_documents", p005_documents),
    ("p006_blob", p006_blob),
    ("p007_open_table", p007_open_table),
    ("p008_commit_function", p008_commit_function),
)
"""The schema's history, in order. Never edit an applied migration: add a new one."""
