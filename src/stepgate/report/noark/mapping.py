"""What each part of the record becomes in Noark 5: pure values, made from a verified reading.

An investigation is a **case** (saksmappe); each decision a party's body took
(a position on the mandate or a step, an opt-out, a council's decision), each
decision of the steering group, and each event that filed documents is a
**registration** (journalpost) with its documents (dokumentbeskrivelse and
dokumentobjekt); the record's own corrections are **changes** (endringslogg).
Every system id is a UUID derived from the record (the investigation's key, the
event's place, the document's checksum), so the same record always gives the
same extraction. ``docs/archive.md`` has the table with the M-numbers.
"""

from __future__ import annotations

import datetime as dt
import functools
import mimetypes
import pathlib
import uuid
import zoneinfo
from collections.abc import Iterator
from typing import Any

import attrs

from stepgate.api.reading import Reading
from stepgate.model import events as ev
from stepgate.model import fields as f
from stepgate.model.documents import FiledDocument
from stepgate.report.words import Words

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:stepgate:noark5")
"""The namespace of every system id stepgate derives (UUID version 5)."""

INCOMING = "Inngående dokument"
INTERNAL = "Organinternt dokument uten oppfølging"
SENDER = "Avsender"
INTERNAL_SENDER = "Intern avsender"
RESTRICTED = "Unntatt offentlighet"
DONE = "Avsluttet"
TAKING_PART = "Deltakarkommune"
OPTED_OUT = "Meldt ut"


LOCAL = zoneinfo.ZoneInfo("Europe/Oslo")
"""The archive's time zone: a journal date is the day in Norway (the record keeps UTC)."""


def local_day(moment: dt.datetime) -> dt.date:
    """The day ``moment`` falls on in Norway."""
    return moment.astimezone(LOCAL).date()


def system_id(*parts: object) -> str:
    """The UUID of the unit ``parts`` name (stable: the same parts, the same id)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


@attrs.frozen
class Classification:
    """A class of the archive's classification system (e.g. the K-code for cooperation)."""

    system: str = attrs.field(validator=f.is_text(required=True, what="class_system"))
    id: str = attrs.field(validator=f.is_text(required=True, what="class_id"))
    title: str = attrs.field(validator=f.is_text(required=True, what="class_title"))


@attrs.frozen
class Archive:
    """What the host app names: the archive creator, the archive and its series (arkivdel).

    ``creator_id`` is the archive creator's id (arkivskaperID, e.g. the
    municipality's organisation number) and ``creator`` its name; ``title``
    names the archive and ``series`` the arkivdel the cases go into.
    ``unit`` is the administrative unit (administrativEnhet) and ``officer`` the
    person responsible (saksansvarlig) of every case; ``officer`` defaults to
    the actor who created the investigation. ``classification`` is the class
    the cases are filed under (optional).
    """

    creator_id: str = attrs.field(validator=f.is_text(required=True, what="creator_id"))
    creator: str = attrs.field(validator=f.is_text(required=True, what="creator"))
    title: str = attrs.field(validator=f.is_text(required=True, what="archive"))
    series: str = attrs.field(validator=f.is_text(required=True, what="series"))
    unit: str = attrs.field(
        default="Sekretariatet", validator=f.is_text(required=True, what="unit")
    )
    officer: str = attrs.field(default="", validator=f.is_text(what="officer"))
    classification: Classification | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(attrs.validators.instance_of(Classification)),
    )


@attrs.frozen
class Screening:
    """A registration or document exempt from public access: its ground and what is screened."""

    ground: str
    metadata: str
    whole_document: bool = False


@attrs.frozen
class DocumentEntry:
    """A document of a registration: its description and its one object (the file)."""

    system_id: str
    object_id: str
    kind: str
    title: str
    role: str
    number: int
    at: dt.datetime
    by: str
    extension: str
    media_type: str
    sha256: str
    size: int
    screening: Screening | None
    note: str

    @property
    def file(self) -> str:
        """Where the file lies in the package, relative to arkivstruktur.xml."""
        return f"dokumenter/{self.object_id}.{self.extension}"


@attrs.frozen
class Registration:
    """A journalpost: a decision or a filing, with its documents and its numbers."""

    system_id: str
    seq: int
    at: dt.datetime
    by: str
    on: dt.date
    title: str
    public_title: str
    description: str
    kind: str
    correspondent: tuple[str, str]
    screening: Screening | None
    documents: tuple[DocumentEntry, ...]
    number: int  # journalpostnummer: its place in the case
    position: int  # journalsekvensnummer: the event's place in the store-wide feed
    superseded_by: str = ""  # registreringsID of a later position on the same subject

    @property
    def day(self) -> dt.date:
        """journaldato: the day (in Norway) it was registered."""
        return local_day(self.at)

    @property
    def year(self) -> int:
        """The journal year: the year it was registered."""
        return self.day.year


@attrs.frozen
class Change:
    """A correction in the record: which unit, which element, when, by whom, before and after."""

    unit: str
    element: str
    at: dt.datetime
    by: str
    before: str
    after: str


@attrs.frozen
class Case:
    """An investigation as a saksmappe, with its registrations and changes."""

    system_id: str
    key: str
    year: int
    sequence: int
    title: str
    description: str
    created_at: dt.datetime
    created_by: str
    ended_at: dt.datetime | None
    ended_by: str
    on: dt.date
    unit: str
    officer: str
    state: str
    process: str
    definition: str
    version: int
    head_hash: str
    parties: tuple[tuple[str, str, str], ...]  # kommunenummer, name, role (part)
    registrations: tuple[Registration, ...]
    changes: tuple[Change, ...]
    context: Context

    @property
    def number(self) -> str:
        """The case number as the archive writes it."""
        return f"{self.year}/{self.sequence}"


class NoCaseNumber(ValueError):
    """The investigation has no archive case number (``set_case_number`` gives it one)."""


@functools.lru_cache(maxsize=64)
def _names(region: Any) -> dict[str, str]:
    """The names of a region's members by kommunenummer (one dict per region, shared)."""
    return {m.id: m.name for m in region.members}


@attrs.frozen
class Context:
    """What a registration needs of its case: its key, title, number, parties and origin.

    Every system id of a case's units derives from ``origin``, the hash of its first
    event: the same record gives the same ids in every package, and no two
    investigations share one, whichever store or key they have.
    """

    key: str
    title: str
    number: str
    names: dict[str, str]
    origin: str  # the hash of its first event: what its units' system ids derive from

    @classmethod
    def of(cls, state: Any, origin: str) -> Context:
        """The context of an investigation's (history) state; ``origin`` its first event's hash."""
        if not state.case_number:
            raise NoCaseNumber(state.key)
        return cls(state.key, state.title, state.case_number, _names(state.region), origin)

    @property
    def year(self) -> int:
        """saksaar: the year of the case number."""
        return int(self.number.split("/")[0])

    @property
    def sequence(self) -> int:
        """sakssekvensnummer: the case's number within its year."""
        return int(self.number.split("/")[1])


def case_of(
    reading: Reading,
    archive: Archive,
    positions: dict[int, int],
    origin: str,
    record: list[ev.Recorded] | None = None,
) -> Case:
    """The saksmappe of ``reading`` (verified), with everything in it.

    ``positions`` are its events' places in the store-wide feed (journal numbers),
    ``origin`` the hash of its first event, ``record`` its events when they were
    read already.
    """
    state = reading.history()
    context = Context.of(state, origin)
    record = reading.events if record is None else record
    first = record[0]
    ended = ending(record)
    words = Words("nn", reading.process)
    registrations, changes = _registrations(context, record, words, positions)
    key = state.key
    mappe = system_id(origin, "mappe")
    if ended is not None:
        changes.append(
            Change(mappe, "saksstatus", ended.at, ended.actor.id, "Under behandling", DONE)
        )
    changes += _case_changes(mappe, record, context)
    return Case(
        system_id=mappe,
        key=key,
        year=context.year,
        sequence=context.sequence,
        title=state.title,
        description=state.mandates[max(state.mandates)],
        created_at=first.at,
        created_by=first.actor.id,
        ended_at=None if ended is None else ended.at,
        ended_by="" if ended is None else ended.actor.id,
        on=state.created_on,
        unit=archive.unit,
        officer=archive.officer or first.actor.id,
        state=state.lifecycle,
        process=state.process,
        definition=state.definition_hash,
        version=state.version,
        head_hash=reading.head_hash,
        parties=tuple(
            (m.id, m.name, OPTED_OUT if m.id in state.opted_out else TAKING_PART)
            for m in state.region.members
            if m.id in state.invited
        ),
        registrations=tuple(registrations),
        changes=tuple(sorted(changes, key=lambda c: (c.at, c.unit, c.element))),
        context=context,
    )


def ending(record: list[ev.Recorded]) -> ev.Recorded | None:
    """The event that closed the investigation: concluded, stopped, or the steering group's stop."""
    for recorded in reversed(record):
        event = recorded.event
        if isinstance(event, ev.Concluded | ev.Stopped):
            return recorded
        if isinstance(event, ev.SteeringGroupDecided) and event.outcome == "stop":
            return recorded
    return None


class Numbering:
    """Which events of a case are registrations, and the journalpostnummer each one gets."""

    def __init__(self) -> None:
        self.count = 0

    def next(self, event: ev.Event) -> int | None:
        """The number of ``event``'s registration in its case; None if it makes none."""
        if not registers(event):
            return None
        self.count += 1
        return self.count


def registers(event: ev.Event) -> bool:
    """True when ``event`` is a registration: a body's position or decision, or a filing."""
    return isinstance(event, _DECISIONS) or bool(getattr(event, "documents", ()))


def _registrations(
    context: Context, record: list[ev.Recorded], words: Words, positions: dict[int, int]
) -> tuple[list[Registration], list[Change]]:
    """The case's journalposts; a position taken again supersedes the one before (a change)."""
    found: list[Registration] = []
    changes: list[Change] = []
    numbering = Numbering()
    standing: dict[tuple[str, str], int] = {}  # (party, subject) -> the position standing
    for recorded in record:
        number = numbering.next(recorded.event)
        if number is None:
            continue
        made = registration(context, recorded, words, number, positions[recorded.seq])
        subject = _subject(recorded.event)
        if subject is not None:
            before = standing.get(subject)
            if before is not None:
                later = f"{context.number}-{made.number}"
                found[before] = attrs.evolve(found[before], superseded_by=later)
                changes.append(
                    Change(
                        found[before].system_id,
                        "virksomhetsspesifikkeMetadata",
                        made.at,
                        made.by,
                        STANDING,
                        f"{SUPERSEDED} {later}",
                    )
                )
            standing[subject] = len(found)
        found.append(made)
    return found, changes


STANDING = "Gjeldande standpunkt"
SUPERSEDED = "Avløyst av journalpost"


def _subject(event: ev.Event) -> tuple[str, str] | None:
    """What a position is about, per party: a second one on the same is a correction."""
    party = getattr(event, "municipality", "")
    if isinstance(event, ev.StepAnchored):
        return party, f"step {event.step}"
    if isinstance(event, ev.MandateAnchored):
        return party, f"mandate {event.version}"
    if isinstance(event, ev.CouncilDecided):
        return party, "decision"
    if isinstance(event, ev.OptedOut):
        return party, "opt-out"
    return None


SCREENED = "******"
"""What stands for screened words in a public title (Noark 5, M025)."""


def registration(
    context: Context, recorded: ev.Recorded, words: Words, number: int, position: int
) -> Registration:
    """The journalpost of ``recorded`` (an event that ``registers``)."""
    event = recorded.event
    title, public_title, kind, sender = _what(context, event, words)
    origin, seq = context.origin, recorded.seq
    documents = tuple(
        _document(origin, seq, d, i, recorded)
        for i, d in enumerate(getattr(event, "documents", ()), start=1)
    )
    screening = _screening(event, title, public_title)
    return Registration(
        system_id=system_id(origin, seq, "registrering"),
        seq=seq,
        at=recorded.at,
        by=recorded.actor.id,
        on=event.on,
        title=title,
        public_title=public_title,
        description=_references(event, words),
        kind=kind,
        correspondent=sender,
        screening=screening,
        documents=documents,
        number=number,
        position=position,
    )


def _screening(event: ev.Event, title: str, public_title: str) -> Screening | None:
    """The registration's screening: its own ground, or the first ground of its documents."""
    ground = getattr(event, "exemption", None)
    if ground is None:
        ground = next((d.exemption for d in getattr(event, "documents", ()) if d.exemption), None)
    if ground is None:
        return None
    if title != public_title:
        return Screening(ground, "Skjerming tittel registrering - utvalgte ord")
    return Screening(ground, "Skjerming tittel dokumentbeskrivelse")


_DECISIONS = (
    ev.MandateAnchored,
    ev.StepAnchored,
    ev.CouncilDecided,
    ev.OptedOut,
    ev.SteeringGroupDecided,
)


Titles = tuple[str, str, str, tuple[str, str]]
"""A registration's title, public title, journalposttype and correspondent."""

_INTERNAL = (INTERNAL_SENDER, "Sekretariatet")


def _what(context: Context, event: ev.Event, words: Words) -> Titles:
    """A registration's title, public title, journalposttype and correspondent."""
    if isinstance(event, _DECISIONS):
        return _decision(context, event, words)
    documents: tuple[FiledDocument, ...] = getattr(event, "documents", ())
    titles = {
        "created": f"Mandat: {context.title}",
        "mandate_revised": f"Mandat versjon {getattr(event, 'version', '')}: {context.title}",
        "session_held": f"Protokoll: {getattr(event, 'title', '')}",
        "insight_recorded": f"Innsikt frå økt {getattr(event, 'session', '')}",
        "decision_basis_submitted": f"Avgjerdsgrunnlag: {context.title}",
    }
    title = titles.get(event.kind)
    if title is None:  # a document filed on its own: its titles are the registration's
        return documents[0].title, documents[0].shown_title, INTERNAL, _INTERNAL
    return title, title, INTERNAL, _INTERNAL


def _decision(context: Context, event: ev.Event, words: Words) -> Titles:
    """A body's position or decision: received from a party, or the steering group's own."""
    party = getattr(event, "municipality", "")
    name = context.names.get(party, party)
    body = getattr(event, "body", None)
    said = words.outcome(getattr(event, "outcome", ""))
    where = words.body(body) if body else ""
    screened = getattr(event, "exemption", None) is not None
    shown = SCREENED if screened else said

    def position(about: str) -> Titles:
        return (
            f"{name}: {where} {said} – {about}",
            f"{name}: {where} {shown} – {about}",
            INCOMING,
            (SENDER, name),
        )

    if isinstance(event, ev.MandateAnchored):
        return position(f"mandat versjon {event.version}")
    if isinstance(event, ev.StepAnchored):
        return position(f"steg {event.step}")
    if isinstance(event, ev.CouncilDecided):
        return position(context.title)
    if isinstance(event, ev.OptedOut):
        place = f"{where} " if where else ""
        title = f"{name}: {place}meldt ut – {context.title}"
        public = f"{name}: {place}{SCREENED} – {context.title}" if screened else title
        return title, public, INCOMING, (SENDER, name)
    if isinstance(event, ev.SteeringGroupDecided):
        title = f"Styringsgruppa: {said} – avgjerdsgrunnlaget"
        public = f"Styringsgruppa: {shown} – avgjerdsgrunnlaget"
        return title, public, INTERNAL, _INTERNAL
    raise AssertionError(event.kind)  # pragma: no cover - _DECISIONS names every kind above


def _references(event: ev.Event, words: Words) -> str:
    """Where the archives keep it: a party's own registry entry and meeting item, as written."""
    parts = []
    entry = getattr(event, "registry_entry", None)
    if entry is not None:
        parts.append(f"journalpost {entry}")
    meeting = getattr(event, "meeting", None)
    if meeting is not None:
        parts.append(f"{meeting.item}, {words.body(meeting.body.value)} {meeting.on.isoformat()}")
    case_ref = getattr(event, "case_ref", "")
    if case_ref:
        parts.append(case_ref)
    return " · ".join(parts)


def _document(
    origin: str, seq: int, document: FiledDocument, number: int, recorded: ev.Recorded
) -> DocumentEntry:
    screening = (
        None
        if document.exemption is None
        else Screening(document.exemption, "Skjerming tittel dokumentbeskrivelse", True)
    )
    return DocumentEntry(
        system_id=system_id(origin, seq, document.sha256, "dokumentbeskrivelse"),
        object_id=system_id(origin, seq, document.sha256, "dokumentobjekt"),
        kind=_KINDS.get(document.kind, "Anna"),
        title=document.title,
        role="Hoveddokument" if number == 1 else "Vedlegg",
        number=number,
        at=recorded.at,
        by=recorded.actor.id,
        extension=extension(document),
        media_type=document.media_type,
        sha256=document.sha256,
        size=document.size,
        screening=screening,
        note="" if document.replaces is None else f"Erstattar dokumentet {document.replaces}",
    )


_KINDS = {
    "saksframlegg": "Saksframlegg",
    "vedtak": "Vedtak",
    "protokoll": "Protokoll",
    "notat": "Notat",
    "mandat": "Mandat",
    "avgjerdsgrunnlag": "Avgjerdsgrunnlag",
    "other": "Anna",
}
"""dokumenttype (M083, no fixed values in v5.0): the kind's name in the case worker's words."""


def extension(document: FiledDocument) -> str:
    """The file's extension (lower case; from its media type when its name has none)."""
    suffix = pathlib.PurePosixPath(document.filename).suffix.lower().lstrip(".")
    if suffix.isalnum() and suffix.isascii():
        return suffix
    guessed = mimetypes.guess_extension(document.media_type) or ".bin"
    return guessed.lstrip(".")


def _case_changes(mappe: str, record: list[ev.Recorded], context: Context) -> Iterator[Change]:
    """A revised mandate (the case's description), a party opting out, a migrated definition."""
    text = None
    for recorded in record:
        event = recorded.event
        if isinstance(event, ev.OptedOut):
            name = context.names.get(event.municipality, event.municipality)
            before, after = f"{name}: {TAKING_PART}", f"{name}: {OPTED_OUT}"
            yield Change(mappe, "partRolle", recorded.at, recorded.actor.id, before, after)
        elif isinstance(event, ev.Created):
            text = event.mandate
        elif isinstance(event, ev.MandateRevised):
            by = recorded.actor.id
            yield Change(mappe, "beskrivelse", recorded.at, by, text or "–", event.text)
            text = event.text
        elif isinstance(event, ev.DefinitionMigrated):
            yield Change(
                mappe,
                "virksomhetsspesifikkeMetadata",
                recorded.at,
                recorded.actor.id,
                event.old_hash,
                event.new_hash,
            )
