"""Writing an extraction: verify the record, choose the cases, write them one at a time, move in.

``extract`` (``stepgate.extract``, ``stepgate archive``) writes a new package
folder from pieces that write nothing themselves: ``report.noark`` maps the
record and writes its XML to the streams given here.

Everything is read inside one read transaction (one consistent view of the
record, however much others write meanwhile) and written into a new folder
beside the target, which takes the target's place only when the last file is
written: a refusal or an error on the way leaves nothing behind. Each case is
read, written (its saksmappe, its documents' bytes, its changes) and let go
before the next, and the journals are written as the store-wide feed is
walked, so memory does not grow with the number of investigations or the size
of a document.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import pathlib
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

import attrs

from stepgate.errors import InvalidValue, RecordBroken, StorageUnavailable
from stepgate.model import fields as f
from stepgate.process.process import Process
from stepgate.report.noark import addml, changes
from stepgate.report.noark.journal import Entry, Journal
from stepgate.report.noark.mapping import (
    Archive,
    Case,
    Context,
    NoCaseNumber,
    Numbering,
    case_of,
    ending,
    local_day,
    registration,
)
from stepgate.report.noark.record import feed, process_for, verified
from stepgate.report.noark.structure import (
    RECORD_SCHEMA,
    Span,
    archive_around,
    depth,
    write_case,
)
from stepgate.report.noark.xml import XmlOut, copy
from stepgate.report.words import Words

if TYPE_CHECKING:
    from stepgate.api.store import Store

SCHEMAS = pathlib.Path(__file__).parent / "schemas"
"""Arkivverket's schemas, unchanged, and stepgate's own (``stepgate.xsd``, for its metadata):
every package carries them beside its files."""

CLOSED = ("concluded", "stopped")


@attrs.frozen
class Extraction:
    """What an extraction holds, and the record it came from.

    ``checkpoint`` is the record's checkpoint when it was read, and ``heads``
    each investigation's head hash (also written into ``arkivstruktur.xml``):
    ``stepgate verify DB --against CHECKPOINT`` later proves the record still
    holds what the package says.
    """

    folder: pathlib.Path
    checkpoint: str
    heads: dict[str, str]
    registrations: int
    documents: int
    changes: int
    start: dt.date
    end: dt.date

    @property
    def cases(self) -> int:
        """How many saksmapper (investigations) it holds."""
        return len(self.heads)


def extract(
    store: Store,
    folder: str | os.PathLike[str],
    archive: Archive,
    *,
    keys: Iterable[str] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
    processes: Iterable[Process] = (),
    progress: Callable[[str, int, int], None] | None = None,
) -> Extraction:
    """Write a Noark 5 v5.0 extraction of closed investigations into the new folder ``folder``.

    The investigations are those named by ``keys``, else those concluded or
    stopped between ``start`` and ``end`` (business dates, both included; either
    may be left open), else every closed one. The record is verified first, and a
    broken one, an investigation still open or without a case number, a process
    not known here (``processes`` adds to the registered ones) or a period with no
    investigation is refused, with nothing written. ``docs/archive.md`` says what
    becomes what. ``progress(stage, done, total)`` is told how far it has come: the
    verify (``"record"``), then the investigations (``"cases"``).
    """
    if not isinstance(archive, Archive):
        raise f.refuse("archive", archive, nn="ein stepgate.Archive", en="a stepgate.Archive")
    wanted = tuple(f.key(k) for k in ([keys] if isinstance(keys, str) else keys))
    start = f.optional_day("start", start)
    end = f.optional_day("end", end)
    if start is not None and end is not None and end < start:
        raise InvalidValue(
            nn=f"perioden sluttar ({end}) før han byrjar ({start})",
            en=f"the period ends ({end}) before it starts ({start})",
        )
    target = new_folder(folder)
    known = list(processes)
    tell = progress or (lambda _stage, _done, _total: None)
    with store.backend.reading():
        checkpoint = verified(store, known, lambda done, total: tell("record", done, total))
        with _temporary(target) as temp:
            written = _Writer(store, archive, temp, known)
            candidates = _candidates(store, wanted)
            for done, key in enumerate(candidates, 1):
                written.case(key, wanted, start, end)
                tell("cases", done, len(candidates))
            if not written.heads:
                raise _nothing(start, end)
            written.finish(checkpoint, start, end)
            _move(temp, target)
    return Extraction(
        folder=target,
        checkpoint=checkpoint,
        heads=written.heads,
        registrations=written.registrations,
        documents=written.documents,
        changes=written.changes,
        start=written.span().start if start is None else start,
        end=written.span().end if end is None else end,
    )


def new_folder(folder: str | os.PathLike[str]) -> pathlib.Path:
    """``folder`` as a place for a new package: absent or empty, in a folder that exists."""
    target = pathlib.Path(os.fspath(folder))
    shown = str(target)
    if target.exists() and not target.is_dir():
        raise InvalidValue(
            nn=f"{shown!r} finst og er ikkje ei mappe; eit uttrekk går til ei ny mappe",
            en=f"{shown!r} exists and is not a folder; an extraction goes into a new folder",
        )
    if target.is_dir() and any(target.iterdir()):
        raise InvalidValue(
            nn=f"{shown!r} er ikkje tom; eit uttrekk går til ei ny eller tom mappe, "
            "aldri over noko",
            en=f"{shown!r} is not empty; an extraction goes into a new or empty folder, "
            "never over anything",
        )
    if not target.absolute().parent.is_dir():
        raise InvalidValue(
            nn=f"{shown!r} kan ikkje lagast: det finst inga mappe "
            f"{str(target.absolute().parent)!r}",
            en=f"{shown!r} cannot be made: there is no folder {str(target.absolute().parent)!r}",
        )
    return target


@contextlib.contextmanager
def _temporary(target: pathlib.Path) -> Iterator[pathlib.Path]:
    """A new folder beside ``target``, removed unless it has taken ``target``'s place."""
    parent = target.absolute().parent
    temp = pathlib.Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}."))
    try:
        yield temp
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _move(temp: pathlib.Path, target: pathlib.Path) -> None:
    """Put the finished package in place: into a new folder, or one still empty."""
    os.chmod(temp, 0o777 & ~_umask())  # as a new folder would be made
    try:
        os.rename(temp, target)  # over an empty folder only; never over anything in it
    except OSError as error:
        raise StorageUnavailable(
            nn=f"{str(target)!r} kunne ikkje ta imot uttrekket (vart noko lagt der i mellomtida?)",
            en=f"{str(target)!r} could not take the extraction (something was put there "
            "meanwhile?)",
            detail=f"{type(error).__name__}: {error}",
        ) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _nothing(start: dt.date | None, end: dt.date | None) -> InvalidValue:
    if start is None and end is None:
        return InvalidValue(
            nn="inga utgreiing er avslutta eller stoppa enno; det er ingenting å arkivere",
            en="no investigation is concluded or stopped yet; there is nothing to archive",
        )
    period = f"{start or '…'}–{end or '…'}"
    return InvalidValue(
        nn=f"inga utgreiing vart avslutta eller stoppa i {period}; det er ingenting å arkivere",
        en=f"no investigation was concluded or stopped in {period}; there is nothing to archive",
    )


def _candidates(store: Store, wanted: tuple[str, ...]) -> list[str]:
    """The keys to look at: those asked for, or every investigation, oldest first."""
    if wanted:
        return list(dict.fromkeys(wanted))
    return store.keys()


class _Writer:
    """The package as it is written: the cases' part, the documents, the changes, the counts."""

    def __init__(self, store: Store, archive: Archive, temp: pathlib.Path, known: list[Process]):
        self.store, self.archive, self.temp, self.known = store, archive, temp, known
        self.heads: dict[str, str] = {}
        self.contexts: dict[str, tuple[Context, Words]] = {}  # a few hundred bytes a case
        self._words: dict[str, Words] = {}  # one per process
        self.registrations = self.documents = self.changes = 0
        self.screened = False
        self._span: dict[str, Any] = {}
        self._cases: IO[bytes] = tempfile.TemporaryFile(dir=temp)  # noqa: SIM115 - see finish
        self._x = XmlOut(self._cases, depth=depth(archive))
        self._changes = changes.Log(tempfile.TemporaryFile(dir=temp))  # noqa: SIM115 - see finish
        (temp / "dokumenter").mkdir()

    def case(
        self, key: str, wanted: tuple[str, ...], start: dt.date | None, end: dt.date | None
    ) -> None:
        """Write investigation ``key`` if it belongs in the package; refuse it if asked for and
        it cannot go into an archive."""
        reading = self.store.load(key, process_for(self.store, key, self.known), verified=True)
        record = reading.events
        ended = ending(record)
        if reading.lifecycle not in CLOSED or ended is None:
            if wanted:
                raise InvalidValue(
                    nn=f"{key!r} er framleis open ({reading.lifecycle}); berre ei avslutta eller "
                    "stoppa utgreiing går i arkivet",
                    en=f"{key!r} is still open ({reading.lifecycle}); only a concluded or stopped "
                    "investigation goes into the archive",
                )
            return
        on = ended.event.on
        if (start is not None and on < start) or (end is not None and on > end):
            return
        try:
            backend = self.store.backend
            case = case_of(
                reading, self.archive, backend.positions(key), backend.hash_at(key, 1), record
            )
        except NoCaseNumber:
            raise InvalidValue(
                nn=f"{key!r} har ikkje noko saksnummer; gje ho eitt (set_case_number) før ho "
                "vert arkivert",
                en=f"{key!r} has no case number; give it one (set_case_number) before it is "
                "archived",
            ) from None
        write_case(self._x, case)
        self._documents(case)
        for change in case.changes:
            self._changes.add(change)
        self.changes += len(case.changes)
        self.registrations += len(case.registrations)
        self.screened |= any(r.screening is not None for r in case.registrations)
        self.heads[key] = case.head_hash
        words = self._words.setdefault(reading.process.name, Words("nn", reading.process))
        self.contexts[key] = (case.context, words)
        self._stretch(case)

    def _stretch(self, case: Case) -> None:
        """Widen the span to the case: its creation and end, its first and last journal date."""
        assert case.ended_at is not None
        s = self._span
        if not s or case.created_at < s["created_at"]:
            s["created_at"], s["created_by"] = case.created_at, case.created_by
        if "ended_at" not in s or case.ended_at >= s["ended_at"]:
            s["ended_at"], s["ended_by"] = case.ended_at, case.ended_by
        days = [r.day for r in case.registrations] or [local_day(case.created_at)]
        first, last = min(days), max(days)
        s["start"] = min(s.get("start", first), first)
        s["end"] = max(s.get("end", last), last)

    def span(self) -> Span:
        """The dates and makers of the archive and its series: from the cases in it.

        The period is the first and last journal date of the registrations in the
        package, as the journals' own period is (Arkade compares the two).
        """
        return Span(**self._span)

    def _documents(self, case: Case) -> None:
        """Copy every document's bytes, as stored, checking them against the record on the way."""
        for r in case.registrations:
            for d in r.documents:
                hashed = hashlib.sha256()
                with (
                    self.store.open_document(d.sha256) as source,
                    (self.temp / d.file).open("xb") as out,
                ):
                    while block := source.read(1 << 20):
                        hashed.update(block)
                        out.write(block)
                if hashed.hexdigest() != d.sha256:
                    raise RecordBroken(
                        nn=f"dei lagra bytane til dokumentet {d.sha256} ({d.title!r}) "
                        "stemmer ikkje med sjekksummen; ingenting vert eksportert",
                        en=f"the stored bytes of the document {d.sha256} ({d.title!r}) "
                        "do not match their checksum; nothing is exported",
                    )
                self.documents += 1
                self.screened |= d.screening is not None

    def finish(self, checkpoint: str, start: dt.date | None, end: dt.date | None) -> None:
        """Write the XML files around what was written, the journals and the ADDML."""
        span = self.span()
        if start is not None or end is not None:
            span = attrs.evolve(span, start=start or span.start, end=end or span.end)
        try:
            with (self.temp / "arkivstruktur.xml").open("xb") as out:
                x = XmlOut(out)
                with archive_around(x, self.archive, span, checkpoint):
                    out.flush()
                    copy(self._cases, out)
        finally:
            self._cases.close()
        with (self.temp / "endringslogg.xml").open("xb") as out:
            self._changes.finish(out)
        journals = self._journals()
        files = [
            ("arkivstruktur", (("mappe", len(self.heads)), ("registrering", self.registrations))),
            ("endringslogg", (("endring", self.changes),)),
            *((j.kind, (("journalregistrering", j.count),)) for j in journals),
        ]
        schemas = [*(f"{name}.xsd" for name, _ in files), addml.CATALOGUE, "addml.xsd"]
        for schema in [*schemas, RECORD_SCHEMA]:
            shutil.copyfile(SCHEMAS / schema, self.temp / schema)
        own = ((RECORD_SCHEMA, _sha256(self.temp / RECORD_SCHEMA)),)
        package = addml.Package(
            creators=(self.archive.creator,),
            archive=self.archive.title,
            start=span.start,
            end=span.end,
            screened=self.screened,
            documents=self.documents,
            catalogue_sha256=_sha256(self.temp / addml.CATALOGUE),
            files=tuple(
                addml.Described(
                    name=f"{name}.xml",
                    sha256=_sha256(self.temp / f"{name}.xml"),
                    schema=f"{name}.xsd",
                    schema_sha256=_sha256(self.temp / f"{name}.xsd"),
                    counts=counts,
                    more=own if name == "arkivstruktur" else (),
                )
                for name, counts in files
            ),
        )
        with (self.temp / "arkivuttrekk.xml").open("xb") as out:
            addml.write(out, package)

    def _journals(self) -> list[Journal]:
        """Both journals of every registration in the package, in the order they were written."""
        journals = [
            Journal("loependeJournal", self.archive, tempfile.TemporaryFile(dir=self.temp)),  # noqa: SIM115 - closed below
            Journal("offentligJournal", self.archive, tempfile.TemporaryFile(dir=self.temp)),  # noqa: SIM115
        ]
        try:
            numbering: dict[str, Numbering] = {}
            for item in feed(self.store):
                found = self.contexts.get(item.investigation)
                if found is None:
                    continue
                event = item.recorded.event
                number = numbering.setdefault(item.investigation, Numbering()).next(event)
                if number is None:
                    continue
                made = registration(found[0], item.recorded, found[1], number, item.position)
                for journal in journals:
                    journal.add(Entry(found[0], made))
            for journal in journals:
                with (self.temp / f"{journal.kind}.xml").open("xb") as out:
                    journal.finish(out)
        finally:
            for journal in journals:
                journal.close()
        return journals


def _sha256(path: pathlib.Path) -> str:
    hashed = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(1 << 20):
            hashed.update(block)
    return hashed.hexdigest()
