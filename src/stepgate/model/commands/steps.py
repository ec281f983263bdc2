"""One step at a time: start, close a step for its gate, take positions there, open the next."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from stepgate.model import events as ev
from stepgate.model import fields as f
from stepgate.model.commands.base import (
    PARTY,
    SECRETARIAT,
    Command,
    Recordable,
    body,
    current,
    gate_outcome,
    has_body,
    participant,
    party_ref,
    phase_done,
    phase_order,
)
from stepgate.model.commands.parties import opting_out
from stepgate.model.definition import Effect, consequence
from stepgate.model.text import Text
from stepgate.model.values import AnyBody

if TYPE_CHECKING:
    from stepgate.model.context import Context


def _builds_on(value: Any) -> tuple[str, ...]:
    return f.ids("builds_on", value, "I1")


@attrs.frozen
class Start(Command):
    """Start the investigation: step 1 opens."""

    action: ClassVar[str] = "start"
    issued_by: ClassVar[str] = SECRETARIAT

    question: str = attrs.field(validator=f.is_text(required=True, what="step question"))
    phase: str | None = attrs.field(default=None, validator=f.is_optional_text(what="phase"))

    def refs(self, ctx: Context) -> Iterator[Text]:
        """The phase (when given) is one of the process's."""
        return phase_order(ctx, self.phase)

    def events(self, ctx: Context) -> list[ev.Event]:
        """Step 1, in the given phase or the first."""
        return [ev.Started(self.on, self.phase or ctx.phases[0], self.question)]


@attrs.frozen
class CloseStep(Command):
    """Close the open step for its gate."""

    action: ClassVar[str] = "close_step"
    issued_by: ClassVar[str] = SECRETARIAT

    def events(self, ctx: Context) -> list[ev.Event]:
        """The step, closed."""
        return [ev.StepClosed(self.on, current(ctx).number)]


@attrs.frozen
class AnchorStep(Recordable):
    """A party's body takes a position on the closed step, at its gate.

    ``outcome`` is one of the outcomes the process's gate declares (for the
    trust-reform method: endorsed, noted, sent_back, opted_out).
    """

    action: ClassVar[str] = "anchor_step"
    possible: ClassVar[tuple[str, ...]] = ("anchoring", "held")
    issued_by: ClassVar[str] = PARTY

    municipality: str = attrs.field(converter=party_ref)
    body: AnyBody = attrs.field(converter=body)
    outcome: str = attrs.field(default="endorsed", converter=gate_outcome)
    urgency: str | None = attrs.field(default=None, validator=f.is_optional_text(what="urgency"))

    def effect(self, ctx: Context) -> Effect:
        """What the outcome does at this process's gate."""
        return ctx.gate.effect(self.outcome, ctx.policy.noted_counts)

    def opts_out(self, ctx: Context) -> bool:
        """A position whose outcome is to opt out."""
        return ctx.gate.outcome(self.outcome) is not None and self.effect(ctx) is Effect.OPT_OUT

    def refs(self, ctx: Context) -> Iterator[Text]:
        """The party takes part, the outcome is the gate's, the body (at home) is the party's."""
        s, party = ctx.state, ctx.municipality
        yield from participant(s, party, self.municipality)
        if ctx.gate.outcome(self.outcome) is None:
            yield Text(
                f"ukjent utfall {self.outcome}; porten kjenner {', '.join(ctx.gate.outcome_names)}",
                f"unknown outcome {self.outcome!r} at this gate; its outcomes are "
                f"{', '.join(ctx.gate.outcome_names)}",
            )
        yield from has_body(s, party, self.body)

    def events(self, ctx: Context) -> list[ev.Event]:
        """The position, a voice or not; and what it decides at once (a send-back, a hold, …)."""
        if self.opts_out(ctx):
            return opting_out(ctx, self)
        step, party = current(ctx), ctx.municipality or ""
        voice = ctx.gate.voice(party, self.body, ctx.policy.political_bodies)
        events: list[ev.Event] = [
            ev.StepAnchored(
                self.on,
                party,
                step.number,
                self.body.value,
                self.outcome,
                self.case_ref,
                self.exemption,
                self.urgency,
                voice,
                **self.filing(),
            )
        ]
        effect = self.effect(ctx)
        if voice and ctx.gate.at_once(effect):
            follow = consequence(effect, self.on, step.number, party)
            if follow is not None:
                events.append(follow)
        return events


@attrs.frozen
class PassGate(Command):
    """Pass the gate by hand. It passes by itself when its decider has decided; run it
    only under a process without ``anchored-every-step``. Explain it to see what is missing."""

    action: ClassVar[str] = "pass_gate"
    issued_by: ClassVar[str] = SECRETARIAT

    def events(self, ctx: Context) -> list[ev.Event]:
        """The gate, passed."""
        return [ev.GatePassed(self.on, current(ctx).number)]


@attrs.frozen
class OpenStep(Command):
    """Open the next step, citing the earlier insights it builds on."""

    action: ClassVar[str] = "open_step"
    issued_by: ClassVar[str] = SECRETARIAT

    question: str = attrs.field(validator=f.is_text(required=True, what="step question"))
    builds_on: tuple[str, ...] = attrs.field(default=(), converter=_builds_on)
    phase: str | None = attrs.field(default=None, validator=f.is_optional_text(what="phase"))

    def refs(self, ctx: Context) -> Iterator[Text]:
        """The phase (when given) is one of the process's, not before the current one."""
        return phase_order(ctx, self.phase)

    def events(self, ctx: Context) -> list[ev.Event]:
        """The next step; a new phase reaches the last one's milestone (its last step closed)."""
        step = current(ctx)
        phase = self.phase or step.phase
        events: list[ev.Event] = [
            ev.StepOpened(self.on, step.number + 1, phase, self.question, self.builds_on)
        ]
        if phase != step.phase:
            events += phase_done(ctx, step.phase, step.closed_on or self.on)
        return events
