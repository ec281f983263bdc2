"""The durable record in SQLite: an append-only, hash-chained event log.

One command is one transaction: ``BEGIN IMMEDIATE`` takes the write lock
before anything is read, the expected version is checked, the events are
inserted with their hashes, and the investigation's row (and now and then its
snapshot) is updated — all or nothing. SQLite errors are translated into
stepgate's own at this boundary. This module and the schema are the only
importers of ``sqlite_utils``; nothing here knows a rule.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import pathlib
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import attrs
from sqlite_utils import Database

from stepgate import _events as ev
from stepgate._errors import (
    ConcurrencyConflict,
    InvalidValue,
    NotAStepgateDatabase,
    SchemaTooNew,
    StorageUnavailable,
    UnknownInvestigation,
)
from stepgate._schema import MIGRATIONS
from stepgate._serial import (
    canonical_json,
    event_from_dict,
    event_to_dict,
    state_from_dict,
    state_to_dict,
)
from stepgate._state import InvestigationState

SNAPSHOT_EVERY = 100
"""Write a snapshot when this many events were appended since the last one."""
BUSY_TIMEOUT_S = 10.0
GENESIS = ""


class Replayer(Protocol):
    """What the store needs from the engine to rebuild a state: a fold."""

    def fold(self, state: InvestigationState, recorded: ev.Recorded) -> None:
        """Fold one recorded event into ``state``."""

    def replay(self, log: Sequence[ev.Recorded]) -> InvestigationState:
        """The state from a whole log."""


def chain_hash(row: Sequence[Any], prev_hash: str) -> str:
    """sha256 of the event's canonical JSON followed by the previous hash."""
    body = json.dumps(list(row), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((body + prev_hash).encode()).hexdigest()


@attrs.frozen
class ChainBreak:
    """Where an investigation's hash chain first fails, and why."""

    investigation: str
    seq: int
    reason: str


@attrs.frozen
class Verification:
    """The result of walking every chain: breaks (empty when sound) and head hashes."""

    breaks: tuple[ChainBreak, ...]
    heads: dict[str, str]
    events: int

    @property
    def ok(self) -> bool:
        """True when every chain holds."""
        return not self.breaks


@attrs.frozen
class Summary:
    """One investigation as listed: key, title, state, version, last activity."""

    key: str
    title: str
    process: str
    state: str
    version: int
    updated_at: str
    head_hash: str


def _translate(error: sqlite3.Error) -> Exception:
    text = str(error).lower()
    if isinstance(error, sqlite3.IntegrityError) and "unique" in text:
        return ConcurrencyConflict(
            "another writer appended to this investigation first; reload and retry"
        )
    if "readonly" in text or "read-only" in text:
        return StorageUnavailable(f"the database is read-only; nothing was written ({error})")
    if "full" in text:
        return StorageUnavailable(f"the database or disk is full; nothing was written ({error})")
    if "locked" in text or "busy" in text:
        return StorageUnavailable(
            f"the database stayed locked by another writer for {BUSY_TIMEOUT_S:.0f} s; "
            f"nothing was written ({error})"
        )
    if "not a database" in text or "malformed" in text:
        return NotAStepgateDatabase(f"the file is not a usable SQLite database ({error})")
    return StorageUnavailable(f"the database refused the operation: {error}")


@contextlib.contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as error:
        raise _translate(error) from error


class SQLiteBackend:
    """Investigations in one SQLite file (or ``:memory:``)."""

    def __init__(self, path: str | pathlib.Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        with _translated():
            self.db = Database(self._connect(self.path, read_only))
            self._prepare(read_only)

    @staticmethod
    def _connect(path: str, read_only: bool) -> sqlite3.Connection:
        if read_only:
            uri = pathlib.Path(path).resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        else:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def _prepare(self, read_only: bool) -> None:
        tables = set(self.db.table_names())
        applied = set()
        if MIGRATIONS.migrations_table in tables:
            applied = {m.name for m in MIGRATIONS.applied(self.db)}
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
        if not read_only:
            if self.path != ":memory:":
                self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = FULL")
            MIGRATIONS.apply(self.db)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self.db.conn
        with _translated():
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                # SQLite may have rolled back already (a full disk does): never mask the cause
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def add(self, state: InvestigationState, first: ev.Recorded) -> None:
        """Record a new investigation with its first event."""
        with self._write() as conn:
            taken = conn.execute("SELECT 1 FROM investigations WHERE key = ?", [state.key])
            if taken.fetchone():
                raise InvalidValue(f"an investigation with key {state.key!r} exists already")
            conn.execute(
                "INSERT INTO investigations VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
                [
                    state.key,
                    state.title,
                    state.service_area,
                    state.region.name,
                    state.process,
                    state.definition_hash,
                    state.lifecycle,
                    GENESIS,
                    _iso(first),
                    _iso(first),
                ],
            )
            self._insert(conn, state, GENESIS, [first])

    def append(
        self, state: InvestigationState, expected: int, events: Sequence[ev.Recorded]
    ) -> None:
        """Append ``events`` after version ``expected`` or raise ConcurrencyConflict."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT version, head_hash FROM investigations WHERE key = ?", [state.key]
            ).fetchone()
            if row is None:
                raise UnknownInvestigation(f"no investigation with key {state.key!r}")
            if row[0] != expected:
                raise ConcurrencyConflict(
                    f"{state.key!r} is at version {row[0]}, not {expected}: another writer "
                    "got there first; reload and retry the command"
                )
            self._insert(conn, state, row[1], events)

    def _insert(
        self,
        conn: sqlite3.Connection,
        state: InvestigationState,
        prev: str,
        events: Sequence[ev.Recorded],
    ) -> None:
        rows = []
        for recorded in events:
            row = _row(state.key, recorded)
            hashed = chain_hash(row, prev)
            rows.append((*row, prev, hashed))
            prev = hashed
        conn.executemany(
            "INSERT INTO events (investigation, seq, kind, actor, on_date, recorded_at, public,"
            " payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute(
            "UPDATE investigations SET state = ?, version = ?, head_hash = ?, updated_at = ?,"
            " definition_hash = ? WHERE key = ?",
            [
                state.lifecycle,
                state.version,
                prev,
                _iso(events[-1]),
                state.definition_hash,
                state.key,
            ],
        )
        snapshot = conn.execute(
            "SELECT version FROM snapshots WHERE investigation = ?", [state.key]
        ).fetchone()
        if state.version - (snapshot[0] if snapshot else 0) >= SNAPSHOT_EVERY:
            conn.execute(
                "INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?)",
                [state.key, state.version, canonical_json(state_to_dict(state))],
            )

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: a consistent view even while others write."""
        conn = self.db.conn
        with _translated():
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    def log(self, key: str, after: int = 0) -> list[ev.Recorded]:
        """The recorded events of ``key`` after ``after``, in order."""
        with self._read() as conn:
            self._must_exist(conn, key)
            return self._events(conn, key, after)

    @staticmethod
    def _must_exist(conn: sqlite3.Connection, key: str) -> None:
        if conn.execute("SELECT 1 FROM investigations WHERE key = ?", [key]).fetchone() is None:
            raise UnknownInvestigation(f"no investigation with key {key!r}")

    @staticmethod
    def _events(conn: sqlite3.Connection, key: str, after: int) -> list[ev.Recorded]:
        cursor = conn.execute(
            "SELECT seq, actor, recorded_at, payload FROM events"
            " WHERE investigation = ? AND seq > ? ORDER BY seq",
            [key, after],
        )
        return [
            ev.Recorded(seq, actor, _datetime(at), event_from_dict(json.loads(payload)))
            for seq, actor, at, payload in cursor
        ]

    def load(self, key: str, engine: Replayer) -> InvestigationState:
        """The current state of ``key``: its snapshot plus the events after it."""
        with self._read() as conn:
            self._must_exist(conn, key)
            snapshot = conn.execute(
                "SELECT version, state FROM snapshots WHERE investigation = ?", [key]
            ).fetchone()
            if snapshot is None:
                return engine.replay(self._events(conn, key, 0))
            state = state_from_dict(json.loads(snapshot[1]))
            for recorded in self._events(conn, key, snapshot[0]):
                engine.fold(state, recorded)
            return state

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
            row = conn.execute(
                "SELECT key, title, process, state, version, updated_at, head_hash FROM"
                " investigations WHERE key = ?",
                [key],
            ).fetchone()
        if row is None:
            raise UnknownInvestigation(f"no investigation with key {key!r}")
        return Summary(*row)

    def verify(self) -> Verification:
        """Walk every chain; name the first broken ``seq`` per investigation."""
        breaks: list[ChainBreak] = []
        heads: dict[str, str] = {}
        count = 0
        with self._read() as conn:
            investigations = conn.execute(
                "SELECT key, version, head_hash FROM investigations ORDER BY key"
            ).fetchall()
            for key, version, head in investigations:
                found, walked = _walk(conn, key, version, head)
                count += walked
                heads[key] = head
                if found is not None:
                    breaks.append(found)
        return Verification(tuple(breaks), heads, count)


def _walk(
    conn: sqlite3.Connection, key: str, version: int, head: str
) -> tuple[ChainBreak | None, int]:
    """Check one chain; the first break (or None) and the number of events walked."""
    prev, expected, walked = GENESIS, 1, 0
    cursor = conn.execute(
        "SELECT investigation, seq, kind, actor, on_date, recorded_at, public, payload,"
        " prev_hash, hash FROM events WHERE investigation = ? ORDER BY seq",
        [key],
    )
    for row in cursor:
        walked += 1
        seq = row[1]
        if seq != expected:
            return ChainBreak(key, expected, f"event {expected} is missing"), walked
        if row[8] != prev:
            return ChainBreak(key, seq, "its previous hash does not match event before it"), walked
        if chain_hash(row[:8], prev) != row[9]:
            return ChainBreak(key, seq, "its content does not match its hash"), walked
        prev, expected = row[9], expected + 1
    if expected - 1 != version:
        return ChainBreak(key, expected, f"the log ends at {expected - 1}, not {version}"), walked
    if prev != head:
        return ChainBreak(key, version, "the last hash is not the recorded head"), walked
    return None, walked


_SUMMARY = "SELECT key, title, process, state, version, updated_at, head_hash FROM investigations"
_SUMMARIES = f"{_SUMMARY} ORDER BY updated_at DESC, key LIMIT ?"
_SUMMARIES_OPEN = (
    f"{_SUMMARY} WHERE state NOT IN ('concluded', 'stopped') ORDER BY updated_at DESC, key LIMIT ?"
)


def _iso(recorded: ev.Recorded) -> str:
    return recorded.at.isoformat()


def _row(key: str, recorded: ev.Recorded) -> tuple[Any, ...]:
    data = event_to_dict(recorded.event)
    public = 0 if data.get("exemption") else 1
    return (
        key,
        recorded.seq,
        recorded.kind,
        recorded.actor,
        data["on"],
        _iso(recorded),
        public,
        canonical_json(data),
    )


def _datetime(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)
