"""The durable record in PostgreSQL: the same record as SQLite's, for several app servers.

``open_store("postgresql://…")`` gives a ``PostgresBackend``: the same
operations (``Backend``), the same bodies and hash chains byte for byte, the
same checks. What differs is said here: connections (psycopg 3, one per
thread, credentials from the URL or the ``PG*`` environment variables), how a
transaction begins, what the driver's errors mean, and the lock that orders
commits. PostgreSQL sequences leave gaps and commit out of order, so the
ledger's next position is taken under a transaction-level advisory lock: it is
held from the moment a command reads the ledger's head until it commits, so
positions count events in commit order with no gaps, and a reader never sees
position n+1 before n. Commands on different investigations overlap up to
that point; their commits follow one another, as SQLite's do.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import re
import select
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import psycopg.errors as pg_errors
from psycopg.pq import PipelineStatus, TransactionStatus

from stepgate.errors import (
    ConcurrencyConflict,
    InvalidValue,
    NotAStepgateDatabase,
    SchemaTooNew,
    SchemaTooOld,
    StorageUnavailable,
    StoreError,
)
from stepgate.model.state import InvestigationState
from stepgate.model.text import Text
from stepgate.store.audit import fetched
from stepgate.store.backend import _SUMMARY, Backend, Commit
from stepgate.store.locations import shown
from stepgate.store.pg_schema import (
    COMMIT_FUNCTION,
    DOC_FUNCTION,
    GUARD_FUNCTION,
    GUARDS,
    KEEPERS,
    MIGRATIONS,
    OPEN_FUNCTION,
    TABLES,
    VIEWS,
)
from stepgate.store.record import (
    SNAPSHOT_FORMAT,
    ChainBreak,
    Checkpoint,
    Replayer,
    Verification,
    schema_break,
)
from stepgate.store.verify import Progress


@functools.lru_cache(maxsize=512)
def _sql(sql: str, with_params: bool) -> str:
    """The shared SQL as psycopg reads it: DB-API's ``qmark`` placeholders (``?``, as SQLite
    reads them) written in psycopg's ``format`` style (``%s``, a literal ``%`` as ``%%``).

    Nothing else is changed: ``CAST(x AS BLOB)`` reads as it is (``blob`` is a domain over
    ``bytea``, migration ``p006``), and no shared statement has a ``?`` or ``%`` of its own
    (``tests/test_postgres.py`` checks every one).
    """
    return sql.replace("%", "%%").replace("?", "%s") if with_params else sql


_CURSORS = itertools.count(1)
"""Numbers for server-side cursors' names (unique within a connection's transaction)."""


def _taken(cursor: psycopg.ServerCursor[Any], size: int) -> Iterator[Any]:
    """A server-side cursor's rows, ``size`` a round trip; closed when done or dropped."""
    try:
        while rows := cursor.fetchmany(size):
            yield from rows
    finally:  # a walk that stopped at a break leaves rows unread: close the cursor, unless
        # dropped while the connection is in a pipeline (it goes when the transaction ends)
        if cursor.connection.pgconn.pipeline_status == PipelineStatus.OFF:
            with contextlib.suppress(psycopg.Error):
                cursor.close()


class PgConn:
    """A psycopg connection that reads the shared SQL (``?``) and says when it is in a transaction.

    It runs in autocommit mode: stepgate begins, commits and rolls back itself,
    exactly as it does on SQLite. What a command writes is queued and sent with
    the statement that needs an answer — usually its ``COMMIT`` — in one pipeline:
    ``BEGIN``, the commit-order lock, the command's statement and ``COMMIT``
    travel to the server together, in one round trip.
    """

    __slots__ = ("queued", "raw")

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw
        self.queued: list[tuple[str, Any]] = []

    def queue(self, sql: str, params: Any = None) -> None:
        """Send ``sql`` (already in psycopg's words) with the next statement that is run."""
        self.queued.append((sql, params))

    def execute(self, sql: str, params: Any = None) -> Any:
        """Run one statement (after what is queued); its cursor."""
        query = _sql(sql, bool(params))
        if not self.queued:
            return self.raw.execute(query, params or None, binary=True, prepare=_prepare(sql))
        if sql == "ROLLBACK" and all(q == ("BEGIN", None) for q in self.queued):
            self.queued.clear()  # nothing was sent: there is nothing to end
            return None
        return self.reads([(sql, params)])[0]

    def reads(self, statements: list[tuple[str, Any]]) -> list[psycopg.Cursor[Any]]:
        """Run several statements (after what is queued) in one pipeline, one round trip;
        their cursors, in order, each holding its rows (``audit.at_once``)."""
        work, self.queued = self.queued, []
        with self.raw.pipeline():
            for queued, values in work:
                self.raw.execute(queued, values, prepare=_prepare(queued))
            return [
                self.raw.execute(
                    _sql(sql, bool(params)), params or None, binary=True, prepare=_prepare(sql)
                )
                for sql, params in statements
            ]

    def stream(self, sql: str, params: Any, size: int) -> Iterator[Any]:
        """The rows of one large read, ``size`` at a time through a server-side cursor: the
        client holds no more than that at once (``audit.streamed``). A server-side cursor
        lives in a transaction; outside one (or with writes queued) the read arrives whole."""
        if self.queued or self.raw.info.transaction_status != TransactionStatus.INTRANS:
            return fetched(self.execute(sql, params))
        cursor = self.raw.cursor(name=f"stepgate_{next(_CURSORS)}", binary=True)
        cursor.execute(_sql(sql, bool(params)), params or None)
        return _taken(cursor, size)

    def executemany(self, sql: str, rows: Any) -> psycopg.Cursor[Any]:
        """Run one statement for each row (after what is queued)."""
        work, self.queued = self.queued, []
        with self.raw.pipeline():
            for queued, values in work:
                self.raw.execute(queued, values, prepare=_prepare(queued))
            cursor = self.raw.cursor()
            cursor.executemany(_sql(sql, True), rows)
        return cursor

    def lost(self) -> bool:
        """True when the server dropped this connection (checked without a round trip).

        A connection that failed is closed. An idle one has nothing to read: when
        its socket is readable, the server spoke unasked — it is ending the session
        (a restart, ``pg_terminate_backend``, a failover) or, rarely, reporting a
        changed setting. Either way a new connection is the safe next step.
        """
        raw = self.raw
        if raw.closed or raw.broken:
            return True
        if self.in_transaction:
            return False
        try:
            readable, _, _ = select.select([raw.fileno()], [], [], 0)
        except (OSError, ValueError, psycopg.Error):
            return True
        return bool(readable)

    @property
    def in_transaction(self) -> bool:
        """True inside a transaction (also a failed one, which must be rolled back)."""
        return bool(self.queued) or self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        """Close the connection."""
        self.raw.close()


_MEANINGS: tuple[tuple[tuple[type[Exception], ...], type[StoreError], Text], ...] = (
    (
        (pg_errors.UniqueViolation, pg_errors.SerializationFailure),
        ConcurrencyConflict,
        Text(
            nn="ein annan skrivar la til i denne utgreiinga først; last på nytt og prøv att",
            en="another writer appended to this investigation first; reload and retry",
        ),
    ),
    (
        (pg_errors.DeadlockDetected, pg_errors.LockNotAvailable),
        ConcurrencyConflict,
        Text(
            nn="to skrivarar venta på kvarandre; ingenting vart skrive; prøv att",
            en="two writers waited for each other; nothing was written; retry",
        ),
    ),
    (
        (pg_errors.ReadOnlySqlTransaction,),
        StorageUnavailable,
        Text(
            nn="lageret er opna berre for lesing; ingenting vart skrive",
            en="the store was opened read-only; nothing was written",
        ),
    ),
    (
        (pg_errors.RestrictViolation,),
        StorageUnavailable,
        Text(
            nn="journalen kan berre leggjast til; ingenting vart skrive",
            en="the record is insert-only; nothing was written",
        ),
    ),
    (
        (pg_errors.DiskFull, pg_errors.InsufficientResources),
        StorageUnavailable,
        Text(
            nn="databasetenaren har ikkje meir plass; ingenting vart skrive",
            en="the database server is out of space; nothing was written",
        ),
    ),
)
"""What a psycopg error means for stepgate: its kinds, the error, the words."""


_LOCK = "SELECT pg_advisory_xact_lock(%(lock)s)"
_SNAPSHOT = (
    "INSERT INTO snapshots (investigation, version, format, state)"
    " VALUES (%(key)s, %(version)s, %(format)s, %(blob)s)"
    " ON CONFLICT (investigation) DO UPDATE SET version = excluded.version,"
    " format = excluded.format, state = excluded.state"
)
_COLUMNS = (
    "lifecycle",
    "new_version",
    "head_hex",
    "updated_at",
    "definition_hash",
    "snapshot_version",
)
_COMMIT = """
    WITH appended AS (
        INSERT INTO events (id, body, hash)
        SELECT * FROM unnest(%(ids)s::bigint[], %(bodies)s::bytea[], %(hashes)s::bytea[])
        RETURNING 1
    )
    SELECT stepgate_commit(%(lock)s, %(key)s, %(expected)s, %(event)s, %(count)s, %(head)s,
        %(lifecycle)s, %(new_version)s, %(head_hex)s, %(updated_at)s, %(definition_hash)s,
        %(snapshot_version)s)
    FROM (SELECT count(*) FROM appended) AS written"""
"""One command in one statement: its events first (the ``FROM`` reads them all before the
function runs), then, under the commit-order lock, its ledger row and the investigation's row
(``stepgate_commit``, which refuses the whole command when the row had moved on)."""


_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def _prepare(sql: str) -> bool | None:
    """Never prepare a transaction's control statements; the rest as psycopg sees fit.

    In a pipeline, a statement after one that failed is skipped by the server. A
    ``COMMIT`` that psycopg chose to prepare just then would be remembered as
    prepared though it never was ("prepared statement … does not exist" later).
    """
    return False if sql.startswith(_CONTROL) else None


def _key(*words: str) -> int:
    """A stable 64-bit advisory-lock key for ``words`` (signed, as PostgreSQL's bigint is)."""
    digest = hashlib.sha256(":".join(("stepgate", *words)).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresBackend(Backend):
    """Investigations in one PostgreSQL schema, shared by the threads and processes of a host."""

    driver_errors = (psycopg.Error,)
    open_summaries = (
        # through the small table of the open ones (``p007``): as many rows read as are open
        f"{_SUMMARY} WHERE number IN (SELECT number FROM open_investigations)"  # noqa: S608
        " ORDER BY updated_at DESC, key DESC"
    )

    insert_event = "INSERT INTO events (id, body, hash) VALUES (?, ?, ?)"
    """One stored event: PostgreSQL's ``events`` holds only what the hash covers (``p004``)."""

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.url = url
        self._ledger_key = self._migration_key = 0
        self._reference: dict[str, str] | None = None
        super().__init__(shown(url), read_only=read_only)

    # --- connections -------------------------------------------------------------------

    def _connect(self) -> PgConn:
        try:
            raw = psycopg.connect(self.url, autocommit=True, application_name="stepgate")
            if self.read_only:  # the URL's own options (a search_path) stay as they are
                raw.execute("SET default_transaction_read_only = on")
        except psycopg.ProgrammingError as error:  # libpq could not read the URL
            raise InvalidValue(
                nn=f"PostgreSQL-URL-en {self.path} kan ikkje lesast",
                en=f"the PostgreSQL URL {self.path} cannot be read",
                detail=_first_line(error),
            ) from None
        except psycopg.Error as error:
            raise StorageUnavailable(
                nn=f"kan ikkje opne PostgreSQL-lageret på {self.path}: tenaren kan ikkje "
                "nåast eller avviste sambandet",
                en=f"cannot open the PostgreSQL store at {self.path}: the server cannot be "
                "reached or refused the connection",
                detail=_first_line(error),
            ) from None
        return PgConn(raw)

    def lost(self, conn: PgConn) -> bool:
        """True when the server dropped ``conn`` (see ``PgConn.lost``)."""
        return conn.lost()

    def translate(self, error: Exception) -> Exception:
        """The stepgate error a psycopg error means (``_MEANINGS``); the server's words: detail."""
        said = _first_line(error)
        for kinds, made, meaning in _MEANINGS:
            if isinstance(error, kinds):
                return made(meaning, detail=said)
        if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
            return StorageUnavailable(
                nn=f"sambandet med PostgreSQL-lageret på {self.path} vart broten eller avvist; "
                "neste kommando opnar eit nytt",
                en=f"the connection to the PostgreSQL store at {self.path} was lost or refused; "
                "the next command opens a new one",
                detail=said,
            )
        return StorageUnavailable(
            nn="databasen avviste operasjonen", en="the database refused the operation", detail=said
        )

    def begin_write(self, conn: PgConn, *, lock: bool = False) -> None:
        """``BEGIN`` (read committed); with ``lock``, take the commit-order lock at once.

        Both travel with the transaction's first statement.
        """
        conn.queue("BEGIN")
        if lock:
            conn.queue(_LOCK, {"lock": self._ledger_key})

    def begin_read(self, conn: PgConn) -> None:
        """One snapshot for everything read: repeatable read, read only."""
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def lock_ledger(self, conn: PgConn) -> None:
        """The transaction-level advisory lock that orders commits (held until commit); it
        travels with the next statement, which reads under it."""
        conn.queue(_LOCK, {"lock": self._ledger_key})

    def _commit_rows(
        self, conn: PgConn, state: InvestigationState, expected: int, commit: Commit
    ) -> None:
        """One command's rows: the snapshot, then one statement for the rest.

        The events need no lock: the statement writes them first. Then
        ``stepgate_commit`` takes the commit-order lock and, in statements of its
        own (each sees what was committed when it began), reads the ledger's head,
        appends the next ledger row and moves the investigation's row, refusing the
        whole command when the row was not at ``expected`` (another writer). The
        lock is held from there to the commit only. Everything goes to the server
        with the ``COMMIT`` that follows, in one round trip.
        """
        ids, bodies, hashes = (list(column) for column in zip(*commit.rows, strict=True))
        values: dict[str, Any] = dict(zip(_COLUMNS, commit.columns, strict=True))
        values |= {
            "lock": self._ledger_key,
            "key": state.key,
            "expected": expected,
            "count": len(commit.rows),
            "event": commit.base | state.version,
            "head": commit.head,
            "ids": ids,
            "bodies": bodies,
            "hashes": hashes,
            "version": state.version,
            "format": SNAPSHOT_FORMAT,
            "blob": commit.blob,
        }
        if commit.blob is not None:
            conn.queue(_SNAPSHOT, values)
        conn.queue(_COMMIT, values)

    def body_value(self, body: bytes) -> bytes:
        """The body's UTF-8 bytes, as its ``bytea`` column holds them."""
        return body

    # --- the schema ---------------------------------------------------------------------

    def prepare(self, conn: PgConn) -> None:
        """Check the schema in the connection's current schema; migrate it when writable."""
        row = conn.execute("SELECT current_schema()").fetchone()
        schema = row[0] if row else None
        if schema is None:
            raise NotAStepgateDatabase(
                nn=f"{self.path} har inkje skjema å halde journalen i (search_path er tom)",
                en=f"{self.path} has no schema to hold the record (search_path is empty)",
            )
        self._ledger_key, self._migration_key = _key(schema, "ledger"), _key(schema, "migrate")
        applied, tables = _applied(conn)
        known = [name for name, _ in MIGRATIONS]
        if not applied and tables & {"investigations", "events", "ledger", "snapshots"}:
            raise NotAStepgateDatabase(
                nn=f"{self.path} (skjema {schema}) har tabellar med stepgate sine namn, men "
                "ikkje stepgate-skjemaet; bruk eit anna skjema eller ein annan database",
                en=f"{self.path} (schema {schema}) has tables named like stepgate's but no "
                "stepgate schema; use another schema or database",
            )
        if applied - set(known):
            raise SchemaTooNew(
                nn=f"{self.path} er skriven av ein nyare stepgate; oppgrader stepgate",
                en=f"{self.path} was written by a newer stepgate (schema steps "
                f"{sorted(applied - set(known))}); upgrade stepgate to open it",
            )
        missing = [name for name in known if name not in applied]
        if self.read_only and not applied:
            raise NotAStepgateDatabase(
                nn=f"{self.path} (skjema {schema}) har ingen stepgate-journal",
                en=f"{self.path} (schema {schema}) holds no stepgate record",
            )
        if self.read_only and missing:
            raise SchemaTooOld(
                nn=f"{self.path} treng skjemasteg {missing}; opne han ein gong for skriving",
                en=f"{self.path} needs schema steps {missing} of this stepgate; open it once "
                "without read_only to apply them",
            )
        if missing:
            self._migrate(conn)

    def _migrate(self, conn: PgConn) -> None:
        """Apply the missing migrations, once, even when several servers start together."""
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT pg_advisory_xact_lock(?)", [self._migration_key])
            conn.execute(
                "CREATE TABLE IF NOT EXISTS stepgate_migrations"
                " (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            applied, _ = _applied(conn)
            for name, step in MIGRATIONS:
                if name not in applied:
                    step(conn)
                    conn.execute("INSERT INTO stepgate_migrations (name) VALUES (?)", [name])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # --- verifying ----------------------------------------------------------------------

    def verify(
        self,
        replayer_for: Callable[[str], Replayer | None] | None,
        against: Checkpoint | None = None,
        progress: Progress | None = None,
        jobs: int = 1,
        since: Checkpoint | None = None,
    ) -> Verification:
        """Verify the whole store; the views are compared with freshly made ones first."""
        self._reference = self._reference_views()
        return super().verify(replayer_for, against, progress, jobs, since)

    def _reference_views(self) -> dict[str, str] | None:
        """The views as this stepgate makes them, made as temporary views and rolled back.

        None when they cannot be made (no ``TEMP`` privilege): then only their
        presence is checked.
        """
        try:
            raw = psycopg.connect(self.url, autocommit=True, application_name="stepgate")
        except psycopg.Error:
            return None
        try:
            raw.execute("BEGIN READ WRITE")
            made = {}
            for name, select in VIEWS.items():
                raw.execute(f"CREATE TEMPORARY VIEW stepgate_reference_{name} AS {select}")
                row = raw.execute(
                    "SELECT pg_get_viewdef(%s::regclass, true)", [f"stepgate_reference_{name}"]
                ).fetchone()
                made[name] = _normal(row[0] if row else "")
            raw.execute("ROLLBACK")
        except psycopg.Error:
            return None
        finally:
            raw.close()
        return made

    def schema_breaks(self, conn: PgConn) -> Iterator[ChainBreak]:
        """Missing tables, guards changed, disabled or added, functions and views changed."""
        _, tables = _applied(conn)
        for table in TABLES:
            if table not in tables:
                yield schema_break("table", table, "missing")
        functions = dict(
            conn.execute(
                "SELECT p.proname, p.prosrc FROM pg_proc p"
                " WHERE p.pronamespace = current_schema()::regnamespace"
                " AND p.proname IN ('stepgate_doc', 'stepgate_insert_only', 'stepgate_open',"
                " 'stepgate_commit')"
            ).fetchall()
        )
        for name, source in (
            ("stepgate_doc", DOC_FUNCTION),
            ("stepgate_insert_only", GUARD_FUNCTION),
            ("stepgate_open", OPEN_FUNCTION),
            ("stepgate_commit", COMMIT_FUNCTION),
        ):
            if name not in functions:
                yield schema_break("function", name, "missing")
            elif _normal(functions[name]) != _normal(source):
                yield schema_break("function", name, "changed")
        yield from self._guard_breaks(conn)
        yield from self._view_breaks(conn)
        if "open_investigations" in tables:
            yield from _open_breaks(conn)

    @staticmethod
    def _guard_breaks(conn: PgConn) -> Iterator[ChainBreak]:
        found = {
            name: (table, kind, enabled, function)
            for name, table, kind, enabled, function in conn.execute(
                "SELECT t.tgname, c.relname, t.tgtype, t.tgenabled, p.proname"
                " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " JOIN pg_proc p ON p.oid = t.tgfoid"
                " WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
                " AND c.relname IN ('events', 'ledger', 'investigations', 'snapshots',"
                " 'documents', 'document_chunks')"
            ).fetchall()
        }
        made = {name: (*made, "stepgate_insert_only") for name, made in GUARDS.items()}
        made |= {name: (*made, "stepgate_open") for name, made in KEEPERS.items()}
        for name, wanted in sorted(made.items()):
            if name not in found:
                yield schema_break("trigger", name, "missing")
                continue
            on, fires, enabled, function = found[name]
            if (on, fires, function) != wanted:
                yield schema_break("trigger", name, "changed")
            elif enabled == "D":
                yield schema_break("trigger", name, "disabled")
        for name in sorted(set(found) - set(made)):
            yield schema_break("trigger", name, "foreign")

    def _view_breaks(self, conn: PgConn) -> Iterator[ChainBreak]:
        reference = self._reference
        for name in VIEWS:
            row = conn.execute(
                "SELECT pg_get_viewdef(c.oid, true) FROM pg_class c"
                " WHERE c.relname = ? AND c.relkind = 'v'"
                " AND c.relnamespace = current_schema()::regnamespace",
                [name],
            ).fetchone()
            if row is None:
                yield schema_break("view", name, "missing")
            elif reference is not None and _normal(row[0]) != reference.get(name):
                yield schema_break("view", name, "changed")

    def backup(self, target: Any) -> None:  # noqa: ARG002 - the shape every backend has
        """Not here: a PostgreSQL store is copied with ``stepgate copy`` (or ``pg_dump``)."""
        raise StoreError(
            nn=f"{self.path} er eit PostgreSQL-lager: kopier det med «stepgate copy» eller pg_dump",
            en=f"{self.path} is a PostgreSQL store: copy it with 'stepgate copy' or pg_dump",
        )


def _open_breaks(conn: PgConn) -> Iterator[ChainBreak]:
    """Each investigation ``open_investigations`` lists wrongly: open and missing, or ended and
    still there (or no investigation at all). Only the listing of the open ones reads it."""
    wrong = conn.execute(
        "SELECT i.key, o.number FROM investigations i"
        " FULL JOIN open_investigations o ON o.number = i.number"
        " WHERE i.number IS NULL"
        " OR (o.number IS NULL) = (i.state NOT IN ('concluded', 'stopped'))"
        " ORDER BY coalesce(i.number, o.number)"
    ).fetchall()
    for key, number in wrong:
        why = Text(
            "open_investigations seier feil om ho er open (tabellen er endra)",
            "open_investigations is wrong about whether it is open (the table was edited)",
        )
        yield ChainBreak(key or f"#{number}", 0, why, "row")


def _applied(conn: PgConn) -> tuple[set[str], set[str]]:
    """The migrations applied, and the tables in the current schema."""
    tables = {
        row[0]
        for row in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
    }
    if "stepgate_migrations" not in tables:
        return set(), tables
    return {row[0] for row in conn.execute("SELECT name FROM stepgate_migrations")}, tables


_SPACE = re.compile(r"\s+")


def _normal(sql: str) -> str:
    return _SPACE.sub(" ", sql).strip()


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
