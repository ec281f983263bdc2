"""From an accepted command to its events, and what follows from them.

``refs`` checks that a command's references exist (municipality, topic,
session, …) and yields ``valid-command`` findings; ``events`` turns an
accepted command into events; ``reactions`` adds what follows by itself (a
gate passes, the investigation stops or concludes). All pure: the state is
read, never changed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from stepgate.errors import InvalidValue
from stepgate.model import commands as cmd
from stepgate.model import events as ev
from stepgate.model.state import InvestigationState, Step
from stepgate.rules.gates import missing_anchorings
from stepgate.rules.rule import Context

Finding = tuple[str, str]  # (nn, en)


def opts_out(command: cmd.Command) -> bool:
    """True for an opt-out, whichever command carries it (free-to-leave)."""
    if isinstance(command, cmd.OptOut):
        return True
    return isinstance(command, cmd.AnchorMandate | cmd.AnchorStep) and (
        command.outcome == "opted_out"
    )


def _member(state: InvestigationState, number: str | None, ref: str) -> Iterator[Finding]:
    if number is None:
        known = ", ".join(f"{m.name} ({m.number})" for m in state.region.members)
        yield (
            f"{ref} er ikkje medlem av {state.region.name}",
            f"{ref!r} is not a member of {state.region.name}; members: {known}",
        )


def _participant(state: InvestigationState, number: str | None, ref: str) -> Iterator[Finding]:
    yield from _member(state, number, ref)
    if number is not None and number not in state.participants:
        yield (
            f"{state.name_of(number)} er ikkje deltakarkommune",
            f"{state.name_of(number)} is not a participant",
        )


def _known(kind_nn: str, kind_en: str, ids: Any, table: dict[str, Any]) -> Iterator[Finding]:
    for ref in ids:
        if ref not in table:
            yield (f"ukjend {kind_nn} {ref}", f"unknown {kind_en} {ref!r}")


def _open_session(state: InvestigationState, session: str | None) -> Iterator[Finding]:
    if session is None:
        return
    found = state.sessions.get(session)
    if found is None:
        yield (f"ukjend økt {session}", f"unknown session {session!r}")
    elif state.step is None or found.step != state.step.number or state.lifecycle != "insight":
        yield (
            f"økta {session} høyrer ikkje til det opne steget",
            f"session {session!r} is not a session of the open step",
        )


def _phase_order(ctx: Context, phase: str | None) -> Iterator[Finding]:
    if phase is None:
        return
    if phase not in ctx.phases:
        yield (f"ukjend fase {phase}", f"unknown phase {phase!r}; phases: {list(ctx.phases)}")
    elif ctx.state.step is not None and ctx.phases.index(phase) < ctx.phases.index(
        ctx.state.step.phase
    ):
        yield (
            f"fasen {phase} kjem før {ctx.state.step.phase}",
            f"phase {phase!r} comes before the current phase {ctx.state.step.phase!r}",
        )


def _refs_invite(ctx: Context, c: cmd.Invite) -> Iterator[Finding]:
    for ref in c.municipalities or ():
        yield from _member(ctx.state, resolve(ctx.state, ref), ref)


def _refs_position(ctx: Context, c: cmd.AnchorMandate | cmd.OptOut) -> Iterator[Finding]:
    s, number = ctx.state, ctx.municipality
    yield from _member(s, number, c.municipality)
    if number is not None and opts_out(c) and number in s.opted_out:
        yield (
            f"{s.name_of(number)} har alt meldt seg ut",
            f"{s.name_of(number)} has opted out already",
        )


def _refs_participant(ctx: Context, c: Any) -> Iterator[Finding]:
    yield from _participant(ctx.state, ctx.municipality, c.municipality)


def _refs_representative(ctx: Context, c: cmd.RegisterRepresentative) -> Iterator[Finding]:
    if c.municipality is not None:
        yield from _member(ctx.state, ctx.municipality, c.municipality)


def _refs_topic(ctx: Context, c: Any) -> Iterator[Finding]:
    s = ctx.state
    if not isinstance(c, cmd.RegisterTopic):
        yield from _known("tema", "topic", (c.topic,), s.topics)
    yield from _open_session(s, c.session)
    if c.session is not None and not isinstance(c, cmd.RecordConsensus):
        yield from _known("representant", "representative", (c.by,), s.representatives)


def _refs_session(ctx: Context, c: cmd.HoldSession) -> Iterator[Finding]:
    if not c.attendees:
        yield ("ei økt treng deltakarar", "a session needs attendees")
    yield from _known("representant", "representative", c.attendees, ctx.state.representatives)


def _refs_insight(ctx: Context, c: cmd.RecordInsight) -> Iterator[Finding]:
    s = ctx.state
    yield from _open_session(s, c.session)
    yield from _known("tema", "topic", c.topics, s.topics)
    yield from _known("representant", "representative", c.contributors, s.representatives)


def _refs_milestone(ctx: Context, c: cmd.SetMilestone) -> Iterator[Finding]:
    if c.phase is not None and c.phase not in ctx.phases:
        yield (f"ukjend fase {c.phase}", f"unknown phase {c.phase!r}; phases: {list(ctx.phases)}")


def _refs_reach(ctx: Context, c: cmd.ReachMilestone) -> Iterator[Finding]:
    if c.name not in ctx.state.milestones:
        yield (f"ukjend milepæl {c.name}", f"unknown milestone {c.name!r}")


def _refs_submit(ctx: Context, _c: cmd.SubmitDecisionBasis) -> Iterator[Finding]:
    step, last = ctx.state.step, ctx.phases[-1]
    if step is not None and step.phase != last:
        yield (
            f"avgjerdsgrunnlaget kjem i fasen {last}",
            f"the decision basis is made in phase {last!r}; open a step there",
        )


_REFS: dict[type[cmd.Command], Callable[[Context, Any], Iterator[Finding]]] = {
    cmd.Invite: _refs_invite,
    cmd.AnchorMandate: _refs_position,
    cmd.OptOut: _refs_position,
    cmd.AnchorStep: _refs_participant,
    cmd.CouncilDecision: _refs_participant,
    cmd.RecordConsultation: _refs_participant,
    cmd.RegisterRepresentative: _refs_representative,
    cmd.RegisterTopic: _refs_topic,
    cmd.RateTopic: _refs_topic,
    cmd.RecordConsensus: _refs_topic,
    cmd.HoldSession: _refs_session,
    cmd.RecordInsight: _refs_insight,
    cmd.Start: lambda ctx, c: _phase_order(ctx, c.phase),
    cmd.OpenStep: lambda ctx, c: _phase_order(ctx, c.phase),
    cmd.SetMilestone: _refs_milestone,
    cmd.ReachMilestone: _refs_reach,
    cmd.SubmitDecisionBasis: _refs_submit,
}


def refs(ctx: Context) -> Iterator[Finding]:
    """Every reference in the command that does not resolve."""
    check = _REFS.get(type(ctx.command))
    if check is not None:
        yield from check(ctx, ctx.command)


def resolve(state: InvestigationState, ref: str) -> str | None:
    """The kommunenummer of the region member named by ``ref`` (number or name), or None."""
    try:
        return state.region.find(ref).number
    except InvalidValue:
        return None


def _number(ctx: Context) -> str:
    """The command's municipality, resolved (the checks made sure it is)."""
    assert ctx.municipality is not None
    return ctx.municipality


def _current(ctx: Context) -> Step:
    """The current step (the machine made sure there is one)."""
    step = ctx.state.step
    assert step is not None
    return step


def _topic_step(state: InvestigationState) -> int:
    return len(state.steps)


def _anchor_mandate(ctx: Context, c: cmd.AnchorMandate) -> list[ev.Event]:
    counts = c.body in ctx.policy.political_bodies and ctx.policy.counts(c.outcome)
    return [
        ev.MandateAnchored(
            c.on,
            ctx.municipality or "",
            ctx.state.mandate_version,
            c.body.value,
            c.outcome.value,
            c.case_ref,
            c.exemption,
            counts,
        )
    ]


def _opt_out(ctx: Context, c: cmd.Command) -> list[ev.Event]:
    number = ctx.municipality or ""
    body = getattr(c, "body", None)
    return [
        ev.OptedOut(
            c.on,
            number,
            body.value if body is not None else None,
            getattr(c, "case_ref", ""),
            getattr(c, "reason", ""),
            getattr(c, "exemption", None),
        )
    ]


def _anchor_step(ctx: Context, c: cmd.AnchorStep) -> list[ev.Event]:
    step = _current(ctx)
    political = c.body in ctx.policy.political_bodies
    events: list[ev.Event] = [
        ev.StepAnchored(
            c.on,
            ctx.municipality or "",
            step.number,
            c.body.value,
            c.outcome.value,
            c.case_ref,
            c.exemption,
            c.urgency,
            political,
        )
    ]
    if political and c.outcome == "sent_back":
        events.append(ev.StepSentBack(c.on, step.number, ctx.municipality or ""))
    return events


def _start(ctx: Context, c: cmd.Start) -> list[ev.Event]:
    return [ev.Started(c.on, c.phase or ctx.phases[0], c.question)]


def _open_step(ctx: Context, c: cmd.OpenStep) -> list[ev.Event]:
    step = _current(ctx)
    phase = c.phase or step.phase
    events: list[ev.Event] = [ev.StepOpened(c.on, step.number + 1, phase, c.question, c.builds_on)]
    if phase != step.phase:
        events += _phase_done(ctx, step.phase, step.closed_on or c.on)  # its last step closed
    return events


def _phase_done(ctx: Context, phase: str, done: dt.date) -> list[ev.Event]:
    """The phase's milestone, reached on ``done``."""
    return [
        ev.MilestoneReached(done, m.name)
        for m in ctx.state.milestones.values()
        if m.phase == phase and m.reached_on is None
    ]


def _submit(ctx: Context, c: cmd.SubmitDecisionBasis) -> list[ev.Event]:
    events: list[ev.Event] = [ev.DecisionBasisSubmitted(c.on, c.summary, c.cooperation_model)]
    return events + _phase_done(ctx, _current(ctx).phase, c.on)  # delivered today


def _topic(ctx: Context, c: cmd.RegisterTopic) -> list[ev.Event]:
    topic_id = f"T{len(ctx.state.topics) + 1}"
    return [
        ev.TopicRegistered(
            c.on, topic_id, c.title, c.difficulty, c.by, _topic_step(ctx.state), c.session
        )
    ]


def _session(ctx: Context, c: cmd.HoldSession) -> list[ev.Event]:
    step = _current(ctx)
    return [
        ev.SessionHeld(c.on, f"S{len(ctx.state.sessions) + 1}", step.number, c.title, c.attendees)
    ]


def _insight(ctx: Context, c: cmd.RecordInsight) -> list[ev.Event]:
    step = _current(ctx)
    return [
        ev.InsightRecorded(
            c.on,
            f"I{len(ctx.state.insights) + 1}",
            c.session,
            step.number,
            c.text,
            c.topics,
            c.contributors,
        )
    ]


def _representative(ctx: Context, c: cmd.RegisterRepresentative) -> list[ev.Event]:
    return [
        ev.RepresentativeRegistered(
            c.on,
            f"R{len(ctx.state.representatives) + 1}",
            c.name,
            c.role.value,
            ctx.municipality,
            c.party,
        )
    ]


def _invite(ctx: Context, c: cmd.Invite) -> list[ev.Event]:
    s = ctx.state
    chosen = c.municipalities or tuple(m.number for m in s.region.members)
    numbers = tuple(resolve(s, ref) or ref for ref in chosen)
    return [ev.Invited(c.on, numbers, c.answer_by)]


_EVENTS: dict[type[cmd.Command], Callable[[Context, Any], list[ev.Event]]] = {
    cmd.SetMilestone: lambda x, c: [ev.MilestoneSet(c.on, c.name, c.due, c.phase)],
    cmd.ReachMilestone: lambda x, c: [ev.MilestoneReached(c.on, c.name)],
    cmd.ReviseMandate: lambda x, c: [ev.MandateRevised(c.on, x.state.mandate_version + 1, c.text)],
    cmd.Invite: _invite,
    cmd.AnchorMandate: _anchor_mandate,
    cmd.OptOut: _opt_out,
    cmd.RegisterRepresentative: _representative,
    cmd.RecordFact: lambda x, c: [ev.FactRecorded(c.on, c.name, c.value)],
    cmd.RegisterTopic: _topic,
    cmd.RateTopic: lambda x, c: [ev.TopicRated(c.on, c.topic, c.difficulty, c.by, c.session)],
    cmd.RecordConsensus: lambda x, c: [
        ev.ConsensusRecorded(c.on, c.topic, c.difficulty, c.session)
    ],
    cmd.Start: _start,
    cmd.HoldSession: _session,
    cmd.RecordInsight: _insight,
    cmd.RecordConsultation: lambda x, c: [
        ev.ConsultationRecorded(c.on, _number(x), _current(x).number, c.note)
    ],
    cmd.CloseStep: lambda x, c: [ev.StepClosed(c.on, _current(x).number)],
    cmd.PassGate: lambda x, c: [ev.GatePassed(c.on, _current(x).number)],
    cmd.AnchorStep: _anchor_step,
    cmd.OpenStep: _open_step,
    cmd.SubmitDecisionBasis: _submit,
    cmd.SteeringGroupDecision: lambda x, c: [
        ev.SteeringGroupDecided(c.on, c.outcome.value, c.case_ref, c.exemption)
    ],
    cmd.CouncilDecision: lambda x, c: [
        ev.CouncilDecided(c.on, _number(x), c.outcome.value, c.case_ref, c.exemption)
    ],
}


def events(ctx: Context) -> list[ev.Event]:
    """The events of an accepted command."""
    if opts_out(ctx.command):
        return _opt_out(ctx, ctx.command)
    return _EVENTS[type(ctx.command)](ctx, ctx.command)


def reaction(state: InvestigationState, ctx: Context, last: ev.Event) -> ev.Event | None:
    """What follows by itself after ``last`` was applied: a gate, a stop, a conclusion."""
    policy = ctx.policy
    on = last.on
    if state.lifecycle in ("draft", "mandate") or isinstance(last, ev.Stopped | ev.Concluded):
        return None
    if isinstance(last, ev.OptedOut) and len(state.participants) < policy.minimum_participants:
        return ev.Stopped(on, "minimum-participants")
    if state.lifecycle == "anchoring" and isinstance(last, ev.StepAnchored | ev.OptedOut):
        step = state.steps[-1]
        if not missing_anchorings(state, policy):
            return ev.GatePassed(on, step.number)
    approved = state.steering and state.steering[-1].outcome == "approve"
    if (
        state.lifecycle == "decision"
        and approved
        and isinstance(last, ev.CouncilDecided | ev.OptedOut)
        and len(state.council_approved()) == len(state.participants)
    ):
        return ev.Concluded(on, state.council_approved())
    return None
