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

_KOMMUNENUMMER = re.compile(r"[0-9]{4}", re.ASCII)


def _choice(enum_type: type[enum.StrEnum], value: Any, what: str) -> Any:
    """Convert ``value`` to ``enum_type`` or raise InvalidValue naming the choices."""
    try:
        return enum_type(value)
    except ValueError:
        choices = ", ".join(m.value for m in enum_type)
        raise InvalidValue(f"unknown {what} {value!r}; expected one of: {choices}") from None


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
        return _choice(cls, value, "role")  # type: ignore[no-any-return]


class Body(enum.StrEnum):
    """A body that can take a position: at home in a municipality, or regional."""

    KOMMUNESTYRE = "kommunestyre"
    FORMANNSKAP = "formannskap"
    UTVAL = "utval"
    ORDFORAR = "ordforar"
    KOMMUNEDIREKTOR = "kommunedirektor"
    PARTSSAMANSETT_UTVAL = "partssamansett_utval"
    IPR = "ipr"
    KO = "ko"
    STYRINGSGRUPPE = "styringsgruppe"
    SOGNATINGET = "sognatinget"

    @classmethod
    def of(cls, value: Any) -> Body:
        """Return the body named ``value`` or raise InvalidValue."""
        return _choice(cls, value, "body")  # type: ignore[no-any-return]

    @property
    def at_home(self) -> bool:
        """True for a municipality's own bodies, False for regional ones."""
        return self not in _REGIONAL


_REGIONAL = frozenset({Body.IPR, Body.KO, Body.STYRINGSGRUPPE, Body.SOGNATINGET})


class Outcome(enum.StrEnum):
    """What a body did with a mandate or a step."""

    ENDORSED = "endorsed"
    NOTED = "noted"
    SENT_BACK = "sent_back"
    OPTED_OUT = "opted_out"

    @classmethod
    def of(cls, value: Any) -> Outcome:
        """Return the outcome named ``value`` or raise InvalidValue."""
        return _choice(cls, value, "outcome")  # type: ignore[no-any-return]


class SteeringOutcome(enum.StrEnum):
    """What the steering group may do with a decision basis; it never concludes."""

    APPROVE = "approve"
    SEND_BACK = "send_back"
    STOP = "stop"

    @classmethod
    def of(cls, value: Any) -> SteeringOutcome:
        """Return the outcome named ``value`` or raise InvalidValue."""
        return _choice(cls, value, "steering-group outcome")  # type: ignore[no-any-return]


class CouncilOutcome(enum.StrEnum):
    """What a kommunestyre may decide; opting out is its own command."""

    APPROVE = "approve"
    SEND_BACK = "send_back"

    @classmethod
    def of(cls, value: Any) -> CouncilOutcome:
        """Return the outcome named ``value`` or raise InvalidValue."""
        return _choice(cls, value, "council outcome")  # type: ignore[no-any-return]


def kommunenummer(value: Any) -> str:
    """Return ``value`` as a 4-digit kommunenummer (leading zero kept) or raise.

    A kommunenummer is text of four ASCII digits: an ``int`` would lose the
    leading zero of 0301, and digits of other scripts (４６４０) are not one.
    """
    text = value.strip() if isinstance(value, str) else None
    if text is None or not _KOMMUNENUMMER.fullmatch(text):
        raise _fields.refuse("kommunenummer", "4 digits 0-9 as text (e.g. '0301', '4640')", value)
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


def _members(values: Iterable[Municipality]) -> tuple[Municipality, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise _fields.refuse("members", "a list of stepgate.Municipality", values)
    members = tuple(values)
    for member in members:
        if not isinstance(member, Municipality):
            raise _fields.refuse("each member", "a stepgate.Municipality", member)
    numbers = [m.number for m in members]
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        raise InvalidValue(f"a region lists each municipality once; repeated: {repeated}")
    if not members:
        raise InvalidValue("a region needs at least one member municipality")
    return members


@attrs.frozen
class Region:
    """The body whose members are invited, e.g. Sognarådet IPR."""

    name: str = attrs.field(validator=non_empty("region name"))
    members: tuple[Municipality, ...] = attrs.field(converter=_members)

    def find(self, ref: str) -> Municipality:
        """Return the member named by kommunenummer or name (any case) or raise."""
        wanted = unicodedata.normalize("NFC", str(ref).strip()).casefold()
        for member in self.members:
            if wanted in (member.number, unicodedata.normalize("NFC", member.name).casefold()):
                return member
        known = ", ".join(str(m) for m in self.members)
        raise InvalidValue(f"{ref!r} is not a member of {self.name}; members are: {known}")

    def name_of(self, number: str) -> str:
        """Return the name of the member with ``number`` (the number if unknown)."""
        for member in self.members:
            if member.number == number:
                return member.name
        return number


@attrs.frozen
class Actor:
    """Who issues a command. The host app says who; stepgate has no user database.

    An actor acts for one municipality, or for the secretariat (e.g. Sogn KO),
    which runs the investigation and may record on behalf of any party.
    """

    id: str = attrs.field(converter=_actor_id)
    municipality: str | None = attrs.field(
        default=None, converter=attrs.converters.optional(kommunenummer)
    )
    secretariat: bool = attrs.field(default=False, validator=_fields.is_flag())

    def __attrs_post_init__(self) -> None:
        if self.secretariat and self.municipality is not None:
            raise InvalidValue(
                f"actor {self.id!r} acts either for the secretariat or for a municipality, not both"
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
    """An ordered group of steps, ending with a dated milestone."""

    name: str = attrs.field(validator=non_empty("phase name"))
    milestone: str = attrs.field(default="", validator=_fields.is_text())
    label_nn: str = attrs.field(default="", validator=_fields.is_text())
    label_en: str = attrs.field(default="", validator=_fields.is_text())
