"""The durable record in SQLite: an append-only, hash-chained event log.

One command is one transaction: ``BEGIN IMMEDIATE`` takes the write lock
before anything is read, the expected version is checked, the events are
inserted with their hashes, and the investigation's row (and now and then its
snapshot) is updated — all or nothing. SQLite errors are translated into
stepgate's own at this boundary. This module and the schema are the only
importers of ``sqlite_utils``; nothing here knows a rule.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
import hashlib
import itertools
import pathlib
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

import attrs
from sqlite_utils import Database

from stepgate import _events as ev
from stepgate._errors import (
    ConcurrencyConflict,
    InvalidValue,
    NotAStepgateDatabase,
    SchemaTooNew,
    SchemaTooOld,
    StorageUnavailable,
    StoreError,
    UnknownInvestigation,
)
from stepgate._schema import MIGRATIONS
from stepgate._serial import (
    BUILDERS,
    canonical_json,
    parse_json,
    state_from_dict,
    state_to_dict,
)
from stepgate._state import InvestigationState

SNAPSHOT_EVERY = 100
"""Write a snapshot when this many events were appended since the last one."""
BUSY_TIMEOUT_S = 10.0
GENESIS = b""

Head = tuple[int, bytes, int, int]
"""Where an investigation's record stands: version, head hash, snapshot version, and
its base id (``event_id(number, 0)``: event ``seq`` has id ``base | seq``)."""


def event_id(number: int, seq: int) -> int:
    """The ``events.id`` of event ``seq`` of investigation ``number``: its place in the log.

    Each investigation's events sit together and in order in the rowid B-tree,
    so an investigation is one range of ids and appending writes one B-tree.
    """
    return (number << 32) | seq


LAST_SEQ = (1 << 32) - 1
"""The highest ``seq`` an id has room for (4 294 967 295 events per investigation)."""


class Replayer(Protocol):
    """What the store needs from the engine to rebuild a state: a fold."""

    def fold(
        self, state: InvestigationState | None, events: Iterable[ev.Event]
    ) -> InvestigationState:
        """``state`` with the next ``events`` of its log folded in (from nothing when None)."""


def chain_hash(body: str, prev_hash: bytes) -> bytes:
    """sha256 of the event's canonical JSON followed by the previous hash."""
    return hashlib.sha256(body.encode() + prev_hash).digest()


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
class Audit:
    """An investigation replayed from its verified events: the state and the first break."""

    state: InvestigationState | None
    broken: ChainBreak | None
    events: int

    @property
    def ok(self) -> bool:
        """True when the whole chain holds."""
        return self.broken is None


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


class _Transaction:
    """One write transaction: ``BEGIN IMMEDIATE``, then ``COMMIT``, or ``ROLLBACK`` on any error.

    SQLite errors come out translated. A class rather than a generator-based
    context manager, because every command enters one.
    """

    __slots__ = ("conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise _translate(error) from error
        return self.conn

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: object
    ) -> None:
        conn = self.conn
        if kind is None:
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as failed:
                error = failed
            else:
                return
        # SQLite may have rolled back already (a full disk does): never mask the cause
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        if isinstance(error, sqlite3.Error):
            raise _translate(error) from error


class SQLiteBackend:
    """Investigations in one SQLite file (or ``:memory:``)."""

    def __init__(self, path: str | pathlib.Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        self._heads: dict[str, Head] = {}  # what this connection last saw or wrote, per key
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
        if read_only and tables and known - applied:
            raise SchemaTooOld(
                f"{self.path!r} needs schema steps {sorted(known - applied)} of this stepgate;"
                " open it once without read_only to apply them"
            )
        if not read_only:
            if self.path != ":memory:":
                self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = FULL")
            MIGRATIONS.apply(self.db)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def _write(self) -> _Transaction:
        return _Transaction(self.db.conn)

    def add(self, state: InvestigationState, first: ev.Recorded) -> None:
        """Record a new investigation with its first event."""
        with self._write() as conn:
            taken = conn.execute("SELECT 1 FROM investigations WHERE key = ?", [state.key])
            if taken.fetchone():
                raise InvalidValue(f"an investigation with key {state.key!r} exists already")
            number = conn.execute(
                "SELECT coalesce(max(number), 0) + 1 FROM investigations"
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO investigations (key, title, service_area, region, process,"
                " definition_hash, state, version, head_hash, snapshot_version, created_at,"
                " updated_at, number) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, 0, ?, ?, ?)",
                [
                    state.key,
                    state.title,
                    state.service_area,
                    state.region.name,
                    state.process,
                    state.definition_hash,
                    state.lifecycle,
                    "",
                    _iso(first),
                    _iso(first),
                    number,
                ],
            )
            head = self._insert(conn, state, (0, GENESIS, 0, event_id(number, 0)), [first])
        self._heads[state.key] = head

    def append(
        self, state: InvestigationState, expected: int, events: Sequence[ev.Recorded]
    ) -> None:
        """Append ``events`` after version ``expected`` or raise ConcurrencyConflict."""
        key = state.key
        try:
            with self._write() as conn:
                head = self._heads.get(key)
                if head is None or head[0] != expected:
                    head = self._head(conn, key)
                head = self._insert(conn, state, head, events)
        except BaseException:
            self._heads.pop(key, None)
            raise
        self._heads[key] = head

    @staticmethod
    def _head(conn: sqlite3.Connection, key: str) -> Head:
        row = conn.execute(
            "SELECT version, head_hash, snapshot_version, number FROM investigations WHERE key = ?",
            [key],
        ).fetchone()
        if row is None:
            raise UnknownInvestigation(f"no investigation with key {key!r}")
        return row[0], bytes.fromhex(row[1]), row[2], event_id(row[3], 0)

    def _insert(
        self,
        conn: sqlite3.Connection,
        state: InvestigationState,
        head: Head,
        events: Sequence[ev.Recorded],
    ) -> Head:
        """From ``head`` on: move the row, append the events, snapshot now and then.

        The conditional UPDATE is the optimistic-concurrency check: it matches only
        while the row is still at the version this writer started from.
        """
        expected, prev, snapshot, base = head
        rows = []
        for recorded in events:
            if recorded.seq > LAST_SEQ:
                raise StoreError(f"{state.key!r} holds {LAST_SEQ} events, the most one can")
            body = event_body(state.key, recorded)
            hashed = chain_hash(body, prev)
            rows.append((base | recorded.seq, body, prev, hashed))
            prev = hashed
        if state.version - snapshot >= SNAPSHOT_EVERY:
            conn.execute(
                "INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?)",
                [state.key, state.version, pack(state)],
            )
            snapshot = state.version
        moved = conn.execute(
            "UPDATE investigations SET state = ?, version = ?, head_hash = ?, updated_at = ?,"
            " definition_hash = ?, snapshot_version = ? WHERE key = ? AND version = ?",
            [
                state.lifecycle,
                state.version,
                prev.hex(),
                _iso(events[-1]),
                state.definition_hash,
                snapshot,
                state.key,
                expected,
            ],
        )
        if moved.rowcount != 1:
            found = self._head(conn, state.key)[0]
            raise ConcurrencyConflict(
                f"{state.key!r} is at version {found}, not {expected}: another writer got "
                "there first; reload and retry the command"
            )
        if len(rows) == 1:
            conn.execute(_INSERT_EVENT, rows[0])
        else:
            conn.executemany(_INSERT_EVENT, rows)
        return state.version, prev, snapshot, base

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
            base = self._head(conn, key)[3]  # raises UnknownInvestigation
            cursor = conn.execute(_BODIES, [base | (after + 1), base | LAST_SEQ])
            return [recorded_from_body(body) for (body,) in cursor]

    def load(self, key: str, engine: Replayer) -> InvestigationState:
        """The current state of ``key``: its snapshot plus the events after it."""
        with self._read() as conn:
            head = self._head(conn, key)
            snapshot = conn.execute(
                "SELECT version, state FROM snapshots WHERE investigation = ?", [key]
            ).fetchone()
            after, state = (0, None) if snapshot is None else (snapshot[0], unpack(snapshot[1]))
            base = head[3]
            cursor = conn.execute(_BODIES, [base | (after + 1), base | LAST_SEQ])
            state = engine.fold(state, events_from_bodies(body for (body,) in cursor))
        if state.version != head[0]:
            raise StoreError(
                f"{key!r}: the log holds events up to {state.version}, the head says {head[0]};"
                " run verify"
            )
        self._heads[key] = head
        return state

    def audit(self, key: str, engine: Replayer) -> Audit:
        """Replay ``key`` from its first event while checking its hash chain, in one pass.

        No snapshot is trusted: the state is rebuilt from the verified events only,
        up to the first break (if any).
        """
        with self._read() as conn:
            row = conn.execute(
                "SELECT number, version, head_hash FROM investigations WHERE key = ?", [key]
            ).fetchone()
            if row is None:
                raise UnknownInvestigation(f"no investigation with key {key!r}")
            chain = Chain(conn, key, *row)
            bodies = iter(chain)
            first = next(bodies, None)
            state = None
            if first is not None:
                state = engine.fold(None, events_from_bodies(itertools.chain((first,), bodies)))
        return Audit(state, chain.broken, chain.walked)

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
                "SELECT key, number, version, head_hash FROM investigations ORDER BY key"
            ).fetchall()
            for key, number, version, head in investigations:
                chain = Chain(conn, key, number, version, head)
                collections.deque(chain, maxlen=0)  # walk it
                count += chain.walked
                heads[key] = head
                if chain.broken is not None:
                    breaks.append(chain.broken)
        return Verification(tuple(breaks), heads, count)


class Chain:
    """One investigation's event bodies in order, each checked against the chain as it is read.

    Iterating yields every sound body; at the first break it stops and sets
    ``broken``. ``walked`` counts the rows read.
    """

    def __init__(
        self, conn: sqlite3.Connection, key: str, number: int, version: int, head: str
    ) -> None:
        self.conn, self.key, self.number = conn, key, number
        self.version, self.head = version, head
        self.broken: ChainBreak | None = None
        self.walked = 0

    def __iter__(self) -> Iterator[bytes]:
        prev, seq, sha256 = GENESIS, 0, hashlib.sha256
        cursor = self.conn.execute(
            # the body as its UTF-8 bytes: what the hash covers, and what orjson reads
            "SELECT CAST(body AS BLOB), prev_hash, hash FROM events"
            " WHERE id BETWEEN ? AND ? ORDER BY id",
            [event_id(self.number, 1), event_id(self.number, LAST_SEQ)],
        )
        try:
            for body, prev_hash, hashed in cursor:
                seq += 1
                # chain_hash, inlined on the body's bytes: this runs for every event
                if prev_hash != prev or sha256(body + prev).digest() != hashed:
                    self.broken = ChainBreak(self.key, seq, _why(body, seq, prev_hash == prev))
                    return
                yield body
                prev = hashed
        finally:
            self.walked = seq
        if seq != self.version:
            reason = f"the log ends at {seq}, not {self.version}"
            self.broken = ChainBreak(self.key, seq + 1, reason)
        elif prev.hex() != self.head:
            reason = "the last hash is not the recorded head"
            self.broken = ChainBreak(self.key, self.version, reason)


def _why(body: bytes, seq: int, linked: bool) -> str:
    """Why event ``seq`` breaks the chain (``linked``: its previous hash is the one before)."""
    claimed = body.rsplit(b'"seq":', 1)[-1].rstrip(b"}").decode(errors="replace")
    if claimed != str(seq):  # keys are sorted: seq comes last
        return f"event {seq} is missing or out of order (event {claimed} is in its place)"
    if not linked:
        return "its previous hash does not match the event before it"
    return "its content does not match its hash"


_BODIES = "SELECT body FROM events WHERE id BETWEEN ? AND ? ORDER BY id"
_INSERT_EVENT = "INSERT INTO events (id, body, prev_hash, hash) VALUES (?, ?, ?, ?)"
_SUMMARY = "SELECT key, title, process, state, version, updated_at, head_hash FROM investigations"
_SUMMARIES = f"{_SUMMARY} ORDER BY updated_at DESC, key DESC LIMIT ?"
_SUMMARIES_OPEN = (
    f"{_SUMMARY} WHERE state NOT IN ('concluded', 'stopped')"
    " ORDER BY updated_at DESC, key DESC LIMIT ?"
)


def pack(state: InvestigationState) -> bytes:
    """A snapshot as stored: the state's canonical JSON, compressed (it is only a cache)."""
    return zlib.compress(canonical_json(state_to_dict(state)).encode(), 1)


def unpack(blob: bytes) -> InvestigationState:
    """The state in a stored snapshot."""
    return state_from_dict(parse_json(zlib.decompress(blob)))


def _iso(recorded: ev.Recorded) -> str:
    return recorded.at.isoformat()


@functools.cache
def _defaults(kind: str) -> tuple[tuple[str, Any], ...]:
    """Each field of an event kind with its default (``attrs.NOTHING`` when it has none)."""
    return tuple((f.name, f.default) for f in attrs.fields(ev.EVENT_TYPES[kind]))


def event_body(key: str, recorded: ev.Recorded) -> str:
    """The canonical JSON of one recorded event: what the hash covers, all of it.

    Fields at their default value are left out (loading puts the default back),
    which keeps the log small without changing what it says.
    """
    event = recorded.event
    data = {
        name: value
        for name, default in _defaults(event.kind)
        if (value := getattr(event, name)) != default or default is attrs.NOTHING
    }
    return canonical_json(
        {
            "investigation": key,
            "seq": recorded.seq,
            "kind": event.kind,
            "actor": recorded.actor,
            "at": recorded.at,  # orjson writes it exactly as isoformat() does
            "data": data,
        }
    )


def recorded_from_body(body: str) -> ev.Recorded:
    """The recorded event that ``event_body`` wrote."""
    doc = parse_json(body)
    event = BUILDERS[doc["kind"]](doc["data"])
    return ev.Recorded(doc["seq"], doc["actor"], dt.datetime.fromisoformat(doc["at"]), event)


def events_from_bodies(bodies: Iterable[str | bytes]) -> Iterator[ev.Event]:
    """The events in the bodies that ``event_body`` wrote (loading and auditing: no envelope)."""
    loads, builders = parse_json, BUILDERS
    for body in bodies:
        doc = loads(body)
        yield builders[doc["kind"]](doc["data"])
