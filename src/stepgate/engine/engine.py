"""The engine: commands in, events out, rules checked first, state as a fold.

``Engine(process)`` compiles the process's lifecycle and keeps the commands
it has. It is pure: time (``at``) and actors come in as arguments, ids are
counted from the state, and nothing is read from a clock or a disk.
``explain`` returns every violation without changing anything; ``check``
raises ``NotAllowed`` or ``CommandRefused`` (with the same list) before
anything changes; ``commit`` folds the command's events, and what follows by
itself, into the state and returns them as recorded.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from typing import Any

from stepgate.engine import reactions
from stepgate.engine.authority import authorise
from stepgate.engine.machine import Lifecycle, fire, moves_of, possible, retrace
from stepgate.errors import CommandRefused, InvalidValue, NotAllowed
from stepgate.model import events as ev
from stepgate.model import fields as f
from stepgate.model import references
from stepgate.model.commands import COMMANDS, Command
from stepgate.model.commands.filing import filed_refs
from stepgate.model.context import Context
from stepgate.model.definition import FixedParties, SingleOrganisation
from stepgate.model.documents import documents as filed_documents
from stepgate.model.state import InvestigationState, apply, new_investigation
from stepgate.model.text import Text
from stepgate.model.values import Actor, Body, OwnBody, Region
from stepgate.model.violation import Violation
from stepgate.process.process import Process

_AN_ACTOR = "a stepgate.Actor, e.g. Actor('sogn-ko', secretariat=True)"
_EIN_AKTOR = "ein stepgate.Actor, t.d. Actor('sogn-ko', secretariat=True)"


def _before_creation(on: dt.date, created: dt.date) -> Text:
    """A command dated before the investigation was created: a record never reaches back."""
    return Text(
        f"kommandoen er datert {on}, før utgreiinga vart oppretta ({created}); "
        "dater opprettinga med on=…",
        f"the command is dated {on}, before the investigation was created ({created}); "
        "date the creation with on=…",
    )


def _lifecycle_violation(process: Process, state: InvestigationState, action: str) -> Violation:
    """The action is not possible in this state, the state named as the process says it."""
    key = f"state.{state.lifecycle}"
    nn_label, en_label = process.says(key, "nn"), process.says(key, "en")
    return Violation(
        "lifecycle",
        f"«{action}» er ikkje mogleg når utgreiinga er i tilstanden {nn_label}",
        f"{action!r} is not possible while the investigation is in state {en_label!r}",
        (state.lifecycle,),
    )


class Engine:
    """Runs one process definition: explain, check and commit commands, replay."""

    def __init__(self, process: Process) -> None:
        self.process: Process = f.instance(
            "process",
            process,
            Process,
            nn="ein stepgate.Process, t.d. stepgate.trust_reform()",
            en="a stepgate.Process, e.g. stepgate.trust_reform()",
        )
        self.hash = process.definition_hash
        self._phases = tuple(p.name for p in process.phases)
        self.commands = {
            action: cls
            for action, cls in COMMANDS.items()
            if cls.needs is None or cls.needs in process.features
        }
        self.lifecycle = Lifecycle.of(process, self.commands.values())
        self._move = functools.partial(fire, self.lifecycle)  # a command: through the machine
        self._retrace = functools.partial(retrace, moves_of(self.lifecycle))  # the record

    def context(self, state: InvestigationState, command: Command) -> Context:
        """What the rules and the command see for ``command`` on ``state``.

        A body the process neither has built in nor declares is refused here, naming
        the field, as a malformed value is where a command is made.
        """
        chosen = getattr(command, "body", None)
        if isinstance(chosen, OwnBody) and chosen not in self.process.own_bodies:
            several = "several" in self.process.features  # one party: no regional bodies
            built_in = [b.value for b in Body if several or b.at_home]
            known = ", ".join(built_in + sorted(self.process.own_bodies))
            raise InvalidValue(
                nn=f"ukjent organ {str(chosen)!r} for prosessen {self.process.name!r}; "
                f"gyldige val er: {known}",
                en=f"unknown body {str(chosen)!r} for process {self.process.name!r}; "
                f"expected one of: {known}",
            )
        ref = getattr(command, "municipality", None)
        party = state.resolve(ref) if isinstance(ref, str) else None
        p = self.process
        return Context(
            state, command, p.policy, self._phases, party, p.parties, p.gate, p.ending, p.bodies
        )

    def explain(self, state: InvestigationState, command: Command) -> list[Violation]:
        """Every violation that blocks ``command`` now; changes nothing."""
        return self._violations(self.context(state, command), command)

    def _violations(self, ctx: Context, command: Command) -> list[Violation]:
        state = ctx.state
        found: list[Violation] = []
        if command.action not in self.commands or command.action not in possible(
            self.lifecycle, state.lifecycle
        ):
            found.append(_lifecycle_violation(self.process, state, command.action))
        refs = [*command.refs(ctx), *filed_refs(ctx, getattr(command, "documents", ()))]
        if command.on < state.created_on:
            refs.append(_before_creation(command.on, state.created_on))
        invalid = [Violation("valid-command", said.nn, said.en) for said in refs]
        found += invalid
        if invalid or command.opts_out(ctx):
            # rules read resolved references; and no rule may block an opt-out (free-to-leave)
            return found
        for rule in self.process.rules_at(command.action):
            found += rule(ctx)
        return found

    def check(self, state: InvestigationState, command: Command, actor: Actor) -> Context:
        """The context for ``command``, or NotAllowed / CommandRefused. Changes nothing.

        ``ctx.command`` is ``command``: ``commit`` records its events.
        """
        if not isinstance(actor, Actor):
            raise f.refuse("actor", actor, nn=_EIN_AKTOR, en=_AN_ACTOR)
        if not isinstance(command, Command):
            raise f.refuse("command", command, nn="ein stepgate.Command", en="a stepgate.Command")
        ctx = self.context(state, command)
        authorise(ctx, command, actor)
        violations = self._violations(ctx, command)
        if violations:
            raise CommandRefused(command.action, state.key, violations)
        return ctx

    def execute(
        self, state: InvestigationState, command: Command, actor: Actor, at: dt.datetime
    ) -> list[ev.Recorded]:
        """Check, then fold the command's events into ``state``; return them as recorded.

        A refusal is raised before anything changes; once folding begins, ``state``
        is changed, so a caller that meets any error after ``check`` must reload it.
        """
        return self.commit(state, self.check(state, command, actor), actor, at)

    def commit(
        self, state: InvestigationState, ctx: Context, actor: Actor, at: dt.datetime
    ) -> list[ev.Recorded]:
        """Fold the events of the checked command ``ctx``, and what follows, into ``state``."""
        recorded: list[ev.Recorded] = []
        command = ctx.command
        assert isinstance(command, Command)
        pending = command.events(ctx)
        while pending:
            event = pending.pop(0)
            recorded.append(self.apply(state, event, actor, at))
            if not pending:
                follow = reactions.follow(state, ctx, event)
                if follow is not None:
                    pending.append(follow)
        return recorded

    def apply(
        self, state: InvestigationState, event: ev.Event, actor: Actor, at: dt.datetime
    ) -> ev.Recorded:
        """Record ``event`` as the next in ``state``'s log and fold it in."""
        recorded = ev.Recorded(state.version + 1, actor, at, event)
        apply(state, (event,), self._move)
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
        documents: Any = (),
        case_number: Any = None,
    ) -> tuple[InvestigationState, ev.Recorded]:
        """A new investigation in ``draft``, and its first event (with its documents and case)."""
        if not isinstance(actor, Actor):
            raise f.refuse("actor", actor, nn=_EIN_AKTOR, en=_AN_ACTOR)
        if not isinstance(region, Region):
            raise f.refuse("region", region, nn="ein stepgate.Region", en="a stepgate.Region")
        created = ev.Created(
            f.a_day("on", on),
            f.key(key),
            f.text("title", title, required=True),
            f.text("service_area", service_area),
            region.name,
            region.members,
            self.process.name,
            self.hash,
            f.text("mandate", mandate) or title,
            f.optional_day("ordered_on", ordered_on),
            f.flag("pilot", pilot),
            self._founders(region),
            filed_documents(documents),
            references.case_number(case_number),
        )
        if not actor.secretariat:
            raise NotAllowed(
                nn=f"aktøren {actor.id!r} kan ikkje opprette utgreiingar: berre sekretariatet "
                "kan det",
                en=f"actor {actor.id!r} may not create investigations: only the secretariat may",
            )
        state = new_investigation(created)
        return state, ev.Recorded(1, actor, at, created)

    def _founders(self, region: Region) -> tuple[str, ...]:
        """The parties that take part from the start, as the process's parties declare."""
        parties = self.process.parties
        ids = tuple(m.id for m in region.members)
        if isinstance(parties, SingleOrganisation):
            if len(ids) != 1:
                raise InvalidValue(
                    nn=f"prosessen {self.process.name!r} er for éin organisasjon åleine; "
                    f"{region.name!r} har {len(ids)} medlemer",
                    en=f"process {self.process.name!r} is for a single organisation; "
                    f"{region.name!r} has {len(ids)} members",
                )
            return ids
        if isinstance(parties, FixedParties):
            missing = [p for p in parties.required if p not in ids]
            if missing:
                raise InvalidValue(
                    nn=f"prosessen {self.process.name!r} krev partane {missing}, som ikkje "
                    f"er medlemer av {region.name!r}",
                    en=f"process {self.process.name!r} requires the parties {missing}, which "
                    f"are not members of {region.name!r}",
                )
            return ids
        return ()

    def migrate(
        self, state: InvestigationState, note: str, actor: Actor, at: dt.datetime
    ) -> ev.Recorded:
        """Record that ``state`` now runs this definition (the store checks who may)."""
        on = at.date()
        note = f.text("migration note", note, required=True)
        return self.apply(
            state, ev.DefinitionMigrated(on, state.definition_hash, self.hash, note), actor, at
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
        self,
        state: InvestigationState | None,
        events: Iterable[ev.Event],
        *,
        history: bool = False,
    ) -> InvestigationState:
        """Fold the next ``events`` of a log into ``state`` (a new state when None).

        The lifecycle repeats the machine's moves (``retrace``: these events were
        checked when recorded); everything else is ``state.apply``.
        A new state keeps the whole history when ``history`` (reports, ``as_of``);
        otherwise it is the working state commands need.
        """
        events = iter(events)
        if state is None:
            first = next(events, None)
            if not isinstance(first, ev.Created):
                kind = "nothing" if first is None else repr(first.kind)
                raise InvalidValue(
                    nn="ein logg startar med 'created', men denne er tom"
                    if first is None
                    else f"ein logg startar med 'created', ikkje med {kind}",
                    en=f"a log starts with 'created', not {kind}",
                )
            state = new_investigation(first, history=history)
        apply(state, events, self._retrace)
        return state


def _in_sequence(log: Iterable[ev.Recorded], after: int) -> Iterator[ev.Event]:
    """The events of ``log``, checking that their ``seq`` counts on from ``after``."""
    for recorded in log:
        after += 1
        if recorded.seq != after:
            raise InvalidValue(
                nn=f"hending {after} manglar i loggen: hending {recorded.seq} kjem etter "
                f"{after - 1}",
                en=f"event {after} is missing from the log: event {recorded.seq} follows "
                f"{after - 1}",
            )
        yield recorded.event
