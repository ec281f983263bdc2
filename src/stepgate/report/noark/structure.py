"""``arkivstruktur.xml``: the archive, its series and an optional class, one saksmappe per case.

The schema fixes the order of every element, and an extension's own elements
follow all of its base's (a saksmappe's ``saksaar`` comes after its
registrations; a journalpost's ``journalaar`` after its documents and
correspondents), so each writer below writes its element's children in the
schema's order, leaving out what has no value (Noark has no empty elements).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import attrs

from stepgate.report.noark.mapping import (
    RESTRICTED,
    Archive,
    Case,
    DocumentEntry,
    Registration,
    Screening,
    system_id,
)
from stepgate.report.noark.xml import XmlOut

NS = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS_RECORD = "urn:stepgate:record:1"
"""The namespace of stepgate's own metadata (virksomhetsspesifikkeMetadata)."""
RECORD_SCHEMA = "stepgate.xsd"
"""Its schema, in the package beside the standard's (Arkade validates what it is given)."""

MEDIUM = "Elektronisk arkiv"
DOCUMENT_DONE = "Dokumentet er ferdigstilt"
ARCHIVED = "Arkivert"
PERIOD_CLOSED = "Avsluttet periode"
VARIANT = "Produksjonsformat"
ALGORITHM = "SHA256"
WHOLE_DOCUMENT = "Skjerming av hele dokumentet"


def when(moment: dt.datetime) -> str:
    """An xs:dateTime with its offset (the record's times are UTC)."""
    return moment.isoformat()


@contextmanager
def element(x: XmlOut, tag: str, **attributes: str) -> Iterator[None]:
    """``<tag>`` … ``</tag>`` around what is written inside."""
    x.start(tag, **attributes)
    yield
    x.end()


@attrs.frozen
class Span:
    """What the archive's and the series' dates and makers are: from the cases in it."""

    created_at: dt.datetime
    created_by: str
    ended_at: dt.datetime
    ended_by: str
    start: dt.date
    end: dt.date


def depth(archive: Archive) -> int:
    """How deep a saksmappe stands: arkiv, arkivdel (, klassifikasjonssystem, klasse)."""
    return 2 if archive.classification is None else 4


@contextmanager
def archive_around(x: XmlOut, archive: Archive, span: Span, checkpoint: str) -> Iterator[None]:
    """The arkiv, its arkivskaper and arkivdel (and class) around the saksmapper inside."""
    with element(
        x,
        "arkiv",
        xmlns=NS,
        xmlns_xsi=NS_XSI,
        xsi_schemaLocation=f"{NS} arkivstruktur.xsd {NS_RECORD} {RECORD_SCHEMA}",
    ):
        x.leaf("systemID", system_id("arkiv", archive.creator_id, archive.title))
        x.leaf("tittel", archive.title)
        x.leaf("beskrivelse", f"Uttrekk frå stepgate. Kontrollpunktet til journalen: {checkpoint}")
        x.leaf("arkivstatus", "Avsluttet")
        x.leaf("dokumentmedium", MEDIUM)
        _made(x, span)
        with element(x, "arkivskaper"):
            x.leaf("arkivskaperID", archive.creator_id)
            x.leaf("arkivskaperNavn", archive.creator)
        with element(x, "arkivdel"):
            x.leaf(
                "systemID",
                system_id(
                    "arkivdel", archive.creator_id, archive.title, archive.series, span.start
                ),
            )
            x.leaf("tittel", archive.series)
            x.leaf("arkivdelstatus", PERIOD_CLOSED)
            x.leaf("dokumentmedium", MEDIUM)
            _made(x, span)
            x.leaf("arkivperiodeStartDato", span.start.isoformat())
            x.leaf("arkivperiodeSluttDato", span.end.isoformat())
            if archive.classification is None:
                yield
                return
            c = archive.classification
            with element(x, "klassifikasjonssystem"):
                x.leaf("systemID", system_id("klassifikasjonssystem", archive.creator_id, c.system))
                x.leaf("tittel", c.system)
                x.leaf("opprettetDato", when(span.created_at))
                x.leaf("opprettetAv", span.created_by)
                with element(x, "klasse"):
                    x.leaf("systemID", system_id("klasse", archive.creator_id, c.system, c.id))
                    x.leaf("klasseID", c.id)
                    x.leaf("tittel", c.title)
                    x.leaf("opprettetDato", when(span.created_at))
                    x.leaf("opprettetAv", span.created_by)
                    yield


def _made(x: XmlOut, span: Span) -> None:
    x.leaf("opprettetDato", when(span.created_at))
    x.leaf("opprettetAv", span.created_by)
    x.leaf("avsluttetDato", when(span.ended_at))
    x.leaf("avsluttetAv", span.ended_by)


def write_case(x: XmlOut, case: Case) -> None:
    """One saksmappe with its journalposts."""
    assert case.ended_at is not None  # only closed cases are archived
    with element(x, "mappe", xsi_type="saksmappe"):
        x.leaf("systemID", case.system_id)
        x.leaf("mappeID", case.number)
        x.leaf("tittel", case.title)
        x.leaf("beskrivelse", case.description)
        x.leaf("dokumentmedium", MEDIUM)
        x.leaf("opprettetDato", when(case.created_at))
        x.leaf("opprettetAv", case.created_by)
        x.leaf("avsluttetDato", when(case.ended_at))
        x.leaf("avsluttetAv", case.ended_by)
        with (
            element(x, "virksomhetsspesifikkeMetadata"),
            element(x, "sg:investigation", xmlns_sg=NS_RECORD),
        ):
            x.leaf("sg:key", case.key)
            x.leaf("sg:process", case.process)
            x.leaf("sg:definition", case.definition)
            x.leaf("sg:lifecycle", case.state)
            x.leaf("sg:version", case.version)
            x.leaf("sg:headHash", case.head_hash)
        for number, name, role in case.parties:
            with element(x, "part"):
                x.leaf("partID", number)
                x.leaf("partNavn", name)
                x.leaf("partRolle", role)
        for registration in case.registrations:
            _registration(x, case, registration)
        x.leaf("saksaar", case.year)
        x.leaf("sakssekvensnummer", case.sequence)
        x.leaf("saksdato", case.on.isoformat())
        x.leaf("administrativEnhet", case.unit)
        x.leaf("saksansvarlig", case.officer)
        x.leaf("saksstatus", "Avsluttet")


def _registration(x: XmlOut, case: Case, r: Registration) -> None:
    with element(x, "registrering", xsi_type="journalpost"):
        x.leaf("systemID", r.system_id)
        x.leaf("opprettetDato", when(r.at))
        x.leaf("opprettetAv", r.by)
        x.leaf("arkivertDato", when(r.at))
        x.leaf("arkivertAv", r.by)
        _screening(x, r.screening)
        for document in r.documents:
            _document(x, document)
        x.leaf("registreringsID", f"{case.number}-{r.number}")
        x.leaf("tittel", r.title)
        if r.public_title != r.title:
            x.leaf("offentligTittel", r.public_title)
        x.leaf("beskrivelse", r.description)
        x.leaf("dokumentmedium", MEDIUM)
        with (
            element(x, "virksomhetsspesifikkeMetadata"),
            element(x, "sg:registration", xmlns_sg=NS_RECORD),
        ):
            x.leaf("sg:seq", r.seq)
            x.leaf("sg:supersededBy", r.superseded_by)
        with element(x, "korrespondansepart"):
            x.leaf("korrespondanseparttype", r.correspondent[0])
            x.leaf("korrespondansepartNavn", r.correspondent[1])
        x.leaf("journalaar", r.year)
        x.leaf("journalsekvensnummer", r.position)
        x.leaf("journalpostnummer", r.number)
        x.leaf("journalposttype", r.kind)
        x.leaf("journalstatus", ARCHIVED)
        x.leaf("journaldato", r.day.isoformat())
        x.leaf("dokumentetsDato", r.on.isoformat())
        if r.documents:
            x.leaf("antallVedlegg", len(r.documents) - 1)


def _screening(x: XmlOut, screening: Screening | None) -> None:
    if screening is None:
        return
    with element(x, "skjerming"):
        x.leaf("tilgangsrestriksjon", RESTRICTED)
        x.leaf("skjermingshjemmel", screening.ground)
        x.leaf("skjermingMetadata", screening.metadata)
        if screening.whole_document:
            x.leaf("skjermingDokument", WHOLE_DOCUMENT)


def _document(x: XmlOut, d: DocumentEntry) -> None:
    with element(x, "dokumentbeskrivelse"):
        x.leaf("systemID", d.system_id)
        x.leaf("dokumenttype", d.kind)
        x.leaf("dokumentstatus", DOCUMENT_DONE)
        x.leaf("tittel", d.title)
        x.leaf("beskrivelse", d.note)
        x.leaf("opprettetDato", when(d.at))
        x.leaf("opprettetAv", d.by)
        x.leaf("dokumentmedium", MEDIUM)
        x.leaf("tilknyttetRegistreringSom", d.role)
        x.leaf("dokumentnummer", d.number)
        x.leaf("tilknyttetDato", when(d.at))
        x.leaf("tilknyttetAv", d.by)
        _screening(x, d.screening)
        with element(x, "dokumentobjekt"):
            x.leaf("systemID", d.object_id)
            x.leaf("versjonsnummer", 1)
            x.leaf("variantformat", VARIANT)
            x.leaf("format", d.extension)
            x.leaf("formatDetaljer", d.media_type)
            x.leaf("opprettetDato", when(d.at))
            x.leaf("opprettetAv", d.by)
            x.leaf("referanseDokumentfil", d.file)
            x.leaf("sjekksum", d.sha256)
            x.leaf("sjekksumAlgoritme", ALGORITHM)
            x.leaf("filstoerrelse", d.size)
