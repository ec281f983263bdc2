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

from collections.abc import Callable, Iterable
from typing import Any

from stepgate.store.audit import ROW_COLUMNS, audit
from stepgate.store.record import ChainBreak, Checkpoint, Verification
from stepgate.store.verify import (
    Finder,
    Ledger,
    Progress,
    checkpoint_now,
    named_process,
    rehashed,
)

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
    now = checkpoint_now(conn)
    end = stored = now.position  # positions count the committed events without gaps: no count(*)
    rows = conn.execute("SELECT number, key, version, position FROM investigations").fetchall()
    ledger = Ledger(conn, {n: (key, v, at) for n, key, v, at in rows}, since=since)
    ledger.checkpoint = now
    sealed = ledger.extends(since, _hash_at(conn, since.position), None)
    if sealed:  # nothing after it can be taken to extend the minutes
        return Verification((*breaks, *sealed), {}, stored, None, since=since)
    total = 2 * (end - since.position)
    tell(0, total)
    broken = ledger.walk(None, lambda at: tell(at - since.position, total))
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
        result = audit(conn, key, engine, row=row[1:], since=boundary)
        heads[key] = result.head
        filed.update(d.sha256 for d in result.documents)
        if missing is not None:
            unknown[key] = missing
        if result.broken is not None:
            breaks.append(result.broken)
        done += version - boundary
        tell(min(done, total), total)
    breaks += broken
    breaks += _new_documents(conn, filed)
    tell(total, total)
    return Verification(
        tuple(breaks),
        heads,
        stored,
        None if broken else ledger.checkpoint,
        tuple(unknown),
        chain_only=replayer_for is None,
        unknown=unknown,
        since=since,
    )


def _hash_at(conn: Any, position: int) -> bytes | None:
    """The ledger's hash at ``position`` (None: no commit ends there)."""
    found = conn.execute("SELECT hash FROM ledger WHERE position = ?", [position]).fetchone()
    return None if found is None else bytes(found[0])


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
