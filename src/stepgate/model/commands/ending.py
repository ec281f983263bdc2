"""The ending: the decision basis, the steering group, and the deciders' decisions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from stepgate.model import events as ev
from stepgate.model import fields as f
from stepgate.model.commands.base import (
    PARTY,
    SECRETARIAT,
    Filing,
    Recordable,
    body,
    current,
    has_body,
    participant,
    party_ref,
    phase_done,
    resolved,
)
from stepgate.model.text import Text
from stepgate.model.values import AnyBody, Body, CouncilOutcome, SteeringOutcome

if TYPE_CHECKING:
    from stepgate.model.context import Context


def _steering(value: Any) -> SteeringOutcome:
    return SteeringOutcome.of(value)


def _council(value: Any) -> CouncilOutcome:
    return CouncilOutcome.of(value)


@attrs.frozen
class SubmitDecisionBasis(Filing):
    """Submit the decision basis (to the steering group, or to the deciders)."""

    action: ClassVar[str] = "submit"
    issued_by: ClassVar[str] = SECRETARIAT

    summary: str = attrs.field(validator=f.is_text(required=True, what="decision basis summary"))
    cooperation_model: str = attrs.field(default="", validator=f.is_text(what="cooperation_model"))

    def refs(self, ctx: Context) -> Iterator[Text]:
        """The decision basis is made in the last phase."""
        step, last = ctx.state.step, ctx.phases[-1]
        if step is not None and step.phase != last:
            yield Text(
                f"avgjerdsgrunnlaget kjem i fasen {last}",
                f"the decision basis is made in phase {last!r}; open a step there",
            )

    def events(self, ctx: Context) -> list[ev.Event]:
        """The decision basis; the last phase's milestone is delivered today."""
        submitted = ev.DecisionBasisSubmitted(
            self.on, self.summary, self.cooperation_model, self.documents
        )
        return [submitted, *phase_done(ctx, current(ctx).phase, self.on)]


@attrs.frozen
class SteeringGroupDecision(Recordable):
    """The steering group approves, sends back or stops; unless final, it never concludes."""

    action: ClassVar[str] = "steering_decision"
    possible: ClassVar[tuple[str, ...]] = ("decision",)
    issued_by: ClassVar[str] = SECRETARIAT
    needs: ClassVar[str | None] = "steering"

    outcome: SteeringOutcome = attrs.field(converter=_steering)

    def events(self, ctx: Context) -> list[ev.Event]:
        """The steering group's decision."""
        return [
            ev.SteeringGroupDecided(
                self.on, self.outcome.value, self.case_ref, self.exemption, **self.filing()
            )
        ]


@attrs.frozen
class CouncilDecision(Recordable):
    """A party's deciding body (a municipality's kommunestyre) decides on the cooperation."""

    action: ClassVar[str] = "council_decision"
    possible: ClassVar[tuple[str, ...]] = ("decision",)
    issued_by: ClassVar[str] = PARTY

    municipality: str = attrs.field(converter=party_ref)
    outcome: CouncilOutcome = attrs.field(converter=_council)
    body: AnyBody = attrs.field(default=Body.KOMMUNESTYRE, converter=body)

    def refs(self, ctx: Context) -> Iterator[Text]:
        """The party takes part, the outcome is one the ending's deciders have, and a body at
        home is one the party has (a process's own bodies every party has)."""
        yield from participant(ctx.state, ctx.municipality, self.municipality)
        yield from has_body(ctx.state, ctx.municipality, self.body)
        if self.outcome not in ctx.ending.outcomes:
            known = ", ".join(o.value for o in ctx.ending.outcomes)
            yield Text(
                f"utfallet {self.outcome.value} finst ikkje her; vel mellom {known}",
                f"outcome {self.outcome.value!r} is not one of this ending's: {known}",
            )

    def events(self, ctx: Context) -> list[ev.Event]:
        """The decision."""
        return [
            ev.CouncilDecided(
                self.on,
                resolved(ctx),
                self.outcome.value,
                self.case_ref,
                self.exemption,
                self.body.value,
                **self.filing(),
            )
        ]
