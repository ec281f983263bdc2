"""The journals: the running one (``loependeJournal``) and the public one (``offentligJournal``).

Both list the same registrations, in the order the record was written (by
journal year, then journal sequence number). The running journal shows each
title as registered; the public journal shows only public titles (screened
words as ``******``) and, for a screened entry, the access restriction and its
legal ground, never the title it screens. ``stepgate journal`` prints the
public one as Markdown, JSON or ``offentligJournal.xml``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import IO, Any, BinaryIO, Literal

import attrs

from stepgate.report.noark.mapping import RESTRICTED, Archive, Context, Registration
from stepgate.report.noark.structure import NS_XSI, element
from stepgate.report.noark.xml import XmlOut, copy
from stepgate.report.safe import md

Kind = Literal["loependeJournal", "offentligJournal"]

NS = {
    "loependeJournal": "http://www.arkivverket.no/standarder/noark5/loependeJournal",
    "offentligJournal": "http://www.arkivverket.no/standarder/noark5/offentligJournal",
}
SELECTION = "journaldato"


@attrs.frozen
class Entry:
    """One line of a journal: a registration and the case it belongs to."""

    case: Context
    registration: Registration

    @property
    def day(self) -> dt.date:
        """journaldato: the day (in Norway) it was registered."""
        return self.registration.day

    def public(self) -> dict[str, Any]:
        """The entry as the public may read it (public titles only), as plain data."""
        r = self.registration
        return {
            "journaldato": self.day.isoformat(),
            "dokumentetsDato": r.on.isoformat(),
            "saksnummer": self.case.number,
            "sak": self.case.title,
            "journalpostnummer": r.number,
            "journalaar": r.year,
            "journalsekvensnummer": r.position,
            "offentligTittel": r.public_title,
            "journalposttype": r.kind,
            "korrespondansepart": {"type": r.correspondent[0], "namn": r.correspondent[1]},
            "tilgangsrestriksjon": None if r.screening is None else RESTRICTED,
            "skjermingshjemmel": None if r.screening is None else r.screening.ground,
            "dokument": len(r.documents),
        }


class Journal:
    """A journal file written as entries come (spooled), its head written at the end."""

    def __init__(self, kind: Kind, archive: Archive, spool: IO[bytes]) -> None:
        """A journal of ``kind``, its entries held in ``spool`` (a temporary file, or memory)."""
        self.kind = kind
        self.archive = archive
        self.count = 0
        self.first: dt.date | None = None
        self.last: dt.date | None = None
        self._spool = spool
        self._x = XmlOut(self._spool, depth=1)

    def add(self, entry: Entry) -> None:
        """Write one entry."""
        x, r, public = self._x, entry.registration, self.kind == "offentligJournal"
        self.count += 1
        self.first = entry.day if self.first is None else min(self.first, entry.day)
        self.last = entry.day if self.last is None else max(self.last, entry.day)
        c = self.archive.classification
        with element(x, "journalregistrering"):
            if c is not None:
                with element(x, "klasse"):
                    x.leaf("klasseID", c.id)
                    x.leaf("tittel", c.title)
            with element(x, "saksmappe"):
                x.leaf("saksaar", entry.case.year)
                x.leaf("sakssekvensnummer", entry.case.sequence)
                if not public:
                    x.leaf("tittel", entry.case.title)
                x.leaf("offentligTittel", entry.case.title)
            with element(x, "journalpost"):
                x.leaf("systemID", r.system_id)
                x.leaf("journalaar", r.year)
                x.leaf("journalsekvensnummer", r.position)
                x.leaf("journalpostnummer", r.number)
                if not public:
                    x.leaf("tittel", r.title)
                x.leaf("offentligTittel", r.public_title)
                if not public and r.screening is not None:
                    x.leaf("skjermingMetadata", r.screening.metadata)
                x.leaf("journaldato", entry.day.isoformat())
                x.leaf("dokumentetsDato", r.on.isoformat())
                if r.screening is not None:
                    x.leaf("tilgangsrestriksjon", RESTRICTED)
                    x.leaf("skjermingshjemmel", r.screening.ground)
                with element(x, "korrespondansepart"):
                    x.leaf("korrespondanseparttype", r.correspondent[0])
                    x.leaf("korrespondansepartNavn", r.correspondent[1])

    def finish(
        self, out: BinaryIO, start: dt.date | None = None, end: dt.date | None = None
    ) -> None:
        """Write the whole journal to ``out``: its head (the period, the count), then the entries.

        The period is ``start``–``end`` when given (the period asked for), else
        the first and last journal date of the entries.
        """
        try:
            first, last = start or self.first, end or self.last
            assert first is not None, "an empty journal is invalid"
            assert last is not None
            x = XmlOut(out)
            ns = NS[self.kind]
            with element(
                x, self.kind, xmlns=ns, xmlns_xsi=NS_XSI, xsi_schemaLocation=f"{ns} {self.kind}.xsd"
            ):
                with element(x, "journalhode"):
                    x.leaf("journalStartDato", first.isoformat())
                    x.leaf("journalSluttDato", last.isoformat())
                    x.leaf("seleksjon", SELECTION)
                    x.leaf("antallJournalposter", self.count)
                    with element(x, "arkivskaper"):
                        x.leaf("arkivskaperID", self.archive.creator_id)
                        x.leaf("arkivskaperNavn", self.archive.creator)
                copy(self._spool, out)
        finally:
            self.close()

    def close(self) -> None:
        """Let go of the spool."""
        self._spool.close()


HEADINGS = {
    "nn": ("Journaldato", "Sak", "Nr.", "Tittel", "Type", "Avsendar/mottakar", "Skjerming"),
    "en": ("Registered", "Case", "No.", "Title", "Type", "From/to", "Screening"),
}


def markdown(entries: list[Entry], lang: str = "nn") -> str:
    """The public journal as a Markdown table (public titles only)."""
    lines = [
        "| " + " | ".join(HEADINGS[lang]) + " |",
        "|" + "---|" * len(HEADINGS[lang]),
    ]
    for entry in entries:
        row = entry.public()
        ground = row["skjermingshjemmel"]
        cells = (
            row["journaldato"],
            f"{row['saksnummer']} {row['sak']}",
            f"{row['saksnummer']}-{row['journalpostnummer']}",
            row["offentligTittel"],
            row["journalposttype"],
            row["korrespondansepart"]["namn"],
            f"{RESTRICTED}, {ground}" if ground else "",
        )
        lines.append("| " + " | ".join(md(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def data(entries: list[Entry]) -> str:
    """The public journal as JSON (for a web page): public titles only."""
    return json.dumps([e.public() for e in entries], ensure_ascii=False, indent=2) + "\n"
