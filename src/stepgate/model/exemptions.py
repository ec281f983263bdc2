"""Screening by law: the grounds of offentleglova chapter 3 that a municipality uses.

A record or document that is not public says why, with a ground from the
Freedom of Information Act (offentleglova, LOV-2006-05-19-16, chapter 3
"Unntak frå innsyn"). ``GROUNDS`` is the catalogue: each section a
municipality can use, with the statute's own heading (the act is written in
Nynorsk) and an English label. ``Exemption`` is one ground, with the statute
that gives the duty of confidentiality where the ground is § 13
(``offl. § 13 jf. fvl. § 13``) and, optionally, the paragraph
(``offl. § 23 første ledd``). Its citation is how the public journal writes
it, and what the record keeps; a citation is read back with ``Exemption.parse``.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from stepgate.errors import InvalidValue
from stepgate.model import fields as f


@attrs.frozen
class Ground:
    """A section of offentleglova chapter 3: its number, its heading in Nynorsk, an English label.

    ``checked`` says where the heading was read: ``statute`` (the act's text),
    ``code lists`` (municipal archive systems' lists of grounds, which copy the
    act), or empty where it was not yet checked — then ``heading`` is a short
    description in Nynorsk, not the act's words (``docs/case-file.md``).
    """

    section: str
    heading: str
    en: str
    checked: str = ""
    needs_statute: bool = False  # § 13: the duty of confidentiality is in another statute

    @property
    def citation(self) -> str:
        """``offl. § 14``."""
        return f"offl. § {self.section}"


GROUNDS: dict[str, Ground] = {
    g.section: g
    for g in (
        Ground(
            "13",
            "Opplysningar som er underlagde teieplikt",
            "Information subject to a duty of confidentiality",
            "statute",
            needs_statute=True,
        ),
        Ground(
            "14",
            "Dokument utarbeidde for eiga saksførebuing (organinterne dokument)",
            "Documents prepared for the body's own case preparation (internal documents)",
            "statute",
        ),
        Ground(
            "15",
            "Dokument innhenta utanfrå for den interne saksførebuinga",
            "Documents obtained from outside for the internal case preparation",
            "statute",
        ),
        Ground("18", "Unntak for rettsaksdokument", "Documents in court cases", "code lists"),
        Ground(
            "23",
            "Unntak av omsyn til det offentlege sin forhandlingsposisjon m.m.",
            "The public sector's negotiating position, etc.",
            "code lists",
        ),
        Ground(
            "24",
            "kontroll- og reguleringstiltak, dokument om lovbrot, opplysningar som kan lette "
            "straffbare handlingar",
            "Control and regulatory measures, documents on offences, information that may "
            "facilitate crime",
        ),
        Ground(
            "25",
            "Unntak for tilsetjingssaker m.m.",
            "Appointments and the like",
            "code lists",
        ),
        Ground(
            "26",
            "eksamenssvar, nominasjonar til prisar, fotografi i personregister, fødselsnummer m.m.",
            "Examination papers, prize nominations, photographs in registers, national identity "
            "numbers, etc.",
        ),
    )
}
"""The grounds of offentleglova chapter 3 a municipality uses, by section.

§§ 14 and 15 apply to municipalities as § 16 says (a saksframlegg to an elected
body, with its attachments, is not internal). Grounds only the state uses
(§§ 17, 19–22) are left out; so is § 12, which says what of a document stays
public when part of it is exempt."""

_CITATION = re.compile(
    r"\s*(?:offl\.?|offentleglova)?\s*§+\s*([0-9]+)\s*(?:,\s*)?(.*?)\s*",
    re.IGNORECASE,
)
_JF = re.compile(r"\bjfr?\.?\s+", re.IGNORECASE)
_ORDINALS = ("første", "andre", "tredje", "fjerde", "femte", "sjette")
_PART = re.compile(
    r"(?:(første|andre|tredje|fjerde|femte|sjette|[1-6]\.)\s*ledd)"
    r"(?:\s+(?:nr\.|bokstav)\s*[0-9a-zæøå]+)?",
    re.IGNORECASE,
)


def _listed() -> str:
    return ", ".join(g.citation for g in GROUNDS.values())


def _section(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str):
        found = _CITATION.fullmatch(text)
        text = found[1] if found is not None and not found[2] else text
    if not isinstance(text, str) or text not in GROUNDS:
        raise _unknown(value)
    return text


def _unknown(value: Any) -> InvalidValue:
    return f.refuse(
        "exemption",
        value,
        nn=f"ein heimel i offentleglova som ein kommune nyttar: {_listed()}",
        en=f"a ground of offentleglova a municipality uses: {_listed()}",
    )


@attrs.frozen
class Exemption:
    """A ground of offentleglova that screens a record or document from the public.

    ``Exemption("offl. § 14")``, ``Exemption("offl. § 23", part="første ledd")``,
    ``Exemption("offl. § 13", statute="fvl. § 13")``. ``str()`` is its citation.
    """

    ground: str = attrs.field(converter=_section)
    statute: str = attrs.field(default="", validator=f.is_text(what="statute"), kw_only=True)
    part: str = attrs.field(default="", validator=f.is_text(what="part"), kw_only=True)

    def __attrs_post_init__(self) -> None:
        found = GROUNDS[self.ground]
        if found.needs_statute and not self.statute.strip():
            raise InvalidValue(
                nn=f"exemption: {found.citation} nemner lova med teieplikta, t.d. "
                f"'{found.citation} jf. fvl. § 13'",
                en=f"exemption: {found.citation} names the statute with the duty of "
                f"confidentiality, e.g. '{found.citation} jf. fvl. § 13'",
            )

    @property
    def heading(self) -> str:
        """The statute's heading of the section (Nynorsk)."""
        return GROUNDS[self.ground].heading

    def __str__(self) -> str:
        part = f" {self.part.strip()}" if self.part.strip() else ""
        statute = f" jf. {self.statute.strip()}" if self.statute.strip() else ""
        return f"offl. § {self.ground}{part}{statute}"

    @classmethod
    def parse(cls, text: Any) -> Exemption:
        """The exemption a citation names (``offl. § 13 jf. fvl. § 13``); InvalidValue if none."""
        if isinstance(text, Exemption):
            return text
        found = _CITATION.fullmatch(text) if isinstance(text, str) else None
        if found is None or found[1] not in GROUNDS:
            raise _unknown(text)
        part, _, statute = _JF.sub("\x00", found[2], count=1).partition("\x00")
        part = part.strip().rstrip(",").strip()
        if part and not _PART.fullmatch(part):
            raise _unknown(text)
        return cls(found[1], statute=statute.strip(), part=_ordinal(part))


def _ordinal(part: str) -> str:
    """``1. ledd`` written as the act writes it: ``første ledd``."""
    if part[:1].isdigit() and part[1:2] == ".":
        return f"{_ORDINALS[int(part[0]) - 1]} {part[2:].strip()}".lower()
    return part.lower()


def citation(value: Any) -> str:
    """The canonical citation of ``value`` (an ``Exemption`` or its text); InvalidValue if none."""
    return str(Exemption.parse(value))


def exemption_text(value: Any) -> str | None:
    """A command's ``exemption``: None, or the citation of a ground of the catalogue.

    Anything else is refused with the list of grounds (``InvalidValue``).
    """
    if value is None:
        return None
    if not isinstance(value, Exemption):
        f.text("exemption", value)
    return citation(value)
