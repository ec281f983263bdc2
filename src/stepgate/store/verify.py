"""Verifying the whole store: every investigation, the ledger, stray events, the schema.

``verify`` audits every investigation deeply (each snapshot's content compared
with the fold at its version), then walks the ledger — every commit in order,
its hash chain, the event each row names, where each investigation ends —,
counts the events that belong to no investigation, compares the schema
objects stepgate made (tables, insert-only triggers, views; the backend's
check) with what it makes, and checks the record against a checkpoint given from outside. The
first break of each part is named; nothing is changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from stepgate.model.serial import parse_json
from stepgate.model.text import Text
from stepgate.store import audit as _audit
from stepgate.store import documents as _documents
from stepgate.store.audit import (
    ROW_COLUMNS,
    Ahead,
    audit,
    first_body,
    read_ahead,
    reads_together,
    streamed,
)
from stepgate.store.record import (
    GENESIS,
    LAST_SEQ,
    ChainBreak,
    Checkpoint,
    Replayer,
    Verification,
    ledger_hash,
)

Progress = Callable[[int, int], None]
"""Told how far a verify has come: work done of the whole (each event counts twice: its
investigation's replay, and its place in the ledger)."""

TICK = 1 << 16
"""How many ledger rows pass between two reports of progress."""


_ROWS = f"SELECT key, {ROW_COLUMNS} FROM investigations ORDER BY number"  # noqa: S608 - fixed
"""Every investigation's key and row, as an audit reads it, in the order they were created."""

LEDGER_HEAD = "SELECT position, hash FROM ledger ORDER BY position DESC LIMIT 1"
"""The ledger's last row: its position and hash."""


def checkpoint_now(conn: Any) -> Checkpoint:
    """The checkpoint at the ledger's last row (position 0 in an empty record)."""
    last = conn.execute(LEDGER_HEAD).fetchone()
    return Checkpoint(0, "0" * 64) if last is None else Checkpoint(last[0], bytes(last[1]).hex())


Audited = tuple[str, ChainBreak | None, str, tuple[str, ...], str | None, int]
"""One investigation audited: key, first break, head (hex), the documents its events file,
the process it names when that is not at hand (else None), and its version."""

FanOut = Callable[[Any, list[tuple[Any, ...]], "Finder", int], Iterable[Audited]]
"""How the investigations are audited: ``(conn, rows, replayer_for, until)`` gives each one's
``Audited`` in the order of ``rows``, in this process (``in_process``) or in worker processes
(the work may begin at once; ``close()``, where it has one, stops it)."""

Finder = Callable[[str], Replayer | None] | None
"""The replayer for a process's name (None: not at hand); None itself: replay nothing."""


def verify(
    conn: Any,
    replayer_for: Finder,
    against: Checkpoint | None = None,
    *,
    schema_breaks: Callable[[Any], Iterable[ChainBreak]] = lambda _: (),
    progress: Progress | None = None,
    fan_out: FanOut | None = None,
) -> Verification:
    """Audit every investigation, walk the ledger, count orphans, check schema and checkpoint.

    Each investigation is replayed with the process its first event names (the
    chain vouches for it; the row's copy is checked against it), as
    ``replayer_for`` finds it; one it does not find is checked without a replay
    and named in ``unreplayed``. ``replayer_for`` None replays nothing, on
    purpose (chain only). ``schema_breaks`` is the backend's check of the schema
    objects it made. ``progress`` is told how far it has come. ``fan_out`` audits
    the investigations (by default one after the other, here); the record is
    read as of the ledger's last position when the verify begins, whoever audits.
    """
    tell: Progress = progress or (lambda _done, _total: None)
    breaks: list[ChainBreak] = list(schema_breaks(conn))
    rows = conn.execute(_ROWS).fetchall()
    until = conn.execute("SELECT coalesce(max(position), 0) FROM ledger").fetchone()[0]
    events = sum(row[2] for row in rows)
    total, done = 2 * events, 0
    tell(done, total)
    audited = (fan_out or in_process)(conn, rows, replayer_for, until)
    try:
        ledger = Ledger(conn, {row[1]: (row[0], row[2], row[13]) for row in rows})
        ledger_breaks = ledger.walk(against, lambda at: tell(min(at, events), total))
        done = events
        heads: dict[str, str] = {}
        unknown: dict[str, str] = {}
        filed: set[str] = set()
        for key, broken, head, documents, process, version in audited:
            if process is not None:
                unknown[key] = process
            filed.update(documents)
            heads[key] = head
            if broken is not None:
                breaks.append(broken)
            done += version
            tell(done, total)
    finally:
        getattr(audited, "close", lambda: None)()
    breaks += ledger_breaks
    stored = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    breaks += _orphans(conn, rows, stored)
    breaks += _stored_documents(conn, filed)
    tell(total, total)
    return Verification(
        tuple(breaks),
        heads,
        stored,
        ledger.checkpoint,
        tuple(unknown),
        chain_only=replayer_for is None,
        unknown=unknown,
    )


AHEAD_ROWS = 128
"""At most how many investigations' reads travel together (four statements each)."""


def in_process(
    conn: Any, rows: list[tuple[Any, ...]], replayer_for: Finder, until: int
) -> Iterator[Audited]:
    """Each investigation of ``rows`` audited here, one after the other."""
    for row, ahead in read_rows(conn, rows):
        yield audit_row(conn, row, replayer_for, until, ahead)


def read_rows(conn: Any, rows: list[tuple[Any, ...]]) -> Iterator[tuple[tuple[Any, ...], Ahead]]:
    """Each of ``rows`` with what its audit reads, read ahead. Where reads travel together
    (PostgreSQL), up to ``AHEAD_ROWS`` investigations of ``audit.HELD_AT_MOST`` events at a
    time go in one round trip (a larger one alone, its events streamed); elsewhere each is
    read as its turn comes."""
    batch: list[tuple[Any, ...]] = []
    weight, together, most = 0, reads_together(conn), _audit.HELD_AT_MOST
    for row in rows:
        if batch and (not together or len(batch) >= AHEAD_ROWS or weight + row[2] > most):
            yield from _read_batch(conn, batch)
            batch, weight = [], 0
        batch.append(row)
        weight += row[2]
    if batch:
        yield from _read_batch(conn, batch)


def _read_batch(conn: Any, batch: list[tuple[Any, ...]]) -> Iterator[tuple[tuple[Any, ...], Ahead]]:
    read = read_ahead(conn, [(row[0], row[1], row[13], row[2]) for row in batch])
    yield from zip(batch, read, strict=True)


def audit_row(
    conn: Any,
    row: tuple[Any, ...],
    replayer_for: Finder,
    until: int,
    ahead: Ahead | None = None,
) -> Audited:
    """The investigation of ``row`` (its key, then its ``investigations`` row) audited deeply,
    as of ledger position ``until`` (``ahead``: its reads, read before)."""
    key, number, version, process = row[0], row[1], row[2], row[7]
    engine, missing = None, None
    if replayer_for is not None:
        first = ahead.first if ahead else first_body(conn, number)
        name = process_named(first, process)
        engine = replayer_for(name)
        missing = name if engine is None else None
    result = audit(conn, key, engine, deep=True, row=row[1:], until=until, ahead=ahead)
    filed = tuple(d.sha256 for d in result.documents)
    return key, result.broken, result.head, filed, missing, version


def named_process(conn: Any, number: int, row: str) -> str:
    """The process an investigation's first event names (the row's copy if it names none).

    The first event's hash covers the name, so a row edited to name other code
    is replayed with the process it was made with, and named as edited.
    """
    return process_named(first_body(conn, number), row)


def process_named(first: bytes | None, row: str) -> str:
    """The process the first event's body ``first`` names (``row``'s copy if it names none)."""
    if first is None:
        return str(row)
    try:
        doc = parse_json(first)
        name = doc["data"]["process"] if doc["kind"] == "created" else row
    except (KeyError, TypeError, ValueError):
        return str(row)
    return name if isinstance(name, str) else str(row)


class Ledger:
    """The ledger walked in order: its hash chain, each row's event, each investigation's end.

    ``since`` walks it from a checkpoint on (``verify --since``): the chain from the
    checkpoint's hash, and ``moved`` gives, for each investigation a later row names,
    its version at the checkpoint; an investigation no later row names must not say
    it moved.
    """

    def __init__(
        self,
        conn: Any,
        investigations: dict[int, tuple[str, int, int]],
        hashes: dict[int, bytes] | None = None,
        since: Checkpoint | None = None,
    ):
        self.conn, self.investigations = conn, investigations
        self.hashes = hashes  # the stored hash of each event a row names, read already
        self.since = since
        self.moved: dict[int, int] = {}  # number -> its version at ``since``
        self.checkpoint: Checkpoint | None = None

    def walk(
        self, against: Checkpoint | None, tick: Callable[[int], None] = lambda _at: None
    ) -> list[ChainBreak]:
        position, prev, seen, broken = 0, GENESIS, None, None
        if self.since is not None and self.since.position:
            position, prev = self.since.position, bytes.fromhex(self.since.hash)
        last: dict[int, tuple[int, int]] = {}  # number -> (seq, position)
        if self.hashes is None:
            cursor = streamed(
                self.conn,
                "SELECT l.position, l.event, l.hash, e.hash FROM ledger l"
                " LEFT JOIN events e ON e.id = l.event"
                " WHERE l.position > ? ORDER BY l.position",
                [position],
            )
        else:
            hashes = self.hashes
            cursor = (
                (at, event, stored, hashes.get(event))
                for at, event, stored in streamed(
                    self.conn,
                    "SELECT position, event, hash FROM ledger WHERE position > ? ORDER BY position",
                    [position],
                )
            )
        for at, event, stored, event_hash in cursor:
            if not at % TICK:
                tick(at)
            number, seq = event >> 32, event & LAST_SEQ
            before = self._before(last, number, seq, at - position)
            broken = self._row((at, position), number, seq, before, event_hash)
            if broken is None and ledger_hash(prev, at, bytes(event_hash)) != bytes(stored):
                broken = Text(
                    "hashen følgjer ikkje av rada før (ledger er endra)",
                    "its hash does not follow from the row before (the ledger was edited)",
                )
            if broken is not None:
                found = [ChainBreak("", at, broken, "ledger")]
                return found + self.extends(against, None, at)
            position, prev = at, bytes(stored)
            last[number] = (seq, at)
            if against is not None and at == against.position:
                seen = prev
        self.checkpoint = Checkpoint(position, prev.hex() if position else "0" * 64)
        return self._ends(last) + self.extends(against, seen, None)

    def _before(self, last: dict[int, tuple[int, int]], number: int, seq: int, count: int) -> int:
        """Where investigation ``number``'s commit before this one ended: its last row walked;
        from a checkpoint, the first time, what this commit's size says (noted in ``moved``)."""
        if number in last:
            return last[number][0]
        if self.since is None:
            return 0
        return self.moved.setdefault(number, seq - count)

    def _row(
        self, span: tuple[int, int], number: int, seq: int, before: int, event_hash: Any
    ) -> Text | None:
        """What is wrong with the ledger row at ``span[0]`` (the row before ends at ``span[1]``).

        It names event ``seq`` of investigation ``number``, whose previous commit
        ended at event ``before``.
        """
        at, position = span
        if number not in self.investigations:
            return Text(
                f"ho nemner utgreiing nummer {number}, som lageret ikkje har "
                "(utgreiinga er sletta)",
                f"it names investigation number {number}, which the store does not hold "
                "(the investigation was deleted)",
            )
        key = self.investigations[number][0]
        if event_hash is None:
            return Text(
                f"ho nemner hending {seq} av {key!r}, som manglar",
                f"it names event {seq} of {key!r}, which is missing",
            )
        count = seq - before
        if count < 1 or at - position != count or before < 0:
            return Text(
                f"ho seier {at - position} hending(ar) av {key!r} vart lagra, fram til "
                f"hending {seq}; ledger før henne seier {count}",
                f"it says {at - position} event(s) of {key!r} were committed, up to "
                f"event {seq}; the ledger before it says {count}",
            )
        return None

    def _ends(self, last: dict[int, tuple[int, int]]) -> list[ChainBreak]:
        found = []
        for number, (key, version, position) in self.investigations.items():
            if self.since is not None and number not in last:
                if position > self.since.position:
                    found.append(_unmoved(key, version, position))
                continue
            seq, at = last.get(number, (0, 0))
            if seq != version or at != position:
                found.append(
                    ChainBreak(
                        key,
                        version,
                        Text(
                            nn=f"ledger sluttar denne utgreiinga ved hending {seq} (posisjon "
                            f"{at}); "
                            f"journalen seier {version} (posisjon {position})",
                            en=f"the ledger ends this investigation at event {seq} (position "
                            f"{at}); "
                            f"the record says {version} (position {position})",
                        ),
                        "ledger",
                    )
                )
        return found

    def extends(
        self, against: Checkpoint | None, seen: bytes | None, broken_at: int | None
    ) -> list[ChainBreak]:
        """Why the record does not extend the checkpoint ``against`` (none when it does):
        ``seen`` is the ledger's hash at its position, ``broken_at`` where the walk broke."""
        if against is None:
            return []
        at = against.position
        if broken_at is not None and broken_at <= at:
            reason = Text(
                f"kan ikkje stadfestast: ledger er broten før, på posisjon {broken_at}",
                f"cannot be confirmed: the ledger breaks first, at position {broken_at}",
            )
        elif at == 0:
            return []
        elif seen is None and (self.checkpoint is None or self.checkpoint.position < at):
            end = self.checkpoint.position if self.checkpoint else 0
            reason = Text(
                f"journalen sluttar på posisjon {end}, før kontrollpunktet sin {at}: "
                "hendingar er skorne bort, eller kontrollpunktet er frå ein annan journal",
                f"the record ends at position {end}, before the checkpoint's {at}: events were "
                "cut, or the checkpoint is another record's",
            )
        elif seen is None:
            reason = Text(
                f"inga innføring sluttar på posisjon {at}: journalen er skriven om, eller "
                "kontrollpunktet er frå ein annan journal",
                f"no commit ends at position {at}: the record was rewritten, or the checkpoint "
                "is another record's",
            )
        elif seen.hex() != against.hash:
            now, then = seen.hex()[:16], against.hash[:16]
            reason = Text(
                f"hashen i ledger på posisjon {at} er {now}…, kontrollpunktet seier "
                f"{then}…: journalen er skriven om på eller før den posisjonen, eller "
                "kontrollpunktet er frå ein annan journal",
                f"the ledger's hash at position {at} is {now}…, the checkpoint says "
                f"{then}…: the record was rewritten at or before that position, or the "
                "checkpoint is another record's",
            )
        else:
            return []
        return [ChainBreak("", at, reason, "checkpoint")]


def _unmoved(key: str, version: int, position: int) -> ChainBreak:
    """A row that says its investigation moved after the checkpoint the walk began at, where
    the ledger has no commit of it since (the row was edited)."""
    why = Text(
        f"rada seier at utgreiinga har hending {version} på posisjon {position}, etter "
        "kontrollpunktet; ledger har inga innføring av henne etter det",
        f"the row says the investigation has event {version} at position {position}, after "
        "the checkpoint; the ledger has no commit of it since",
    )
    return ChainBreak(key, version, why, "ledger")


def rehashed(conn: Any, sha256: str, size: int, chunks: int) -> ChainBreak | None:
    """The break of a stored document whose bytes, hashed again, are not what its row says."""
    wrong = _documents.check(conn, sha256, size, chunks)
    if wrong is None:
        return None
    why = Text(
        nn=f"dokumentet {sha256[:12]}…: {wrong[1]}", en=f"document {sha256[:12]}…: {wrong[0]}"
    )
    return ChainBreak("", 0, why, "document")


def _stored_documents(conn: Any, filed: set[str]) -> list[ChainBreak]:
    """Every stored document re-hashed; one no event files; chunks of no document."""
    found: list[ChainBreak] = []
    for sha256, size, chunks in conn.execute(
        "SELECT sha256, size, chunks FROM documents ORDER BY sha256"
    ).fetchall():
        broken = rehashed(conn, sha256, size, chunks)
        if broken is not None:
            found.append(broken)
        if sha256 not in filed:
            found.append(
                ChainBreak(
                    "",
                    0,
                    Text(
                        nn=f"dokumentet {sha256[:12]}… er lagra, men inga hending arkiverer det "
                        "(lagt inn utanfrå)",
                        en=f"document {sha256[:12]}… is stored, but no event files it (put there)",
                    ),
                    "document",
                )
            )
    loose = conn.execute(
        "SELECT DISTINCT document FROM document_chunks"
        " WHERE document NOT IN (SELECT sha256 FROM documents) ORDER BY document"
    ).fetchall()
    if loose:
        shown = ", ".join(f"{row[0][:12]}…" for row in loose[:5])
        found.append(
            ChainBreak(
                "",
                0,
                Text(
                    nn=f"bytar av {len(loose)} dokument som lageret ikkje har oppført ({shown})",
                    en=f"bytes of {len(loose)} document(s) that the store does not list ({shown})",
                ),
                "document",
            )
        )
    return found


def _orphans(conn: Any, rows: list[tuple[Any, ...]], total: int) -> list[ChainBreak]:
    """Events that belong to no investigation (or lie past an investigation's head)."""
    if total == sum(row[2] for row in rows):
        return []
    numbers = {row[1]: row for row in rows}  # key, number, version, …
    strays = []
    for (event,) in streamed(conn, "SELECT id FROM events ORDER BY id", []):
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
            Text(
                nn=f"{len(strays)} hending(ar) høyrer ikkje til journalen til noka utgreiing "
                f"(nummer:seq {shown})",
                en=f"{len(strays)} event(s) belong to no investigation's record (number:seq "
                f"{shown})",
            ),
            "events",
        )
    ]
