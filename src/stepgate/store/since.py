"""Verifying only what is new since a checkpoint: ``verify --since``.

A checkpoint printed in the minutes (``stepgate:<position>:<hash>``) seals the
ledger up to its position: the ledger row there must still have that hash. From
it on, everything is checked as a full verify checks it — the ledger's hash
chain and each row's event, every event committed after it (its hash, its link
to the event before, its place, that it parses and folds), each snapshot bound
to an event walked, each changed ``investigations`` row, the last ledger row of
each investigation that moved, the documents the new events file (their bytes
hashed again), and the schema. An investigation that moved is folded from its
snapshot (the event at the snapshot's version vouches for its bytes) or, with
none, from its first event.

What it trusts is the checkpoint and the record before it: a rewrite of events
before the checkpoint that leaves the ledger row at its position alone, a
snapshot whose content differs from the fold at its version (the chain vouches
for its bytes, not that a writer computed them right), stray events and stored
documents no event files are what a full verify adds. The work is in proportion
to what is new: the ledger rows after the checkpoint, and for each investigation
that moved, its events from its snapshot (or the checkpoint) on.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from stepgate.model.events import Event
from stepgate.model.serial import parse_json
from stepgate.model.state import InvestigationState
from stepgate.model.text import Text
from stepgate.store.audit import (
    ROW_COLUMNS,
    Walk,
    _binding_break,
    _documents_break,
    _ledger_tail,
    _row_breaks,
)
from stepgate.store.record import (
    GENESIS,
    LAST_SEQ,
    SNAPSHOT_FORMAT,
    ChainBreak,
    Checkpoint,
    Verification,
    event_id,
    ledger_hash,
    unpack,
)
from stepgate.store.verify import Finder, Progress, named_process, rehashed

_ROW = f"SELECT key, {ROW_COLUMNS} FROM investigations WHERE number = ?"  # noqa: S608 - fixed


def verify_since(
    conn: Any,
    replayer_for: Finder,
    since: Checkpoint,
    *,
    schema_breaks: Callable[[Any], Iterable[ChainBreak]] = lambda _: (),
    progress: Progress | None = None,
) -> Verification:
    """Prove the record still extends ``since`` and check all that was written after it."""
    tell: Progress = progress or (lambda _done, _total: None)
    breaks: list[ChainBreak] = list(schema_breaks(conn))
    head = conn.execute(
        "SELECT position, hash FROM ledger ORDER BY position DESC LIMIT 1"
    ).fetchone()
    end = head[0] if head else 0
    stored = end  # positions count the committed events without gaps: no count(*) of them all
    sealed = _sealed(conn, since, end)
    if sealed is not None:  # nothing after it can be trusted to extend the minutes
        return Verification((*breaks, sealed), {}, stored, None, since=since)
    total = 2 * (end - since.position)
    tell(0, total)
    ledger = _NewLedger(conn, since)
    broken = ledger.walk(lambda at: tell(at - since.position, total))
    heads: dict[str, str] = {}
    unknown: dict[str, str] = {}
    filed: set[str] = set()
    done = end - since.position
    for number, boundary in sorted(ledger.moved.items()):
        row = conn.execute(_ROW, [number]).fetchone()
        if row is None:
            continue  # the ledger walk named it
        key, version = row[0], row[2]
        engine, missing = None, None
        if replayer_for is not None:
            name = named_process(conn, number, row[7])
            engine = replayer_for(name)
            missing = name if engine is None else None
        found, head_hex, documents = _audit_new(conn, row[1:], key, engine, boundary)
        heads[key] = head_hex
        filed.update(documents)
        if missing is not None:
            unknown[key] = missing
        if found is not None:
            breaks.append(found)
        done += version - boundary
        tell(min(done, total), total)
    breaks += broken
    breaks += _new_documents(conn, filed)
    tell(total, total)
    checkpoint = Checkpoint(end, bytes(head[1]).hex()) if head and not broken else None
    return Verification(
        tuple(breaks),
        heads,
        stored,
        checkpoint,
        tuple(unknown),
        chain_only=replayer_for is None,
        unknown=unknown,
        since=since,
    )


def _sealed(conn: Any, since: Checkpoint, end: int) -> ChainBreak | None:
    """Why the record does not extend ``since`` (None: its ledger row there has its hash)."""
    at = since.position
    if at == 0:
        return None
    if at > end:
        why = Text(
            f"journalen sluttar på posisjon {end}, før kontrollpunktet sin {at}: hendingar er "
            "skorne bort, eller kontrollpunktet er frå ein annan journal",
            f"the record ends at position {end}, before the checkpoint's {at}: events were "
            "cut, or the checkpoint is another record's",
        )
        return ChainBreak("", at, why, "checkpoint")
    found = conn.execute("SELECT hash FROM ledger WHERE position = ?", [at]).fetchone()
    if found is None:
        why = Text(
            f"inga innføring sluttar på posisjon {at}: journalen er skriven om, eller "
            "kontrollpunktet er frå ein annan journal",
            f"no commit ends at position {at}: the record was rewritten, or the checkpoint "
            "is another record's",
        )
        return ChainBreak("", at, why, "checkpoint")
    if bytes(found[0]).hex() != since.hash:
        now, then = bytes(found[0]).hex()[:16], since.hash[:16]
        why = Text(
            f"hashen i ledger på posisjon {at} er {now}…, kontrollpunktet seier {then}…: "
            "journalen er skriven om på eller før den posisjonen, eller kontrollpunktet er frå "
            "ein annan journal",
            f"the ledger's hash at position {at} is {now}…, the checkpoint says {then}…: the "
            "record was rewritten at or before that position, or the checkpoint is another "
            "record's",
        )
        return ChainBreak("", at, why, "checkpoint")
    return None


class _NewLedger:
    """The ledger after the checkpoint, walked in order: its hash chain from the checkpoint's,
    each row's event and commit size; ``moved`` gives, for each investigation that moved,
    its version at the checkpoint."""

    def __init__(self, conn: Any, since: Checkpoint) -> None:
        self.conn, self.since = conn, since
        self.moved: dict[int, int] = {}  # number -> its version at the checkpoint
        self.last: dict[int, tuple[int, int]] = {}  # number -> (seq, position) of its last row

    def walk(self, tick: Callable[[int], None]) -> list[ChainBreak]:
        position = self.since.position
        prev = bytes.fromhex(self.since.hash) if position else GENESIS
        cursor = self.conn.execute(
            "SELECT l.position, l.event, l.hash, e.hash, i.key FROM ledger l"
            " LEFT JOIN events e ON e.id = l.event"
            " LEFT JOIN investigations i ON i.number = l.event >> 32"
            " WHERE l.position > ? ORDER BY l.position",
            [position],
        )
        for at, event, stored, event_hash, key in cursor:
            tick(at)
            number, seq = event >> 32, event & LAST_SEQ
            count = at - position
            before = self.last.get(number, (seq - count, 0))[0]
            why = self._row(number, seq, count, before, (key, event_hash))
            if why is None and ledger_hash(prev, at, bytes(event_hash)) != bytes(stored):
                why = Text(
                    "hashen følgjer ikkje av rada før (ledger er endra)",
                    "its hash does not follow from the row before (the ledger was edited)",
                )
            if why is not None:
                return [ChainBreak("", at, why, "ledger")]
            self.moved.setdefault(number, seq - count)
            self.last[number] = (seq, at)
            position, prev = at, bytes(stored)
        return self._ends() + self._unmoved()

    def _unmoved(self) -> list[ChainBreak]:
        """A row that says its investigation moved after the checkpoint, where the ledger has
        no commit of it (the row was edited)."""
        found = []
        for key, number, version, position in self.conn.execute(
            "SELECT key, number, version, position FROM investigations WHERE position > ?"
            " ORDER BY number",
            [self.since.position],
        ):
            if number not in self.moved:
                why = Text(
                    f"rada seier at utgreiinga har hending {version} på posisjon {position}, "
                    "etter kontrollpunktet; ledger har inga innføring av henne etter det",
                    f"the row says the investigation has event {version} at position "
                    f"{position}, after the checkpoint; the ledger has no commit of it since",
                )
                found.append(ChainBreak(key, version, why, "ledger"))
        return found

    def _row(
        self, number: int, seq: int, count: int, before: int, found: tuple[Any, Any]
    ) -> Text | None:
        """What is wrong with a ledger row naming event ``seq`` of ``number`` at the end of a
        commit of ``count`` events (its last before: ``before``); ``found``: its key and the
        event's hash, as the store has them."""
        key, event_hash = found
        if key is None:
            return Text(
                f"ho nemner utgreiing nummer {number}, som lageret ikkje har",
                f"it names investigation number {number}, which the store does not hold",
            )
        if event_hash is None:
            return Text(
                f"ho nemner hending {seq} av {key!r}, som manglar",
                f"it names event {seq} of {key!r}, which is missing",
            )
        if count < 1 or seq - before != count or before < 0:
            return Text(
                f"ho seier {count} hending(ar) av {key!r} vart lagra, fram til hending {seq}; "
                f"ledger før henne seier {seq - before}",
                f"it says {count} event(s) of {key!r} were committed, up to event {seq}; "
                f"the ledger before it says {seq - before}",
            )
        return None

    def _ends(self) -> list[ChainBreak]:
        """Each investigation that moved ends where its row says."""
        found = []
        for number, (seq, at) in self.last.items():
            row = self.conn.execute(
                "SELECT key, version, position FROM investigations WHERE number = ?", [number]
            ).fetchone()
            if row is not None and (row[1], row[2]) != (seq, at):
                found.append(
                    ChainBreak(
                        row[0],
                        row[1],
                        Text(
                            nn=f"ledger sluttar denne utgreiinga ved hending {seq} (posisjon "
                            f"{at}); journalen seier {row[1]} (posisjon {row[2]})",
                            en=f"the ledger ends this investigation at event {seq} (position "
                            f"{at}); the record says {row[1]} (position {row[2]})",
                        ),
                        "ledger",
                    )
                )
        return found


def _audit_new(
    conn: Any, row: tuple[Any, ...], key: str, engine: Any, boundary: int
) -> tuple[ChainBreak | None, str, tuple[str, ...]]:
    """The events of one investigation after ``boundary`` (its version at the checkpoint),
    folded from its snapshot or its first event: first break, head, documents filed."""
    number, version = row[0], row[1]
    snapshot = conn.execute(
        "SELECT version, format, state FROM snapshots WHERE investigation = ?", [key]
    ).fetchone()
    usable = snapshot is not None and snapshot[1] == SNAPSHOT_FORMAT and 1 <= snapshot[0] <= version
    vouched = usable and _vouched(conn, number, snapshot)
    start = min(boundary + 1, snapshot[0]) if vouched else 1
    prev = GENESIS
    if start > 1:
        found = conn.execute(
            "SELECT hash FROM events WHERE id = ?", [event_id(number, start - 1)]
        ).fetchone()
        if found is None:
            why = Text(f"hending {start - 1} manglar", f"event {start - 1} is missing")
            return ChainBreak(key, start - 1, why), "", ()
        prev = bytes(found[0])
    walk = Walk(conn, key, number, version, start=start, prev=prev)
    if start > 1:
        first = conn.execute(
            "SELECT CAST(body AS BLOB) FROM events WHERE id = ?", [event_id(number, 1)]
        ).fetchone()
        walk.first = parse_json(first[0]) if first else None
    state = _fold(walk, engine, snapshot if vouched else None)
    breaks: list[ChainBreak | None] = [walk.broken]
    if walk.broken is None:
        if usable:
            breaks.append(_binding_break(walk, snapshot))
        breaks += _row_breaks(row, state, walk, snapshot)
        breaks.append(_ledger_tail(conn, key, row, walk.head))
        breaks.append(_documents_break(conn, key, walk.documents))
    first_break = next((b for b in breaks if b is not None), None)
    filed = tuple(d.sha256 for d in walk.documents)
    return first_break, walk.head.hex() if walk.walked else "", filed


def _vouched(conn: Any, number: int, snapshot: Any) -> bool:
    """True when the event at the snapshot's version names the snapshot's digest (the walk then
    checks that event's own hash): a state to fold on from."""
    found = conn.execute(
        "SELECT CAST(body AS BLOB) FROM events WHERE id = ?", [event_id(number, snapshot[0])]
    ).fetchone()
    try:
        said = parse_json(found[0]).get("snapshot") if found else None
    except ValueError:
        return False
    return bool(said) and said == hashlib.sha256(bytes(snapshot[2])).hexdigest()


def _fold(walk: Walk, engine: Any, snapshot: Any) -> InvestigationState | None:
    """Fold the walked events onto the snapshot's state (those up to its version are checked
    and built, not folded), or from nothing; None when there is no engine or it fails."""
    at = snapshot[0] if snapshot is not None else 0
    events: Iterator[Event] = walk.events(at)
    if engine is None:
        for _ in events:
            pass
        return None
    try:
        base = None
        if snapshot is not None:
            base = unpack(bytes(snapshot[2]), hashlib.sha256(bytes(snapshot[2])).hexdigest())
            for _ in itertools.islice(events, at - walk.start + 1):
                pass
            if base is None:
                raise ValueError("the snapshot cannot be read")  # noqa: TRY301 - named below
        return engine.fold(base, events)  # type: ignore[no-any-return]
    except Exception as error:
        what = f"{type(error).__name__}: {error}"
        walk.fail(
            walk.seq,
            Text(f"hendingane kan ikkje spelast av ({what})", f"the events do not replay ({what})"),
        )
        return None


def _new_documents(conn: Any, filed: set[str]) -> list[ChainBreak]:
    """The bytes of every document the new events file, hashed again."""
    found: list[ChainBreak] = []
    for sha256 in sorted(filed):
        row = conn.execute(
            "SELECT size, chunks FROM documents WHERE sha256 = ?", [sha256]
        ).fetchone()
        if row is None:
            continue  # the investigation's audit named it
        broken = rehashed(conn, sha256, row[0], row[1])
        if broken is not None:
            found.append(broken)
    return found
