"""The durable record in SQLite: an append-only, hash-chained event log with a ledger.

One command is one transaction: ``BEGIN IMMEDIATE`` takes the write lock
before anything is read, the caller's expected version is compared with the
record's head, the events are inserted with their hashes, the ledger gets one
row, and the investigation's row (and now and then its snapshot) moves — all
or nothing. SQLite errors are translated into stepgate's own at this boundary.

Threads share one backend: each thread gets its own connection (SQLite binds a
connection to its thread); an in-memory store has one connection that threads
take turns on. After ``fork()`` a child opens its own connections and never
touches its parent's. This module and the schema are the only importers of
``sqlite_utils``; nothing here knows a rule.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pathlib
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence

import attrs
from sqlite_utils import Database

from stepgate import _events as ev
from stepgate import _verify
from stepgate._errors import (
    ConcurrencyConflict,
    InvalidValue,
    NotAStepgateDatabase,
    RecordBroken,
    SchemaTooNew,
    SchemaTooOld,
    StorageUnavailable,
    StoreError,
    UnknownInvestigation,
)
from stepgate._record import (
    GENESIS,
    LAST_SEQ,
    SNAPSHOT_FORMAT,
    Audit,
    Checkpoint,
    Replayer,
    Summary,
    Verification,
    chain_hash,
    event_body,
    event_id,
    events_from_bodies,
    ledger_hash,
    pack,
    recorded_from_body,
    unpack,
)
from stepgate._schema import MIGRATIONS
from stepgate._serial import parse_json
from stepgate._state import InvestigationState

SNAPSHOT_EVERY = 100
"""Write a snapshot when this many events were appended since the last one."""
BUSY_TIMEOUT_S = 10.0


@attrs.frozen
class Head:
    """Where an investigation's record stands: version, head hash, snapshot version, base id.

    ``base`` is ``event_id(number, 0)``: event ``seq`` has id ``base | seq``.
    """

    version: int
    hash: bytes
    snapshot: int
    base: int


_MEANINGS: tuple[tuple[tuple[str, ...], type[StoreError], str], ...] = (
    (
        ("readonly", "read-only"),
        StorageUnavailable,
        "the database is read-only; nothing was written",
    ),
    (("full",), StorageUnavailable, "the database or disk is full; nothing was written"),
    (
        ("locked", "busy"),
        StorageUnavailable,
        f"the database stayed locked by another writer for {BUSY_TIMEOUT_S:.0f} s; "
        "nothing was written",
    ),
    (
        ("not a database", "malformed"),
        NotAStepgateDatabase,
        "the file is not a usable SQLite database",
    ),
    (("closed",), StorageUnavailable, "the store is closed"),
)
"""What an SQLite error means for stepgate: words in its message, the error, the explanation."""


def _translate(error: sqlite3.Error) -> Exception:
    text = str(error).lower()
    if isinstance(error, sqlite3.IntegrityError) and "unique" in text:
        return ConcurrencyConflict(
            "another writer appended to this investigation first; reload and retry"
        )
    for words, kind, meaning in _MEANINGS:
        if any(word in text for word in words):
            return kind(f"{meaning} ({error})")
    return StorageUnavailable(f"the database refused the operation: {error}")


class _QuietCollector:
    """The garbage collector paused while a replay builds its many short-lived objects.

    A replay makes no reference cycles worth collecting mid-way; pausing the
    collector saves it from scanning a growing heap again and again. It is one
    per process, so threads count in and out: the last one out restores it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._inside = 0
        self._was_enabled = False

    def __enter__(self) -> None:
        with self._lock:
            if self._inside == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._inside += 1

    def __exit__(self, *_: object) -> None:
        with self._lock:
            self._inside -= 1
            if self._inside == 0 and self._was_enabled:
                gc.enable()


_quiet_gc = _QuietCollector()


@contextlib.contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as error:
        raise _translate(error) from error


class _Link:
    """One connection and what it knows: cached heads, and the scope of an outer transaction.

    ``depth`` counts open ``writing()`` scopes; inside one, each command is a
    savepoint of one transaction that the outermost scope commits or rolls
    back. ``undo`` holds what to call when that transaction rolls back.
    """

    __slots__ = ("conn", "depth", "heads", "undo")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.heads: dict[str, Head] = {}
        self.depth = 0
        self.undo: list[Callable[[], None]] = []


class _Write:
    """One command's write: a transaction of its own, or a savepoint inside ``writing()``.

    SQLite errors come out translated; any error leaves nothing of the command.
    A class rather than a generator-based context manager: every command enters one.
    """

    __slots__ = ("backend", "link", "savepoint")

    def __init__(self, backend: SQLiteBackend) -> None:
        self.backend = backend
        self.savepoint = False

    def __enter__(self) -> _Link:
        backend = self.backend
        if backend.memory:
            backend.mutex.acquire()
        try:
            self.link = link = backend.link()
            conn = link.conn
            if not conn.in_transaction:
                conn.execute("BEGIN IMMEDIATE")
            if link.depth:
                conn.execute("SAVEPOINT command")
                self.savepoint = True
        except BaseException as error:
            self._release()
            if isinstance(error, sqlite3.Error):
                raise _translate(error) from error
            raise
        return link

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: object
    ) -> None:
        try:
            self._finish(kind is None, error)
        finally:
            self._release()

    def _finish(self, ok: bool, error: BaseException | None) -> None:
        conn = self.link.conn
        try:
            if ok:
                conn.execute("RELEASE command" if self.savepoint else "COMMIT")
                return
        except sqlite3.Error as failed:
            error = failed
        # SQLite may have rolled back already (a full disk does): never mask the cause
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                if self.savepoint:
                    conn.execute("ROLLBACK TO command")
                    conn.execute("RELEASE command")
                else:
                    conn.execute("ROLLBACK")
        if isinstance(error, sqlite3.Error):
            raise _translate(error) from error

    def _release(self) -> None:
        if self.backend.memory:
            self.backend.mutex.release()


class SQLiteBackend:
    """Investigations in one SQLite file (or ``:memory:``), shared by a process's threads."""

    def __init__(self, path: str | pathlib.Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        self.memory = self.path in (":memory:", "")
        self.mutex = threading.RLock()  # an in-memory store's one connection, taken in turns
        self._pid = os.getpid()
        self._local = threading.local()
        self._links: list[_Link] = []
        self._inherited: list[_Link] = []  # a parent's connections after fork: kept, never used
        self._closed = False
        self._shared: _Link | None = None
        first = self._open_link(prepare=True)
        if self.memory:
            self._shared = first
        else:
            self._local.link = first

    # --- connections -----------------------------------------------------------------

    def link(self) -> _Link:
        """This thread's connection (opened on first use; a new one after ``fork()``)."""
        if self._closed:
            raise StorageUnavailable(f"the store {self.path!r} is closed; open it again")
        if os.getpid() != self._pid:
            self._after_fork()
        if self._shared is not None:
            return self._shared
        link: _Link | None = getattr(self._local, "link", None)
        if link is None:
            link = self._local.link = self._open_link(prepare=False)
        return link

    def _after_fork(self) -> None:
        if self.memory:
            raise StoreError(
                "an in-memory store cannot be used in a child process after fork(): "
                "its data lives in the parent; open a store in the child"
            )
        with self.mutex:
            if os.getpid() != self._pid:
                # SQLite forbids using a connection across fork(); keep the parent's
                # objects alive (closing them here could disturb the parent's locks)
                self._inherited += self._links
                self._links = []
                self._local = threading.local()
                self._pid = os.getpid()

    def _open_link(self, *, prepare: bool) -> _Link:
        with _translated():
            conn = self._connect()
            link = _Link(conn)
            with self.mutex:
                self._links.append(link)
            if prepare:
                try:
                    self._prepare(conn)
                except BaseException:
                    self.close()
                    raise
        return link

    def _connect(self) -> sqlite3.Connection:
        if self.read_only and not self.memory:
            uri = pathlib.Path(self.path).resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(
                uri,
                uri=True,
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,
                check_same_thread=False,
            )
        else:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not self.read_only:
            conn.execute("PRAGMA synchronous = FULL")
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        db = Database(conn, recursive_triggers=False, execute_plugins=False)
        tables = set(db.table_names())
        applied = set()
        if MIGRATIONS.migrations_table in tables:
            applied = {m.name for m in MIGRATIONS.applied(db)}
        known = {m.name for m in MIGRATIONS._migrations}
        if tables and not applied:
            raise NotAStepgateDatabase(
                f"{self.path!r} is an SQLite database with other tables "
                f"({', '.join(sorted(tables)[:5])}) but no stepgate schema; use a new file"
            )
        if applied - known:
            raise SchemaTooNew(
                f"{self.path!r} was written by a newer stepgate (schema steps "
                f"{sorted(applied - known)}); upgrade stepgate to open it"
            )
        if self.read_only and not tables:
            raise NotAStepgateDatabase(
                f"{self.path!r} is empty: it holds no stepgate record (nothing was written to it)"
            )
        if self.read_only and known - applied:
            raise SchemaTooOld(
                f"{self.path!r} needs schema steps {sorted(known - applied)} of this stepgate;"
                " open it once without read_only to apply them"
            )
        if not self.read_only:
            if not self.memory:
                conn.execute("PRAGMA journal_mode = WAL")
            MIGRATIONS.apply(db)

    @property
    def db(self) -> Database:
        """This thread's connection as a ``sqlite_utils.Database`` (for tools and tests)."""
        return Database(self.link().conn, recursive_triggers=False, execute_plugins=False)

    def close(self) -> None:
        """Close every connection this store opened, in every thread."""
        with self.mutex:
            self._closed = True
            links, self._links = self._links, []
        for link in links:
            with contextlib.suppress(sqlite3.Error):
                link.conn.close()

    # --- transactions ----------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self, *, lock: bool = False) -> Iterator[None]:
        """One transaction around everything written inside (all of it, or none).

        Each command inside is a savepoint: a failed command leaves nothing and
        the rest may go on. ``lock=True`` takes the write lock at once, so what
        is read inside cannot change before it is written (no conflict can occur);
        otherwise the lock is taken by the first write. Nested scopes join the
        outermost one.
        """
        if self.memory:
            self.mutex.acquire()
        try:
            link = self.link()
            conn = link.conn
            outermost = link.depth == 0
            if outermost and lock and not conn.in_transaction:
                with _translated():
                    conn.execute("BEGIN IMMEDIATE")
            link.depth += 1
            try:
                yield
            except BaseException:
                link.depth -= 1
                if outermost:
                    self._roll_back(link)
                raise
            link.depth -= 1
            if outermost:
                self._commit(link)
        finally:
            if self.memory:
                self.mutex.release()

    def _commit(self, link: _Link) -> None:
        conn = link.conn
        try:
            if conn.in_transaction:
                conn.execute("COMMIT")
        except sqlite3.Error as error:
            self._roll_back(link)
            raise _translate(error) from error
        link.undo.clear()

    @staticmethod
    def _roll_back(link: _Link) -> None:
        conn = link.conn
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        link.heads.clear()
        undo, link.undo = link.undo, []
        for forget in undo:
            forget()

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: a consistent view even while others write."""
        if self.memory:
            self.mutex.acquire()
        try:
            conn = self.link().conn
            with _translated():
                if conn.in_transaction:  # inside a write scope: read what it sees
                    yield conn
                    return
                conn.execute("BEGIN")
                try:
                    yield conn
                finally:
                    if conn.in_transaction:
                        conn.execute("COMMIT")
        finally:
            if self.memory:
                self.mutex.release()

    # --- writing ---------------------------------------------------------------------

    def add(self, state: InvestigationState, first: ev.Recorded) -> str:
        """Record a new investigation with its first event; return the head hash (hex)."""
        with _Write(self) as link:
            conn = link.conn
            taken = conn.execute("SELECT 1 FROM investigations WHERE key = ?", [state.key])
            if taken.fetchone():
                raise InvalidValue(f"an investigation with key {state.key!r} exists already")
            number = conn.execute(
                "SELECT coalesce(max(number), 0) + 1 FROM investigations"
            ).fetchone()[0]
            at = first.at.isoformat()
            conn.execute(
                "INSERT INTO investigations (key, title, service_area, region, process,"
                " definition_hash, state, version, head_hash, snapshot_version, created_at,"
                " updated_at, number, position) VALUES (?, ?, ?, ?, ?, ?, ?, 0, '', 0, ?, ?, ?, 0)",
                [
                    state.key,
                    state.title,
                    state.service_area,
                    state.region.name,
                    state.process,
                    state.definition_hash,
                    state.lifecycle,
                    at,
                    at,
                    number,
                ],
            )
            head = self._insert(conn, state, Head(0, GENESIS, 0, event_id(number, 0)), [first])
        link.heads[state.key] = head
        return head.hash.hex()

    def append(
        self,
        state: InvestigationState,
        expected: int,
        events: Sequence[ev.Recorded],
        *,
        on_rollback: Callable[[], None] | None = None,
    ) -> str:
        """Append ``events`` after version ``expected``; return the new head hash (hex).

        ``expected`` is the version the caller's state was at before the command:
        if the record's head is anywhere else — another writer moved it, or the
        caller is behind or ahead of the record — this raises ConcurrencyConflict
        and writes nothing. ``on_rollback`` is called if an enclosing ``writing()``
        scope rolls back what this wrote.
        """
        key = state.key
        try:
            with _Write(self) as link:
                conn = link.conn
                head = link.heads.get(key)
                if head is None or head.version != expected:
                    head = _expect(self._head(conn, key), expected, key)
                head = self._insert(conn, state, head, events)
                if link.depth and on_rollback is not None:
                    link.undo.append(on_rollback)
        except BaseException:
            self.link().heads.pop(key, None)
            raise
        link.heads[key] = head
        return head.hash.hex()

    @staticmethod
    def _head(conn: sqlite3.Connection, key: str) -> Head:
        row = conn.execute(
            "SELECT version, head_hash, snapshot_version, number FROM investigations WHERE key = ?",
            [key],
        ).fetchone()
        if row is None:
            raise UnknownInvestigation(f"no investigation with key {key!r}")
        return Head(row[0], bytes.fromhex(row[1]), row[2], event_id(row[3], 0))

    def _insert(
        self,
        conn: sqlite3.Connection,
        state: InvestigationState,
        head: Head,
        events: Sequence[ev.Recorded],
    ) -> Head:
        """From ``head`` on: move the row, append the events and a ledger row, snapshot at times.

        The conditional UPDATE is the optimistic-concurrency check against other
        connections: it matches only while the row is still at ``head.version``.
        """
        expected, prev, snapshot, base = head.version, head.hash, head.snapshot, head.base
        if not events or [r.seq for r in events] != list(
            range(expected + 1, expected + 1 + len(events))
        ):
            raise StoreError(f"{state.key!r}: events must follow on from version {expected}")
        if events[-1].seq > LAST_SEQ:
            raise StoreError(f"{state.key!r} holds {LAST_SEQ} events, the most one can")
        if state.version != events[-1].seq:
            raise StoreError(f"{state.key!r}: the state is not at its last event")
        blob = digest = None
        if state.version - snapshot >= SNAPSHOT_EVERY:
            blob, digest = pack(state)  # the last event vouches for it: its digest is in the body
        rows = []
        last_seq = events[-1].seq
        for recorded in events:
            body = event_body(state.key, recorded, digest if recorded.seq == last_seq else None)
            hashed = chain_hash(body, prev)
            rows.append((base | recorded.seq, body, prev, hashed))
            prev = hashed
        last = conn.execute(_LEDGER_HEAD).fetchone()
        position = (last[0] if last else 0) + len(events)
        entry = (
            position,
            base | state.version,
            ledger_hash(last[1] if last else GENESIS, position, prev),
        )
        if blob is not None:
            conn.execute(
                "INSERT OR REPLACE INTO snapshots (investigation, version, format, state)"
                " VALUES (?, ?, ?, ?)",
                [state.key, state.version, SNAPSHOT_FORMAT, blob],
            )
            snapshot = state.version
        moved = conn.execute(
            "UPDATE investigations SET state = ?, version = ?, head_hash = ?, updated_at = ?,"
            " definition_hash = ?, snapshot_version = ?, position = ?"
            " WHERE key = ? AND version = ?",
            [
                state.lifecycle,
                state.version,
                prev.hex(),
                events[-1].at.isoformat(),
                state.definition_hash,
                snapshot,
                position,
                state.key,
                expected,
            ],
        )
        if moved.rowcount != 1:
            found = self._head(conn, state.key).version
            raise ConcurrencyConflict(
                f"{state.key!r} is at version {found}, not {expected}: another writer got "
                "there first; reload and retry the command"
            )
        if len(rows) == 1:
            conn.execute(_INSERT_EVENT, rows[0])
        else:
            conn.executemany(_INSERT_EVENT, rows)
        conn.execute(_INSERT_LEDGER, entry)
        return Head(state.version, prev, snapshot, base)

    # --- reading ---------------------------------------------------------------------

    def log(self, key: str, after: int = 0) -> list[ev.Recorded]:
        """The recorded events of ``key`` after ``after``, in order, their chain checked."""
        with self._read() as conn:
            head = self._head(conn, key)
            walk = _verify.Walk(conn, key, head.base >> 32, head.version)
            bodies = list(walk)
        if walk.broken is not None:
            raise RecordBroken(f"{key!r} does not verify: {walk.broken}; run verify")
        return [recorded_from_body(body) for body in bodies[after:]]

    def load(self, key: str, engine: Replayer) -> tuple[InvestigationState, str]:
        """The current state of ``key`` and its head hash (hex).

        A snapshot is used only when the chain vouches for it: the event at its
        version matches its hash and names the snapshot's digest. The events
        after it are checked against their hashes as they are folded in.
        """
        with self._read() as conn, _quiet_gc:
            head = self._head(conn, key)
            start, state, prev = self._snapshot(conn, key, head)
            cursor = conn.execute(
                "SELECT CAST(body AS BLOB), prev_hash, hash FROM events"
                " WHERE id BETWEEN ? AND ? ORDER BY id",
                [head.base | (start + 1), head.base | head.version],
            )
            tail = _verify.linked(cursor, prev, start)
            state = engine.fold(state, events_from_bodies(tail))
        if tail.broken is not None:
            raise RecordBroken(f"{key!r} does not verify: {tail.broken}; run verify")
        if state.version != head.version or tail.head != head.hash:
            raise RecordBroken(
                f"{key!r}: the log holds events up to {state.version}, the head says "
                f"{head.version}; run verify"
            )
        self.link().heads[key] = head
        return state, head.hash.hex()

    @staticmethod
    def _snapshot(
        conn: sqlite3.Connection, key: str, head: Head
    ) -> tuple[int, InvestigationState | None, bytes]:
        """The usable snapshot of ``key``: its version, state and the chain hash there.

        (0, None, GENESIS) when there is none the chain vouches for.
        """
        row = conn.execute(
            "SELECT s.version, s.state, CAST(e.body AS BLOB), e.prev_hash, e.hash"
            " FROM snapshots s JOIN events e ON e.id = ? | s.version"
            " WHERE s.investigation = ? AND s.format = ? AND s.version BETWEEN 1 AND ?",
            [head.base, key, SNAPSHOT_FORMAT, head.version],
        ).fetchone()
        if row is None:
            return 0, None, GENESIS
        version, blob, body, prev_hash, hashed = row
        if hashlib.sha256(body + prev_hash).digest() != hashed:
            return 0, None, GENESIS
        doc = parse_json(body)
        if doc.get("seq") != version or doc.get("investigation") != key:
            return 0, None, GENESIS
        state = unpack(blob, doc.get("snapshot") or "-")
        if state is None or state.version != version:
            return 0, None, GENESIS
        return version, state, bytes(hashed)

    def audit(self, key: str, engine: Replayer) -> Audit:
        """Replay ``key`` from its first event, checking everything on the way (no cache trusted).

        The chain, each event's place, the snapshot, the investigations row and
        the investigation's last ledger row: the first break is named.
        """
        with self._read() as conn, _quiet_gc:
            return _verify.audit(conn, key, engine)

    def verify(
        self,
        replayer_for: Callable[[str], Replayer | None],
        against: Checkpoint | None = None,
    ) -> Verification:
        """Verify the whole store (see ``_verify.verify``)."""
        with self._read() as conn, _quiet_gc:
            return _verify.verify(conn, replayer_for, against)

    def checkpoint(self) -> Checkpoint:
        """The store's checkpoint now: the ledger's last position and hash."""
        with self._read() as conn:
            last = conn.execute(_LEDGER_HEAD).fetchone()
        if last is None:
            return Checkpoint(0, "0" * 64)
        return Checkpoint(last[0], bytes(last[1]).hex())

    def backup(self, target: str | pathlib.Path) -> None:
        """Copy the whole store, committed WAL pages included, into a new file ``target``."""
        path = pathlib.Path(target)
        if path.exists():
            raise StorageUnavailable(f"{str(path)!r} exists already; a backup goes to a new file")
        with self._read() as conn, _translated():
            copy = sqlite3.connect(path)
            try:
                conn.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()

    def keys(self) -> list[str]:
        """The keys of every investigation, oldest first."""
        with self._read() as conn:
            rows = conn.execute("SELECT key FROM investigations ORDER BY created_at, key")
            return [row[0] for row in rows]

    def summaries(self, *, open_only: bool = False, limit: int | None = None) -> list[Summary]:
        """Investigations, most recently active first (only live ones if ``open_only``)."""
        sql = _SUMMARIES_OPEN if open_only else _SUMMARIES
        with self._read() as conn:
            rows = conn.execute(sql, [-1 if limit is None else limit]).fetchall()
        return [Summary(*row) for row in rows]

    def summary(self, key: str) -> Summary:
        """One investigation's summary by key."""
        with self._read() as conn:
            row = conn.execute(f"{_SUMMARY} WHERE key = ?", [key]).fetchone()
        if row is None:
            raise UnknownInvestigation(f"no investigation with key {key!r}")
        return Summary(*row)


def _expect(head: Head, expected: int, key: str) -> Head:
    """``head`` if the record is at the version the caller expected; else ConcurrencyConflict."""
    if head.version != expected:
        raise ConcurrencyConflict(
            f"{key!r} is at version {head.version} in the record, and this copy expected "
            f"{expected}: another writer got there first, or this copy is out of date; "
            "reload and retry the command"
        )
    return head


_INSERT_EVENT = "INSERT INTO events (id, body, prev_hash, hash) VALUES (?, ?, ?, ?)"
_INSERT_LEDGER = "INSERT INTO ledger (position, event, hash) VALUES (?, ?, ?)"
_LEDGER_HEAD = "SELECT position, hash FROM ledger ORDER BY position DESC LIMIT 1"
_SUMMARY = "SELECT key, title, process, state, version, updated_at, head_hash FROM investigations"
_SUMMARIES = f"{_SUMMARY} ORDER BY updated_at DESC, key DESC LIMIT ?"
_SUMMARIES_OPEN = (
    f"{_SUMMARY} WHERE state NOT IN ('concluded', 'stopped')"
    " ORDER BY updated_at DESC, key DESC LIMIT ?"
)
