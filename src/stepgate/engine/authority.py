"""Who may issue a command: the secretariat runs it; a party speaks for itself.

stepgate has no user database: the host app says who the actor is. Each
command says who may issue it (``by``) and whose people or positions it
speaks for (``speaks_for``); this module holds the one check:

- the secretariat's commands (invite, start, close and open steps, submit,
  the steering group, milestones, facts) by the secretariat only;
- whatever speaks for a party — its positions, its representatives, a
  consultation with its unions, a rating or topic by its representative, an
  insight crediting one, a session one attends, a session's consensus — by
  that party's own actors or the secretariat;
- people of a party that is not a member of the region (a named party such as
  NAV Vestland's representative) are spoken for by the secretariat.
"""

from __future__ import annotations

from stepgate.errors import NotAllowed
from stepgate.model.commands import SECRETARIAT, Command
from stepgate.model.context import Context
from stepgate.model.values import Actor


def authorise(ctx: Context, command: Command, actor: Actor) -> None:
    """Raise NotAllowed unless ``actor`` may issue ``command`` (in ``ctx``); changes nothing."""
    state = ctx.state
    action = command.action.replace("_", " ")
    if command.issued_by == SECRETARIAT and not actor.secretariat:
        raise NotAllowed(
            nn=f"aktøren {actor.id!r} kan ikkje køyre «{command.action}» i {state.key!r}: "
            "berre sekretariatet driv utgreiinga",
            en=f"actor {actor.id!r} may not {action} in {state.key!r}: "
            "only the secretariat runs the investigation",
        )
    if actor.secretariat:
        return
    for party, why in command.speaks_for(ctx):
        if party is None:
            raise NotAllowed(
                nn=f"aktøren {actor.id!r} kan ikkje køyre «{command.action}» i {state.key!r}: "
                f"{why.nn} talar for ein part som ikkje er ein kommune; det er sekretariatet "
                "som registrerer det",
                en=f"actor {actor.id!r} may not {action} in {state.key!r}: {why.en} speaks for a "
                "party that is not a municipality; the secretariat records it",
            )
        if not actor.may_act_for(party):
            name = state.name_of(party)
            raise NotAllowed(
                nn=f"aktøren {actor.id!r} kan ikkje handle på vegner av {name} ({party}) i "
                f"{state.key!r}: {why.nn} talar på vegner av {name}; berre aktørane til "
                f"{name} sjølv eller sekretariatet kan det",
                en=f"actor {actor.id!r} may not act for {name} ({party}) in {state.key!r}: "
                f"{why.en} speaks for it; only its own actors or the secretariat may",
            )
