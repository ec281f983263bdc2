"""Documents as the record holds them: what each is, and the SHA-256 and size of its bytes.

A ``FiledDocument`` goes into the body of the event that files it — a position,
a decision, a session, an insight, the mandate, the decision basis, or a
document added afterwards — so the hash chain covers its checksum, and through
it every byte. The bytes themselves are stored once per content beside the
events (the store's business); a new version is a new document naming the one
it ``replaces``. ``placed`` says where each filed document belongs, from the
event that filed it. Pure values: reading the bytes is the store's.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from stepgate.errors import InvalidValue
from stepgate.model import fields as f
from stepgate.model.references import citation

if TYPE_CHECKING:
    from stepgate.model import events as ev


class DocumentKind(enum.StrEnum):
    """What a document is in the case file (Noark's dokumenttype, in the domain's words)."""

    SAKSFRAMLEGG = "saksframlegg"
    VEDTAK = "vedtak"
    PROTOKOLL = "protokoll"
    NOTAT = "notat"
    MANDAT = "mandat"
    AVGJERDSGRUNNLAG = "avgjerdsgrunnlag"
    OTHER = "other"


_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*", re.ASCII)
_MAGIC = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/zip": (b"PK\x03\x04",),
}
"""What the first bytes of a file of a media type are; only these types are checked."""


def checksum(value: Any, field: str = "sha256") -> str:
    """A SHA-256 written as 64 hex digits, in lower case."""
    text = f.text(field, value).strip().lower()
    if not _SHA256.fullmatch(text):
        raise f.refuse(
            field,
            value,
            nn="ein SHA-256 på 64 heksadesimale siffer",
            en="a SHA-256 of 64 hex digits",
        )
    return text


def optional_checksum(value: Any) -> str | None:
    """None, or a SHA-256 (the document a new version replaces)."""
    return None if value is None else checksum(value, "replaces")


def kind(value: Any) -> str:
    """A document kind by its name."""
    from stepgate.model.values import choice  # noqa: PLC0415 - values imports this module's users

    found: DocumentKind = choice(DocumentKind, value, "document kind", "ukjent dokumentslag")
    return found.value


def filename(value: Any) -> str:
    """A file's base name: no folder, no control characters, NFC."""
    text = unicodedata.normalize("NFC", f.text("filename", value, required=True).strip())
    if "/" in text or "\\" in text or text in (".", ".."):
        raise f.refuse(
            "filename",
            value,
            nn=f"berre filnamnet, t.d. {text.replace(chr(92), '/').rsplit('/', 1)[-1]!r} "
            "(ei mappe vert ikkje lagra)",
            en=f"the file's base name only, e.g. {text.replace(chr(92), '/').rsplit('/', 1)[-1]!r}"
            " (a folder is not stored)",
        )
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise f.refuse(
            "filename",
            value,
            nn="eit filnamn utan kontrollteikn",
            en="a file name without control characters",
        )
    return text


def media_type(value: Any) -> str:
    """A media type such as ``application/pdf`` (lower case, no parameters)."""
    text = f.text("media_type", value, required=True).strip().lower()
    if not _MEDIA_TYPE.fullmatch(text):
        raise f.refuse(
            "media_type",
            value,
            nn="ein medietype som 'application/pdf' eller 'text/plain'",
            en="a media type such as 'application/pdf' or 'text/plain'",
        )
    return text


def contradiction(declared: str, head: bytes) -> InvalidValue | None:
    """The error when a file's first bytes say another media type than ``declared``, else None."""
    found = next(
        (name for name, marks in _MAGIC.items() if head.startswith(marks)),
        None,
    )
    expected = _MAGIC.get(declared)
    if expected is not None and not head.startswith(expected):
        what = f"its bytes are not {declared} (they do not start with {expected[0][:5]!r})"
        kva = f"innhaldet er ikkje {declared} (det byrjar ikkje med {expected[0][:5]!r})"
    elif found not in (None, declared) and not _unspecific(declared, found):
        what = f"it is declared {declared}, but its bytes are {found}"
        kva = f"han er oppgjeven som {declared}, men innhaldet er {found}"
    else:
        return None
    return InvalidValue(nn=f"media_type: {kva}", en=f"media_type: {what}")


def _unspecific(declared: str, found: str) -> bool:
    """No contradiction: bytes of no declared type (octet-stream), or an office document
    (docx, odt, …), which is a zip file."""
    office = "openxmlformats" in declared or "opendocument" in declared
    return declared == "application/octet-stream" or (found == "application/zip" and office)


def _exemption(value: Any) -> str | None:
    return None if value is None else citation(value)


@attrs.frozen
class FiledDocument:
    """A document as the record holds it (see the module).

    ``exemption`` is the legal ground it is screened on (a citation of
    offentleglova, e.g. ``offl. § 13 jf. fvl. § 13``), None when it is public;
    ``public_title`` is its title as the public journal shows it, with screened
    words replaced, when the title itself must be screened.
    """

    sha256: str = attrs.field(converter=checksum)
    size: int = attrs.field(validator=f.is_whole(1))
    title: str = attrs.field(validator=f.is_text(required=True, what="title"))
    kind: str = attrs.field(converter=kind)
    filename: str = attrs.field(converter=filename)
    media_type: str = attrs.field(converter=media_type)
    exemption: str | None = attrs.field(default=None, converter=_exemption)
    public_title: str = attrs.field(default="", validator=f.is_text(what="public_title"))
    replaces: str | None = attrs.field(default=None, converter=optional_checksum)

    @property
    def public(self) -> bool:
        """True unless it carries an exemption ground."""
        return self.exemption is None

    @property
    def shown_title(self) -> str:
        """The title the public may see: its public title where it has one."""
        return self.public_title or self.title


def documents(value: Any) -> tuple[FiledDocument, ...]:
    """A command's ``documents``: filed documents (the store files ``stepgate.Document``)."""
    if isinstance(value, FiledDocument):
        value = (value,)
    if not isinstance(value, list | tuple):
        raise f.refuse(
            "documents",
            value,
            nn="ei liste av dokument (stepgate.Document)",
            en="a list of documents (stepgate.Document)",
        )
    for item in value:
        f.instance(
            "each of documents",
            item,
            FiledDocument,
            nn="eit stepgate.Document (arkivert av lageret til utgreiinga)",
            en="a stepgate.Document (filed by the investigation's store)",
        )
    shas = [d.sha256 for d in value]
    if len(set(shas)) != len(shas):
        raise InvalidValue(
            nn="documents: det same dokumentet er gjeve to gonger",
            en="documents: the same document is given twice",
        )
    return tuple(value)


@attrs.frozen
class Placed:
    """A filed document where it belongs: which event filed it, on which day, about what.

    ``place`` is what it belongs to — ``investigation``, ``mandate``, ``position``
    (a party's position at a gate or on the mandate), ``opt_out``, ``session``,
    ``insight``, ``decision_basis``, ``steering_decision``, ``council_decision`` —
    and ``step``, ``municipality``, ``session`` and ``version`` say which one.
    """

    document: FiledDocument
    seq: int
    on: Any
    place: str
    step: int | None = None
    municipality: str | None = None
    session: str | None = None
    version: int | None = None


def placed(record: Iterable[ev.Recorded]) -> Iterator[Placed]:
    """Every document the recorded events file, where it belongs, in the record's order."""
    for recorded in record:
        event = recorded.event
        filed = getattr(event, "documents", ())
        if not filed:
            continue
        where = _place(event)
        for document in filed:
            yield Placed(document, recorded.seq, event.on, **where)


def _place(event: ev.Event) -> dict[str, Any]:
    """What an event's documents belong to."""
    place = _PLACES.get(event.kind, "investigation")
    found: dict[str, Any] = {"place": place}
    for name in ("step", "municipality", "session", "version"):
        value = getattr(event, name, None)
        if value is not None and value != "":
            found[name] = value
    if event.kind == "session_held":
        found["session"] = getattr(event, "id", None)
    if event.kind == "document_added":
        found["place"] = (
            "position" if found.get("municipality") else "step" if found.get("step") else place
        )
    return found


_PLACES = {
    "created": "mandate",
    "mandate_revised": "mandate",
    "mandate_anchored": "position",
    "step_anchored": "position",
    "opted_out": "opt_out",
    "session_held": "session",
    "insight_recorded": "insight",
    "decision_basis_submitted": "decision_basis",
    "steering_group_decided": "steering_decision",
    "council_decided": "council_decision",
    "document_added": "investigation",
}
"""What the documents of an event of each kind belong to."""
