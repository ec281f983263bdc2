"""What follows by itself after an event: a gate decides, the investigation stops or concludes.

The engine asks ``follow`` after the last event of a command, and again after
each event it adds, until nothing follows. The gate and the ending say what
their decisions come to (``Gate.verdict``, and the ending's rules below); a
party leaving may stop the investigation (too few participants, or a party
the process requires). All pure: the state is read, never changed here.
"""

from __future__ import annotations

import datetime as dt

from stepgate.model import events as ev
from stepgate.model.context import Context
from stepgate.model.definition import ONE_BODY, FixedParties, consequence
from stepgate.model.state import InvestigationState


def follow(state: InvestigationState, ctx: Context, last: ev.Event) -> ev.Event | None:
    """What follows by itself after ``last`` was applied, or None."""
    if state.lifecycle in ("draft", "mandate") or isinstance(last, ev.Stopped | ev.Concluded):
        return None
    if isinstance(last, ev.OptedOut):
        if len(state.participants) < ctx.policy.minimum_participants:
            return ev.Stopped(last.on, "minimum-participants")
        if isinstance(ctx.parties, FixedParties) and last.municipality in ctx.parties.required:
            return ev.Stopped(last.on, "required-party")
    if state.lifecycle in ("anchoring", "held") and isinstance(last, ev.StepAnchored | ev.OptedOut):
        return _gate(state, ctx, last)
    if state.lifecycle == "decision":
        return _ending(state, ctx, last)
    return None


def _gate(
    state: InvestigationState, ctx: Context, last: ev.StepAnchored | ev.OptedOut
) -> ev.Event | None:
    """The gate's verdict on the voices so far, as the event that carries it out."""
    step = state.steps[-1]
    noted = ctx.policy.noted_counts
    effects = {party: ctx.gate.effect(v.outcome, noted) for party, v in step.voices.items()}
    verdict = ctx.gate.verdict(effects, state.active)
    if verdict is None:
        return None
    return consequence(verdict, last.on, step.number, last.municipality)


def _ending(state: InvestigationState, ctx: Context, last: ev.Event) -> ev.Event | None:
    """A steering group's final approval, the one body's decision, or every decider's."""
    ending, on = ctx.ending, last.on
    if ending.steering is not None:
        approved = bool(state.steering) and state.steering[-1].outcome == "approve"
        if isinstance(last, ev.SteeringGroupDecided) and approved and ending.steering.final:
            return _established(state.active, ctx, on)
        if not approved:
            return None
    if ending.decided_by is ONE_BODY:
        return _one_body(state, ctx, last) if isinstance(last, ev.CouncilDecided) else None
    if isinstance(last, ev.CouncilDecided | ev.OptedOut):
        approved_by = state.council_approved()
        if approved_by and len(approved_by) == len(state.participants):
            return _established(approved_by, ctx, on)
    return None


def _one_body(state: InvestigationState, ctx: Context, last: ev.CouncilDecided) -> ev.Event:
    """The one deciding body approved (established), sent back (planning) or rejected (stop)."""
    if last.outcome == "approve":
        return _established(state.active, ctx, last.on)
    if last.outcome == "send_back":
        return ev.DecisionSentBack(last.on)
    return ev.Stopped(last.on, "rejected")


def _established(among: tuple[str, ...], ctx: Context, on: dt.date) -> ev.Event:
    """The cooperation is established among ``among`` — if they are enough, else it stops."""
    if among and len(among) >= ctx.ending.establish_with:
        return ev.Concluded(on, among)
    return ev.Stopped(on, "too-few-approvals")
