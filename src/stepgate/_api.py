"""The facade users touch: a store of investigations, and one investigation's commands.

``Investigation`` wraps a state and the store: each command method builds a
command value, the engine checks and folds it, and the store records the
events in one transaction (or nothing, and the state is reloaded). ``explain``
asks the same question without changing anything.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import attrs

from stepgate import _commands as cmd
from stepgate import _events as ev
from stepgate._clock import Clock, SystemClock
from stepgate._engine import Engine
from stepgate._errors import (
    ConcurrencyConflict,
    DefinitionChanged,
    InvalidValue,
    NotAllowed,
    StepgateError,
)
from stepgate._process import Process
from stepgate._rules_topics import earliness
from stepgate._serial import state_to_dict
from stepgate._signals import signals
from stepgate._state import InvestigationState
from stepgate._store import Audit, SQLiteBackend, Summary, Verification
from stepgate._values import Actor, Region
from stepgate._violation import Signal, Violation

T = TypeVar("T")


@attrs.define
class Store:
    """Investigations and their durable record. Open one with ``open_store(path)``."""

    backend: SQLiteBackend
    clock: Clock = attrs.Factory(SystemClock)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self.backend.close()

    def create(
        self,
        process: Process,
        *,
        key: str,
        title: str,
        region: Region,
        actor: Actor,
        on: dt.date | str | None = None,
        service_area: str = "",
        mandate: str = "",
        ordered_on: dt.date | str | None = None,
        pilot: bool = False,
    ) -> Investigation:
        """Set up a new investigation in ``draft``; ``actor`` becomes the default actor."""
        engine = Engine(process)
        at = self.clock.now()
        state, first = engine.create(
            key=key,
            title=title,
            region=region,
            actor=actor,
            at=at,
            on=at.date() if on is None else on,
            service_area=service_area,
            mandate=mandate,
            ordered_on=ordered_on,
            pilot=pilot,
        )
        self.backend.add(state, first)
        return Investigation(self, engine, state, actor)

    def load(
        self,
        key: str,
        process: Process,
        *,
        actor: Actor | None = None,
        migrate: str | None = None,
    ) -> Investigation:
        """The investigation ``key``, run by ``process``.

        If the process definition changed since the investigation was created,
        this raises ``DefinitionChanged`` unless ``migrate`` says why the change
        is taken on; the migration is then recorded as an event by ``actor``.
        """
        engine = Engine(process)
        state = self.backend.load(key, engine)
        inv = Investigation(self, engine, state, actor)
        if state.definition_hash != engine.hash:
            if migrate is None:
                raise DefinitionChanged(
                    f"{key!r} was created with definition {state.definition_hash} of "
                    f"{state.process!r}, and {process.name!r} is now {engine.hash}; pass "
                    "migrate='why' (and a secretariat actor) to take the change on record"
                )
            inv.migrate(migrate, actor=actor)
        return inv

    def keys(self) -> list[str]:
        """The keys of every investigation in the store."""
        return self.backend.keys()

    def summaries(self, *, open_only: bool = False, limit: int | None = None) -> list[Summary]:
        """Investigations, most recently active first."""
        return self.backend.summaries(open_only=open_only, limit=limit)

    def summary(self, key: str) -> Summary:
        """One investigation's summary (state, version, head hash) by key."""
        return self.backend.summary(key)

    def audit(self, key: str, process: Process) -> Audit:
        """Rebuild ``key`` from its events alone while checking its hash chain (no snapshot)."""
        return self.backend.audit(key, Engine(process))

    def verify(self) -> Verification:
        """Walk every hash chain; ``ok`` is True when the whole record is intact."""
        return self.backend.verify()

    def with_retry(
        self,
        key: str,
        process: Process,
        action: Callable[[Investigation], T],
        *,
        actor: Actor,
        attempts: int = 30,
    ) -> T:
        """Run ``action`` on a freshly loaded investigation; on a conflict, reload and retry.

        Between attempts it waits a short, random, growing while (at most 50 ms), so
        that writers who collided do not collide again in step.
        """
        for attempt in range(1, attempts + 1):
            inv = self.load(key, process, actor=actor)
            try:
                return action(inv)
            except ConcurrencyConflict:
                if attempt == attempts:
                    raise
                time.sleep(random.uniform(0, min(0.05, 0.001 * 2**attempt)))  # noqa: S311
        raise AssertionError("unreachable")  # pragma: no cover


def _today(clock: Clock) -> dt.date:
    return clock.now().date()


class Investigation:
    """One investigation: run its commands, explain them, read its state and record."""

    def __init__(
        self, store: Store, engine: Engine, state: InvestigationState, actor: Actor | None
    ) -> None:
        self._store = store
        self._engine = engine
        self._state = state
        self.actor = actor

    def __repr__(self) -> str:
        return f"<Investigation {self.key!r} {self.lifecycle} v{self.version}>"

    @property
    def key(self) -> str:
        """The investigation's key."""
        return self._state.key

    @property
    def state(self) -> InvestigationState:
        """The current state. Read it; change it only through commands."""
        return self._state

    @property
    def lifecycle(self) -> str:
        """The lifecycle state: draft, mandate, insight, anchoring, … concluded, stopped."""
        return self._state.lifecycle

    @property
    def version(self) -> int:
        """The sequence number of the last event."""
        return self._state.version

    @property
    def process(self) -> Process:
        """The process definition this investigation runs."""
        return self._engine.process

    @property
    def participants(self) -> tuple[str, ...]:
        """Kommunenummer of the participants, in region order."""
        return self._state.active

    @property
    def head_hash(self) -> str:
        """The hash at the head of the record, for the minutes of a meeting."""
        return self._store.summary(self.key).head_hash

    @property
    def events(self) -> list[ev.Recorded]:
        """The whole record, in order."""
        return self._store.backend.log(self.key)

    def snapshot(self) -> dict[str, Any]:
        """The whole state as plain data; two states are equal when their snapshots are."""
        return state_to_dict(self._state)

    def earliness(self) -> float:
        """How early the topics were raised, weighted by difficulty (1.0 = all in step 1)."""
        return earliness(self._state)

    def signals(self, today: dt.date | None = None) -> list[Signal]:
        """Soft signals (overdue milestones, slow reaction) as seen on ``today``."""
        day = today or _today(self._store.clock)
        return signals(self._state, self._engine.process.policy, day)

    def migrate(self, note: str, *, actor: Actor | None = None) -> list[ev.Recorded]:
        """Take a changed process definition on record (secretariat only)."""
        who = actor or self.actor
        if who is None or not who.secretariat:
            raise NotAllowed("only the secretariat may migrate an investigation's definition")
        expected = self._state.version
        recorded = [self._engine.migrate(self._state, note, who, self._store.clock.now())]
        self._store.backend.append(self._state, expected, recorded)
        return recorded

    def reload(self) -> None:
        """Read the state again from the store."""
        self._state = self._store.backend.load(self.key, self._engine)

    def build(self, action: str, **fields: Any) -> cmd.Command:
        """The command value for ``action`` with ``fields`` (``on`` defaults to today)."""
        kind = cmd.COMMANDS.get(action)
        if kind is None:
            known = ", ".join(sorted(cmd.COMMANDS))
            raise InvalidValue(f"unknown action {action!r}; actions: {known}")
        fields.setdefault("on", _today(self._store.clock))
        try:
            return kind(**fields)
        except TypeError as error:
            raise InvalidValue(f"{action}: {error}") from None

    def explain(self, action: str | cmd.Command, **fields: Any) -> list[Violation]:
        """Every violation that blocks ``action`` now. Changes nothing."""
        command = action if isinstance(action, cmd.Command) else self.build(action, **fields)
        return self._engine.explain(self._state, command)

    def run(self, command: cmd.Command, *, actor: Actor | None = None) -> list[ev.Recorded]:
        """Run ``command`` as ``actor``: all its events are recorded, or none."""
        who = actor or self.actor
        if who is None:
            raise InvalidValue("every command needs an actor; pass actor=… or load with one")
        expected = self._state.version
        try:
            recorded = self._engine.execute(self._state, command, who, self._store.clock.now())
            self._store.backend.append(self._state, expected, recorded)
        except StepgateError:
            if self._state.version != expected:
                self.reload()  # the record refused what the engine folded in: start over
            raise
        return recorded

    def _do(
        self, kind: Callable[..., cmd.Command], actor: Actor | None, **fields: Any
    ) -> list[ev.Recorded]:
        if fields.get("on") is None:
            fields["on"] = _today(self._store.clock)
        return self.run(kind(**fields), actor=actor)

    # --- the commands, in the order of the lifecycle -----------------------------------

    def set_milestone(
        self,
        name: str,
        due: dt.date | str,
        *,
        phase: str | None = None,
        on: Any = None,
        actor: Actor | None = None,
    ) -> list[ev.Recorded]:
        """Set the due date of a milestone (a phase's milestone when ``phase`` is given)."""
        return self._do(cmd.SetMilestone, actor, name=name, due=due, phase=phase, on=on)

    def reach_milestone(
        self, name: str, *, on: Any = None, actor: Actor | None = None
    ) -> list[ev.Recorded]:
        """Mark a milestone that is not a phase's as reached."""
        return self._do(cmd.ReachMilestone, actor, name=name, on=on)

    def revise_mandate(
        self, text: str, *, on: Any = None, actor: Actor | None = None
    ) -> list[ev.Recorded]:
        """Publish a new mandate version; participants must anchor it again."""
        return self._do(cmd.ReviseMandate, actor, text=text, on=on)

    def invite(
        self,
        *,
        municipalities: Sequence[str] | None = None,
        answer_by: Any = None,
        on: Any = None,
        actor: Actor | None = None,
    ) -> list[ev.Recorded]:
        """Invite the members of the region (all unless ``municipalities`` is given)."""
        return self._do(
            cmd.Invite, actor, municipalities=municipalities, answer_by=answer_by, on=on
        )

    def anchor_mandate(
        self,
        municipality: str,
        *,
        body: str,
        outcome: str = "endorsed",
        case_ref: str = "",
        exemption: str | None = None,
        public: bool = True,
        version: int | None = None,
        on: Any = None,
        actor: Actor | None = None,
    ) -> list[ev.Recorded]:
        """Record a municipality's position on the mandate: it joins when it endorses."""
        return self._do(
            cmd.AnchorMandate,
            actor,
            municipality=municipality,
            body=body,
            outcome=outcome,
            case_ref=case_ref,
            exemption=exemption,
            public=public,
            version=version,
            on=on,
        )

    def opt_out(
        self,
        municipality: str,
        *,
        body: str | None = None,
        case_ref: str = "",
        reason: str = "",
        on: Any = None,
        actor: Actor | None = None,
    ) -> list[ev.Recorded]:
        """Record that a municipality opts out. Never blocked in a live investigation."""
        return self._do(
            cmd.OptOut,
            actor,
            municipality=municipality,
            body=body,
            case_ref=case_ref,
            reason=reason,
            on=on,
        )

    def register_representative(
        self,
        name: str,
        role: str,
        *,
        municipality: str | None = None,
        party: str = "",
        on: Any = None,
        actor: Actor | None = None,
    ) -> str:
        """Register a representative; returns its id (R1, R2, …)."""
        recorded = self._do(
            cmd.RegisterRepresentative,
            actor,
            name=name,
            role=role,
            municipality=municipality,
            party=party,
            on=on,
        )
        return _id_of(recorded)

    def record_fact(
        self, name: str, value: str = "yes", *, on: Any = None, actor: Actor | None = None
    ) -> list[ev.Recorded]:
        """Record a named fact for a process's own rules (e.g. ``working-method-clarified``)."""
        return self._do(cmd.RecordFact, actor, name=name, value=value, on=on)

    def register_topic(
        self,
        title: str,
        difficulty: int,
        *,
        by: str = "",
        session: str | None = None,
        on: Any = None,
        actor: Actor | None = None,
    ) -> str:
        """Register a topic with its first rating; returns its id (T1, T2, …)."""
        recorded = self._do(
            cmd.RegisterTopic,
            actor,
            title=title,
            difficulty=difficulty,
            by=by,
            session=session,
            on=on,
        )
        return _id_of(recorded)

    def rate_topic(
        self,
        topic: str,
        difficulty: int,
        *,
        by: str = "",
        session: str | None = None,
        on: Any = None,
        actor: Actor | None = None,
    ) -> list[ev.Recorded]:
        """Rate a topic; its difficulty becomes the maximum of the ratings."""
        return self._do(
            cmd.RateTopic, actor, topic=topic, difficulty=difficulty, by=by, session=session, on=on
        )

    def record_consensus(
        self,
        topic: str,
        difficulty: int,
        *,
        session: str,
        on: Any = None,
        actor: Actor | None = None,
    ) -> list[ev.Recorded]:
        """Record a session's consensus on a topic's difficulty (the only way to lower it)."""
        return self._do(
            cmd.RecordConsensus, actor, topic=topic, difficulty=difficulty, session=session, on=on
        )

    def start(
        self, question: str, *, phase: str | None = None, on: Any = None, actor: Actor | None = None
    ) -> list[ev.Recorded]:
        """Start the investigation: step 1 opens."""
        return self._do(cmd.Start, actor, question=question, phase=phase, on=on)

    def hold_session(
        self, title: str, attendees: Sequence[str], *, on: Any = None, actor: Actor | None = None
    ) -> str:
        """Hold a work session in the open step; returns its id (S1, S2, …)."""
        recorded = self._do(cmd.HoldSession, actor, title=title, attendees=attendees, on=on)
        return _id_of(recorded)

    def record_insight(
        self,
        session: str,
        text: str,
        *,
        topics: Sequence[str] = (),
        contributors: Sequence[str] = (),
        on: Any = None,
        actor: Actor | None = None,
    ) -> str:
        """Record an insight from a session; returns its id (I1, I2, …)."""
        recorded = self._do(
            cmd.RecordInsight,
            actor,
            session=session,
            text=text,
            topics=topics,
            contributors=contributors,
            on=on,
        )
        return _id_of(recorded)

    def record_consultation(
        self, municipality: str, *, note: str = "", on: Any = None, actor: Actor | None = None
    ) -> list[ev.Recorded]:
        """Record a consultation (drøfting) with a municipality's unions in the open step."""
        return self._do(cmd.RecordConsultation, actor, municipality=municipality, note=note, on=on)

    def close_step(self, *, on: Any = None, actor: Actor | None = None) -> list[ev.Recorded]:
        """Close the open step for its political anchoring gate."""
        return self._do(cmd.CloseStep, actor, on=on)

    def anchor_step(
        self,
        municipality: str,
        *,
        body: str,
        outcome: str = "endorsed",
        case_ref: str = "",
        exemption: str | None = None,
        public: bool = True,
        urgency: str | None = None,
        on: Any = None,
        actor: Actor | None = None,
    ) -> list[ev.Recorded]:
        """Record a municipality's political anchoring of the closed step."""
        return self._do(
            cmd.AnchorStep,
            actor,
            municipality=municipality,
            body=body,
            outcome=outcome,
            case_ref=case_ref,
            exemption=exemption,
            public=public,
            urgency=urgency,
            on=on,
        )

    def open_step(
        self,
        question: str,
        *,
        builds_on: Sequence[str] = (),
        phase: str | None = None,
        on: Any = None,
        actor: Actor | None = None,
    ) -> list[ev.Recorded]:
        """Open the next step, citing the insights it builds on."""
        return self._do(
            cmd.OpenStep, actor, question=question, builds_on=builds_on, phase=phase, on=on
        )

    def submit(
        self,
        summary: str,
        *,
        cooperation_model: str = "",
        on: Any = None,
        actor: Actor | None = None,
    ) -> list[ev.Recorded]:
        """Submit the decision basis to the steering group."""
        return self._do(
            cmd.SubmitDecisionBasis,
            actor,
            summary=summary,
            cooperation_model=cooperation_model,
            on=on,
        )

    def steering_decision(
        self,
        outcome: str,
        *,
        case_ref: str = "",
        exemption: str | None = None,
        public: bool = True,
        on: Any = None,
        actor: Actor | None = None,
    ) -> list[ev.Recorded]:
        """Record the steering group's decision: approve, send_back or stop."""
        return self._do(
            cmd.SteeringGroupDecision,
            actor,
            outcome=outcome,
            case_ref=case_ref,
            exemption=exemption,
            public=public,
            on=on,
        )

    def council_decision(
        self,
        municipality: str,
        outcome: str,
        *,
        body: str = "kommunestyre",
        case_ref: str = "",
        exemption: str | None = None,
        public: bool = True,
        on: Any = None,
        actor: Actor | None = None,
    ) -> list[ev.Recorded]:
        """Record a kommunestyre's decision: approve or send_back."""
        return self._do(
            cmd.CouncilDecision,
            actor,
            municipality=municipality,
            outcome=outcome,
            body=body,
            case_ref=case_ref,
            exemption=exemption,
            public=public,
            on=on,
        )


def _id_of(recorded: list[ev.Recorded]) -> str:
    return str(recorded[0].event.id)  # type: ignore[attr-defined]


def open_store(
    path: str | os.PathLike[str] = ":memory:",
    *,
    clock: Clock | None = None,
    read_only: bool = False,
) -> Store:
    """Open (or create) a store in an SQLite file; ``":memory:"`` keeps it in memory."""
    return Store(SQLiteBackend(os.fspath(path), read_only=read_only), clock or SystemClock())
