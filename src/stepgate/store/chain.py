"""The chain-only tier: the whole record's hashes, places, rows, ledger and documents in one pass.

``verify(chain_only=True)`` replays nothing, on purpose (an operator without the
host app's processes). What it proves it proves without building a single
event: every event's hash is that of its body and the hash before it, each body
says the investigation and seq of its place, each investigation ends at its
head, its row says what its events say (head, times, what the first event
fixed, the snapshot's version), each snapshot is vouched for by the event at
its version, the ledger's hash chain and each investigation's last ledger row,
the documents the events file (stored, their size, their bytes hashed again),
events of no investigation, the schema and a checkpoint.

It reads the events table once, in the order of its key, and parses only the
bodies it must (each investigation's first and last event, the event at its
snapshot, events that file documents, and any body the quick check of its place
doubts): close to reading the rows and hashing them. The findings are those the
audit of each investigation names, without the replay.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

import orjson

from stepgate.model.serial import parse_json
from stepgate.store import verify as _verify
from stepgate.store.audit import (
    Walk,
    _moved,
    _why,
    not_an_event,
    past_head,
    read_ends,
    streamed,
    vouched_at,
    walked_breaks,
)
from stepgate.store.record import ChainBreak, Checkpoint, Filed, Verification
from stepgate.store.verify import (
    _ROWS,
    Ledger,
    Progress,
    _orphans,
    _stored_documents,
)

_EVENTS = "SELECT id, CAST(body AS BLOB), hash FROM events ORDER BY id"


def verify_chain(
    conn: Any,
    against: Checkpoint | None = None,
    *,
    schema_breaks: Callable[[Any], Iterable[ChainBreak]] = lambda _: (),
    progress: Progress | None = None,
) -> Verification:
    """Check the whole record without a replay (see the module)."""
    tell: Progress = progress or (lambda _done, _total: None)
    breaks: list[ChainBreak] = list(schema_breaks(conn))
    rows = conn.execute(_ROWS).fetchall()
    numbers = {row[1]: row for row in rows}
    total = 2 * sum(row[2] for row in rows)
    tell(0, total)
    walks: dict[int, Walk] = {}
    done = 0
    walk: Walk | None = None
    checker: _Checker | None = None
    sha256 = hashlib.sha256
    named = {event for (event,) in streamed(conn, "SELECT event FROM ledger", [])}
    hashes: dict[int, bytes] = {}  # the stored hash of each event a ledger row names
    for event, body, hashed in streamed(conn, _EVENTS, []):
        if event in named:
            hashes[event] = hashed
        number = event >> 32
        if walk is None or number != walk.number:
            done += walk.seq if walk is not None else 0
            tell(min(done, total), total)
            row = numbers.get(number)
            if row is None:
                walk = checker = None
                continue  # an event of no investigation: named with the strays
            walk = walks[number] = Walk(conn, row[0], number, row[2])
            checker = _Checker(walk, row[10])
        assert checker is not None
        if walk.broken is not None:
            continue
        seq = walk.seq + 1
        # the common case in a few C calls: hash and link, seq and investigation at the end
        if (
            sha256(body + walk.head).digest() == hashed
            and seq < walk.version
            and seq not in (checker.snapshot, 1)
            and body.endswith(b'"seq":%d}' % seq)
            and body.rfind(checker.prefix) > 0
            and b'"documents":[' not in body
        ):
            walk.seq = walk.walked = seq
            walk.head = hashed
            continue
        checker.read(body, bytes(hashed))
    heads, filed = _ends(conn, rows, walks, breaks)
    ledger = Ledger(conn, {row[1]: (row[0], row[2], row[13]) for row in rows}, hashes)
    breaks += ledger.walk(against, lambda at: tell(min(done + at, total), total))
    stored = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    breaks += _orphans(conn, rows, stored)
    breaks += _stored_documents(conn, filed)
    tell(total, total)
    return Verification(tuple(breaks), heads, stored, ledger.checkpoint, (), chain_only=True)


def _ends(
    conn: Any, rows: list[tuple[Any, ...]], walks: dict[int, Walk], breaks: list[ChainBreak]
) -> tuple[dict[str, str], set[str]]:
    """Each investigation's end checked once its events were walked (its first break added to
    ``breaks``); the heads and the documents filed. Their snapshots and ledger tails are read
    ``AHEAD_ROWS`` investigations at a time (on PostgreSQL, one round trip each time)."""
    heads: dict[str, str] = {}
    filed: set[str] = set()
    size = _verify.AHEAD_ROWS
    for at in range(0, len(rows), size):
        batch = rows[at : at + size]
        ends = read_ends(conn, [(row[0], row[13]) for row in batch])
        for row, (snapshot, tail) in zip(batch, ends, strict=True):
            number, key = row[1], row[0]
            walk = walks.get(number) or Walk(conn, key, number, row[2])
            broken = _ended(conn, walk, row, snapshot, tail)
            if broken is not None:
                breaks.append(broken)
            filed.update(d.sha256 for d in walk.documents)
            heads[key] = walk.head.hex() if walk.walked else ""
    return heads, filed


class _Checker:
    """One investigation's events as they come: hash, link, place; the few bodies parsed."""

    __slots__ = ("docs", "key", "prefix", "snapshot", "walk")

    def __init__(self, walk: Walk, snapshot: int) -> None:
        self.walk, self.snapshot = walk, snapshot
        self.key = walk.key
        self.prefix = b',"investigation":' + orjson.dumps(walk.key) + b',"kind":"'

    def read(self, body: bytes, hashed: bytes) -> None:
        walk = self.walk
        if walk.broken is not None:
            return
        walk.seq = seq = walk.seq + 1
        prev = walk.head
        if hashlib.sha256(body + prev).digest() != hashed:
            walk.stop(seq, prev, _why(body, seq))
            return
        if seq > walk.version:
            walk.stop(seq, prev, past_head(walk.version))
            return
        if not self._placed(body, seq):
            walk.stop(seq, prev, _moved(body, seq))
            return
        parse = seq in (1, walk.version, self.snapshot) or b'"documents":[' in body
        if parse and not self._parsed(body, seq):
            return
        walk.head, walk.walked = hashed, seq

    def _placed(self, body: bytes, seq: int) -> bool:
        """The body says this investigation and this seq (a quick look; parsed when in doubt)."""
        at = body.rfind(b',"investigation":')
        if at >= 0 and body.startswith(self.prefix, at):
            tail = body.rfind(b'"seq":')
            end = body.find(b",", tail)
            number = body[tail + 6 : end if end > 0 else -1]
            if number == str(seq).encode():
                return True
        try:
            doc = parse_json(body)
        except ValueError:
            return False
        return bool(doc.get("seq") == seq and doc.get("investigation") == self.key)

    def _parsed(self, body: bytes, seq: int) -> bool:
        """Read what the row and the documents need from a body the audit would parse."""
        walk = self.walk
        try:
            doc = parse_json(body)
            data = doc["data"]
            if seq == 1:
                walk.first = doc
            if seq == walk.version:
                walk.last = doc
            if seq == self.snapshot:
                walk.vouched = doc.get("snapshot")
            for filed in data.get("documents", ()):
                walk.documents.append(
                    Filed(filed["sha256"], int(filed["size"]), filed["title"], seq)
                )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            walk.stop(seq, walk.head, not_an_event(error))
            return False
        return True


def _ended(
    conn: Any, walk: Walk, row: tuple[Any, ...], snapshot: Any, tail: list[Any]
) -> ChainBreak | None:
    """The first break of one investigation once all its events were read (``snapshot`` and
    ``tail``: its snapshot row and ledger tail, read already)."""
    if walk.broken is None:
        walk.end(walk.walked, walk.head)
    if walk.broken is not None:
        return walk.broken
    if snapshot is not None and snapshot[0] != row[10]:  # not the event the walk watched
        walk.vouched = vouched_at(conn, walk.number, snapshot[0])
    breaks = walked_breaks(conn, walk, row[1:], None, snapshot, tail=tail)
    return next((b for b in breaks if b is not None), None)
