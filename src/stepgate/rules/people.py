"""Rules about who takes part: parties, invitations, participants, leaving.

Seed lines: S:33 (everyone may take part, everyone may opt out), S:35 (anchor
the mandate at home), S:45 (fast, early clarification), S:99 (the
employer/union cooperation involved from the start in every municipality).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stepgate.model.commands import AnchorMandate
from stepgate.model.context import Context
from stepgate.model.seed import cite
from stepgate.model.text import Text, label
from stepgate.rules.rule import rule


def _missing_parties(ctx: Context, number: str) -> list[str]:
    roles = {r.role for r in ctx.state.representatives.values() if r.municipality == number}
    return [role for role in ("employer", "union") if role not in roles]


def _joining(ctx: Context) -> bool:
    cmd = ctx.command
    return (
        isinstance(cmd, AnchorMandate)
        and ctx.municipality is not None
        and ctx.municipality not in ctx.state.participants
        and cmd.body in ctx.policy.political_bodies
        and ctx.policy.counts(cmd.outcome)
    )


@rule(
    "parties-from-start",
    at={"start", "anchor_mandate"},
    seed=cite("S:99-100"),
    nn="Partssamarbeidet skal vere med frå starten: {name} manglar {missing}. "
    "Registrer representantane før {when}.",
    en="The employer/union cooperation takes part from the start: {name} has no "
    "{missing} registered. Register them before {when}.",
)
def parties_from_start(ctx: Context) -> Iterator[dict[str, Any]]:
    """Every participant has an employer and a union representative at start and on joining."""
    if ctx.command.action == "start":
        numbers: tuple[str, ...] = ctx.state.active
        when = ("start", "the start")
    elif _joining(ctx) and ctx.state.lifecycle not in ("draft", "mandate"):
        numbers = (ctx.municipality,)  # type: ignore[assignment]
        when = ("innmelding", "joining")
    else:
        return
    for number in numbers:
        missing = _missing_parties(ctx, number)
        if missing:
            yield {
                "name": ctx.state.name_of(number),
                "missing": Text(
                    " og ".join(label(f"role.{m}", "nn") for m in missing),
                    " and ".join(f"{m} representative" for m in missing),
                ),
                "when": Text(when[0], when[1]),
                "objects": (number,),
            }


@rule(
    "everyone-invited",
    at={"start"},
    seed=cite("S:33", "S:45"),
    nn="Alle medlemene i regionen skal vere inviterte og ha svara (eller svarfristen vere ute) "
    "før start: {name} {problem}.",
    en="Every member of the region must be invited and have answered (or the answer "
    "deadline have passed) before the start: {name} {problem}.",
)
def everyone_invited(ctx: Context) -> Iterator[dict[str, Any]]:
    """Start needs every member invited and answered, or the answer deadline passed."""
    state = ctx.state
    deadline_passed = state.answer_by is not None and ctx.command.on > state.answer_by
    for member in state.region.members:
        if member.id not in state.invited:
            yield {
                "name": member.name,
                "problem": Text("er ikkje invitert", "is not invited; invite it"),
                "objects": (member.id,),
            }
        elif member.id not in state.answered and not deadline_passed:
            yield {
                "name": member.name,
                "problem": Text(
                    "har ikkje svara (melde seg inn eller ut)",
                    "has not answered (joined or opted out); wait for its answer "
                    "or set an answer deadline",
                ),
                "objects": (member.id,),
            }


@rule(
    "minimum-participants",
    at={"start"},
    seed="a cooperation needs two",
    nn="Eit samarbeid treng minst {minimum} deltakarkommunar; no er det {count}.",
    en="A cooperation needs at least {minimum} participants; there are {count}.",
)
def minimum_participants(ctx: Context) -> Iterator[dict[str, Any]]:
    """Start needs at least the policy's minimum of participants."""
    count = len(ctx.state.participants)
    if count < ctx.policy.minimum_participants:
        yield {"minimum": ctx.policy.minimum_participants, "count": count}


@rule(
    "mandate-at-home",
    at={"anchor_mandate", "close_step", "open_step"},
    seed=cite("S:35"),
    nn="Mandatet skal alltid forankrast heime: {detail}.",
    en="The mandate is always anchored at home: {detail}.",
)
def mandate_at_home(ctx: Context) -> Iterator[dict[str, Any]]:
    """Join on the current mandate; a new version blocks steps until re-anchored."""
    state, cmd = ctx.state, ctx.command
    current = state.mandate_version
    if isinstance(cmd, AnchorMandate):
        if cmd.version is not None and cmd.version != current:
            yield {
                "detail": Text(
                    f"versjon {cmd.version} er ikkje gjeldande; forankre versjon {current}",
                    f"version {cmd.version} is not current; anchor version {current}",
                ),
                "objects": (f"mandate v{cmd.version}",),
            }
        return
    behind = [n for n in state.active if state.participants[n] < current]
    if behind:
        yield {
            "detail": Text(
                f"{ctx.names(behind)} har ikkje forankra mandat versjon {current}",
                f"{ctx.names(behind)} has not anchored mandate version {current}; "
                "record its anchoring or its opt-out",
            ),
            "objects": tuple(behind),
        }


@rule(
    "free-to-leave",
    at={"anchor_mandate"},
    seed=cite("S:33"),
    nn="{name} melde seg ut og kan berre melde seg inn att før avgjerdsfasen.",
    en="{name} opted out and may rejoin only before the decision state.",
)
def free_to_leave(ctx: Context) -> Iterator[dict[str, Any]]:
    """Opting out is never blocked; an opted-out municipality rejoins only before decision."""
    number = ctx.municipality
    if number in ctx.state.opted_out and ctx.state.lifecycle == "decision":
        yield {"name": ctx.state.name_of(number), "objects": (number,)}
