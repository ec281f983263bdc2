"""The engine: commands in, events out, rules checked first, state as a fold.

``Engine(process)`` is pure: time (``at``) and actors come in as arguments,
ids are counted from the state, and nothing is read from a clock or a disk.
``explain`` returns every violation without changing anything; ``execute``
raises ``CommandRefused`` with the same list, or ``NotAllowed``, or returns
the recorded events after folding them into the state.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator

from stepgate import _events as ev
from stepgate import _handlers as handlers
from stepgate._commands import MUNICIPAL_ACTIONS, SECRETARIAT_ACTIONS, Command
from stepgate._errors import CommandRefused, InvalidValue, NotAllowed
from stepgate._machine import STATES, fire, possible
from stepgate._process import Process
from stepgate._rule import Context
from stepgate._state import InvestigationState, apply, new_investigation
from stepgate._values import Actor, Region, a_date, non_empty
from stepgate._violation import Violation


def _lifecycle_violation(state: InvestigationState, action: str) -> Violation:
    nn_label, en_label = STATES[state.lifecycle]
    return Violation(
        "lifecycle",
        f"«{action}» er ikkje mogleg når utgreiinga er i tilstanden {nn_label}",
        f"{action!r} is not possible while the investigation is in state {en_label!r}",
        (state.lifecycle,),
    )


class Engine:
    """Runs one process definition: explain, execute, replay."""

    def __init__(self, process: Process) -> None:
        self.process = process
        self.hash = process.definition_hash
        self._phases = tuple(p.name for p in process.phases)

    def context(self, state: InvestigationState, command: Command) -> Context:
        """What the rules see for ``command`` on ``state``."""
        ref = getattr(command, "municipality", None)
        number = handlers.resolve(state, ref) if isinstance(ref, str) else None
        return Context(state, command, self.process.policy, self._phases, number)

    def explain(self, state: InvestigationState, command: Command) -> list[Violation]:
        """Every violation that blocks ``command`` now; changes nothing."""
        return self._violations(self.context(state, command))

    def _violations(self, ctx: Context) -> list[Violation]:
        state, command = ctx.state, ctx.command
        found: list[Violation] = []
        if command.action not in possible(self.hash, state.lifecycle):
            found.append(_lifecycle_violation(state, command.action))
        invalid = [Violation("valid-command", nn, en) for nn, en in handlers.refs(ctx)]
        found += invalid
        if invalid or handlers.opts_out(command):
            # rules read resolved references; and no rule may block an opt-out (free-to-leave)
            return found
        for rule in self.process.rules_at(command.action):
            found += rule(ctx)
        return found

    @staticmethod
    def _authorise(ctx: Context, actor: Actor) -> None:
        action, state, number = ctx.command.action, ctx.state, ctx.municipality
        if action in SECRETARIAT_ACTIONS and not actor.secretariat:
            raise NotAllowed(
                f"actor {actor.id!r} may not {action.replace('_', ' ')} in {state.key!r}: "
                "only the secretariat runs the investigation"
            )
        if (action in MUNICIPAL_ACTIONS or action == "register_representative") and (
            number is not None and not actor.may_act_for(number)
        ):
            raise NotAllowed(
                f"actor {actor.id!r} may not act for {state.name_of(number)} ({number}) in "
                f"{state.key!r}: only its own actors or the secretariat may"
            )

    def execute(
        self, state: InvestigationState, command: Command, actor: Actor, at: dt.datetime
    ) -> list[ev.Recorded]:
        """Check, then fold the command's events into ``state``; return them as recorded."""
        ctx = self.context(state, command)
        self._authorise(ctx, actor)
        violations = self._violations(ctx)
        if violations:
            raise CommandRefused(command.action, state.key, violations)
        recorded: list[ev.Recorded] = []
        pending = handlers.events(ctx)
        while pending:
            event = pending.pop(0)
            recorded.append(self.apply(state, event, actor.id, at))
            if not pending:
                follow = handlers.reaction(state, ctx, event)
                if follow is not None:
                    pending.append(follow)
        return recorded

    def apply(
        self, state: InvestigationState, event: ev.Event, actor: str, at: dt.datetime
    ) -> ev.Recorded:
        """Record ``event`` as the next in ``state``'s log and fold it in."""
        recorded = ev.Recorded(state.version + 1, actor, at, event)
        self.fold(state, (event,))
        return recorded

    def create(
        self,
        *,
        key: str,
        title: str,
        region: Region,
        actor: Actor,
        at: dt.datetime,
        on: dt.date | str,
        service_area: str = "",
        mandate: str = "",
        ordered_on: dt.date | str | None = None,
        pilot: bool = False,
    ) -> tuple[InvestigationState, ev.Recorded]:
        """A new investigation in ``draft``, and its first event."""
        for what, value in (("investigation key", key), ("title", title)):
            non_empty(what)(None, None, value)
        if not actor.secretariat:
            raise NotAllowed(
                f"actor {actor.id!r} may not create investigations: only the secretariat may"
            )
        if not isinstance(region, Region):
            raise InvalidValue(f"region must be a stepgate.Region; got {region!r}")
        created = ev.Created(
            a_date(on),
            key,
            title,
            service_area or "",
            region.name,
            region.members,
            self.process.name,
            self.hash,
            mandate or title,
            None if ordered_on is None else a_date(ordered_on),
            pilot,
        )
        state = new_investigation(created)
        return state, ev.Recorded(1, actor.id, at, created)

    def migrate(
        self, state: InvestigationState, note: str, actor: Actor, at: dt.datetime
    ) -> ev.Recorded:
        """Record that ``state`` now runs this definition (the store checks who may)."""
        on = at.date()
        return self.apply(
            state, ev.DefinitionMigrated(on, state.definition_hash, self.hash, note), actor.id, at
        )

    def replay(
        self, log: Iterable[ev.Recorded], onto: InvestigationState | None = None
    ) -> InvestigationState:
        """The state from a whole log (the first event being ``Created``), or ``onto`` + ``log``.

        Each event's ``seq`` must follow on from the one before it.
        """
        start = 0 if onto is None else onto.version
        return self.fold(onto, _in_sequence(log, start))

    def fold(
        self, state: InvestigationState | None, events: Iterable[ev.Event]
    ) -> InvestigationState:
        """Fold the next ``events`` of a log into ``state`` (a new state when None).

        The lifecycle moves through the machine; everything else is ``_state.apply``.
        """
        events = iter(events)
        if state is None:
            first = next(events, None)
            if not isinstance(first, ev.Created):
                kind = "nothing" if first is None else repr(first.kind)
                raise InvalidValue(f"a log starts with 'created', not {kind}")
            state = new_investigation(first)
        apply(state, events, functools.partial(fire, self.hash))
        return state


def _in_sequence(log: Iterable[ev.Recorded], after: int) -> Iterator[ev.Event]:
    """The events of ``log``, checking that their ``seq`` counts on from ``after``."""
    for recorded in log:
        after += 1
        if recorded.seq != after:
            raise InvalidValue(
                f"event {after} is missing from the log: event {recorded.seq} follows {after - 1}"
            )
        yield recorded.event
