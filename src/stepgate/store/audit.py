"""Auditing one investigation: everything stepgate can know about it, checked, nothing changed.

An **audit** replays one investigation from its first event and checks, on
the way: the hash chain; that each body says the investigation and seq of the
place it sits in; that the chain vouches for its snapshot (and, deep, that
the snapshot equals the fold at its version); that the ``investigations`` row
says what the replay says; and that its last ledger row closes its chain. The
first break is named. ``Walk`` and ``Tail`` read events checked as they go,
for auditing, reading the log and loading. The whole store: ``_verify_store``.
"""

from __future__ import annotations

import hashlib
import itertools
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from stepgate.errors import UnknownInvestigation
from stepgate.model import events as ev
from stepgate.model.events import Event
from stepgate.model.serial import BUILDERS, parse_json
from stepgate.model.state import InvestigationState
from stepgate.model.text import Text
from stepgate.store.record import (
    GENESIS,
    LAST_SEQ,
    SNAPSHOT_FORMAT,
    Audit,
    ChainBreak,
    Filed,
    Replayer,
    claimed_place,
    envelope,
    event_id,
    ledger_hash,
    state_json,
    unpack,
)

_BODIES = (
    # the body as its UTF-8 bytes: what the hash covers, and what orjson reads
    "SELECT CAST(body AS BLOB), hash FROM events WHERE id BETWEEN ? AND ? ORDER BY id"
)
_BODY = "SELECT CAST(body AS BLOB) FROM events WHERE id = ?"
_SNAPSHOT = "SELECT version, format, state FROM snapshots WHERE investigation = ?"
_LEDGER_TAIL = (
    # the row at a position and the one before it, in one look-up
    "SELECT position, event, hash FROM ledger WHERE position <= ? ORDER BY position DESC LIMIT 2"
)
_DOCUMENTS_AT_ONCE = 500
"""How many documents one look-up of their sizes asks for (well under SQLite's 32 766 ``?``)."""


class Walk:
    """One investigation's events in order, each checked as it is read.

    ``events`` (and ``recorded``, with envelopes) yields each event whose body
    matches its hash, links to the one before, and says the investigation and
    seq of its place. At the first break it stops and sets ``broken``. ``walked``
    counts the sound events, ``head`` is the last sound hash, ``seq`` how far it
    got; ``first`` and ``last`` are the first and last envelopes (for the row's
    times) and ``vouched`` the snapshot digest that event ``watch`` names.
    """

    def __init__(
        self,
        conn: Any,
        key: str,
        number: int,
        version: int,
        until: int | None = None,
        *,
        start: int = 1,
        prev: bytes = GENESIS,
        rows: Iterable[tuple[bytes, bytes]] | None = None,
    ) -> None:
        self.conn, self.key, self.number, self.version = conn, key, number, version
        self.ahead = rows  # the events' (body, hash) rows when they were read ahead
        self.until = until  # the ledger position the walk reads as of (None: now)
        self.start, self.prev = start, prev  # from event ``start``, whose hash links to ``prev``
        self.broken: ChainBreak | None = None
        self.walked = self.seq = 0
        self.head = GENESIS
        self.first: dict[str, Any] | None = None
        self.last: dict[str, Any] | None = None
        self.vouched: str | None = None
        self.documents: list[Filed] = []

    def _rows(self) -> Any:
        if self.ahead is not None:
            return self.ahead
        many = self.version - self.start + 1
        return streamed(self.conn, _BODIES, bodies(self.number, self.start), many)

    def events(self, watch: int = 0) -> Iterator[Event]:
        """The events, chain and place checked; one loop, as it runs for every event."""
        return self._read(watch, recorded=False)  # type: ignore[return-value]

    def recorded(self) -> Iterator[ev.Recorded]:
        """The events with their envelopes (seq, actor, time), checked as ``events`` are."""
        return self._read(0, recorded=True)  # type: ignore[return-value]

    def _read(self, watch: int, *, recorded: bool) -> Iterator[Event | ev.Recorded]:
        prev, seq, sha256, version, key = (
            self.prev,
            self.start - 1,
            hashlib.sha256,
            self.version,
            self.key,
        )
        loads, builders, doc = parse_json, BUILDERS, None
        try:
            for body, hashed in self._rows():
                self.seq = seq = seq + 1
                if sha256(body + prev).digest() != hashed:
                    self.stop(seq, prev, _why(body, seq))
                    return
                if seq > version:
                    if self._committed_later(seq):
                        self.seq = seq = version
                        break
                    self.stop(seq, prev, past_head(version))
                    return
                doc = loads(body)
                if doc["seq"] != seq or doc["investigation"] != key:
                    self.stop(seq, prev, _moved(body, seq))
                    return
                if seq == 1:
                    self.first = doc
                if seq == watch:
                    self.vouched = doc.get("snapshot")
                event = builders[doc["kind"]](doc["data"])
                if "documents" in doc["data"]:
                    self._filed(event, seq)
                yield envelope(doc, event) if recorded else event
                prev = hashed
        except (KeyError, TypeError, ValueError) as error:
            self.stop(seq, prev, not_an_event(error))
            return
        finally:
            self.last = doc
        self.end(seq, prev)

    def _committed_later(self, seq: int) -> bool:
        """True when event ``seq`` past the head was committed after position ``until`` (a
        writer went on while a verify reads as of ``until``): not a break, not read."""
        if self.until is None:
            return False
        found = self.conn.execute(
            "SELECT 1 FROM ledger WHERE position > ? AND event BETWEEN ? AND ? LIMIT 1",
            [self.until, event_id(self.number, seq), event_id(self.number, LAST_SEQ)],
        )
        return found.fetchone() is not None

    def _filed(self, event: Any, seq: int) -> None:
        self.documents += [Filed(d.sha256, d.size, d.title, seq) for d in event.documents]

    def end(self, seq: int, prev: bytes) -> None:
        """The walk ended after event ``seq`` (hash ``prev``): a break if that is not the head."""
        self.walked, self.head = seq, prev
        if seq != self.version:
            self.broken = ChainBreak(
                self.key,
                seq + 1,
                Text(
                    nn=f"loggen sluttar ved {seq}, ikkje {self.version}",
                    en=f"the log ends at {seq}, not {self.version}",
                ),
            )

    def stop(self, seq: int, prev: bytes, reason: Text) -> None:
        """Event ``seq`` breaks the record for ``reason``; the walk stops before it."""
        self.walked, self.head = seq - 1, prev
        self.broken = ChainBreak(self.key, seq, reason)

    def fail(self, seq: int, reason: Text) -> None:
        """Name a break found by whoever folds the events (the first one counts)."""
        if self.broken is None:
            self.broken = ChainBreak(self.key, seq, reason)


def past_head(version: int) -> Text:
    """Why an event after the head breaks the record."""
    return Text(
        f"loggen held fram etter hovudet sitt (versjon {version})",
        f"the log continues past its head (version {version})",
    )


def not_an_event(error: Exception) -> Text:
    """Why a body that does not parse into an event breaks the record."""
    what = f"{type(error).__name__}: {error}"
    return Text(
        f"innhaldet er ikkje ei stepgate-hending ({what})",
        f"its body is not a stepgate event ({what})",
    )


def bodies(number: int, start: int = 1) -> list[int]:
    """The parameters of ``_BODIES``: investigation ``number``'s events from ``start`` on."""
    return [event_id(number, start), event_id(number, LAST_SEQ)]


def first_body(conn: Any, number: int) -> bytes | None:
    """The body of investigation ``number``'s first event (None when it is missing)."""
    found = conn.execute(_BODY, [event_id(number, 1)]).fetchone()
    return bytes(found[0]) if found else None


def vouched_at(conn: Any, number: int, version: int) -> str | None:
    """The snapshot digest that event ``version`` of investigation ``number`` names, if any."""
    found = conn.execute(_BODY, [event_id(number, version)]).fetchone()
    try:
        said = parse_json(found[0]).get("snapshot") if found else None
    except (ValueError, AttributeError):
        return None
    return said if isinstance(said, str) else None


def _why(body: bytes, seq: int) -> Text:
    """Text event ``seq`` breaks the chain: its hash is not that of its body and the hash before."""
    claimed = body.rsplit(b'"seq":', 1)[-1].rstrip(b"}").decode(errors="replace")
    if claimed != str(seq):  # keys are sorted: seq comes last
        return Text(
            f"hending {seq} manglar eller står i feil rekkjefølgje (hending {claimed} står "
            "på plassen hennar)",
            f"event {seq} is missing or out of order (event {claimed} is in its place)",
        )
    return Text(
        "hashen stemmer ikkje med innhaldet og hendinga før",
        "its hash does not match its content and the event before it",
    )


def _moved(body: bytes, seq: int) -> Text:
    where = claimed_place(body)
    return Text(
        f"hendinga på plass {seq} seier ho er hending {where[1]} av {where[0]!r}: "
        "ho er flytt eller kopiert hit",
        f"the event in place {seq} says it is event {where[1]} of {where[0]!r}: "
        "it was moved or copied here",
    )


def linked(cursor: Iterable[tuple[bytes, bytes]], prev: bytes, after: int) -> Tail:
    """The bodies of ``cursor``, each checked against its hash and linked to the one before."""
    return Tail(cursor, prev, after)


class Tail:
    """Bodies after a known hash (a snapshot's), checked as they are read (see ``linked``)."""

    def __init__(self, cursor: Iterable[tuple[bytes, bytes]], prev: bytes, after: int):
        self.cursor, self.head, self.seq = cursor, prev, after
        self.broken: Text | None = None

    def __iter__(self) -> Iterator[bytes]:
        prev, sha256 = self.head, hashlib.sha256
        for body, hashed in self.cursor:
            self.seq += 1
            if sha256(body + prev).digest() != hashed:
                why = _why(body, self.seq)
                self.broken = Text(f"hending {self.seq}: {why.nn}", f"event {self.seq}: {why.en}")
                return
            yield body
            prev = self.head = hashed


# --- one investigation -----------------------------------------------------------------

_ROW = (
    "SELECT number, version, head_hash, title, service_area, region, process, definition_hash,"
    " state, snapshot_version, created_at, updated_at, position FROM investigations WHERE key = ?"
)


def audit(
    conn: Any,
    key: str,
    engine: Replayer | None,
    *,
    deep: bool = False,
    row: tuple[Any, ...] | None = None,
    until: int | None = None,
    since: int | None = None,
    ahead: Ahead | None = None,
) -> Audit:
    """Replay ``key`` from its first event, checking everything on the way (see the module).

    The snapshot is checked for its binding: the event at its version vouches for
    its digest. ``deep`` also compares its content with the fold at that version
    (what ``verify`` does); an audit's own state never comes from the snapshot.
    With ``engine`` None the states are not rebuilt: the chain, places, times,
    head, snapshot binding and ledger are still checked.

    ``row`` (its ``investigations`` row as read before) and ``until`` (the ledger's
    last position then) make the audit one of a verify that reads the record as
    of that position while writers go on: what they commit later is left alone.
    ``ahead`` is what the audit reads, read before (``read_ahead``).

    ``since`` (the investigation's version at a checkpoint) walks only the events
    after it — from the snapshot's version, when the chain vouches for the snapshot
    and it is older — and folds them onto the snapshot's state (``verify --since``).
    """
    if row is None:
        row = conn.execute(_ROW, [key]).fetchone()
    if row is None:
        raise UnknownInvestigation(
            nn=f"inga utgreiing har nøkkelen {key!r}", en=f"no investigation with key {key!r}"
        )
    number, version = row[0], row[1]
    snapshot: Any = ahead.snapshot if ahead else conn.execute(_SNAPSHOT, [key]).fetchone()
    later = until is not None and snapshot is not None and snapshot[0] > version
    if later:  # a writer replaced the snapshot after ``until``: not there to check as of then
        snapshot = None
    usable = snapshot is not None and snapshot[1] == SNAPSHOT_FORMAT
    on_snapshot = (
        since is not None
        and usable
        and 1 <= snapshot[0] <= version
        and vouched_at(conn, number, snapshot[0]) == hashlib.sha256(bytes(snapshot[2])).hexdigest()
    )
    start = min(since + 1, snapshot[0]) if on_snapshot and since is not None else 1
    rows = ahead.events if ahead and start == 1 else None
    walk = Walk(conn, key, number, version, until, start=start, rows=rows)
    if start > 1 and not _resume(conn, walk):
        return Audit(None, walk.broken, 0, "", ())
    state, found = _replay(walk, engine, snapshot if usable else None, deep, on_snapshot)
    breaks = [walk.broken, *found]
    if walk.broken is None:
        tail = ahead.tail if ahead else None
        breaks += walked_breaks(
            conn, walk, row, state, snapshot, snapshot_known=not later, tail=tail
        )
    first = next((b for b in breaks if b is not None), None)
    head = walk.head.hex() if walk.walked else ""
    return Audit(state, first, walk.walked, head, tuple(walk.documents))


def walked_breaks(
    conn: Any,
    walk: Walk,
    row: tuple[Any, ...],
    state: InvestigationState | None,
    snapshot: Any,
    *,
    snapshot_known: bool = True,
    tail: list[tuple[Any, ...]] | None = None,
) -> list[ChainBreak | None]:
    """What a sound walk leaves to check: the snapshot's binding, the row against the record
    (``state``: the replay's, None without one), the last ledger row, the documents filed.
    ``tail`` is the ledger's rows at the row's position and before it, when read already."""
    breaks: list[ChainBreak | None] = []
    if snapshot is not None and snapshot[1] == SNAPSHOT_FORMAT:
        breaks.append(_binding_break(walk, snapshot))
    breaks += _row_breaks(row, state, walk, snapshot, snapshot_known=snapshot_known)
    if tail is None:
        tail = conn.execute(_LEDGER_TAIL, [row[12]]).fetchall()
    breaks.append(_ledger_tail(walk.key, row, walk.head, tail))
    breaks.append(_documents_break(conn, walk.key, walk.documents))
    return breaks


def _resume(conn: Any, walk: Walk) -> bool:
    """Start ``walk`` after event ``start - 1``: its stored hash to link to, and the first
    event (the row's times and what it fixed). False (a break) when that event is missing."""
    before = walk.start - 1
    found = conn.execute(
        "SELECT hash FROM events WHERE id = ?", [event_id(walk.number, before)]
    ).fetchone()
    if found is None:
        walk.stop(before, GENESIS, Text(f"hending {before} manglar", f"event {before} is missing"))
        return False
    walk.prev = bytes(found[0])
    first = first_body(conn, walk.number)
    walk.first = parse_json(first) if first is not None else None
    return True


ROW_COLUMNS = _ROW.split("SELECT ", 1)[1].split(" FROM", 1)[0]
"""The columns of the ``investigations`` row an audit reads, as a ``SELECT`` lists them."""


def _documents_break(conn: Any, key: str, filed: list[Filed]) -> ChainBreak | None:
    """Each document the events file is stored, with the size its event says.

    Its bytes are re-hashed by the store-wide ``verify`` (and when it is read).
    The sizes are looked up many documents at a time; the first wrong one is named.
    """
    wanted = list(dict.fromkeys(d.sha256 for d in filed))
    sizes: dict[str, int] = {}
    for at in range(0, len(wanted), _DOCUMENTS_AT_ONCE):
        part = wanted[at : at + _DOCUMENTS_AT_ONCE]
        marks = ", ".join("?" * len(part))
        query = f"SELECT sha256, size FROM documents WHERE sha256 IN ({marks})"  # noqa: S608
        sizes.update(conn.execute(query, part).fetchall())
    for document in filed:
        size = sizes.get(document.sha256)
        if size is None:
            return ChainBreak(
                key,
                document.seq,
                Text(
                    nn=f"dokumentet {document.title!r} ({document.sha256[:12]}…) manglar i lageret",
                    en=f"document {document.title!r} ({document.sha256[:12]}…) is missing from "
                    "the store",
                ),
                "document",
            )
        if size != document.size:
            return ChainBreak(
                key,
                document.seq,
                Text(
                    nn=f"dokumentet {document.title!r} ({document.sha256[:12]}…) er lagra med "
                    f"{size} byte; hendinga seier {document.size}",
                    en=f"document {document.title!r} ({document.sha256[:12]}…) is stored with "
                    f"{size} bytes; its event says {document.size}",
                ),
                "document",
            )
    return None


def _replay(
    walk: Walk, engine: Replayer | None, snapshot: Any, deep: bool, on_snapshot: bool = False
) -> tuple[InvestigationState | None, list[ChainBreak | None]]:
    """Fold the walked events (``deep``: comparing the snapshot on the way; ``on_snapshot``:
    onto the snapshot's state, the events up to its version checked but not folded); the
    state and the breaks found."""
    at = snapshot[0] if snapshot is not None else 0
    events: Iterator[Event] = walk.events(at)
    if engine is None:
        for _ in events:
            pass
        return None, []
    state: InvestigationState | None = None
    found: list[ChainBreak | None] = []
    try:
        if on_snapshot:
            state = unpack(bytes(snapshot[2]))
            for _ in itertools.islice(events, at - walk.start + 1):
                pass
            if state is None:
                raise ValueError("the snapshot cannot be read")  # noqa: TRY301 - named below
        elif deep and 1 <= at <= walk.version:
            state = _fold(engine, None, itertools.islice(events, at))
            if state is not None and state.version == at and walk.broken is None:
                found.append(_content_break(walk, state, snapshot))
        state = _fold(engine, state, events)
    except Exception as error:
        what = f"{type(error).__name__}: {error}"
        walk.fail(
            walk.seq,
            Text(f"hendingane kan ikkje spelast av ({what})", f"the events do not replay ({what})"),
        )
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
        en = f"the snapshot is at version {version}, outside the log (1 to {walk.version})"
        nn = f"biletet står på versjon {version}, utanfor loggen (1 til {walk.version})"
    elif walk.vouched != hashlib.sha256(blob).hexdigest():
        en = f"event {version} does not vouch for the snapshot (forged or misplaced)"
        nn = f"hending {version} går ikkje god for biletet (forfalska eller flytt)"
    else:
        return None
    return ChainBreak(walk.key, version, Text(nn=nn, en=en), "snapshot")


def _content_break(walk: Walk, state: InvestigationState, snapshot: Any) -> ChainBreak | None:
    """The snapshot must hold the state the events give at its version."""
    version, _, blob = snapshot
    try:
        same = zlib.decompress(blob) == state_json(state)
    except zlib.error:
        same = False
    if same:
        return None
    return ChainBreak(
        walk.key,
        version,
        Text(
            nn="biletet er ikkje lik tilstanden som hendingane gjev ved versjonen hans (forfalska)",
            en="the snapshot does not equal the replayed state at its version (forged)",
        ),
        "snapshot",
    )


def _row_breaks(
    row: tuple[Any, ...],
    state: InvestigationState | None,
    walk: Walk,
    snapshot: Any,
    *,
    snapshot_known: bool = True,
) -> list[ChainBreak | None]:
    """Every column of the investigations row that does not say what the record says."""
    key = walk.key
    head, snapshot_version = row[2], row[9]
    expected: dict[str, Any] = {"head_hash": walk.head.hex()}
    if walk.first is not None and walk.last is not None:
        expected["created_at"] = walk.first["at"]
        expected["updated_at"] = walk.last["at"]
    if snapshot_known:
        expected["snapshot_version"] = snapshot[0] if snapshot is not None else 0
    expected |= _created(walk.first)  # what the first event fixed, replayed or not
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
    wrong = [name for name, value in expected.items() if found[name] != value]
    en = [f"{name} says {found[name]!r}, the record {expected[name]!r}" for name in wrong]
    nn = [f"{name} seier {found[name]!r}, journalen {expected[name]!r}" for name in wrong]
    if snapshot is not None and snapshot_version != snapshot[0]:
        en = [w for w in en if not w.startswith("snapshot_version")] + [
            f"snapshot_version says {snapshot_version}, the snapshot is at {snapshot[0]}"
        ]
        nn = [w for w in nn if not w.startswith("snapshot_version")] + [
            f"snapshot_version seier {snapshot_version}, biletet står på {snapshot[0]}"
        ]
    if not en:
        return []
    return [
        ChainBreak(
            key,
            0,
            Text(
                nn="rada i investigations er endra: " + "; ".join(nn),
                en="the investigations row was edited: " + "; ".join(en),
            ),
            "row",
        )
    ]


def _created(first: dict[str, Any] | None) -> dict[str, Any]:
    """The row's columns that the investigation's first event fixes for good."""
    if first is None or first.get("kind") != "created":
        return {}
    data = first.get("data")
    if not isinstance(data, dict):
        return {}
    fixed = ("title", "service_area", "region", "process")
    return {name: data[name] for name in fixed if isinstance(data.get(name), str)}


def _ledger_tail(
    key: str, row: tuple[Any, ...], head: bytes, tail: list[tuple[Any, ...]]
) -> ChainBreak | None:
    """The investigation's last ledger row (``tail``: the rows at its position and before it,
    newest first): at its position, naming its head, hash intact."""
    number, version, position = row[0], row[1], row[12]
    found = tail[0] if tail and tail[0][0] == position else None
    if found is None or found[1] != event_id(number, version):
        return ChainBreak(
            key,
            version,
            Text(
                nn=f"ledger har inga innføring som sluttar ved hovudet (posisjon {position})",
                en=f"the ledger has no commit ending at its head (position {position})",
            ),
            "ledger",
        )
    before = bytes(tail[1][2]) if len(tail) > 1 else GENESIS
    if ledger_hash(before, position, head) != bytes(found[2]):
        return ChainBreak(
            key,
            version,
            Text(
                nn=f"hashen i ledger på posisjon {position} stemmer ikkje",
                en=f"the ledger's hash at position {position} does not match",
            ),
            "ledger",
        )
    return None


# --- reads that travel together -----------------------------------------------------------


@attrs.frozen
class Ahead:
    """What the audit of one investigation reads, read before it begins (``read_ahead``).

    ``first`` is its first event's body (None when missing), ``snapshot`` its
    snapshot row (None: none), ``events`` its events' ``(body, hash)`` rows in
    order, ``tail`` the ledger's rows at its position and before it, newest first.
    """

    first: bytes | None
    snapshot: tuple[Any, ...] | None
    events: Iterable[tuple[bytes, bytes]] | None
    tail: list[tuple[Any, ...]]


def read_ahead(conn: Any, wanted: list[tuple[str, int, int, int]]) -> list[Ahead]:
    """What auditing each investigation of ``wanted`` (key, number, ledger position, version)
    reads, sent together (``at_once``): on PostgreSQL one round trip for them all. The events
    of one over ``HELD_AT_MOST`` are not read ahead (``events`` None): its walk streams them."""
    statements: list[tuple[str, list[Any]]] = []
    for key, number, position, version in wanted:
        statements += [(_BODY, [event_id(number, 1)]), (_SNAPSHOT, [key])]
        if version <= HELD_AT_MOST:
            statements.append((_BODIES, bodies(number)))
        statements.append((_LEDGER_TAIL, [position]))
    cursors = iter(at_once(conn, statements))
    found = []
    for _key, _number, _position, version in wanted:
        body, snapshot = next(cursors).fetchone(), next(cursors).fetchone()
        events = fetched(next(cursors)) if version <= HELD_AT_MOST else None
        found.append(
            Ahead(bytes(body[0]) if body else None, snapshot, events, next(cursors).fetchall())
        )
    return found


def read_ends(conn: Any, wanted: list[tuple[str, int]]) -> list[tuple[Any, list[Any]]]:
    """Each investigation's snapshot row and ledger tail (``wanted``: its key and ledger
    position), read together (``at_once``): what a walk of its events leaves to read."""
    statements: list[tuple[str, list[Any]]] = []
    for key, position in wanted:
        statements += [(_SNAPSHOT, [key]), (_LEDGER_TAIL, [position])]
    cursors = iter(at_once(conn, statements))
    return [
        (found.fetchone(), tail.fetchall()) for found, tail in zip(cursors, cursors, strict=True)
    ]


FETCH_AT_ONCE = 1024
"""How many rows ``fetched`` (and ``streamed``) takes from a cursor at a time."""

HELD_AT_MOST = 20_000
"""At most how many rows of events one read holds in the client at once (PostgreSQL, whose
results arrive whole): reads that travel together stay under it, a larger read is streamed."""


def fetched(cursor: Any) -> Iterator[Any]:
    """A cursor's rows, taken ``FETCH_AT_ONCE`` at a time: psycopg builds a whole batch of rows
    in one call (a row at a time costs more than its hash check); SQLite steps as it goes."""
    take = cursor.fetchmany
    while rows := take(FETCH_AT_ONCE):
        yield from rows


def streamed(conn: Any, sql: str, params: list[Any], many: int | None = None) -> Iterator[Any]:
    """The rows of a read that may be large (``many``: how many at most; None: unknown).

    A connection whose results arrive whole (PostgreSQL's ``PgConn.stream``) reads one
    of over ``HELD_AT_MOST`` rows through a server-side cursor, ``FETCH_AT_ONCE`` rows a
    round trip (larger fetches measured slower), so memory stays bounded however long the
    record grows. SQLite steps through its rows as they are taken, as ``fetched`` does.
    """
    stream = getattr(conn, "stream", None)
    if stream is not None and (many is None or many > HELD_AT_MOST):
        return stream(sql, params, FETCH_AT_ONCE)  # type: ignore[no-any-return]
    return fetched(conn.execute(sql, params))


def at_once(conn: Any, statements: list[tuple[str, list[Any]]]) -> list[Any]:
    """The cursors of several reads, in order. A connection that sends them together does
    (PostgreSQL's ``PgConn.reads``: one pipeline, one round trip); SQLite, in the same
    process, runs them one after the other."""
    together = getattr(conn, "reads", None)
    if together is not None:
        return list(together(statements))
    return [conn.execute(sql, params) for sql, params in statements]


def reads_together(conn: Any) -> bool:
    """True when ``conn`` sends several reads in one round trip (``at_once``)."""
    return hasattr(conn, "reads")
