"""Rules about gates and decisions: anchored at home, openly, one voice each.

Seed lines: S:29 and S:35 (anchoring in each municipality, at home), S:37
(open and transparent), S:114 (political anchoring for every step), S:125-127
(the steering group's decision basis), S:270 (equal parties). The councils'
final say is kommunelova ch. 20.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stepgate.model.commands import AnchorMandate, AnchorStep, CouncilDecision, Recordable
from stepgate.model.context import Context
from stepgate.model.definition import Effect
from stepgate.model.seed import cite
from stepgate.model.text import Text
from stepgate.rules.rule import rule

PASS = Effect.PASS


def counting_voice(ctx: Context, party: str) -> bool:
    """True when ``party`` has a voice in the current gate that passes it."""
    step = ctx.state.step
    voice = step.voices.get(party) if step is not None else None
    return voice is not None and ctx.gate.effect(voice.outcome, ctx.policy.noted_counts) is PASS


def missing_anchorings(ctx: Context) -> list[str]:
    """The participants whose passing voice on the current step is still missing."""
    return [n for n in ctx.state.active if not counting_voice(ctx, n)]


NOTING = Text(" (eller teke til orientering)", " (or a noting)")
"""What also anchors a step where the policy counts a noting."""


@rule(
    "anchored-every-step",
    at={"pass_gate", "open_step", "submit"},
    seed=cite("S:114"),
    nn="Politisk forankring for kvart steg: steg {step} manglar forankring heime frå {names}; "
    "kvar av dei fører at eit politisk organ har slutta seg til{noted}.",
    en="Political anchoring for every step: step {step} lacks an anchoring at home by "
    "{names}; each records an endorsement{noted} from a political body.",
)
def anchored_every_step(ctx: Context) -> Iterator[dict[str, Any]]:
    """The gate passes only when every participant anchored the step in a political body."""
    step = ctx.state.step
    if step is None or ctx.state.lifecycle not in ("anchoring", "held"):
        return
    missing = missing_anchorings(ctx)
    if missing:
        yield {
            "step": step.number,
            "names": ctx.names(missing),
            "noted": NOTING if ctx.policy.noted_counts else "",
            "objects": tuple(missing),
        }


@rule(
    "anchored-at-home",
    at={"anchor_step", "anchor_mandate"},
    seed=cite("S:29", "S:35"),
    nn="Forankringa skal skje heime i kommunen: {detail}.",
    en="Anchoring happens at home in the municipality: {detail}.",
)
def anchored_at_home(ctx: Context) -> Iterator[dict[str, Any]]:
    """A regional body never anchors for a municipality; the mayor only with urgency."""
    cmd = ctx.command
    assert isinstance(cmd, AnchorStep | AnchorMandate)
    if not cmd.body.at_home:
        yield {
            "detail": Text(
                f"{cmd.body.value} er eit regionalt organ og tel ikkje som forankring "
                "i ein kommune",
                f"{cmd.body.value} is a regional body and never counts as a "
                "municipality's anchoring; record the position of the municipality's own body",
            ),
            "objects": (cmd.body.value,),
        }
    urgency = getattr(cmd, "urgency", None)
    if cmd.body == "ordforar" and not urgency:
        yield {
            "detail": Text(
                "ordføraren forankrar åleine berre med hastekompetanse (kommunelova § 11-8)",
                "the mayor anchors alone only with an urgency basis; give "
                "urgency='kommunelova § 11-8'",
            ),
            "objects": ("ordforar",),
        }


@rule(
    "open-record",
    at={"anchor_mandate", "anchor_step", "steering_decision", "council_decision"},
    seed=cite("S:37"),
    nn="Alt skal vere ope: ein journal som ikkje er offentleg, må ha heimel for unntak "
    "i offentleglova (t.d. «offl. § 14»); fekk {got}.",
    en="Everything is open: a record that is not public needs an exemption ground of "
    "offentleglova (e.g. 'offl. § 14'); got {got}.",
)
def open_record(ctx: Context) -> Iterator[dict[str, Any]]:
    """Every anchoring and decision is public unless it names a ground of offentleglova."""
    cmd = ctx.command
    assert isinstance(cmd, Recordable)
    if cmd.exemption is None and not cmd.public:
        yield {"got": "no basis"}


@rule(
    "equal-parties",
    at={"anchor_step", "council_decision"},
    seed=cite("S:270-271"),
    nn="Likeverdige partar, éi røyst per kommune: {name} har alt {what}.",
    en="Equal parties, one voice per municipality: {name} already {what}.",
)
def equal_parties(ctx: Context) -> Iterator[dict[str, Any]]:
    """One voice per municipality in every gate and decision; nothing weighted by size."""
    cmd, number = ctx.command, ctx.municipality or ""  # resolved before rules run
    name = ctx.state.name_of(number)
    if isinstance(cmd, AnchorStep):
        step = ctx.state.step
        speaks = ctx.gate.voice(number, cmd.body, ctx.policy.political_bodies)
        if step is not None and speaks and counting_voice(ctx, number):
            voice = step.voices[number]
            yield {
                "name": name,
                "what": Text(
                    f"forankra steg {step.number} ({voice.body}, {voice.on})",
                    f"anchored step {step.number} ({voice.body}, {voice.on}); "
                    "send the step back to change it",
                ),
                "objects": (number,),
            }
    elif isinstance(cmd, CouncilDecision):
        record = ctx.state.council.get(number)
        if record is not None and record.outcome == "approve":
            yield {
                "name": name,
                "what": Text(
                    f"eit kommunestyrevedtak ({record.on})",
                    f"has a council decision ({record.on}); a second one is a duplicate",
                ),
                "objects": (number,),
            }


@rule(
    "steering-group-not-final",
    at={"steering_decision"},
    seed=cite("S:125-127"),
    nn="Styringsgruppa godkjende avgjerdsgrunnlaget {on}; saka ligg no hos kommunestyra, "
    "og vedtaket til styringsgruppa er ikkje endeleg.",
    en="The steering group approved the decision basis on {on}; the case is now with the "
    "councils, and the steering group's decision is never final.",
)
def steering_group_not_final(ctx: Context) -> Iterator[dict[str, Any]]:
    """Approval forwards the case to the councils; the steering group cannot decide again."""
    steering = ctx.state.steering
    if steering and steering[-1].outcome == "approve":
        yield {"on": steering[-1].on, "objects": ("styringsgruppe",)}


@rule(
    "council-decides",
    at={"council_decision"},
    seed="kommunelova ch. 20",
    nn="Dei som skal avgjere, avgjer sjølv: {detail}.",
    en="The deciders decide themselves: {detail}.",
)
def council_decides(ctx: Context) -> Iterator[dict[str, Any]]:
    """The ending's deciders decide (councils), on a case a steering group forwarded."""
    cmd = ctx.command
    assert isinstance(cmd, CouncilDecision)
    if not ctx.ending.decides(ctx.municipality or "", cmd.body):
        body = ctx.body_said(cmd.body.value)
        deciders = ctx.bodies_said(
            [ctx.ending.body] if ctx.ending.body else sorted(ctx.ending.bodies)
        )
        yield {
            "detail": Text(
                f"{body.nn} kan ikkje gjere sluttvedtaket; det gjer {deciders.nn}",
                f"{body.en} cannot make the final decision; {deciders.en} does",
            ),
            "objects": (cmd.body.value,),
        }
    steering = ctx.state.steering
    forwarded = steering and steering[-1].outcome == "approve"
    if ctx.ending.steering is not None and not forwarded:
        yield {
            "detail": Text(
                "styringsgruppa har ikkje godkjent og sendt saka til kommunestyra enno",
                "the steering group has not approved and forwarded the case yet",
            ),
            "objects": ("styringsgruppe",),
        }
