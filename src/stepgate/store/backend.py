"""The record's operations on any database: append, load, read, audit, verify.

``Backend`` holds what stepgate does with its tables, in SQL that SQLite and
PostgreSQL both read (``?`` placeholders; a subclass's connections translate
where they must). One command is one transaction: the caller's expected version
is compared with the record's head, the events are inserted with their hashes,
the ledger gets one row, and the investigation's row (and now and then its
snapshot) moves — all or nothing. The ledger's next position is taken under
the database's write lock (``lock_ledger``), so positions count events in
commit order with no gaps. Nothing here knows a rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from stepgate.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    RecordBroken,
    StoreError,
    UnknownInvestigation,
)
from stepgate.model import events as ev
from stepgate.model import slots as _slots
from stepgate.model.serial import BUILDERS, parse_json
from stepgate.model.state import InvestigationState
from stepgate.model.text import Text
from stepgate.store import audit as _audit
from stepgate.store import chain as _chain
from stepgate.store import documents as _documents
from stepgate.store import since as _since
from stepgate.store import verify as _verify
from stepgate.store import workers as _workers
from stepgate.store.connections import Connections, Link, Write, quiet_gc
from stepgate.store.record import (
    GENESIS,
    LAST_SEQ,
    SNAPSHOT_FORMAT,
    Audit,
    ChainBreak,
    Checkpoint,
    FeedEvent,
    Replayer,
    Summary,
    Verification,
    chain_hash,
    envelope,
    event_body,
    event_id,
    events_from_bodies,
    ledger_hash,
    pack,
    unpack,
    vouches,
)

SNAPSHOT_EVERY = 100
"""Write a snapshot when this many events were appended since the last one (see ``due``)."""

SNAPSHOT_SIZE = 8192
"""Stored bytes of a snapshot up to which one is written every ``SNAPSHOT_EVERY`` events."""


def due(size: int) -> int:
    """How many events after a snapshot of ``size`` stored bytes the next one is written.

    ``SNAPSHOT_EVERY``, or more for a large working state (thousands of unraised
    topics): in proportion to its size, so writing snapshots costs each command
    about the same however large the state grows (with a fixed count it grew
    with the state: 70 to 270 µs per command between 0 and 16 000 topics), and
    a load's tail costs about what reading the snapshot does.
    """
    return max(SNAPSHOT_EVERY, SNAPSHOT_EVERY * size // SNAPSHOT_SIZE)


Blobs = Mapping[str, "_documents.Staged"]
"""The bytes of documents a command files, staged, by SHA-256 (hex)."""

Columns = tuple[str, str, dt.datetime]
"""What a command leaves in its investigation's row: lifecycle, definition hash, time."""


class Waiting:
    """A command of a ``writing()`` scope, kept until the scope writes (see ``flush``)."""

    __slots__ = ("columns", "events", "state", "whole")

    def __init__(
        self,
        state: InvestigationState,
        events: Sequence[ev.Recorded],
        columns: Columns,
    ) -> None:
        self.state = state
        self.events = events
        self.columns = columns
        self.whole = True  # False: ``state`` may be half-folded; take no snapshot of it


@_slots.fast_init
@attrs.frozen
class Head:
    """Where an investigation's record stands: version, head hash, snapshot version, base id.

    ``base`` is ``event_id(number, 0)``: event ``seq`` has id ``base | seq``.
    """

    version: int
    hash: bytes
    snapshot: int
    base: int
    size: int = 0  # the stored bytes of its snapshot (0: none)


class Commit:
    """One command's rows, ready to write: events, the new head, the snapshot, the row's values.

    A plain slotted class: a bulk import makes one per command, and only the
    last of each investigation's is asked for ``columns``.
    """

    __slots__ = ("_row", "base", "blob", "head", "rows", "size", "snapshot", "version")

    def __init__(
        self,
        rows: list[tuple[int, Any, bytes]],  # id, body, hash
        head: bytes,
        version: int,
        row: Columns,
        *,
        blob: bytes | None,
        snapshot: int,
        base: int,
        size: int,
    ) -> None:
        self.rows, self.head, self.version, self._row = rows, head, version, row
        self.blob, self.snapshot, self.base = blob, snapshot, base
        self.size = size if blob is None else len(blob)

    @property
    def columns(self) -> list[Any]:
        """The investigations row's new values, in the UPDATE's order."""
        lifecycle, definition_hash, at = self._row
        head = self.head.hex()
        return [lifecycle, self.version, head, at.isoformat(), definition_hash, self.snapshot]

    def next_head(self) -> Head:
        """Where the investigation's record stands after this commit."""
        return Head(self.version, self.head, self.snapshot, self.base, self.size)


_SUMMARY = "SELECT key, title, process, state, version, updated_at, head_hash FROM investigations"
"""An investigation's summary as its row says (the columns of ``Summary``)."""


class Backend(Connections):
    """Investigations in one database, shared by a process's threads (see the module)."""

    open_summaries = (
        # SQLite reads the partial index ``investigations_open`` (``m006``)
        f"{_SUMMARY} WHERE state NOT IN ('concluded', 'stopped') ORDER BY updated_at DESC, key DESC"
    )
    """The open investigations, most recently active first (a backend reads them its way)."""

    insert_event = "INSERT INTO event_bodies (id, body, hash) VALUES (?, ?, ?)"
    """One stored event: SQLite's table ``event_bodies`` (``events`` is a view, ``m009``)."""

    def body_value(self, body: bytes) -> Any:
        """An event's body (UTF-8 bytes) as its ``body`` column takes it (SQLite: text)."""
        return body.decode()

    def lock_ledger(self, conn: Any) -> None:
        """Take the lock that orders commits, before the ledger's next position is read.

        SQLite's writer already holds it (``BEGIN IMMEDIATE``).
        """

    def backup(self, target: Any) -> None:
        """Copy the whole store into a new file ``target`` (where the database can)."""
        raise NotImplementedError

    def schema_breaks(self, conn: Any) -> Iterator[ChainBreak]:
        """Every schema object stepgate made that is missing or changed (see ``verify``)."""
        raise NotImplementedError

    # --- writing ---------------------------------------------------------------------

    def add(self, state: InvestigationState, first: ev.Recorded, blobs: Blobs | None = None) -> str:
        """Record a new investigation with its first event; return the head hash (hex).

        ``blobs`` holds the bytes of the documents the event files (see ``append``).
        """
        with Write(self) as link:
            conn = link.conn
            self.flush(link)  # commands waiting in this scope come first
            self._file(conn, [first], blobs)
            self.lock_ledger(conn)  # the key and the next number are read under the commit lock
            taken = conn.execute("SELECT 1 FROM investigations WHERE key = ?", [state.key])
            if taken.fetchone():
                raise AlreadyExists(
                    nn=f"ei utgreiing med nøkkelen {state.key!r} finst alt",
                    en=f"an investigation with key {state.key!r} exists already",
                )
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
        blobs: Blobs | None = None,
    ) -> str | None:
        """Append ``events`` after version ``expected``; return the new head hash (hex).

        ``expected`` is the version the caller's state was at before the command:
        if the record's head is anywhere else — another writer moved it, or the
        caller is behind or ahead of the record — this raises ConcurrencyConflict
        and writes nothing. Inside ``writing()`` (``Store.batch()``) the command
        waits in this thread's connection, and its rows are made and written with
        the others when the scope ends (or before anything is read in it): then it
        returns None, and ``head_hash`` tells the hash. ``on_rollback`` is called
        if the scope rolls back what this appended. ``blobs`` holds the bytes of
        the documents the events file, by SHA-256: each content not stored yet is
        written in the same transaction (once per content).
        """
        if self.memory:
            self.mutex.acquire()  # the one shared connection: its scope is this thread's
        try:
            link = self.link()
            if link.depth:
                self._buffer(link, state, expected, events, on_rollback, blobs=blobs)
                return None
            return self._append_now(state, expected, events, blobs)
        finally:
            if self.memory:
                self.mutex.release()

    def _append_now(
        self,
        state: InvestigationState,
        expected: int,
        events: Sequence[ev.Recorded],
        blobs: Blobs | None,
    ) -> str:
        key = state.key
        try:
            with Write(self) as link:
                conn = link.conn
                head = self._head_at(link, key, expected)
                self._file(conn, events, blobs)
                head = self._insert(conn, state, head, events)
        except BaseException:
            self.link().heads.pop(key, None)
            raise
        link.heads[key] = head
        return head.hash.hex()

    def _buffer(
        self,
        link: Link,
        state: InvestigationState,
        expected: int,
        events: Sequence[ev.Recorded],
        on_rollback: Callable[[], None] | None,
        *,
        blobs: Blobs | None = None,
    ) -> None:
        """Keep one command for the end of the scope (the bulk path); its rows are made then.

        What can be checked now is: the events follow on, and the record (or the
        command before it in this scope) is at ``expected``. The row's values are
        taken now; the bodies, hashes and snapshot when the scope writes.
        """
        key, conn = state.key, link.conn
        _follow_on(state, expected, events)
        found = link.buffered.get(key)
        if found is None:
            with self.translated():
                if not conn.in_transaction:
                    self.begin_write(conn)
                first = self._head_at(link, key, expected)
        else:
            first, version = found
            if version != expected:
                raise _conflict(key, version, expected)
        link.buffered[key] = (first, state.version)
        with self.translated():
            self._file(conn, events, blobs)  # a document's bytes go in now, in the transaction
        link.order.append(Waiting(state, events, _columns(state, events)))
        if on_rollback is not None:
            link.undo.append(on_rollback)

    def _file(self, conn: Any, events: Sequence[ev.Recorded], blobs: Blobs | None) -> None:
        """Store the bytes of every document ``events`` file that the store does not hold yet."""
        for recorded in events:
            for document in getattr(recorded.event, "documents", ()):
                staged = (blobs or {}).get(document.sha256)
                if staged is None:
                    if self._stored(conn, document.sha256):
                        continue
                    raise StoreError(
                        nn=f"bytane til dokumentet {document.title!r} ({document.sha256[:12]}…) "
                        "vart ikkje gjevne, og lageret har dei ikkje; arkiver det med "
                        "stepgate.Document",
                        en=f"the bytes of document {document.title!r} ({document.sha256[:12]}…) "
                        "were not given, and the store does not hold them; file it with "
                        "stepgate.Document",
                    )
                _documents.write(conn, staged)

    @staticmethod
    def _stored(conn: Any, sha256: str) -> bool:
        return bool(conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", [sha256]).fetchone())

    def spoiled(self, state: InvestigationState) -> None:
        """``state`` may hold a half-folded command: write no snapshot of it from this scope."""
        for waiting in self.link().order:
            if waiting.state is state:
                waiting.whole = False

    def head_hash(self, key: str) -> str:
        """The hash at the head of ``key``'s chain now (hex), with what this scope wrote."""
        with self._read() as conn:
            return self._head(conn, key).hash.hex()

    def flush(self, link: Link) -> None:
        """Write what the scope's commands left waiting, in the order they were issued.

        Each command keeps its own ledger row (positions and hashes computed here,
        under the commit lock); each investigation's row moves once, from the
        version the scope first found to its last; the events go in one batch. An
        investigation gets at most one snapshot per flush, at its last command
        here (when one is due): a bulk import does not pay for a snapshot every
        hundred events.
        """
        if not link.order:
            return
        order, first = link.order, link.buffered
        link.order, link.buffered = [], {}
        heads = {key: head for key, (head, _version) in first.items()}
        last = {waiting.state.key: waiting for waiting in order}
        conn = link.conn
        self.lock_ledger(conn)
        row = conn.execute(_verify.LEDGER_HEAD).fetchone()
        position, chained = (row[0], bytes(row[1])) if row else (0, GENESIS)
        events: list[tuple[int, Any, bytes]] = []
        ledger: list[tuple[int, int, bytes]] = []
        moves: dict[str, tuple[Commit, int]] = {}
        for waiting in order:
            key = waiting.state.key
            head = heads[key]
            snap = last[key] is waiting and waiting.whole
            commit = self._prepared(waiting.state, head, waiting.events, waiting.columns, snap)
            heads[key] = commit.next_head()
            position += len(commit.rows)
            chained = ledger_hash(chained, position, commit.head)
            ledger.append((position, commit.base | commit.version, chained))
            events += commit.rows
            moves[key] = (commit, position)
        for key, (commit, _at) in moves.items():
            if commit.blob is not None:
                conn.execute(_UPSERT_SNAPSHOT, [key, commit.version, SNAPSHOT_FORMAT, commit.blob])
        for key, (commit, at) in moves.items():
            moved = conn.execute(_MOVE_ROW, [*commit.columns, at, key, first[key][0].version])
            if moved.rowcount != 1:
                raise ConcurrencyConflict(
                    nn=f"{key!r} flytte seg medan denne bolken gjekk: ein annan skrivar kom "
                    "først; ingenting av bolken vert skrive",
                    en=f"{key!r} moved on while this batch ran (from version "
                    f"{first[key][0].version}"
                    "): another writer got there first; nothing of the batch is written",
                )
        conn.executemany(self.insert_event, events)
        conn.executemany(_INSERT_LEDGER, ledger)
        link.heads.update(heads)

    def _head_at(self, link: Link, key: str, expected: int) -> Head:
        """``key``'s head, which must be at version ``expected`` (the one this link last saw, or
        the record's); ConcurrencyConflict if it is anywhere else."""
        head = link.heads.get(key)
        if head is None or head.version != expected:
            head = _expect(self._head(link.conn, key), expected, key)
        return head

    @staticmethod
    def _head(conn: Any, key: str) -> Head:
        row = conn.execute(_HEAD, [key]).fetchone()
        if row is None:
            raise unknown(key)
        return Head(row[0], bytes.fromhex(row[1]), row[2], event_id(row[3], 0), row[4] or 0)

    def _insert(
        self,
        conn: Any,
        state: InvestigationState,
        head: Head,
        events: Sequence[ev.Recorded],
    ) -> Head:
        """From ``head`` on: move the row, append the events and a ledger row, snapshot at times."""
        _follow_on(state, head.version, events)
        commit = self._prepared(state, head, events, _columns(state, events), True)
        self._commit_rows(conn, state, head.version, commit)
        return commit.next_head()

    def _prepared(
        self,
        state: InvestigationState,
        head: Head,
        events: Sequence[ev.Recorded],
        columns: Columns,
        snapshot_allowed: bool,
    ) -> Commit:
        """One command's rows: bodies, the chain's hashes, a snapshot when one is due.

        A snapshot is of ``state``, so only when ``state`` stands at the command's
        last event (and ``snapshot_allowed``); the last event vouches for it.
        """
        prev, snapshot, base = head.hash, head.snapshot, head.base
        last_seq = events[-1].seq
        blob = digest = None
        if snapshot_allowed and last_seq - snapshot >= due(head.size) and state.version == last_seq:
            blob, digest = pack(state)  # the last event vouches for it: its digest is in the body
            snapshot = last_seq
        rows = []
        for recorded in events:
            body = event_body(state.key, recorded, digest if recorded.seq == last_seq else None)
            hashed = chain_hash(body, prev)
            rows.append((base | recorded.seq, self.body_value(body), hashed))
            prev = hashed
        return Commit(
            rows, prev, last_seq, columns, blob=blob, snapshot=snapshot, base=base, size=head.size
        )

    def _commit_rows(
        self, conn: Any, state: InvestigationState, expected: int, commit: Commit
    ) -> None:
        """Write one command's rows: the ledger's next row, the snapshot, the row, the events.

        The conditional UPDATE is the optimistic-concurrency check against other
        connections: it matches only while the row is still at ``expected``.
        """
        rows, head = commit.rows, commit.head
        self.lock_ledger(conn)
        last = conn.execute(_verify.LEDGER_HEAD).fetchone()
        position = (last[0] if last else 0) + len(rows)
        entry = (
            position,
            commit.base | state.version,
            ledger_hash(last[1] if last else GENESIS, position, head),
        )
        if commit.blob is not None:
            conn.execute(_UPSERT_SNAPSHOT, [state.key, state.version, SNAPSHOT_FORMAT, commit.blob])
        moved = conn.execute(_MOVE_ROW, [*commit.columns, position, state.key, expected])
        if moved.rowcount != 1:
            found = self._head(conn, state.key).version
            raise ConcurrencyConflict(
                nn=f"{state.key!r} står på versjon {found}, ikkje {expected}: ein annan skrivar "
                "kom først; last på nytt og prøv kommandoen att",
                en=f"{state.key!r} is at version {found}, not {expected}: another writer got "
                "there first; reload and retry the command",
            )
        if len(rows) == 1:
            conn.execute(self.insert_event, rows[0])
        else:
            conn.executemany(self.insert_event, rows)
        conn.execute(_INSERT_LEDGER, entry)

    # --- reading ---------------------------------------------------------------------

    def log(self, key: str, after: int = 0) -> list[ev.Recorded]:
        """The recorded events of ``key`` after ``after``, in order, their chain checked."""
        with self._read() as conn:
            head = self._head(conn, key)
            walk = _audit.Walk(conn, key, head.base >> 32, head.version)
            log = list(walk.recorded())
        if walk.broken is not None:
            raise broken(key, walk.broken)
        return log[after:]

    def hash_at(self, key: str, seq: int) -> str:
        """The hash of event ``seq`` of ``key`` (hex): the head hash the record had at ``seq``.

        Read after ``log`` checked the chain up to its head: events are insert-only,
        so the hash of an event never changes once written.
        """
        with self._read() as conn:
            head = self._head(conn, key)
            row = conn.execute("SELECT hash FROM events WHERE id = ?", [head.base | seq]).fetchone()
        if row is None:
            raise UnknownInvestigation(
                nn=f"{key!r} har inga hending {seq}", en=f"{key!r} has no event {seq}"
            )
        return bytes(row[0]).hex()

    def positions(self, key: str) -> dict[int, int]:
        """The store-wide position (its place in the feed) of every event of ``key``, by seq.

        Each ledger row is one commit of one investigation: the position and id of
        its last event. An event stands as far before its commit's last position
        as its id stands before the commit's last id.
        """
        found: dict[int, int] = {}
        with self._read() as conn:
            head = self._head(conn, key)
            rows = conn.execute(
                "SELECT position, event FROM ledger WHERE event BETWEEN ? AND ? ORDER BY event",
                [head.base, head.base | 0xFFFFFFFF],
            )
            seq = 1
            for position, last in rows:
                end = int(last) & 0xFFFFFFFF
                for n in range(seq, end + 1):
                    found[n] = int(position) - (end - n)
                seq = end + 1
        return found

    def load(self, key: str, engine: Replayer) -> tuple[InvestigationState, str]:
        """The current state of ``key`` and its head hash (hex).

        A snapshot is used only when the chain vouches for it: the event at its
        version matches its hash and names the snapshot's digest. The events
        after it are checked against their hashes as they are folded in.
        """
        with self._read() as conn, quiet_gc:
            head = self._head(conn, key)
            start, state, prev = self._snapshot(conn, key, head)
            cursor = conn.execute(
                "SELECT CAST(body AS BLOB), hash FROM events WHERE id BETWEEN ? AND ? ORDER BY id",
                [head.base | (start + 1), head.base | head.version],
            )
            tail = _audit.linked(cursor, prev, start)
            state = engine.fold(state, events_from_bodies(tail))
        if tail.broken is not None:
            raise broken(key, tail.broken)
        if state.version != head.version or tail.head != head.hash:
            raise broken(
                key,
                Text(
                    f"loggen har hendingar fram til {state.version}, hovudet seier {head.version}",
                    f"the log holds events up to {state.version}, the head says {head.version}",
                ),
            )
        self.link().heads[key] = head
        return state, head.hash.hex()

    @staticmethod
    def _snapshot(conn: Any, key: str, head: Head) -> tuple[int, InvestigationState | None, bytes]:
        """The usable snapshot of ``key``: its version, state and the chain hash there.

        (0, None, GENESIS) when there is none the chain vouches for.
        """
        row = conn.execute(
            "SELECT s.version, s.state, CAST(e.body AS BLOB), p.hash, e.hash"
            " FROM snapshots s JOIN events e ON e.id = ? | s.version"
            " LEFT JOIN events p ON p.id = e.id - 1"  # the event before (none before the first)
            " WHERE s.investigation = ? AND s.format = ? AND s.version BETWEEN 1 AND ?",
            [head.base, key, SNAPSHOT_FORMAT, head.version],
        ).fetchone()
        if row is None:
            return 0, None, GENESIS
        version, blob, body, before, hashed = row
        if hashlib.sha256(body + (GENESIS if before is None else before)).digest() != hashed:
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
        with self._read() as conn, quiet_gc:
            return _audit.audit(conn, key, engine)

    def verify(
        self,
        replayer_for: Callable[[str], Replayer | None] | None,
        against: Checkpoint | None = None,
        progress: _verify.Progress | None = None,
        jobs: int = 1,
        since: Checkpoint | None = None,
    ) -> Verification:
        """Verify the whole store (see ``store.verify``), auditing in ``jobs`` processes; or
        only what was written after the checkpoint ``since``."""
        with self._read() as conn, quiet_gc:
            if replayer_for is None and since is None:
                return _chain.verify_chain(
                    conn, against, schema_breaks=self.schema_breaks, progress=progress
                )
            if since is not None:
                return _since.verify_since(
                    conn,
                    replayer_for,
                    since,
                    schema_breaks=self.schema_breaks,
                    progress=progress,
                )
            parallel = jobs > 1 and not self.memory and _workers.can_fork()
            return _verify.verify(
                conn,
                replayer_for,
                against,
                schema_breaks=self.schema_breaks,
                progress=progress,
                fan_out=_workers.in_workers(self._read, jobs) if parallel else None,
            )

    def checkpoint(self) -> Checkpoint:
        """The store's checkpoint now: the ledger's last position and hash."""
        with self._read() as conn:
            return _verify.checkpoint_now(conn)

    def events_since(self, position: int, limit: int) -> list[FeedEvent]:
        """Up to ``limit`` events after store-wide ``position``, in commit order.

        The ledger says where each commit ends and how many events it holds (the
        difference from the commit before), so each commit is one range of ids:
        one query reads the commits and their events together.
        """
        found: list[FeedEvent] = []
        with self._read() as conn:
            row = conn.execute(
                "SELECT max(position) FROM ledger WHERE position <= ?", [position]
            ).fetchone()
            before = row[0] if row and row[0] is not None else 0
            rows = conn.execute(_FEED, [before, before, limit])
            for place, body, hashed in rows:
                if place > position:
                    doc = parse_json(body)
                    recorded = envelope(doc, BUILDERS[doc["kind"]](doc["data"]))
                    found.append(
                        FeedEvent(place, doc["investigation"], recorded, bytes(hashed).hex())
                    )
                    if len(found) == limit:
                        break
        return found

    def copy_into(self, target: Backend, *, chunk: int = 2000) -> int:
        """Copy every row of this record into ``target``, which must hold none; the events copied.

        The rows move as they are — bodies byte for byte, hashes, snapshots, the
        ledger, each investigation's number and position — so the copy's chains,
        heads and checkpoint are this record's. One transaction on ``target``:
        all of it, or nothing.
        """
        copied = 0
        with self._read() as source, target.writing(lock=True):
            conn = target.link().conn
            if (
                conn.execute("SELECT count(*) FROM investigations").fetchone()[0]
                or (conn.execute("SELECT count(*) FROM ledger").fetchone()[0])
            ):
                raise StoreError(
                    nn=f"{target.path} har alt ein journal; kopier til eit nytt lager",
                    en=f"{target.path} holds a record already; copy into a new store",
                )
            for table, select, insert in _COPIES:
                cursor = source.execute(select)
                while rows := cursor.fetchmany(chunk):
                    if table == "events":
                        rows = [(i, target.body_value(bytes(b)), h) for i, b, h in rows]
                        copied += len(rows)
                    conn.executemany(target.insert_event if table == "events" else insert, rows)
            _documents.copy(source, conn)
        return copied

    def open_document(self, sha256: str) -> io.BufferedReader:
        """The stored document ``sha256`` as a stream, its checksum checked at its end."""
        with self._read() as conn:
            row = conn.execute("SELECT size FROM documents WHERE sha256 = ?", [sha256]).fetchone()
        if row is None:
            raise UnknownInvestigation(
                nn=f"lageret har ikkje noko dokument {sha256[:12]}…",
                en=f"the store holds no document {sha256[:12]}…",
            )

        waiting: dict[int, bytes] = {}

        def chunk(n: int) -> bytes | None:
            if n not in waiting:  # a few chunks per query: fewer round trips, memory bounded
                with self._read() as conn:
                    waiting.update(_documents.read_chunks(conn, sha256, n, _documents.BATCH))
            return waiting.pop(n, None)

        reader = _documents.DocumentReader(sha256, row[0], chunk)
        return io.BufferedReader(reader, buffer_size=_documents.CHUNK)

    def keys(self) -> list[str]:
        """The keys of every investigation, oldest first."""
        with self._read() as conn:
            rows = conn.execute("SELECT key FROM investigations ORDER BY created_at, key")
            return [row[0] for row in rows]

    def summaries(
        self, *, open_only: bool = False, limit: int | None = None, checked: bool = False
    ) -> list[Summary]:
        """Investigations, most recently active first (only live ones if ``open_only``).

        ``checked``: each row is compared with its investigation's first event
        (``Summary.vouched``).
        """
        sql = self.open_summaries if open_only else _SUMMARIES
        if checked:
            sql = sql.replace(_SUMMARY, _SUMMARY_CHECKED)
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._read() as conn:
            rows = conn.execute(sql).fetchall()
        if not checked:
            return [Summary(*row) for row in rows]
        found = []
        for *columns, body, hashed in rows:
            summary = Summary(*columns)
            found.append(attrs.evolve(summary, vouched=vouches(summary, body, hashed)))
        return found

    def process_named(self, key: str) -> str:
        """The process ``key``'s first event names (the chain vouches for it, not for the row)."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT number, process FROM investigations WHERE key = ?", [key]
            ).fetchone()
            if row is None:
                raise unknown(key)
            return _verify.named_process(conn, row[0], row[1])

    def summary(self, key: str) -> Summary:
        """One investigation's summary by key."""
        with self._read() as conn:
            row = conn.execute(f"{_SUMMARY} WHERE key = ?", [key]).fetchone()
        if row is None:
            raise unknown(key)
        return Summary(*row)


def unknown(key: str) -> UnknownInvestigation:
    """The error for a key no investigation has."""
    return UnknownInvestigation(
        nn=f"inga utgreiing har nøkkelen {key!r}", en=f"no investigation with key {key!r}"
    )


def broken(key: str, found: ChainBreak | Text | None, then: str = "run verify") -> RecordBroken:
    """The error for a record that does not verify, naming its first break (``found``: a break,
    or why, in Nynorsk and English)."""
    nn_then = "køyr verify" if then == "run verify" else "ingenting vert vist"
    if isinstance(found, ChainBreak):
        shown, shown_nn = str(found), found.message("nn")
    elif found is None:
        shown, shown_nn = "its events cannot be read", "hendingane kan ikkje lesast"
    else:
        shown, shown_nn = found.en, f"kjeda av hendingar er broten ({found.nn})"
    return RecordBroken(
        nn=f"{key!r} stemmer ikkje: {shown_nn}; {nn_then}",
        en=f"{key!r} does not verify: {shown}; {then}",
    )


def _expect(head: Head, expected: int, key: str) -> Head:
    """``head`` if the record is at the version the caller expected; else ConcurrencyConflict."""
    if head.version != expected:
        raise _conflict(key, head.version, expected)
    return head


def _conflict(key: str, version: int, expected: int) -> ConcurrencyConflict:
    return ConcurrencyConflict(
        nn=f"{key!r} står på versjon {version} i journalen, og denne kopien venta "
        f"{expected}: ein annan skrivar kom først, eller kopien er gammal; last på nytt "
        "og prøv kommandoen att",
        en=f"{key!r} is at version {version} in the record, and this copy expected "
        f"{expected}: another writer got there first, or this copy is out of date; "
        "reload and retry the command",
    )


def _follow_on(state: InvestigationState, expected: int, events: Sequence[ev.Recorded]) -> None:
    """Refuse events that do not count on from ``expected`` to where ``state`` stands."""
    key, seq = state.key, expected
    for recorded in events:
        seq += 1
        if recorded.seq != seq:
            raise StoreError(
                nn=f"{key!r}: hendingane må halde fram frå versjon {expected}",
                en=f"{key!r}: events must follow on from version {expected}",
            )
    if seq == expected:
        raise StoreError(
            nn=f"{key!r}: ein kommando legg til minst éi hending",
            en=f"{key!r}: a command appends at least one event",
        )
    if events[-1].seq > LAST_SEQ:
        raise StoreError(
            nn=f"{key!r} har {LAST_SEQ} hendingar, det meste ho kan ha",
            en=f"{key!r} holds {LAST_SEQ} events, the most one can",
        )
    if state.version != events[-1].seq:
        raise StoreError(
            nn=f"{key!r}: tilstanden står ikkje ved den siste hendinga",
            en=f"{key!r}: the state is not at its last event",
        )


def _columns(state: InvestigationState, events: Sequence[ev.Recorded]) -> Columns:
    """The investigation row's values a command leaves (lifecycle, definition hash, time)."""
    return state.lifecycle, state.definition_hash, events[-1].at


_TABLES = (
    (
        "investigations",
        (
            "key",
            "title",
            "service_area",
            "region",
            "process",
            "definition_hash",
            "state",
            "version",
            "head_hash",
            "snapshot_version",
            "created_at",
            "updated_at",
            "number",
            "position",
        ),
        "number",
    ),
    ("events", ("id", "body", "hash"), "id"),
    ("snapshots", ("investigation", "version", "format", "state"), "investigation"),
    ("ledger", ("position", "event", "hash"), "position"),
)
"""Every table of the record, its columns and the order it is copied in."""

_COPIES = tuple(
    (
        table,
        # the names are the constants above, never input
        f"SELECT {', '.join(columns).replace('body', 'CAST(body AS BLOB)')} FROM {table}"  # noqa: S608
        f" ORDER BY {order}",
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",  # noqa: S608
    )
    for table, columns, order in _TABLES
)
"""Each table's copy: what is read from the source, what is written to the target."""

_UPSERT_SNAPSHOT = (
    "INSERT INTO snapshots (investigation, version, format, state) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (investigation) DO UPDATE SET version = excluded.version,"
    " format = excluded.format, state = excluded.state"
)
_MOVE_ROW = (
    "UPDATE investigations SET state = ?, version = ?, head_hash = ?, updated_at = ?,"
    " definition_hash = ?, snapshot_version = ?, position = ? WHERE key = ? AND version = ?"
)
_FEED = (
    # each commit (its last position and event, and how many events it holds) with its events;
    # an event's place is its commit's position less how far it stands before the commit's last
    "SELECT c.position - (c.event - e.id), CAST(e.body AS BLOB), e.hash FROM ("
    " SELECT position, event,"
    " position - COALESCE(LAG(position) OVER (ORDER BY position), ?) AS events"
    " FROM ledger WHERE position > ? ORDER BY position LIMIT ?) c"
    " JOIN events e ON e.id BETWEEN c.event - c.events + 1 AND c.event"
    " ORDER BY c.position, e.id"
)
_HEAD = (
    "SELECT version, head_hash, snapshot_version, number,"
    " (SELECT length(s.state) FROM snapshots s WHERE s.investigation = i.key)"
    " FROM investigations i WHERE key = ?"
)
_INSERT_LEDGER = "INSERT INTO ledger (position, event, hash) VALUES (?, ?, ?)"
_SUMMARY_CHECKED = (
    # the row with its first event, which vouches for the key, title and process
    "SELECT i.key, i.title, i.process, i.state, i.version, i.updated_at, i.head_hash,"
    " CAST(e.body AS BLOB), e.hash FROM investigations i"
    " LEFT JOIN events e ON e.id = i.number * 4294967296 + 1"  # event_id(number, 1)
)
_SUMMARIES = f"{_SUMMARY} ORDER BY updated_at DESC, key DESC"
