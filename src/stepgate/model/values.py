"""Domain values: municipalities, regions, actors, representatives, bodies, outcomes.

Every value is a frozen attrs class and checks itself at construction, so a
bad kommunenummer or an unknown body never gets into an investigation.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import attrs

from stepgate.errors import InvalidValue
from stepgate.model import fields as _fields
from stepgate.model.text import Text

_KOMMUNENUMMER = re.compile(r"[0-9]{4}", re.ASCII)


def choice(enum_type: type[enum.StrEnum], value: Any, what: str, ukjend: str) -> Any:
    """Convert ``value`` to ``enum_type`` or raise InvalidValue naming the choices.

    ``what`` names the kind in English ("body"), ``ukjend`` says "unknown …" in
    Nynorsk, with the adjective that fits the noun ("ukjent organ").
    """
    try:
        return enum_type(value)
    except ValueError:
        choices = ", ".join(m.value for m in enum_type)
        raise InvalidValue(
            nn=f"{ukjend} {value!r}; gyldige val er: {choices}",
            en=f"unknown {what} {value!r}; expected one of: {choices}",
        ) from None


class Role(enum.StrEnum):
    """The role of a representative. Metadata only: a role never weighs anything."""

    EMPLOYER = "employer"
    UNION = "union"
    SAFETY = "safety"
    POLITICIAN = "politician"
    PROFESSIONAL = "professional"
    USER = "user"
    FACILITATOR = "facilitator"
    CHALLENGER = "challenger"

    @classmethod
    def of(cls, value: Any) -> Role:
        """Return the role named ``value`` or raise InvalidValue."""
        return choice(cls, value, "role", "ukjend rolle")  # type: ignore[no-any-return]


class Body(enum.StrEnum):
    """A body that can take a position: a party's own (at home), or regional.

    A municipality's bodies are the first seven; an organisation that is not a
    municipality (a state agency such as NAV Vestland) has a director, a
    leader group or a board. The regional bodies are never a party's own.
    """

    KOMMUNESTYRE = "kommunestyre"
    FORMANNSKAP = "formannskap"
    UTVAL = "utval"
    ORDFORAR = "ordforar"
    KOMMUNEDIREKTOR = "kommunedirektor"
    PARTSSAMANSETT_UTVAL = "partssamansett_utval"
    LEIARGRUPPE = "leiargruppe"
    DIREKTOR = "direktor"
    STYRE = "styre"
    IPR = "ipr"
    KO = "ko"
    STYRINGSGRUPPE = "styringsgruppe"
    SOGNATINGET = "sognatinget"

    @classmethod
    def of(cls, value: Any) -> Body:
        """Return the body named ``value`` or raise InvalidValue."""
        return choice(cls, value, "body", "ukjent organ")  # type: ignore[no-any-return]

    @property
    def at_home(self) -> bool:
        """True for a municipality's own bodies, False for regional ones."""
        return self not in _REGIONAL


_REGIONAL = frozenset({Body.IPR, Body.KO, Body.STYRINGSGRUPPE, Body.SOGNATINGET})
MUNICIPAL_BODIES = frozenset(
    {
        Body.KOMMUNESTYRE,
        Body.FORMANNSKAP,
        Body.UTVAL,
        Body.ORDFORAR,
        Body.KOMMUNEDIREKTOR,
        Body.PARTSSAMANSETT_UTVAL,
        Body.LEIARGRUPPE,
    }
)
"""The bodies every municipality has at home."""

_BODY_NAME = re.compile(r"[a-zæøå][a-zæøå0-9_]{0,39}")


class OwnBody(str):
    """A body a process declares itself (``Process(bodies=…)``), e.g. ``portvakter``.

    It is a party's own, at home, like a municipality's bodies; the process says
    what it is called. A name is lower-case letters, digits and ``_``.
    """

    __slots__ = ()

    @property
    def value(self) -> str:
        """Its name, as a built-in ``Body``'s value is."""
        return str(self)

    @property
    def at_home(self) -> bool:
        """A process's own body is a party's own (never a regional one)."""
        return True


AnyBody = Body | OwnBody
"""A built-in body, or one a process declares."""


def body_named(value: Any) -> AnyBody:
    """The built-in body named ``value``, or a process's own by a well-formed name.

    Whether the process declares it is checked when a command meets the process.
    """
    if isinstance(value, Body | OwnBody):
        return value
    if isinstance(value, str):
        try:
            return Body(value)
        except ValueError:
            if _BODY_NAME.fullmatch(value):
                return OwnBody(value)
    choices = ", ".join(m.value for m in Body)
    raise InvalidValue(
        nn=f"ukjent organ {value!r}; gyldige val er: {choices}, eller eit namn med små "
        "bokstavar som prosessen set opp (Process(bodies=…))",
        en=f"unknown body {value!r}; expected one of: {choices}, or a lower-case name the "
        "process declares (Process(bodies=…))",
    )


class Outcome(enum.StrEnum):
    """What a body did with a mandate or a step."""

    ENDORSED = "endorsed"
    NOTED = "noted"
    SENT_BACK = "sent_back"
    OPTED_OUT = "opted_out"

    @classmethod
    def of(cls, value: Any) -> Outcome:
        """Return the outcome named ``value`` or raise InvalidValue."""
        return choice(cls, value, "outcome", "ukjent utfall")  # type: ignore[no-any-return]


class SteeringOutcome(enum.StrEnum):
    """What the steering group may do with a decision basis; it never concludes."""

    APPROVE = "approve"
    SEND_BACK = "send_back"
    STOP = "stop"

    @classmethod
    def of(cls, value: Any) -> SteeringOutcome:
        """Return the outcome named ``value`` or raise InvalidValue."""
        return choice(  # type: ignore[no-any-return]
            cls, value, "steering-group outcome", "ukjent utfall for styringsgruppa"
        )


class CouncilOutcome(enum.StrEnum):
    """What a deciding body may decide at the end; opting out is its own command.

    ``reject`` ends the investigation where one body decides it (a process's
    ending says which outcomes its deciders have).
    """

    APPROVE = "approve"
    SEND_BACK = "send_back"
    REJECT = "reject"

    @classmethod
    def of(cls, value: Any) -> CouncilOutcome:
        """Return the outcome named ``value`` or raise InvalidValue."""
        return choice(  # type: ignore[no-any-return]
            cls, value, "council outcome", "ukjent utfall for kommunestyret"
        )


def kommunenummer(value: Any) -> str:
    """Return ``value`` as a 4-digit kommunenummer (leading zero kept) or raise.

    A kommunenummer is text of four ASCII digits: an ``int`` would lose the
    leading zero of 0301, and digits of other scripts (４６４０) are not one.
    """
    text = value.strip() if isinstance(value, str) else None
    if text is None or not _KOMMUNENUMMER.fullmatch(text):
        raise _fields.refuse(
            "kommunenummer",
            value,
            nn="4 siffer 0-9 som tekst (t.d. '0301', '4640')",
            en="4 digits 0-9 as text (e.g. '0301', '4640')",
        )
    return text


_PARTY_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", re.ASCII)


def party_id(value: Any) -> str:
    """A party's id: a kommunenummer, or an organisation's id like ``nav-vestland``."""
    text = value.strip() if isinstance(value, str) else None
    if text is not None and (_KOMMUNENUMMER.fullmatch(text) or _PARTY_ID.fullmatch(text)):
        return text
    raise _fields.refuse(
        "party",
        value,
        nn="eit kommunenummer ('4640') eller ein organisasjons-id ('nav-vestland')",
        en="a kommunenummer ('4640') or an organisation id ('nav-vestland')",
    )


def organisation_id(value: Any) -> str:
    """An organisation's id: lower-case words of ASCII letters and digits joined by '-'."""
    text = value.strip() if isinstance(value, str) else None
    if text is None or not _PARTY_ID.fullmatch(text):
        raise _fields.refuse(
            "organisation id",
            value,
            nn="ord med små bokstavar, bundne saman med '-' (t.d. 'nav-vestland')",
            en="lower-case words joined by '-' (e.g. 'nav-vestland')",
        )
    return text


def non_empty(what: str) -> _fields.Validator:
    """An attrs validator: the value is valid Unicode text with visible characters."""
    return _fields.is_text(required=True, what=what)


def difficulty(value: Any) -> int:
    """Return ``value`` as a difficulty 1..5 (an int, never a bool) or raise InvalidValue."""
    return _fields.whole("difficulty", value, 1, 5)


def _actor_id(value: Any) -> str:
    return _fields.key(value, "actor id")


def a_date(value: Any) -> dt.date:
    """Return ``value`` as a date (a date, a datetime or ISO text) or raise InvalidValue."""
    return _fields.a_day("date", value)


@attrs.frozen
class Municipality:
    """A municipality (kommune), known by its 4-digit kommunenummer."""

    number: str = attrs.field(converter=kommunenummer)
    name: str = attrs.field(validator=non_empty("municipality name"))

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    @property
    def id(self) -> str:
        """Its id as a party: the kommunenummer."""
        return self.number

    @property
    def bodies(self) -> frozenset[Body]:
        """Its own bodies (at home)."""
        return MUNICIPAL_BODIES


def _bodies(value: Iterable[Any]) -> frozenset[Body]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise _fields.refuse(
            "bodies",
            value,
            nn="ei liste av organ, t.d. ['direktor']",
            en="a list of bodies such as ['direktor']",
        )
    found = frozenset(Body.of(v) for v in value)
    regional = sorted(b.value for b in found if not b.at_home)
    if regional or not found:
        raise _fields.refuse(
            "bodies",
            sorted(found),
            nn="eitt eller fleire eigne organ (ikkje regionale)",
            en="one or more bodies of its own (not regional)",
        )
    return found


@attrs.frozen
class Organisation:
    """A party that is not a municipality, e.g. the state's NAV Vestland, with its own bodies."""

    id: str = attrs.field(converter=organisation_id)
    name: str = attrs.field(validator=non_empty("organisation name"))
    bodies: frozenset[Body] = attrs.field(
        default=frozenset({Body.DIREKTOR, Body.LEIARGRUPPE}), converter=_bodies
    )

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"


Party = Municipality | Organisation
"""A party of an investigation: a municipality, or another organisation."""


def _members(values: Iterable[Party]) -> tuple[Party, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise _fields.refuse(
            "members",
            values,
            nn="ei liste av stepgate.Municipality",
            en="a list of stepgate.Municipality",
        )
    members = tuple(values)
    for member in members:
        _fields.instance(
            "each member",
            member,
            (Municipality, Organisation),
            nn="ein stepgate.Municipality eller ein stepgate.Organisation",
            en="a stepgate.Municipality or stepgate.Organisation",
        )
    ids = [m.id for m in members]
    repeated = sorted({n for n in ids if ids.count(n) > 1})
    if repeated:
        raise InvalidValue(
            nn=f"ein region nemner kvar kommune berre éin gong; gjentekne: {repeated}",
            en=f"a region lists each municipality once; repeated: {repeated}",
        )
    if not members:
        raise InvalidValue(
            nn="ein region treng minst éin medlemskommune",
            en="a region needs at least one member municipality",
        )
    return members


@attrs.frozen
class Region:
    """The parties an investigation is for: a region's members (e.g. Sognarådet IPR), or others."""

    name: str = attrs.field(validator=non_empty("region name"))
    members: tuple[Party, ...] = attrs.field(converter=_members)

    def find(self, ref: str) -> Party:
        """Return the member named by id (kommunenummer) or name (any case) or raise."""
        wanted = unicodedata.normalize("NFC", str(ref).strip()).casefold()
        for member in self.members:
            if wanted in (member.id, unicodedata.normalize("NFC", member.name).casefold()):
                return member
        known = ", ".join(str(m) for m in self.members)
        raise InvalidValue(
            nn=f"{ref!r} er ikkje medlem av {self.name}; medlemene er: {known}",
            en=f"{ref!r} is not a member of {self.name}; members are: {known}",
        )

    def name_of(self, party: str) -> str:
        """Return the name of the member with id ``party`` (the id if unknown)."""
        for member in self.members:
            if member.id == party:
                return member.name
        return party

    def party(self, party: str) -> Party | None:
        """The member with id ``party``, or None."""
        for member in self.members:
            if member.id == party:
                return member
        return None


@attrs.frozen
class Actor:
    """Who issues a command. The host app says who; stepgate has no user database.

    An actor acts for one party (a municipality by its kommunenummer, or an
    organisation by its id, in ``municipality``), or for the secretariat (e.g.
    Sogn KO), which runs the investigation and may record on behalf of any party.
    """

    id: str = attrs.field(converter=_actor_id)
    municipality: str | None = attrs.field(
        default=None, converter=attrs.converters.optional(party_id)
    )
    secretariat: bool = attrs.field(default=False, validator=_fields.is_flag())

    def __attrs_post_init__(self) -> None:
        if self.secretariat and self.municipality is not None:
            raise InvalidValue(
                nn=f"aktøren {self.id!r} handlar anten for sekretariatet eller for ein kommune, "
                "ikkje for begge",
                en=f"actor {self.id!r} acts either for the secretariat or for a municipality, "
                "not both",
            )

    def may_act_for(self, municipality: str) -> bool:
        """True when this actor may record positions on behalf of ``municipality``."""
        return self.secretariat or self.municipality == municipality

    @property
    def acting_for(self) -> str | None:
        """Whom the actor acts for, as the record says it: "secretariat", a kommunenummer, None."""
        return "secretariat" if self.secretariat else self.municipality

    @classmethod
    def as_recorded(cls, id: str, acting_for: str | None) -> Actor:  # noqa: A002
        """The actor a record names, taken as written (a record is not re-checked)."""
        actor = object.__new__(cls)
        object.__setattr__(actor, "id", id)
        object.__setattr__(
            actor, "municipality", None if acting_for in (None, "secretariat") else acting_for
        )
        object.__setattr__(actor, "secretariat", acting_for == "secretariat")
        return actor

    def __str__(self) -> str:
        return self.id if self.acting_for is None else f"{self.id} ({self.acting_for})"


@attrs.frozen
class Phase:
    """An ordered group of steps, ending with a dated milestone; ``label`` names it for people."""

    name: str = attrs.field(validator=non_empty("phase name"))
    milestone: str = attrs.field(default="", validator=_fields.is_text())
    label: Text | None = None
