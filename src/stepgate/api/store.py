"""The facade users touch: a store of investigations, opened with ``open_store``.

A ``Store`` creates and loads ``Investigation`` objects, lists and verifies
the record, takes checkpoints for the minutes and backups for the archive.
One store may be shared by the threads of a host app (each thread gets its
own database connection); ``batch()`` and ``with_retry`` group commands into
one transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import os
import pathlib
import random
import time
import typing
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import attrs

from stepgate.api.clock import Clock, SystemClock
from stepgate.api.documents import Document, Staging
from stepgate.api.investigation import Investigation, now
from stepgate.api.registry import find_process
from stepgate.engine.engine import Engine
from stepgate.errors import (
    ConcurrencyConflict,
    DefinitionChanged,
    InvalidValue,
    ProcessNotFound,
    RecordBroken,
    StorageUnavailable,
)
from stepgate.model import fields as f
from stepgate.model.documents import FiledDocument, checksum
from stepgate.model.references import CaseNumber
from stepgate.model.state import InvestigationState
from stepgate.model.values import Actor, Region
from stepgate.process.process import Process
from stepgate.store.backend import Backend, broken
from stepgate.store.record import Audit, Checkpoint, FeedEvent, Summary, Verification
from stepgate.store.sqlite import SQLiteBackend

T = TypeVar("T")

MAX_JOBS = 256
"""The most worker processes a verify takes (more is a typing mistake, not a machine)."""
log = logging.getLogger(__name__)

LAST_POSITION = (1 << 63) - 1
"""The highest store-wide position a database integer holds."""


@attrs.define
class Store:
    """Investigations and their durable record. Open one with ``open_store(path)``."""

    backend: Backend
    clock: Clock = attrs.Factory(SystemClock)
    _processes: dict[str, Process] = attrs.field(factory=dict, init=False, repr=False)
    _engines: dict[Process, Engine] = attrs.field(factory=dict, init=False, repr=False)
    _staging: Staging = attrs.field(factory=Staging, init=False, repr=False)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def location(self) -> str:
        """Where the record is, as messages and logs show it (a URL without its password)."""
        return self.backend.path

    def close(self) -> None:
        """Close the database connections (of every thread), and let go of staged documents."""
        self._staging.close()
        self.backend.close()

    # --- documents -----------------------------------------------------------------------

    def file(self, documents: Any) -> tuple[FiledDocument, ...]:
        """Read the bytes of ``stepgate.Document`` values once; what the record will hold.

        Commands do this themselves; the bytes wait for the command that files
        them and are written in its transaction.
        """
        return self._staging.file(documents)

    def staged(self, documents: Iterable[FiledDocument]) -> dict[str, Any]:
        """The bytes waiting for ``documents``, by SHA-256."""
        return self._staging.staged(documents)

    def let_go(self, documents: Iterable[FiledDocument]) -> None:
        """A command is done with the bytes of ``documents``."""
        self._staging.let_go(documents)

    def open_document(self, sha256: str) -> io.BufferedReader:
        """A stored document's bytes as a binary stream, read a chunk at a time.

        At its end the SHA-256 and size are checked: a document whose stored
        bytes were changed raises ``RecordBroken`` instead of ending quietly.
        ``UnknownInvestigation``-like ``LookupError`` (``DocumentNotFound``)
        when the store holds no such document.
        """
        return self.backend.open_document(checksum(sha256))

    def _engine(self, process: Process) -> Engine:
        """The engine of ``process``: made once per process this store meets."""
        engine = self._engines.get(process)
        if engine is None:
            engine = self._engines[process] = Engine(process)
        self._processes.setdefault(process.name, process)
        return engine

    def create(
        self,
        process: Process,
        *,
        key: str,
        title: str,
        region: Region,
        actor: Actor,
        on: dt.date | str | None = None,
        service_area: str = "",
        mandate: str = "",
        ordered_on: dt.date | str | None = None,
        pilot: bool = False,
        documents: Sequence[Document] = (),
        case_number: CaseNumber | str | None = None,
    ) -> Investigation:
        """Set up a new investigation in ``draft``; ``actor`` becomes the default actor.

        ``documents`` files the mandate as signed (and what else belongs to the
        case from its start); ``case_number`` is the archive's case for it.
        """
        engine = self._engine(process)
        at = now(self.clock)
        log.debug("create %r with process %r by %r", key, process.name, getattr(actor, "id", actor))
        filed = self.file(documents) if documents else ()
        try:
            return self._create(
                engine,
                at,
                key=key,
                title=title,
                region=region,
                actor=actor,
                on=on,
                service_area=service_area,
                mandate=mandate,
                ordered_on=ordered_on,
                pilot=pilot,
                documents=filed,
                case_number=case_number,
            )
        finally:
            self.let_go(filed)

    def _create(self, engine: Engine, at: dt.datetime, **fields: Any) -> Investigation:
        on = fields.pop("on")
        actor = fields["actor"]
        state, first = engine.create(at=at, on=at.date() if on is None else on, **fields)
        head = self.backend.add(state, first, self.staged(fields["documents"]))
        return Investigation(self, engine, state, head, actor)

    def load(
        self,
        key: str,
        process: Process | None = None,
        *,
        actor: Actor | None = None,
        migrate: str | None = None,
        verified: bool = False,
    ) -> Investigation:
        """The investigation ``key``, run by ``process`` (by default: the one it names).

        Without ``process``, the process is found by the name the record gives it:
        one given to ``open_store(processes=…)`` or used by this store, or one
        registered in the ``stepgate.processes`` entry-point group
        (``stepgate.find_process``). The name is looked up, never imported: an
        unknown name raises ``ProcessNotFound`` and runs nothing.

        ``verified=True`` rebuilds it from its first event and checks its whole
        record on the way (chain, places, snapshot, row, ledger), raising
        ``RecordBroken`` naming the first break; use it before showing a record
        to people. Otherwise a snapshot bound to the chain is used and only the
        events after it are checked.

        If the process definition changed since the investigation was created,
        this raises ``DefinitionChanged`` unless ``migrate`` says why the change
        is taken on; the migration is then recorded as an event by ``actor``. A
        verified load (for reading) does not raise: the record is shown, and its
        commands raise ``DefinitionChanged`` until it is migrated. A record made
        by stepgate 0.1 carries the hash 0.1 gave the same definition
        (``Process.legacy_hash``): it loads as it is.
        """
        key = f.key(key)
        if actor is not None and not isinstance(actor, Actor):
            raise f.refuse("actor", actor, nn="ein stepgate.Actor", en="a stepgate.Actor")
        if process is None:
            process = self.process_of(key)
        engine = self._engine(process)
        if verified:
            audit = self.backend.audit(key, engine)
            if audit.broken is not None or audit.state is None:
                raise broken(key, audit.broken, "nothing is shown")
            state, head = audit.state, audit.head
        else:
            state, head = self.backend.load(key, engine)
        inv = Investigation(self, engine, state, head, actor)
        if not process.accepts(state.definition_hash):
            if migrate is not None:
                inv.migrate(migrate, actor=actor)
            elif verified:
                inv.changed = changed(state, process, engine.hash)  # readable; commands refused
            else:
                raise changed(state, process, engine.hash)
        return inv

    def process_of(self, key: str) -> Process:
        """The process the investigation ``key`` was made with, found by the name its first
        event gives: given to or used by this store, or registered. Never imported."""
        name = self.backend.process_named(f.key(key))
        try:
            return find_process(name, among=self._processes.values())
        except ProcessNotFound as error:
            raise ProcessNotFound(
                nn=f"{key!r} vart laga med prosessen {name!r}: {error.message('nn')}",
                en=f"{key!r} was made with the process {name!r}: {error}",
            ) from None

    def keys(self) -> list[str]:
        """The keys of every investigation in the store."""
        return self.backend.keys()

    def summaries(
        self, *, open_only: bool = False, limit: int | None = None, checked: bool = False
    ) -> list[Summary]:
        """Investigations, most recently active first, as their rows say.

        ``checked=True`` also compares each row with its investigation's first
        event (``Summary.vouched``), so a listing can mark a row that was edited.
        """
        if limit is not None:
            limit = f.whole("limit", limit, 0)
        return self.backend.summaries(
            open_only=f.flag("open_only", open_only),
            limit=limit,
            checked=f.flag("checked", checked),
        )

    def summary(self, key: str) -> Summary:
        """One investigation's summary (state, version, head hash) by key, as its row says."""
        return self.backend.summary(f.key(key))

    def audit(self, key: str, process: Process) -> Audit:
        """Rebuild ``key`` from its events alone while checking its whole record (no cache)."""
        return self.backend.audit(f.key(key), self._engine(process))

    def verify(
        self,
        *,
        against: Checkpoint | str | None = None,
        processes: Iterable[Process] = (),
        chain_only: bool = False,
        progress: Callable[[int, int], None] | None = None,
        jobs: int = 1,
        since: Checkpoint | str | None = None,
    ) -> Verification:
        """Verify the whole record; ``ok`` is True when all of it was checked and holds.

        Every investigation is replayed from its first event with the process
        that event names, found by name (never imported) among ``processes``,
        those this store was given, created or loaded with, and those registered
        in the ``stepgate.processes`` entry-point group. One whose process is not
        found still has its chain, places, row, snapshot binding and ledger
        checked, and is named in ``unreplayed``: then ``ok`` is False (the
        verification is not whole) while ``intact`` says whether anything
        checked is broken. ``chain_only=True`` asks for less on purpose: nothing
        is replayed. ``against`` is a checkpoint taken earlier
        (``Store.checkpoint()``): the record must still extend it. ``progress(done,
        total)`` is told how far the walk has come, for a progress bar (each event
        counts twice: its replay and its place in the ledger).

        ``jobs`` above 1 audits the investigations in that many worker processes
        (forked: they inherit the processes to replay with) while this one walks the
        ledger; the findings and their order are the same as with one. The record is
        read as of the ledger's last position when the verify begins, also while
        others write. Workers are forked only while no other thread of this process
        runs (a forked copy could wait for ever on a lock one of them held); in a
        host app with threads the investigations are audited in this process.
        ``stepgate verify`` uses every core.

        ``since`` is a checkpoint verified before (``Verification.checkpoint``, or
        printed in the minutes): the record must still extend it, and only what was
        written after it is checked — in proportion to what is new. What it trusts
        and what a full verify adds: ``docs/security.md``.
        """
        point = None if against is None else Checkpoint.parse(against)
        start = None if since is None else Checkpoint.parse(since)
        jobs = f.whole("jobs", jobs, 1, MAX_JOBS)
        if point is not None and start is not None:
            raise InvalidValue(
                nn="gje anten since (berre det nye) eller against (heile journalen), ikkje begge",
                en="give either since (only what is new) or against (the whole record), not both",
            )
        if f.flag("chain_only", chain_only):
            found = self.backend.verify(None, point, progress, jobs, start)
            return _logged(found, self.location)
        known = {**self._processes} | {p.name: p for p in _own_processes(processes).values()}
        engines: dict[str, Engine] = {}

        def replayer_for(name: str) -> Engine | None:
            if name not in known:
                with contextlib.suppress(ProcessNotFound):
                    known[name] = find_process(name)  # registered names only: nothing imported
            if name not in engines and name in known:
                engines[name] = Engine(known[name])
            return engines.get(name)

        found = self.backend.verify(replayer_for, point, progress, jobs, start)
        return _logged(found, self.location)

    def events_since(self, position: int = 0, *, limit: int = 1000) -> list[FeedEvent]:
        """The events after store-wide ``position``, in commit order: the feed host apps follow.

        Positions count every event of the store from 1, in the order the commits
        were made, with no gaps (on SQLite and PostgreSQL alike), so a consumer
        keeps the last position it handled — in its own database, in the same
        transaction as what it did with the event — and asks for what follows.
        ``docs/deployment.md`` shows the pattern.
        """
        position = f.whole("position", position, 0, LAST_POSITION)
        limit = f.whole("limit", limit, 1, 100_000)
        return self.backend.events_since(position, limit)

    def checkpoint(self) -> Checkpoint:
        """The store's checkpoint now: print it in the minutes; verify against it later."""
        return self.backend.checkpoint()

    def backup(
        self,
        target: str | os.PathLike[str],
        *,
        processes: Iterable[Process] = (),
        progress: Callable[[str, int, int], None] | None = None,
    ) -> Verification:
        """Copy the whole record into a new SQLite file ``target``, verified.

        From an SQLite store this is SQLite's online backup: the copy holds every
        committed event, also those still in the write-ahead log, which a plain
        file copy of the database alone would miss. From PostgreSQL it is
        ``copy_to``. The copy is verified as ``verify`` does, with ``processes``
        besides the known ones. ``progress(stage, done, total)`` is told how each
        verify comes on (``stage`` is ``"record"`` or ``"copy"``).
        """
        path = pathlib.Path(os.fspath(target))
        if path.exists():
            raise StorageUnavailable(
                nn=f"{str(path)!r} finst alt; ein tryggingskopi går til ei ny fil",
                en=f"{str(path)!r} exists already; a backup goes into a new file",
            )
        if isinstance(self.backend, SQLiteBackend):
            self.backend.backup(path)
            with open_store(path, read_only=True) as copy:
                return copy.verify(
                    processes=[*self._processes.values(), *processes],
                    progress=_stage(progress, "copy"),
                )
        return self.copy_to(path, processes=processes, progress=progress)

    def copy_to(
        self,
        target: str | os.PathLike[str],
        *,
        processes: Iterable[Process] = (),
        progress: Callable[[str, int, int], None] | None = None,
    ) -> Verification:
        """Copy the whole record into a new store ``target`` (a file or a URL), verified there.

        Rows move as they are, so the copy's chains, heads and checkpoint are
        this record's: an SQLite record grows into PostgreSQL (and back) without
        losing its chain. The record is verified, and copied, as of one
        consistent view of it (writers may go on meanwhile; what they commit
        after that view is not in the copy). The copy is verified and must show
        the same heads and checkpoint as the record at that view; otherwise
        ``RecordBroken`` says what differs. A broken record is not copied.
        ``progress(stage, done, total)`` is told how each verify comes on (``stage``
        is ``"record"``, then ``"copy"``).
        """
        known = [*self._processes.values(), *processes]
        with self.backend.reading():
            here = self.verify(processes=known, progress=_stage(progress, "record"))
            if not here.intact:
                raise RecordBroken(
                    nn=f"{self.backend.path} stemmer ikkje; ingenting vert kopiert: "
                    f"{here.breaks[0].message('nn')}",
                    en=f"{self.backend.path} does not verify; nothing is copied: {here.breaks[0]}",
                )
            with open_store(target, clock=self.clock) as copy:
                self.backend.copy_into(copy.backend)
                there = copy.verify(processes=known, progress=_stage(progress, "copy"))
        if (there.heads, there.checkpoint) != (here.heads, here.checkpoint) or not there.intact:
            found = there.breaks[0] if there.breaks else None
            raise RecordBroken(
                nn="kopien stemmer ikkje med journalen: "
                + (
                    found.message("nn")
                    if found
                    else f"kontrollpunktet er {there.checkpoint}, journalen sitt {here.checkpoint}"
                ),
                en="the copy does not verify as the record does: "
                f"{found or f'its checkpoint is {there.checkpoint}, the record {here.checkpoint}'}",
            )
        return there

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Run the commands inside as one transaction: all of them are recorded, or none.

        The bulk path, for imports and a host app's batches: each command is
        checked and folded at once (a refused one leaves nothing, and the others
        may go on), and their rows are written together when the block ends —
        each command still with its own place in the ledger and the feed. Reads
        inside the block see the commands before them. An error that leaves the
        block, or another writer that moved an investigation meanwhile
        (``ConcurrencyConflict`` at the end), rolls everything back, and every
        investigation used inside reads the record again before it is next used.
        On SQLite the block holds the write lock from its first command to its end.
        """
        with self.backend.writing():
            yield

    @typing.overload
    def with_retry(
        self,
        key: str,
        action: Callable[[Investigation], T],
        /,
        *,
        actor: Actor,
        process: Process | None = None,
        attempts: int = 30,
    ) -> T: ...

    @typing.overload
    def with_retry(  # deprecated: the action second, process=… to choose one
        self,
        key: str,
        action: Process,
        old: Callable[[Investigation], T],
        /,
        *,
        actor: Actor,
        attempts: int = 30,
    ) -> T: ...

    def with_retry(
        self,
        key: str,
        action: Callable[[Investigation], T] | Process,
        old: Callable[[Investigation], T] | None = None,
        /,
        *,
        actor: Actor,
        process: Process | None = None,
        attempts: int = 30,
    ) -> T:
        """Run ``action`` on a freshly loaded investigation, in one transaction; retry on conflict.

        The investigation is loaded as ``load(key)`` loads it: with ``process`` when
        given, else the one its record names. The first attempt is optimistic: it
        loads without waiting for anyone. If another writer got there first, the
        next attempt takes the write lock before it loads, so what it read cannot
        change before it writes. All of ``action``'s commands are recorded
        together, or none. The older form ``with_retry(key, process, action, …)``
        still works, with a ``DeprecationWarning``.
        """
        if isinstance(action, Process):
            warnings.warn(
                "with_retry(key, process, action) is deprecated: give "
                "with_retry(key, action, actor=…) (and process=… only to choose another "
                "process than the record names); the old form goes in stepgate 0.3",
                DeprecationWarning,
                stacklevel=2,
            )
            if old is None:
                raise TypeError("with_retry(key, process, action): the action is missing")
            process, action = action, old
        elif old is not None:
            raise TypeError("with_retry(key, action, actor=…) takes no third argument")
        attempts = f.whole("attempts", attempts, 1)
        for attempt in range(1, attempts + 1):
            try:
                with self.backend.writing(lock=attempt > 1):
                    return action(self.load(key, process, actor=actor))
            except ConcurrencyConflict:
                if attempt == attempts:
                    raise
                log.debug("conflict in %r on attempt %d of %d; retrying", key, attempt, attempts)
                if attempt > 1:  # another kind of store may still conflict: back off a little
                    time.sleep(random.uniform(0, min(0.05, 0.001 * 2**attempt)))  # noqa: S311
        raise AssertionError("unreachable")  # pragma: no cover


def _stage(
    progress: Callable[[str, int, int], None] | None, stage: str
) -> Callable[[int, int], None] | None:
    """``progress`` told which stage it hears of."""
    if progress is None:
        return None
    return lambda done, total: progress(stage, done, total)


def _logged(verification: Verification, location: str) -> Verification:
    """``verification``, with a warning in the log when the record is broken or not whole."""
    if verification.breaks:
        log.warning(
            "the record %s does not verify: %d break(s), the first: %s",
            location,
            len(verification.breaks),
            verification.breaks[0],
        )
    if verification.unreplayed:
        log.warning(
            "the record %s was not wholly verified: %d investigation(s) not replayed (%s)",
            location,
            len(verification.unreplayed),
            ", ".join(verification.unreplayed[:5]),
        )
    return verification


def changed(state: InvestigationState, process: Process, now: str) -> DefinitionChanged:
    """The error for a record whose pinned definition is not ``process`` as it is now."""
    return DefinitionChanged(
        nn=f"{state.key!r} vart laga med definisjon {state.definition_hash} av "
        f"{state.process!r}, og {process.name!r} er no {now}; gje migrate='kvifor' "
        "(og ein aktør frå sekretariatet) for å føre endringa i journalen",
        en=f"{state.key!r} was created with definition {state.definition_hash} of "
        f"{state.process!r}, and {process.name!r} is now {now}; pass "
        "migrate='why' (and a secretariat actor) to take the change on record",
    )


def open_store(
    path: str | os.PathLike[str] = ":memory:",
    *,
    clock: Clock | None = None,
    read_only: bool = False,
    processes: Iterable[Process] = (),
) -> Store:
    """Open (or create) a store: an SQLite file, ``":memory:"``, or a PostgreSQL URL.

    ``postgresql://user@host/db`` (credentials from the URL or the standard
    ``PG*`` environment variables; ``?options=-csearch_path%3Dname`` chooses a
    schema) needs the ``postgres`` extra. ``read_only=True`` never creates or
    changes anything: the store must exist and hold a stepgate record of this
    schema. ``processes`` are the host app's own: ``load(key)`` and ``verify()``
    find a record's process among them by name (and among those registered as
    entry points); a name in a record is never imported.
    """
    if not isinstance(path, str | os.PathLike):
        raise f.refuse(
            "path",
            path,
            nn="ei filsti, ':memory:' eller ein postgresql://-URL",
            en="a file path, ':memory:' or a postgresql:// URL",
        )
    read_only = f.flag("read_only", read_only)
    given = _own_processes(processes)
    location = os.fspath(path)
    if location.startswith(("postgresql://", "postgres://")):
        store = Store(_postgres(location, read_only), clock or SystemClock())
    else:
        store = Store(SQLiteBackend(location, read_only=read_only), clock or SystemClock())
    store._processes.update(given)  # the store's own registry, filled where it is made
    return store


def _own_processes(processes: Iterable[Process]) -> dict[str, Process]:
    """A host app's processes by name; one name, one process."""
    if isinstance(processes, Process | str) or not isinstance(processes, Iterable):
        raise f.refuse(
            "processes",
            processes,
            nn="ei liste av stepgate.Process",
            en="a list of stepgate.Process",
        )
    found: dict[str, Process] = {}
    for process in processes:
        if not isinstance(process, Process):
            raise f.refuse(
                "each of processes", process, nn="ein stepgate.Process", en="a stepgate.Process"
            )
        if found.setdefault(process.name, process) != process:
            raise InvalidValue(
                nn=f"to ulike prosessar heiter {process.name!r}; eit namn er éin prosess",
                en=f"two different processes are named {process.name!r}; a name is one process",
            )
    return found


def _postgres(url: str, read_only: bool) -> Backend:
    """The PostgreSQL backend, imported on first use (psycopg comes with the extra)."""
    try:
        from stepgate.store.postgres import PostgresBackend  # noqa: PLC0415 - an extra
    except ImportError:
        raise StorageUnavailable(
            nn="eit PostgreSQL-lager treng psycopg: pip install 'stepgate[postgres]'",
            en="a PostgreSQL store needs psycopg: pip install 'stepgate[postgres]'",
        ) from None
    return PostgresBackend(url, read_only=read_only)
