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

from stepgate._errors import InvalidValue
from stepgate._values import (
    Body,
    CouncilOutcome,
    Outcome,
    Role,
    SteeringOutcome,
    a_date,
    difficulty,
    non_empty,
)


def _ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _optional_ids(value: Any) -> tuple[str, ...] | None:
    return None if value is None else _ids(value)


def _optional_date(value: Any) -> dt.date | None:
    return None if value is None else a_date(value)


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
    on: dt.date = attrs.field(converter=a_date, kw_only=True)


@attrs.frozen
class Recordable(Command):
    """A command that leaves a record which is public unless it has an exemption basis."""

    case_ref: str = attrs.field(default="", kw_only=True)
    public: bool = attrs.field(default=True, kw_only=True)
    exemption: str | None = attrs.field(default=None, kw_only=True)


@attrs.frozen
class SetMilestone(Command):
    """Set the due date of a milestone (a phase's, or any other)."""

    action: ClassVar[str] = "set_milestone"
    name: str = attrs.field(validator=non_empty("milestone name"))
    due: dt.date = attrs.field(converter=a_date)
    phase: str | None = None


@attrs.frozen
class ReachMilestone(Command):
    """Mark a milestone that is not a phase's as reached."""

    action: ClassVar[str] = "reach_milestone"
    name: str = attrs.field(validator=non_empty("milestone name"))


@attrs.frozen
class ReviseMandate(Command):
    """Publish a new mandate version; every participant must anchor it again."""

    action: ClassVar[str] = "revise_mandate"
    text: str = attrs.field(validator=non_empty("mandate text"))


@attrs.frozen
class Invite(Command):
    """Invite members of the region (all of them unless ``municipalities`` is given)."""

    action: ClassVar[str] = "invite"
    municipalities: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_ids)
    answer_by: dt.date | None = attrs.field(default=None, converter=_optional_date)


@attrs.frozen
class AnchorMandate(Recordable):
    """A municipality's body takes a position on the current mandate: join, or not."""

    action: ClassVar[str] = "anchor_mandate"
    municipality: str = attrs.field(converter=str)
    body: Body = attrs.field(converter=_body)
    outcome: Outcome = attrs.field(default=Outcome.ENDORSED, converter=_outcome)
    version: int | None = None


@attrs.frozen
class OptOut(Command):
    """A municipality opts out. Always allowed in a non-terminal state."""

    action: ClassVar[str] = "opt_out"
    municipality: str = attrs.field(converter=str)
    body: Body | None = attrs.field(default=None, converter=_optional_body)
    case_ref: str = ""
    reason: str = ""
    exemption: str | None = None


@attrs.frozen
class RegisterRepresentative(Command):
    """Register a person acting for a municipality (or for another party) with a role."""

    action: ClassVar[str] = "register_representative"
    name: str = attrs.field(validator=non_empty("representative name"))
    role: Role = attrs.field(converter=_role)
    municipality: str | None = attrs.field(default=None)
    party: str = ""

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
    name: str = attrs.field(validator=non_empty("fact name"))
    value: str = "yes"


@attrs.frozen
class RegisterTopic(Command):
    """Register a topic to explore, rated by whoever raised it."""

    action: ClassVar[str] = "register_topic"
    title: str = attrs.field(validator=non_empty("topic title"))
    difficulty: int = attrs.field(converter=difficulty)
    by: str = attrs.field(default="", kw_only=True)
    session: str | None = attrs.field(default=None, kw_only=True)


@attrs.frozen
class RateTopic(Command):
    """Rate a topic; the difficulty becomes the maximum of the ratings."""

    action: ClassVar[str] = "rate_topic"
    topic: str
    difficulty: int = attrs.field(converter=difficulty)
    by: str = attrs.field(default="", kw_only=True)
    session: str | None = attrs.field(default=None, kw_only=True)


@attrs.frozen
class RecordConsensus(Command):
    """A session agrees on a topic's difficulty; the only way to lower it."""

    action: ClassVar[str] = "record_consensus"
    topic: str
    difficulty: int = attrs.field(converter=difficulty)
    session: str = attrs.field(kw_only=True)


@attrs.frozen
class Start(Command):
    """Start the investigation: step 1 opens."""

    action: ClassVar[str] = "start"
    question: str = attrs.field(validator=non_empty("step question"))
    phase: str | None = None


@attrs.frozen
class HoldSession(Command):
    """Hold a work session in the open step; attendees are representative ids."""

    action: ClassVar[str] = "hold_session"
    title: str = attrs.field(validator=non_empty("session title"))
    attendees: tuple[str, ...] = attrs.field(converter=_ids)


@attrs.frozen
class RecordInsight(Command):
    """Record a finding from a session, linked to topics and contributors."""

    action: ClassVar[str] = "record_insight"
    session: str
    text: str = attrs.field(validator=non_empty("insight text"))
    topics: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    contributors: tuple[str, ...] = attrs.field(default=(), converter=_ids)


@attrs.frozen
class RecordConsultation(Command):
    """Record a formal consultation (drøfting) with a municipality's unions in this step."""

    action: ClassVar[str] = "record_consultation"
    municipality: str = attrs.field(converter=str)
    note: str = ""


@attrs.frozen
class CloseStep(Command):
    """Close the open step for its political anchoring gate."""

    action: ClassVar[str] = "close_step"


@attrs.frozen
class AnchorStep(Recordable):
    """A municipality's body takes a position on the closed step."""

    action: ClassVar[str] = "anchor_step"
    municipality: str = attrs.field(converter=str)
    body: Body = attrs.field(converter=_body)
    outcome: Outcome = attrs.field(default=Outcome.ENDORSED, converter=_outcome)
    urgency: str | None = None


@attrs.frozen
class PassGate(Command):
    """Pass the gate by hand. It passes by itself when the last anchoring arrives; run it
    only under a process without ``anchored-every-step``. Explain it to see what is missing."""

    action: ClassVar[str] = "pass_gate"


@attrs.frozen
class OpenStep(Command):
    """Open the next step, citing the earlier insights it builds on."""

    action: ClassVar[str] = "open_step"
    question: str = attrs.field(validator=non_empty("step question"))
    builds_on: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    phase: str | None = None


@attrs.frozen
class SubmitDecisionBasis(Command):
    """Submit the decision basis to the steering group."""

    action: ClassVar[str] = "submit"
    summary: str = attrs.field(validator=non_empty("decision basis summary"))
    cooperation_model: str = ""


@attrs.frozen
class SteeringGroupDecision(Recordable):
    """The steering group approves, sends back or stops. It never concludes."""

    action: ClassVar[str] = "steering_decision"
    outcome: SteeringOutcome = attrs.field(converter=_steering)


@attrs.frozen
class CouncilDecision(Recordable):
    """A municipality's kommunestyre decides on the cooperation."""

    action: ClassVar[str] = "council_decision"
    municipality: str = attrs.field(converter=str)
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

MUNICIPAL_ACTIONS = frozenset({"anchor_mandate", "opt_out", "anchor_step", "council_decision"})
"""Actions that record a municipality's own position: its actors or the secretariat only."""

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
