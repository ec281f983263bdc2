"""The papers of the Sogn story: small, real-looking PDF documents the demo files, made here.

Each municipality keeps the cooperation as a case of its own archive (its own
case number), so every position it takes has a registry entry in that case
and, for a political body, an item of that body's meeting. ``Papers`` makes
the documents (a saksframlegg and its vedtak for each position, a protokoll
for each session, the mandate and the decision basis) as one-page PDFs with
the text a case worker would expect, and keeps the numbering.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import stepgate as sg

CASES = {
    "4639": 45,  # Vik
    "4640": 356,  # Sogndal
    "4641": 61,  # Aurland
    "4642": 97,  # Lærdal
    "4643": 140,  # Årdal
    "4644": 212,  # Luster
}
"""Each municipality's case number for the cooperation in its own archive (year 2024)."""

SECRETARIAT_CASE = "24/118"
"""The case of the secretariat (Sogn regionråd), which runs the investigation."""

BODIES = {
    "formannskap": "Formannskapet",
    "kommunestyre": "Kommunestyret",
    "styringsgruppe": "Styringsgruppa",
}
OUTCOMES = {
    "endorsed": "slutta seg til",
    "noted": "tok saka til orientering",
    "approve": "vedtok å gå inn i samarbeidet",
    "send_back": "sende saka attende",
    "opted_out": "melde kommunen ut av utgreiinga",
}


def pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF 1.4 with ``title`` and ``lines`` in Helvetica (Norwegian letters kept)."""

    def text(value: str) -> str:
        raw = value.encode("cp1252", errors="replace").decode("latin-1")
        return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = [f"BT /F1 15 Tf 56 780 Td ({text(title)}) Tj ET"]
    y = 750
    for line in lines:
        body.append(f"BT /F1 10 Tf 56 {y} Td ({text(line)}) Tj ET")
        y -= 15
    stream = "\n".join(body).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R"
        b" >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe6\xf8\xe5\xc6\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


class Papers:
    """The numbering of each archive (registry entries, meeting items) and the papers themselves."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.entries: dict[str, int] = dict.fromkeys(CASES, 1)  # entry 1: the invitation
        self.items: dict[tuple[str, str], int] = {}

    def entry(self, number: str) -> sg.RegistryEntry:
        """The next registry entry in ``number``'s case for the cooperation."""
        self.entries[number] += 1
        return sg.RegistryEntry(2024, CASES[number], self.entries[number])

    def meeting(self, number: str, body: str, on: str) -> sg.MeetingItem:
        """The next item of ``body``'s meeting in municipality ``number``."""
        key = (number, body)
        first = (40 if body == "kommunestyre" else 10) + int(number[-1]) * 3
        self.items[key] = self.items.get(key, first) + 1
        return sg.MeetingItem(body=body, on=on, item=f"PS {self.items[key]}/24")

    def position(
        self, number: str, body: str, on: str, subject: str, outcome: str
    ) -> dict[str, Any]:
        """The archive fields of a position: registry entry, meeting item, saksframlegg, vedtak."""
        name, day = self.names[number], dt.date.fromisoformat(on).strftime("%d.%m.%Y")
        entry, item = self.entry(number), self.meeting(number, body, on)
        organ = BODIES.get(body, body)
        framlegg = pdf(
            f"Saksframlegg: {subject}",
            [
                f"{name} kommune · sak {entry.year}/{entry.sequence} · {item.item}",
                f"Utval: {organ} · møtedato {day}",
                "",
                "Samandrag",
                "Sognarådet greier ut eit felles barnevern for kommunane i Sogn, steg for steg.",
                "Kvart steg vert forankra politisk i kvar kommune før det neste startar.",
                "",
                "Kommunedirektøren si tilråding",
                f"{organ} sluttar seg til {subject.lower()}.",
            ],
        )
        vedtak = pdf(
            f"Vedtak: {subject}",
            [
                f"{name} kommune · {organ} · {day} · {item.item}",
                "",
                f"{organ} {OUTCOMES.get(outcome, outcome)}.",
                "Vedtaket er samrøystes.",
            ],
        )
        stem = f"{number}-{body}-{item.item.replace(' ', '').replace('/', '-')}"
        return {
            "registry_entry": entry,
            "meeting": item,
            "documents": [
                sg.Document(
                    f"Saksframlegg: {subject}",
                    "saksframlegg",
                    framlegg,
                    filename=f"saksframlegg-{stem}.pdf",
                ),
                sg.Document(f"Vedtak: {subject}", "vedtak", vedtak, filename=f"vedtak-{stem}.pdf"),
            ],
        }

    def protokoll(self, session: str, title: str, on: str, present: list[str]) -> sg.Document:
        """The minutes of a work session."""
        day = dt.date.fromisoformat(on).strftime("%d.%m.%Y")
        return sg.Document(
            f"Protokoll: {title}",
            "protokoll",
            pdf(
                f"Protokoll frå arbeidsøkt {day}",
                [title, "", "Til stades:", *(f"- {p}" for p in present)],
            ),
            filename=f"protokoll-{on}-{session}.pdf",
        )

    @staticmethod
    def mandate(text: str) -> sg.Document:
        """The mandate as the steering group signed it."""
        return sg.Document(
            "Mandat for utgreiing av felles barnevern i Sogn",
            "mandat",
            pdf("Mandat: felles barnevern i Sogn", [text, "", "Signert av styringsgruppa."]),
            filename="mandat-v1.pdf",
        )

    @staticmethod
    def basis(summary: str) -> sg.Document:
        """The decision basis as submitted to the steering group."""
        return sg.Document(
            "Avgjerdsgrunnlag: felles barnevern i Sogn",
            "avgjerdsgrunnlag",
            pdf("Avgjerdsgrunnlag", [summary, "", "Vedlegg: økonomi, tilsette, avtaleutkast."]),
            filename="avgjerdsgrunnlag.pdf",
        )
