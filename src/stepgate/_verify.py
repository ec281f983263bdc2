"""Verifying the record: everything stepgate can know about it, checked, nothing changed.

An **audit** replays one investigation from its first event and checks, on
the way: the hash chain; that each body says the investigation and seq of the
place it sits in; that its snapshot equals the fold at the snapshot's version
and is bound to the chain there; that the ``investigations`` row says what
the replay says; and that its last ledger row closes its chain. **verify**
audits every investigation, then walks the ledger (every commit in order,
its hash chain, each row's event), counts the events that belong to no
investigation, compares the schema objects stepgate made (tables, insert-only
triggers, views) with what it makes, and checks the record against a
checkpoint given from outside. The first break of each part is named.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from stepgate._errors import UnknownInvestigation
from stepgate._events import Event
from stepgate._record import (
    GENESIS,
    LAST_SEQ,
    SNAPSHOT_FORMAT,
    Audit,
    ChainBreak,
    Checkpoint,
    Replayer,
    Verification,
    claimed_place,
    event_id,
    ledger_hash,
    state_json,
)
from stepgate._schema import fresh_schema
from stepgate._serial import BUILDERS, parse_json
from stepgate._state import InvestigationState

_BODIES = (
    # the body as its UTF-8 bytes: what the hash covers, and what orjson reads
    "SELECT CAST(body AS BLOB), prev_hash, hash FROM events WHERE id BETWEEN ? AND ? ORDER BY id"
)


class Walk:
    """One investigation's events in order, each checked as it is read.

    Iterating yields every sound body (its chain checked); ``events`` also checks
    that each body says the investigation and seq of its place and builds the
    events. At the first break either stops and sets ``broken``. ``walked``
    counts the sound events, ``head`` is the last sound hash, ``seq`` how far it
    got; ``first`` and ``last`` are the first and last envelopes (for the row's
    times) and ``vouched`` the snapshot digest that event ``watch`` names.
    """

    def __init__(self, conn: sqlite3.Connection, key: str, number: int, version: int) -> None:
        self.conn, self.key, self.number, self.version = conn, key, number, version
        self.broken: ChainBreak | None = None
        self.walked = self.seq = 0
        self.head = GENESIS
        self.first: dict[str, Any] | None = None
        self.last: dict[str, Any] | None = None
        self.vouched: str | None = None

    def _rows(self) -> sqlite3.Cursor:
        return self.conn.execute(
            _BODIES, [event_id(self.number, 1), event_id(self.number, LAST_SEQ)]
        )

    def __iter__(self) -> Iterator[bytes]:
        prev, seq, sha256, version = GENESIS, 0, hashlib.sha256, self.version
        for body, prev_hash, hashed in self._rows():
            seq += 1
            # chain_hash, inlined on the body's bytes: this runs for every event
            if prev_hash != prev or sha256(body + prev).digest() != hashed:
                self._stop(seq, prev, _why(body, seq, prev_hash == prev))
                return
            if seq > version:
                self._stop(seq, prev, f"the log continues past its head (version {version})")
                return
            yield body
            prev = hashed
        self._end(seq, prev)

    def events(self, watch: int = 0) -> Iterator[Event]:
        """The events, chain and place checked; one loop, as it runs for every event."""
        prev, seq, sha256, version, key = GENESIS, 0, hashlib.sha256, self.version, self.key
        loads, builders, doc = parse_json, BUILDERS, None
        try:
            for body, prev_hash, hashed in self._rows():
                self.seq = seq = seq + 1
                if prev_hash != prev or sha256(body + prev).digest() != hashed:
                    self._stop(seq, prev, _why(body, seq, prev_hash == prev))
                    return
                if seq > version:
                    self._stop(seq, prev, f"the log continues past its head (version {version})")
                    return
                doc = loads(body)
                if doc["seq"] != seq or doc["investigation"] != key:
                    self._stop(seq, prev, _moved(body, seq))
                    return
                if seq == 1:
                    self.first = doc
                if seq == watch:
                    self.vouched = doc.get("snapshot")
                yield builders[doc["kind"]](doc["data"])
                prev = hashed
        except (KeyError, TypeError, ValueError) as error:
            reason = f"its body is not a stepgate event ({type(error).__name__}: {error})"
            self._stop(seq, prev, reason)
            return
        finally:
            self.last = doc
        self._end(seq, prev)

    def _end(self, seq: int, prev: bytes) -> None:
        self.walked, self.head = seq, prev
        if seq != self.version:
            self.broken = ChainBreak(
                self.key, seq + 1, f"the log ends at {seq}, not {self.version}"
            )

    def _stop(self, seq: int, prev: bytes, reason: str) -> None:
        self.walked, self.head = seq - 1, prev
        self.broken = ChainBreak(self.key, seq, reason)

    def fail(self, seq: int, reason: str) -> None:
        """Name a break found by whoever folds the events (the first one counts)."""
        if self.broken is None:
            self.broken = ChainBreak(self.key, seq, reason)


def _why(body: bytes, seq: int, linked: bool) -> str:
    """Why event ``seq`` breaks the chain (``linked``: its previous hash is the one before)."""
    claimed = body.rsplit(b'"seq":', 1)[-1].rstrip(b"}").decode(errors="replace")
    if claimed != str(seq):  # keys are sorted: seq comes last
        return f"event {seq} is missing or out of order (event {claimed} is in its place)"
    if not linked:
        return "its previous hash does not match the event before it"
    return "its content does not match its hash"


def _moved(body: bytes, seq: int) -> str:
    where = claimed_place(body)
    return (
        f"the event in place {seq} says it is event {where[1]} of {where[0]!r}: "
        "it was moved or copied here"
    )


def linked(cursor: Iterable[tuple[bytes, bytes, bytes]], prev: bytes, after: int) -> Tail:
    """The bodies of ``cursor``, each checked against its hash and linked to the one before."""
    return Tail(cursor, prev, after)


class Tail:
    """Bodies after a known hash (a snapshot's), checked as they are read (see ``linked``)."""

    def __init__(self, cursor: Iterable[tuple[bytes, bytes, bytes]], prev: bytes, after: int):
        self.cursor, self.head, self.seq = cursor, prev, after
        self.broken: str | None = None

    def __iter__(self) -> Iterator[bytes]:
        prev, sha256 = self.head, hashlib.sha256
        for body, prev_hash, hashed in self.cursor:
            self.seq += 1
            if prev_hash != prev or sha256(body + prev).digest() != hashed:
                self.broken = f"event {self.seq}: {_why(body, self.seq, prev_hash == prev)}"
                return
            yield body
            prev = self.head = hashed


# --- one investigation -----------------------------------------------------------------

_ROW = (
    "SELECT number, version, head_hash, title, service_area, region, process, definition_hash,"
    " state, snapshot_version, created_at, updated_at, position FROM investigations WHERE key = ?"
)


def audit(
    conn: sqlite3.Connection, key: str, engine: Replayer | None, *, deep: bool = False
) -> Audit:
    """Replay ``key`` from its first event, checking everything on the way (see the module).

    The snapshot is checked for its binding: the event at its version vouches for
    its digest. ``deep`` also compares its content with the fold at that version
    (what ``verify`` does); an audit's own state never comes from the snapshot.
    With ``engine`` None the states are not rebuilt: the chain, places, times,
    head, snapshot binding and ledger are still checked.
    """
    row = conn.execute(_ROW, [key]).fetchone()
    if row is None:
        raise UnknownInvestigation(f"no investigation with key {key!r}")
    number, version = row[0], row[1]
    snapshot = conn.execute(
        "SELECT version, format, state FROM snapshots WHERE investigation = ?", [key]
    ).fetchone()
    usable = snapshot is not None and snapshot[1] == SNAPSHOT_FORMAT
    walk = Walk(conn, key, number, version)
    state, found = _replay(walk, engine, snapshot if usable else None, deep)
    breaks = [walk.broken, *found]
    if walk.broken is None:
        if usable:
            breaks.append(_binding_break(walk, snapshot))
        breaks += _row_breaks(row, state, walk, snapshot)
        breaks.append(_ledger_tail(conn, key, row, walk.head))
    first = next((b for b in breaks if b is not None), None)
    return Audit(state, first, walk.walked, walk.head.hex() if walk.walked else "")


def _replay(
    walk: Walk, engine: Replayer | None, snapshot: Any, deep: bool
) -> tuple[InvestigationState | None, list[ChainBreak | None]]:
    """Fold the walked events (``deep``: comparing the snapshot on the way); state and breaks."""
    at = snapshot[0] if snapshot is not None else 0
    events: Iterator[Event] = walk.events(at)
    if engine is None:
        for _ in events:
            pass
        return None, []
    state: InvestigationState | None = None
    found: list[ChainBreak | None] = []
    try:
        if deep and 1 <= at <= walk.version:
            state = _fold(engine, None, itertools.islice(events, at))
            if state is not None and state.version == at and walk.broken is None:
                found.append(_content_break(walk, state, snapshot))
        state = _fold(engine, state, events)
    except Exception as error:
        walk.fail(walk.seq, f"the events do not replay ({type(error).__name__}: {error})")
    return state, found


def _fold(
    engine: Replayer, state: InvestigationState | None, events: Iterator[Event]
) -> InvestigationState | None:
    if state is None:
        first = next(events, None)
        if first is None:
            return None
        return engine.fold(None, itertools.chain((first,), events))
    return engine.fold(state, events)


def _binding_break(walk: Walk, snapshot: Any) -> ChainBreak | None:
    """The event at the snapshot's version must vouch for the snapshot's bytes."""
    version, _, blob = snapshot
    if not 1 <= version <= walk.version:
        reason = f"the snapshot is at version {version}, outside the log (1 to {walk.version})"
    elif walk.vouched != hashlib.sha256(blob).hexdigest():
        reason = f"event {version} does not vouch for the snapshot (forged or misplaced)"
    else:
        return None
    return ChainBreak(walk.key, version, reason, "snapshot")


def _content_break(walk: Walk, state: InvestigationState, snapshot: Any) -> ChainBreak | None:
    """The snapshot must hold the state the events give at its version."""
    version, _, blob = snapshot
    try:
        same = zlib.decompress(blob) == state_json(state)
    except zlib.error:
        same = False
    if same:
        return None
    reason = "the snapshot does not equal the replayed state at its version (forged)"
    return ChainBreak(walk.key, version, reason, "snapshot")


def _row_breaks(
    row: tuple[Any, ...], state: InvestigationState | None, walk: Walk, snapshot: Any
) -> list[ChainBreak | None]:
    """Every column of the investigations row that does not say what the record says."""
    key = walk.key
    head, snapshot_version = row[2], row[9]
    expected: dict[str, Any] = {"head_hash": walk.head.hex()}
    if walk.first is not None and walk.last is not None:
        expected["created_at"] = walk.first["at"]
        expected["updated_at"] = walk.last["at"]
    expected["snapshot_version"] = snapshot[0] if snapshot is not None else 0
    if state is not None:
        expected |= {
            "title": state.title,
            "service_area": state.service_area,
            "region": state.region.name,
            "process": state.process,
            "definition_hash": state.definition_hash,
            "state": state.lifecycle,
        }
    found = dict(
        zip(
            (
                "head_hash",
                "title",
                "service_area",
                "region",
                "process",
                "definition_hash",
                "state",
                "snapshot_version",
                "created_at",
                "updated_at",
            ),
            (head, *row[3:12]),
            strict=True,
        )
    )
    wrong = [
        f"{name} says {found[name]!r}, the record {value!r}"
        for name, value in expected.items()
        if found[name] != value
    ]
    if snapshot is not None and snapshot_version != snapshot[0]:
        wrong = [w for w in wrong if not w.startswith("snapshot_version")] + [
            f"snapshot_version says {snapshot_version}, the snapshot is at {snapshot[0]}"
        ]
    if not wrong:
        return []
    return [ChainBreak(key, 0, "the investigations row was edited: " + "; ".join(wrong), "row")]


def _ledger_tail(
    conn: sqlite3.Connection, key: str, row: tuple[Any, ...], head: bytes
) -> ChainBreak | None:
    """The investigation's last ledger row: at its position, naming its head, hash intact."""
    number, version, position = row[0], row[1], row[12]
    found = conn.execute("SELECT event, hash FROM ledger WHERE position = ?", [position]).fetchone()
    if found is None or found[0] != event_id(number, version):
        return ChainBreak(
            key,
            version,
            f"the ledger has no commit ending at its head (position {position})",
            "ledger",
        )
    before = conn.execute(
        "SELECT hash FROM ledger WHERE position < ? ORDER BY position DESC LIMIT 1", [position]
    ).fetchone()
    if ledger_hash(bytes(before[0]) if before else GENESIS, position, head) != bytes(found[1]):
        return ChainBreak(
            key, version, f"the ledger's hash at position {position} does not match", "ledger"
        )
    return None


# --- the whole store -------------------------------------------------------------------


def verify(
    conn: sqlite3.Connection,
    replayer_for: Callable[[str], Replayer | None],
    against: Checkpoint | None = None,
) -> Verification:
    """Audit every investigation, walk the ledger, count orphans, check schema and checkpoint."""
    breaks: list[ChainBreak] = list(schema_breaks(conn))
    heads: dict[str, str] = {}
    unreplayed: list[str] = []
    events = 0
    rows = conn.execute(
        "SELECT key, number, version, process, position FROM investigations ORDER BY number"
    ).fetchall()
    for key, _, _, process, _ in rows:
        engine = replayer_for(process)
        if engine is None:
            unreplayed.append(key)
        result = audit(conn, key, engine, deep=True)
        events += result.events
        heads[key] = result.head
        if result.broken is not None:
            breaks.append(result.broken)
    ledger = _Ledger(
        conn, {number: (key, version, position) for key, number, version, _, position in rows}
    )
    breaks += ledger.walk(against)
    breaks += _orphans(conn, rows)
    return Verification(tuple(breaks), heads, events, ledger.checkpoint, tuple(unreplayed))


class _Ledger:
    """The ledger walked in order: its hash chain, each row's event, each investigation's end."""

    def __init__(self, conn: sqlite3.Connection, investigations: dict[int, tuple[str, int, int]]):
        self.conn, self.investigations = conn, investigations
        self.checkpoint: Checkpoint | None = None

    def walk(self, against: Checkpoint | None) -> list[ChainBreak]:
        position, prev, seen, broken = 0, GENESIS, None, None
        last: dict[int, tuple[int, int]] = {}  # number -> (seq, position)
        cursor = self.conn.execute(
            "SELECT l.position, l.event, l.hash, e.hash FROM ledger l"
            " LEFT JOIN events e ON e.id = l.event ORDER BY l.position"
        )
        for at, event, stored, event_hash in cursor:
            number, seq = event >> 32, event & LAST_SEQ
            broken = self._row((at, position), number, seq, last.get(number, (0, 0))[0], event_hash)
            if broken is None and ledger_hash(prev, at, bytes(event_hash)) != bytes(stored):
                broken = "its hash does not follow from the row before (the ledger was edited)"
            if broken is not None:
                found = [ChainBreak("", at, broken, "ledger")]
                return found + self._against(against, None, at)
            position, prev = at, bytes(stored)
            last[number] = (seq, at)
            if against is not None and at == against.position:
                seen = prev
        self.checkpoint = Checkpoint(position, prev.hex() if position else "0" * 64)
        return self._ends(last) + self._against(against, seen, None)

    def _row(
        self, span: tuple[int, int], number: int, seq: int, before: int, event_hash: Any
    ) -> str | None:
        """What is wrong with the ledger row at ``span[0]`` (the row before ends at ``span[1]``).

        It names event ``seq`` of investigation ``number``, whose previous commit
        ended at event ``before``.
        """
        at, position = span
        if number not in self.investigations:
            return (
                f"it names investigation number {number}, which the store does not hold "
                "(the investigation was deleted)"
            )
        key = self.investigations[number][0]
        if event_hash is None:
            return f"it names event {seq} of {key!r}, which is missing"
        count = seq - before
        if count < 1 or at - position != count:
            return (
                f"it says {at - position} event(s) of {key!r} were committed, up to "
                f"event {seq}; the ledger before it says {count}"
            )
        return None

    def _end(self) -> int:
        return self.checkpoint.position if self.checkpoint is not None else 0

    def _ends(self, last: dict[int, tuple[int, int]]) -> list[ChainBreak]:
        found = []
        for number, (key, version, position) in self.investigations.items():
            seq, at = last.get(number, (0, 0))
            if seq != version or at != position:
                found.append(
                    ChainBreak(
                        key,
                        version,
                        f"the ledger ends this investigation at event {seq} (position {at}); "
                        f"the record says {version} (position {position})",
                        "ledger",
                    )
                )
        return found

    def _against(
        self, against: Checkpoint | None, seen: bytes | None, broken_at: int | None
    ) -> list[ChainBreak]:
        if against is None:
            return []
        if broken_at is not None and broken_at <= against.position:
            reason = f"cannot be confirmed: the ledger breaks first, at position {broken_at}"
        elif against.position == 0:
            return []
        elif seen is None and (
            self.checkpoint is None or self.checkpoint.position < against.position
        ):
            end = self.checkpoint.position if self.checkpoint else 0
            reason = (
                f"the record ends at position {end}, before the checkpoint's "
                f"{against.position}: events were cut"
            )
        elif seen is None:
            reason = f"no commit ends at position {against.position}: the record was rewritten"
        elif seen.hex() != against.hash:
            reason = (
                f"the ledger's hash at position {against.position} is {seen.hex()[:16]}…, "
                f"the checkpoint says {against.hash[:16]}…: the record was rewritten at "
                "or before that position"
            )
        else:
            return []
        return [ChainBreak("", against.position, reason, "checkpoint")]


def _orphans(conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> list[ChainBreak]:
    """Events that belong to no investigation (or lie past an investigation's head)."""
    total = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    if total == sum(row[2] for row in rows):
        return []
    numbers = {row[1]: row for row in rows}
    strays = []
    for (event,) in conn.execute("SELECT id FROM events ORDER BY id"):
        row = numbers.get(event >> 32)
        if row is None or (event & LAST_SEQ) > row[2]:
            strays.append(event)
    if not strays:
        return []
    shown = ", ".join(f"{e >> 32}:{e & LAST_SEQ}" for e in strays[:5])
    return [
        ChainBreak(
            "",
            0,
            f"{len(strays)} event(s) belong to no investigation's record (number:seq {shown})",
            "events",
        )
    ]


# --- the schema --------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def _normal(sql: str | None) -> str:
    return _SPACE.sub(" ", (sql or "").replace('"', "").replace("`", "")).strip()


@functools.cache
def _expected() -> dict[tuple[str, str], str]:
    """The schema objects stepgate makes, as its migrations make them in a new database."""
    return _objects(fresh_schema())


def _objects(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {(kind, name): _normal(sql) for kind, name, sql in rows}


def schema_breaks(conn: sqlite3.Connection) -> Iterator[ChainBreak]:
    """Every object stepgate made that is missing or changed, and every trigger or view added."""
    made, found = _expected(), _objects(conn)
    for (kind, name), sql in sorted(made.items()):
        if (kind, name) not in found:
            yield ChainBreak("", 0, f"{kind} {name} is missing", "schema")
        elif found[(kind, name)] != sql:
            yield ChainBreak("", 0, f"{kind} {name} was changed", "schema")
    for kind, name in sorted(set(found) - set(made)):
        if kind in ("trigger", "view"):
            yield ChainBreak("", 0, f"{kind} {name} was not made by stepgate", "schema")
