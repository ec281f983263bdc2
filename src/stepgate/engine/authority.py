"""Who may issue a command: the secretariat runs it; a municipality speaks for itself.

stepgate has no user database: the host app says who the actor is. A command
that records a municipality's position, or speaks for its people, may be
issued only by that municipality's own actors or by the secretariat:

- positions: mandate and step anchorings, council decisions, opt-outs;
- its people: registering its representatives, a consultation with its
  unions, a rating or a topic registered by its representative, an insight
  crediting its representative, a session it attends, a session's consensus
  (which speaks for everyone who attended).

People of a party that is not a municipality (e.g. NAV Vestland) are spoken
for by the secretariat. Running the investigation itself (invite, start,
close and open steps, submit, the steering group, milestones, facts) is the
secretariat's alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from stepgate.errors import NotAllowed
from stepgate.model import commands as cmd
from stepgate.model.values import Actor
from stepgate.rules.rule import Context


def authorise(ctx: Context, actor: Actor) -> None:
    """Raise NotAllowed unless ``actor`` may issue ``ctx.command``; changes nothing."""
    action, state = ctx.command.action, ctx.state
    if action in cmd.SECRETARIAT_ACTIONS and not actor.secretariat:
        raise NotAllowed(
            f"actor {actor.id!r} may not {action.replace('_', ' ')} in {state.key!r}: "
            "only the secretariat runs the investigation"
        )
    if actor.secretariat:
        return
    for number, why in _spoken_for(ctx):
        if number is None:
            raise NotAllowed(
                f"actor {actor.id!r} may not {action.replace('_', ' ')} in {state.key!r}: "
                f"{why} speaks for a party that is not a municipality; the secretariat records it"
            )
        if not actor.may_act_for(number):
            raise NotAllowed(
                f"actor {actor.id!r} may not act for {state.name_of(number)} ({number}) in "
                f"{state.key!r}: {why} speaks for it; only its own actors or the secretariat may"
            )


def _spoken_for(ctx: Context) -> Iterator[tuple[str | None, str]]:
    """Each municipality (None: another party) the command speaks for, and what speaks."""
    c, s = ctx.command, ctx.state
    if isinstance(c, cmd.RegisterRepresentative):
        yield (ctx.municipality if c.municipality is not None else None), "the representative"
    elif isinstance(c, cmd.AnchorMandate | cmd.OptOut | cmd.AnchorStep | cmd.CouncilDecision):
        yield ctx.municipality, "the position"
    elif isinstance(c, cmd.RecordConsultation):
        yield ctx.municipality, "a consultation with its unions"
    elif isinstance(c, cmd.RegisterTopic | cmd.RateTopic) and c.by:
        yield from _people(ctx, (c.by,), f"a rating by {c.by}")
    elif isinstance(c, cmd.RecordInsight):
        yield from _people(ctx, c.contributors, "an insight crediting its representative")
    elif isinstance(c, cmd.HoldSession):
        yield from _people(ctx, c.attendees, "a session its representative attends")
    elif isinstance(c, cmd.RecordConsensus):
        session = s.sessions.get(c.session)
        attendees = session.attendees if session is not None else ()
        yield from _people(ctx, attendees, f"the consensus of session {c.session}")


def _people(ctx: Context, ids: tuple[str, ...], why: str) -> Iterator[tuple[str | None, str]]:
    """The municipality of each known representative in ``ids`` (unknown ones: see refs)."""
    known = ctx.state.representatives
    for rep in ids:
        if rep in known:
            yield known[rep].municipality, why
