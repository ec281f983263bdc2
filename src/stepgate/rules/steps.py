"""Rules about steps and sessions: one step at a time, on insight, as equals.

Seed lines: S:99 (the unions take part), S:104 (exploratory method), S:106
(equal participation, hierarchy does not apply), S:109-110 (one step at a
time, build the next step on the insight), S:45 and S:122-127 (milestones).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from stepgate.model.commands import (
    HoldSession,
    OpenStep,
    RateTopic,
    RecordInsight,
    RegisterTopic,
)
from stepgate.model.context import Context
from stepgate.model.seed import cite
from stepgate.model.text import Text
from stepgate.rules.rule import rule


@rule(
    "parties-in-every-step",
    at={"close_step"},
    seed=cite("S:99-100"),
    nn="Partssamarbeidet skal vere med i kvart steg: ingen tillitsvald frå {name} var med "
    "i ei økt i steg {step}, og inga drøfting er registrert.",
    en="The employer/union cooperation takes part in every step: no union representative "
    "of {name} attended a session of step {step}, and no consultation is recorded; hold a "
    "session with them or record a consultation.",
)
def parties_in_every_step(ctx: Context) -> Iterator[dict[str, Any]]:
    """Every participant's unions attended a session of the step or were consulted."""
    step = ctx.state.step
    if step is None:
        return
    for number in ctx.state.active:
        if number not in step.union_present and number not in step.consulted:
            yield {"name": ctx.state.name_of(number), "step": step.number, "objects": (number,)}


@rule(
    "insight-first",
    at={"close_step"},
    seed=cite("S:104", "S:109-110"),
    nn="Steg {step} kan ikkje lukkast utan innsikt: registrer minst éi innsikt frå ei økt "
    "i steget.",
    en="Step {step} cannot close without insight: record at least one insight from a "
    "session of the step.",
)
def insight_first(ctx: Context) -> Iterator[dict[str, Any]]:
    """A step closes only after at least one insight was recorded in one of its sessions."""
    step = ctx.state.step
    if step is not None and step.insights == 0:
        yield {"step": step.number, "objects": (f"step {step.number}",)}


@rule(
    "one-step-at-a-time",
    at={"open_step"},
    seed=cite("S:109-110"),
    nn="Eitt steg om gangen: steg {step} er {where}; neste steg kan opne først når "
    "porten er passert.",
    en="One step at a time: step {step} is {where}; the next step opens only after its "
    "gate has passed.",
)
def one_step_at_a_time(ctx: Context) -> Iterator[dict[str, Any]]:
    """Step k+1 opens only after gate k passed."""
    step = ctx.state.step
    where = {
        "insight": ("ope", "still open"),
        "anchoring": ("til politisk forankring", "at its political anchoring gate"),
    }.get(ctx.state.lifecycle)
    if step is not None and where is not None:
        yield {
            "step": step.number,
            "where": Text(where[0], where[1]),
            "objects": (f"step {step.number}",),
        }


@rule(
    "build-on-insight",
    at={"open_step"},
    seed=cite("S:109-110"),
    nn="Neste steg skal byggje på innsikta frå tidlegare steg: {detail}.",
    en="The next step builds on the insight of earlier steps: {detail}.",
)
def build_on_insight(ctx: Context) -> Iterator[dict[str, Any]]:
    """Step k > 1 cites at least one insight of earlier steps."""
    cmd = ctx.command
    assert isinstance(cmd, OpenStep)
    if not cmd.builds_on:
        yield {
            "detail": Text(
                "vis til minst éi innsikt (builds_on)",
                "cite at least one insight it builds on (builds_on)",
            ),
        }
    unknown = [i for i in cmd.builds_on if i not in ctx.state.insight_ids]
    if unknown:
        yield {
            "detail": Text(
                f"ukjend innsikt {', '.join(unknown)}", f"unknown insight(s) {', '.join(unknown)}"
            ),
            "objects": tuple(unknown),
        }


def _session_of(ctx: Context) -> str | None:
    """The session a topic, rating, insight or consensus command names (None: none)."""
    session: str | None = getattr(ctx.command, "session", None)
    return session


def _not_attending(ctx: Context) -> list[str]:
    cmd = ctx.command
    session = ctx.state.sessions.get(_session_of(ctx) or "")
    if session is None:
        return []
    if isinstance(cmd, (RegisterTopic, RateTopic)):  # a tuple: faster than a union
        people: tuple[str, ...] = (cmd.by,) if cmd.by else ()
    elif isinstance(cmd, RecordInsight):
        people = cmd.contributors
    else:
        people = ()
    return [p for p in people if p not in session.attendees]


@rule(
    "equal-participation",
    at={"hold_session", "register_topic", "rate_topic", "record_consensus", "record_insight"},
    seed=cite("S:106-107"),
    nn="Likeverdig deltaking i økta, hierarki gjeld ikkje: {detail}.",
    en="Equal participation in the session, hierarchy does not apply: {detail}.",
)
def equal_participation(ctx: Context) -> Iterator[dict[str, Any]]:
    """Attendees are equal; only attendees speak in a session (a consensus is the open step's:
    a session of another step is refused before any rule runs, as ``valid-command``)."""
    cmd = ctx.command
    if isinstance(cmd, HoldSession):
        repeated = sorted({a for a in cmd.attendees if cmd.attendees.count(a) > 1})
        if repeated:
            yield {
                "detail": Text(
                    f"kvar deltakar er med éin gong, utan rang eller vekt "
                    f"({', '.join(repeated)} står fleire gonger)",
                    f"each attendee takes part once, with no rank or weight "
                    f"({', '.join(repeated)} listed more than once)",
                ),
                "objects": tuple(repeated),
            }
        return
    outsiders = _not_attending(ctx)
    if outsiders:
        yield {
            "detail": Text(
                f"{', '.join(outsiders)} var ikkje med i økta {_session_of(ctx)}",
                f"{', '.join(outsiders)} did not attend session {_session_of(ctx)}; "
                "only attendees register, rate and contribute there",
            ),
            "objects": tuple(outsiders),
        }


@rule(
    "milestones-first",
    at={"start"},
    seed=cite("S:45", "S:122-127"),
    nn="Milepælane må vere sette før start: {detail}.",
    en="The milestones are set before the start: {detail}.",
)
def milestones_first(ctx: Context) -> Iterator[dict[str, Any]]:
    """Start needs a due date for every phase's milestone, in order, within the maximum."""
    start = ctx.command.on
    latest = start + dt.timedelta(weeks=ctx.policy.maximum_weeks)
    previous: dt.date | None = None
    for phase in ctx.phases:
        found = [m for m in ctx.state.milestones.values() if m.phase == phase]
        if not found:
            yield {
                "detail": Text(
                    f"fasen {phase} har ingen milepæl med dato",
                    f"phase {phase} has no dated milestone; set one",
                ),
                "objects": (phase,),
            }
            continue
        due = found[0].due
        if not start <= due <= latest:
            yield {
                "detail": Text(
                    f"{found[0].name} ({due}) må liggje mellom start ({start}) og "
                    f"{latest} ({ctx.policy.maximum_weeks} veker)",
                    f"{found[0].name} ({due}) must fall between the start ({start}) "
                    f"and {latest} ({ctx.policy.maximum_weeks} weeks)",
                ),
                "objects": (found[0].name,),
            }
        if previous is not None and due < previous:
            yield {
                "detail": Text(
                    f"{found[0].name} ({due}) kjem før milepælen til fasen før",
                    f"{found[0].name} ({due}) falls before the previous phase's "
                    "milestone; keep phase order",
                ),
                "objects": (found[0].name,),
            }
        previous = due
