"""The verified record as the archive reads it: its checkpoint, its feed, the public journal.

Nothing here writes: ``verified`` refuses a record that does not verify (in
one line), ``public_journal`` maps the registrations of a period into journal
entries for ``stepgate journal``, and the archive layer (``stepgate.archive``)
writes a package from the same pieces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from stepgate.errors import ProcessNotFound, RecordBroken
from stepgate.model import fields as f
from stepgate.process.process import Process
from stepgate.report.noark.journal import Entry
from stepgate.report.noark.mapping import Context, NoCaseNumber, Numbering, local_day, registration
from stepgate.report.words import Words

if TYPE_CHECKING:
    from stepgate.api.store import Store

FEED_BATCH = 500


def public_journal(
    store: Store,
    start: dt.date,
    end: dt.date,
    *,
    processes: Iterable[Process] = (),
) -> list[Entry]:
    """The public journal of the verified record: every registration from ``start`` to ``end``.

    A registration's journal date is the day it was registered. Investigations
    without a case number have no place in a journal and are left out.
    """
    start, end = f.a_day("start", start), f.a_day("end", end)
    known = list(processes)
    with store.backend.reading():
        verified(store, known)
        contexts: dict[str, Context | None] = {}
        words: dict[str, Words] = {}

        def context(key: str) -> Context | None:
            if key not in contexts:
                reading = store.load(key, process_for(store, key, known), verified=True)
                words.setdefault(key, Words("nn", reading.process))
                try:
                    origin = store.backend.hash_at(key, 1)
                    contexts[key] = Context.of(reading.history(), origin)
                except NoCaseNumber:
                    contexts[key] = None
            return contexts[key]

        found: list[Entry] = []
        numbering: dict[str, Numbering] = {}
        for item in feed(store):
            number = numbering.setdefault(item.investigation, Numbering()).next(item.recorded.event)
            day = local_day(item.recorded.at)
            if number is None or not start <= day <= end:
                continue
            case = context(item.investigation)
            if case is not None:
                made = registration(
                    case, item.recorded, words[item.investigation], number, item.position
                )
                found.append(Entry(case, made))
    return found


def verified(
    store: Store, processes: list[Process], progress: Callable[[int, int], None] | None = None
) -> str:
    """The record's checkpoint, once the whole record verifies; else the refusal, in one line."""
    verification = store.verify(processes=processes, progress=progress)
    if verification.breaks:
        first = verification.breaks[0]
        raise RecordBroken(
            nn=f"journalen stemmer ikkje; ingenting vert eksportert: {first.message('nn')}",
            en=f"the record does not verify; nothing is exported: {first}",
        )
    if verification.unreplayed:
        key = verification.unreplayed[0]
        name = verification.unknown.get(key, "?")
        raise ProcessNotFound(
            nn=f"{key!r} vart laga med prosessen {name!r}, som ikkje er registrert her; "
            "ingenting vert eksportert (gje han med --process)",
            en=f"{key!r} was made with the process {name!r}, which is not registered here; "
            "nothing is exported (give it with --process)",
        )
    assert verification.checkpoint is not None  # a sound ledger has one
    return str(verification.checkpoint)


def process_for(store: Store, key: str, known: list[Process]) -> Process:
    """The process investigation ``key`` was made with: one given here, else a registered one."""
    name = store.backend.process_named(key)
    for process in known:
        if process.name == name:
            return process
    return store.process_of(key)


def feed(store: Store) -> Iterator[Any]:
    """Every event of the store, in the order it was written."""
    position = 0
    while batch := store.events_since(position, limit=FEED_BATCH):
        yield from batch
        position = batch[-1].position
