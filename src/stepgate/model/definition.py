"""The parts a process declares: its parties, the gate after each step, its ending.

These are values; ``stepgate.Process`` puts them together and checks them.

- **Parties**: ``JoinByMandate`` (the members of a region are invited and each
  joins by anchoring the mandate at home), ``FixedParties`` (every member takes
  part from the start; some may be required), ``SingleOrganisation`` (one
  organisation investigates on its own).
- **Gate**: who decides (``EVERY_PARTICIPANT`` at home, a ``MAJORITY`` of the
  participants with one vote each, or ``ONE_BODY``), the outcomes that may be
  recorded and the ``Effect`` of each: pass to the next step, send the step
  back, hold, stop, opt out, or nothing (a record that is not a voice).
- **Ending**: an optional steering group (whose approval is final or not),
  then who decides (every participant's deciding body, or one body) and how
  many approvals establish the cooperation.

A gate and an ending also say what their decisions come to (``verdict``):
the engine asks them after each position is recorded.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from typing import Any

import attrs

from stepgate.errors import InvalidValue
from stepgate.model import events as ev
from stepgate.model.text import Text
from stepgate.model.values import AnyBody, Body, CouncilOutcome, body_named, choice

_NAME = re.compile(r"[a-z][a-z0-9_]*", re.ASCII)


class Effect(enum.StrEnum):
    """What an outcome recorded at a gate does."""

    PASS = "pass"  # noqa: S105 - an effect, not a password
    NOTED = "noted"  # a pass where the policy counts notings, else nothing
    SEND_BACK = "send_back"
    HOLD = "hold"
    STOP = "stop"
    OPT_OUT = "opt_out"
    NONE = "none"  # kept on record; not a voice for anything


class Decider(enum.StrEnum):
    """Who decides a gate or an ending."""

    EVERY_PARTICIPANT = "every_participant"
    MAJORITY = "majority"
    ONE_BODY = "one_body"


def _effect(value: Any) -> Effect:
    return choice(Effect, value, "gate effect", "ukjend effekt for porten")  # type: ignore[no-any-return]


def _decider(value: Any) -> Decider:
    return choice(Decider, value, "decider", "ukjend avgjerdsmåte")  # type: ignore[no-any-return]


EVERY_PARTICIPANT = Decider.EVERY_PARTICIPANT
MAJORITY = Decider.MAJORITY
ONE_BODY = Decider.ONE_BODY


def _name(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise InvalidValue(
            nn=f"namnet på eit utfall er eit ord med små bokstavar, t.d. 'sent_back'; "
            f"fekk {value!r}",
            en=f"an outcome's name is a lower-case word like 'sent_back'; got {value!r}",
        )


@attrs.frozen
class GateOutcome:
    """An outcome a gate's decider may record, what it does, and its label for people."""

    name: str = attrs.field(validator=_name)
    effect: Effect = attrs.field(converter=_effect)
    label: Text | None = None

    def fingerprint(self) -> str:
        """What the definition hash covers of it."""
        return f"{self.name}>{self.effect.value}"


ANCHORING_OUTCOMES = (
    GateOutcome("endorsed", Effect.PASS),
    GateOutcome("noted", Effect.NOTED),
    GateOutcome("sent_back", Effect.SEND_BACK),
    GateOutcome("opted_out", Effect.OPT_OUT),
)
"""The four outcomes of a political anchoring (DOMAIN.md §2)."""


def _outcomes(value: Iterable[GateOutcome]) -> tuple[GateOutcome, ...]:
    found = tuple(value)
    for outcome in found:
        if not isinstance(outcome, GateOutcome):
            raise InvalidValue(
                nn=f"utfalla til ein port er stepgate.GateOutcome-verdiar; fekk {outcome!r}",
                en=f"a gate's outcomes are stepgate.GateOutcome values; got {outcome!r}",
            )
    return found


def _bodies(value: Iterable[Any] | None) -> frozenset[AnyBody] | None:
    return None if value is None else frozenset(body_named(v) for v in value)


def _optional_body(value: Any) -> AnyBody | None:
    return None if value is None else body_named(value)


@attrs.frozen
class Gate:
    """How the gate after each step is decided.

    ``bodies`` are the bodies whose positions count as a participant's voice
    (None: the policy's political bodies). A ``ONE_BODY`` gate is decided by
    ``body`` of ``party`` (None: the investigation's one party).
    """

    decided_by: Decider = attrs.field(converter=_decider)
    outcomes: tuple[GateOutcome, ...] = attrs.field(default=ANCHORING_OUTCOMES, converter=_outcomes)
    bodies: frozenset[AnyBody] | None = attrs.field(default=None, converter=_bodies)
    body: AnyBody | None = attrs.field(default=None, converter=_optional_body)
    party: str | None = None

    def outcome(self, name: str) -> GateOutcome | None:
        """The declared outcome called ``name``, or None."""
        return next((o for o in self.outcomes if o.name == name), None)

    @property
    def outcome_names(self) -> tuple[str, ...]:
        """The names of the outcomes that may be recorded."""
        return tuple(o.name for o in self.outcomes)

    def effect(self, outcome: str, noted_counts: bool) -> Effect:
        """What recording ``outcome`` does (``noted_counts`` from the policy)."""
        found = self.outcome(outcome)
        if found is None:
            return Effect.NONE
        if found.effect is Effect.NOTED:
            return Effect.PASS if noted_counts else Effect.NONE
        return found.effect

    def voice(self, party: str, body: str, political: frozenset[AnyBody]) -> bool:
        """True when ``party``'s ``body`` speaks for the party at this gate."""
        if self.decided_by is ONE_BODY:
            return body == self.body and (self.party is None or party == self.party)
        return body in (self.bodies if self.bodies is not None else political)

    def at_once(self, effect: Effect) -> bool:
        """True when one voice with ``effect`` decides the gate by itself."""
        if self.decided_by is ONE_BODY:
            return effect is not Effect.NONE
        if self.decided_by is EVERY_PARTICIPANT:
            return effect in (Effect.SEND_BACK, Effect.HOLD, Effect.STOP)
        return False

    def verdict(self, effects: dict[str, Effect], participants: Iterable[str]) -> Effect | None:
        """What the voices so far come to (``effects``: each participant's voice), if anything.

        Every participant: a pass once every participant's voice passes. A
        majority: the first effect more than half of the participants voted for;
        when all have voted without one, the step goes back.
        """
        people = list(participants)
        if self.decided_by is EVERY_PARTICIPANT:
            passed = people and all(effects.get(p) is Effect.PASS for p in people)
            return Effect.PASS if passed else None
        if self.decided_by is MAJORITY:
            votes = [effects[p] for p in people if p in effects and effects[p] is not Effect.NONE]
            for effect in (Effect.PASS, Effect.SEND_BACK, Effect.HOLD, Effect.STOP):
                if votes.count(effect) * 2 > len(people):
                    return effect
            if people and len(votes) == len(people):
                return Effect.SEND_BACK
        return None

    def fingerprint(self) -> str:
        """What the definition hash covers of it."""
        bodies = "policy" if self.bodies is None else ",".join(sorted(self.bodies))
        outcomes = ",".join(o.fingerprint() for o in self.outcomes)
        return f"{self.decided_by.value}|{bodies}|{self.body or ''}|{self.party or ''}|{outcomes}"


@attrs.frozen
class Steering:
    """A steering group decides on the decision basis first: approve, send back or stop.

    ``final``: its approval establishes the cooperation by itself; otherwise it
    forwards the case to the ending's deciders and never concludes it.
    """

    final: bool = False


def _deciding_bodies(value: Iterable[Any]) -> frozenset[AnyBody]:
    return frozenset(body_named(v) for v in value)


def _council_outcomes(value: Iterable[Any]) -> tuple[CouncilOutcome, ...]:
    return tuple(CouncilOutcome.of(v) for v in value)


@attrs.frozen
class Ending:
    """Who decides the result, and how many approvals establish the cooperation.

    ``EVERY_PARTICIPANT``: each participant's deciding body (one of ``bodies``:
    the kommunestyre for a municipality, e.g. the director for a state agency)
    approves or sends back; the investigation concludes when every remaining
    participant approved. ``ONE_BODY``: ``body`` of ``party`` (None: the one
    party) approves, sends back (to planning) or rejects (a stop).
    """

    decided_by: Decider = attrs.field(default=EVERY_PARTICIPANT, converter=_decider)
    bodies: frozenset[AnyBody] = attrs.field(
        default=frozenset({Body.KOMMUNESTYRE}), converter=_deciding_bodies
    )
    body: AnyBody | None = attrs.field(default=None, converter=_optional_body)
    party: str | None = None
    steering: Steering | None = None
    establish_with: int = 2
    outcomes: tuple[CouncilOutcome, ...] = attrs.field(
        default=(CouncilOutcome.APPROVE, CouncilOutcome.SEND_BACK), converter=_council_outcomes
    )

    def decides(self, party: str, body: str) -> bool:
        """True when ``party``'s ``body`` is a decider of this ending."""
        if self.decided_by is ONE_BODY:
            return body == self.body and (self.party is None or party == self.party)
        return body in self.bodies

    def fingerprint(self) -> str:
        """What the definition hash covers of it."""
        steering = "none" if self.steering is None else f"final={self.steering.final}"
        bodies = ",".join(sorted(self.bodies))
        outcomes = ",".join(o.value for o in self.outcomes)
        return (
            f"{self.decided_by.value}|{bodies}|{self.body or ''}|{self.party or ''}|"
            f"steering={steering}|establish={self.establish_with}|{outcomes}"
        )


@attrs.frozen
class JoinByMandate:
    """The members of a region are invited; each joins by anchoring the mandate at home."""

    kind = "mandate"

    def fingerprint(self) -> str:
        """What the definition hash covers of it."""
        return self.kind


@attrs.frozen
class FixedParties:
    """Every member takes part from the start; a ``required`` party leaving stops it all."""

    required: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    kind = "fixed"

    def fingerprint(self) -> str:
        """What the definition hash covers of it."""
        return f"{self.kind}|required={','.join(self.required)}"


@attrs.frozen
class SingleOrganisation:
    """One organisation (e.g. a municipality) investigates on its own."""

    kind = "single"

    def fingerprint(self) -> str:
        """What the definition hash covers of it."""
        return self.kind


Parties = JoinByMandate | FixedParties | SingleOrganisation
"""How the parties of an investigation take part."""


def consequence(effect: Effect, on: dt.date, step: int, party: str) -> ev.Event | None:
    """The event by which ``effect`` takes hold at the gate of ``step`` (``party`` voted last)."""
    if effect is Effect.PASS:
        return ev.GatePassed(on, step)
    if effect is Effect.SEND_BACK:
        return ev.StepSentBack(on, step, party)
    if effect is Effect.HOLD:
        return ev.StepHeld(on, step)
    if effect is Effect.STOP:
        return ev.Stopped(on, "gate")
    return None
