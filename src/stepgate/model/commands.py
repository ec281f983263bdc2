"""Commands: what a user asks an investigation to do.

A command is a frozen value that checks its own fields at construction (a
difficulty of 7 or an unknown body never reaches the engine). Whether it may
run is for the engine and the rules to say. Municipalities are given by
kommunenummer or name; the engine resolves them against the region.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import attrs

from stepgate.errors import InvalidValue
from stepgate.model import fields as f
from stepgate.model.values import (
    Body,
    CouncilOutcome,
    Outcome,
    Role,
    SteeringOutcome,
    difficulty,
)


def _on(value: Any) -> dt.date:
    return f.a_day("on", value)


def _due(value: Any) -> dt.date:
    return f.a_day("due", value)


def _answer_by(value: Any) -> dt.date | None:
    return f.optional_day("answer_by", value)


def _municipalities(value: Any) -> tuple[str, ...] | None:
    return None if value is None else f.ids("municipalities", value, "4640")


def _attendees(value: Any) -> tuple[str, ...]:
    return f.ids("attendees", value, "R1")


def _topics(value: Any) -> tuple[str, ...]:
    return f.ids("topics", value, "T1")


def _contributors(value: Any) -> tuple[str, ...]:
    return f.ids("contributors", value, "R1")


def _builds_on(value: Any) -> tuple[str, ...]:
    return f.ids("builds_on", value, "I1")


def _municipality(value: Any) -> str:
    """A municipality as given: its kommunenummer or its name, as text."""
    return f.text("municipality", value, required=True).strip()


def _optional_municipality(value: Any) -> str | None:
    return None if value is None else _municipality(value)


def _body(value: Any) -> Body:
    return Body.of(value)


def _optional_body(value: Any) -> Body | None:
    return None if value is None else Body.of(value)


def _outcome(value: Any) -> Outcome:
    return Outcome.of(value)


def _role(value: Any) -> Role:
    return Role.of(value)


def _steering(value: Any) -> SteeringOutcome:
    return SteeringOutcome.of(value)


def _council(value: Any) -> CouncilOutcome:
    return CouncilOutcome.of(value)


@attrs.frozen
class Command:
    """Base of every command: the day it happened (``on``)."""

    action: ClassVar[str] = "command"
    on: dt.date = attrs.field(converter=_on, kw_only=True)

    @classmethod
    def make(cls, **fields: Any) -> Command:
        """The command with ``fields``, every one checked; InvalidValue names the action."""
        names = {a.name for a in attrs.fields(cls)}
        unknown = sorted(set(fields) - names)
        if unknown:
            raise InvalidValue(
                f"{cls.action}: unknown field(s) {unknown}; its fields are {sorted(names)}"
            )
        missing = sorted(
            a.name for a in attrs.fields(cls) if a.default is attrs.NOTHING and a.name not in fields
        )
        if missing:
            raise InvalidValue(f"{cls.action}: missing field(s) {missing}")
        try:
            return cls(**fields)
        except InvalidValue as error:
            raise InvalidValue(f"{cls.action}: {error}") from None


@attrs.frozen
class Recordable(Command):
    """A command that leaves a record which is public unless it has an exemption basis."""

    case_ref: str = attrs.field(default="", kw_only=True, validator=f.is_text(what="case_ref"))
    public: bool = attrs.field(default=True, kw_only=True, validator=f.is_flag())
    exemption: str | None = attrs.field(
        default=None, kw_only=True, validator=f.is_optional_text(what="exemption")
    )


@attrs.frozen
class SetMilestone(Command):
    """Set the due date of a milestone (a phase's, or any other)."""

    action: ClassVar[str] = "set_milestone"
    name: str = attrs.field(validator=f.is_text(required=True, what="milestone name"))
    due: dt.date = attrs.field(converter=_due)
    phase: str | None = attrs.field(default=None, validator=f.is_optional_text(what="phase"))


@attrs.frozen
class ReachMilestone(Command):
    """Mark a milestone that is not a phase's as reached."""

    action: ClassVar[str] = "reach_milestone"
    name: str = attrs.field(validator=f.is_text(required=True, what="milestone name"))


@attrs.frozen
class ReviseMandate(Command):
    """Publish a new mandate version; every participant must anchor it again."""

    action: ClassVar[str] = "revise_mandate"
    text: str = attrs.field(validator=f.is_text(required=True, what="mandate text"))


@attrs.frozen
class Invite(Command):
    """Invite members of the region (all of them unless ``municipalities`` is given)."""

    action: ClassVar[str] = "invite"
    municipalities: tuple[str, ...] | None = attrs.field(default=None, converter=_municipalities)
    answer_by: dt.date | None = attrs.field(default=None, converter=_answer_by)


@attrs.frozen
class AnchorMandate(Recordable):
    """A municipality's body takes a position on the current mandate: join, or not."""

    action: ClassVar[str] = "anchor_mandate"
    municipality: str = attrs.field(converter=_municipality)
    body: Body = attrs.field(converter=_body)
    outcome: Outcome = attrs.field(default=Outcome.ENDORSED, converter=_outcome)
    version: int | None = attrs.field(default=None, validator=f.is_whole(1, optional=True))


@attrs.frozen
class OptOut(Command):
    """A municipality opts out. Always allowed in a non-terminal state."""

    action: ClassVar[str] = "opt_out"
    municipality: str = attrs.field(converter=_municipality)
    body: Body | None = attrs.field(default=None, converter=_optional_body)
    case_ref: str = attrs.field(default="", validator=f.is_text(what="case_ref"))
    reason: str = attrs.field(default="", validator=f.is_text(what="reason"))
    exemption: str | None = attrs.field(
        default=None, validator=f.is_optional_text(what="exemption")
    )


@attrs.frozen
class RegisterRepresentative(Command):
    """Register a person acting for a municipality (or for another party) with a role."""

    action: ClassVar[str] = "register_representative"
    name: str = attrs.field(validator=f.is_text(required=True, what="representative name"))
    role: Role = attrs.field(converter=_role)
    municipality: str | None = attrs.field(default=None, converter=_optional_municipality)
    party: str = attrs.field(default="", validator=f.is_text(what="party"))

    def __attrs_post_init__(self) -> None:
        if self.municipality is None and not self.party.strip():
            raise InvalidValue(
                f"representative {self.name!r} acts for a municipality or for a named party "
                "(e.g. party='NAV Vestland'); got neither"
            )


@attrs.frozen
class RecordFact(Command):
    """Record a named fact (e.g. ``working-method-clarified``) for a process's own rules."""

    action: ClassVar[str] = "record_fact"
    name: str = attrs.field(validator=f.is_text(required=True, what="fact name"))
    value: str = attrs.field(default="yes", validator=f.is_text(what="fact value"))


@attrs.frozen
class RegisterTopic(Command):
    """Register a topic to explore, rated by whoever raised it."""

    action: ClassVar[str] = "register_topic"
    title: str = attrs.field(validator=f.is_text(required=True, what="topic title"))
    difficulty: int = attrs.field(converter=difficulty)
    by: str = attrs.field(default="", kw_only=True, validator=f.is_text(what="by"))
    session: str | None = attrs.field(
        default=None, kw_only=True, validator=f.is_optional_text(what="session")
    )


@attrs.frozen
class RateTopic(Command):
    """Rate a topic; the difficulty becomes the maximum of the ratings."""

    action: ClassVar[str] = "rate_topic"
    topic: str = attrs.field(validator=f.is_text(required=True, what="topic"))
    difficulty: int = attrs.field(converter=difficulty)
    by: str = attrs.field(default="", kw_only=True, validator=f.is_text(what="by"))
    session: str | None = attrs.field(
        default=None, kw_only=True, validator=f.is_optional_text(what="session")
    )


@attrs.frozen
class RecordConsensus(Command):
    """A session agrees on a topic's difficulty; the only way to lower it."""

    action: ClassVar[str] = "record_consensus"
    topic: str = attrs.field(validator=f.is_text(required=True, what="topic"))
    difficulty: int = attrs.field(converter=difficulty)
    session: str = attrs.field(kw_only=True, validator=f.is_text(required=True, what="session"))


@attrs.frozen
class Start(Command):
    """Start the investigation: step 1 opens."""

    action: ClassVar[str] = "start"
    question: str = attrs.field(validator=f.is_text(required=True, what="step question"))
    phase: str | None = attrs.field(default=None, validator=f.is_optional_text(what="phase"))


@attrs.frozen
class HoldSession(Command):
    """Hold a work session in the open step; attendees are representative ids."""

    action: ClassVar[str] = "hold_session"
    title: str = attrs.field(validator=f.is_text(required=True, what="session title"))
    attendees: tuple[str, ...] = attrs.field(converter=_attendees)


@attrs.frozen
class RecordInsight(Command):
    """Record a finding from a session, linked to topics and contributors."""

    action: ClassVar[str] = "record_insight"
    session: str = attrs.field(validator=f.is_text(required=True, what="session"))
    text: str = attrs.field(validator=f.is_text(required=True, what="insight text"))
    topics: tuple[str, ...] = attrs.field(default=(), converter=_topics)
    contributors: tuple[str, ...] = attrs.field(default=(), converter=_contributors)


@attrs.frozen
class RecordConsultation(Command):
    """Record a formal consultation (drøfting) with a municipality's unions in this step."""

    action: ClassVar[str] = "record_consultation"
    municipality: str = attrs.field(converter=_municipality)
    note: str = attrs.field(default="", validator=f.is_text(what="note"))


@attrs.frozen
class CloseStep(Command):
    """Close the open step for its political anchoring gate."""

    action: ClassVar[str] = "close_step"


@attrs.frozen
class AnchorStep(Recordable):
    """A municipality's body takes a position on the closed step."""

    action: ClassVar[str] = "anchor_step"
    municipality: str = attrs.field(converter=_municipality)
    body: Body = attrs.field(converter=_body)
    outcome: Outcome = attrs.field(default=Outcome.ENDORSED, converter=_outcome)
    urgency: str | None = attrs.field(default=None, validator=f.is_optional_text(what="urgency"))


@attrs.frozen
class PassGate(Command):
    """Pass the gate by hand. It passes by itself when the last anchoring arrives; run it
    only under a process without ``anchored-every-step``. Explain it to see what is missing."""

    action: ClassVar[str] = "pass_gate"


@attrs.frozen
class OpenStep(Command):
    """Open the next step, citing the earlier insights it builds on."""

    action: ClassVar[str] = "open_step"
    question: str = attrs.field(validator=f.is_text(required=True, what="step question"))
    builds_on: tuple[str, ...] = attrs.field(default=(), converter=_builds_on)
    phase: str | None = attrs.field(default=None, validator=f.is_optional_text(what="phase"))


@attrs.frozen
class SubmitDecisionBasis(Command):
    """Submit the decision basis to the steering group."""

    action: ClassVar[str] = "submit"
    summary: str = attrs.field(validator=f.is_text(required=True, what="decision basis summary"))
    cooperation_model: str = attrs.field(default="", validator=f.is_text(what="cooperation_model"))


@attrs.frozen
class SteeringGroupDecision(Recordable):
    """The steering group approves, sends back or stops. It never concludes."""

    action: ClassVar[str] = "steering_decision"
    outcome: SteeringOutcome = attrs.field(converter=_steering)


@attrs.frozen
class CouncilDecision(Recordable):
    """A municipality's kommunestyre decides on the cooperation."""

    action: ClassVar[str] = "council_decision"
    municipality: str = attrs.field(converter=_municipality)
    outcome: CouncilOutcome = attrs.field(converter=_council)
    body: Body = attrs.field(default=Body.KOMMUNESTYRE, converter=_body)


COMMANDS: dict[str, type[Command]] = {
    cls.action: cls
    for cls in (
        SetMilestone,
        ReachMilestone,
        ReviseMandate,
        Invite,
        AnchorMandate,
        OptOut,
        RegisterRepresentative,
        RecordFact,
        RegisterTopic,
        RateTopic,
        RecordConsensus,
        Start,
        HoldSession,
        RecordInsight,
        RecordConsultation,
        CloseStep,
        AnchorStep,
        PassGate,
        OpenStep,
        SubmitDecisionBasis,
        SteeringGroupDecision,
        CouncilDecision,
    )
}
ACTIONS: frozenset[str] = frozenset(COMMANDS)

SECRETARIAT_ACTIONS = frozenset(
    {
        "set_milestone",
        "reach_milestone",
        "revise_mandate",
        "invite",
        "record_fact",
        "start",
        "close_step",
        "open_step",
        "submit",
        "steering_decision",
        "pass_gate",
    }
)
"""Actions that run the investigation itself: the secretariat only."""
