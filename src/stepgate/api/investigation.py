"""One investigation: run its commands, explain them, read its state and its record.

``Investigation`` holds a state that always equals the record: each command is
checked by the engine (a refusal changes nothing), folded into the state and
appended by the store in one transaction. If anything fails after the fold —
the store refused, another writer got there first, a value could not be
stored, the process was interrupted — the object reloads from the record (or,
if the record cannot be read just then, reloads before it is next used), so it
is never ahead of or beside what was written. Its commands are serialised, so
threads may share one object; a host app usually loads one per request.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, Required, TypedDict

from typing_extensions import Unpack

from stepgate.api.clock import Clock
from stepgate.api.documents import Document
from stepgate.api.reading import AsOf, Reading, as_of_value
from stepgate.engine.engine import Engine
from stepgate.errors import CommandRefused, InvalidValue, NotAllowed
from stepgate.model import commands as cmd
from stepgate.model import events as ev
from stepgate.model import fields as f
from stepgate.model.documents import FiledDocument
from stepgate.model.exemptions import Exemption
from stepgate.model.references import CaseNumber, MeetingItem, RegistryEntry
from stepgate.model.state import InvestigationState
from stepgate.model.values import Actor
from stepgate.model.violation import Violation
from stepgate.store.backend import Backend

log = logging.getLogger(__name__)

Day = dt.date | str | None
"""A business date as a method takes it: a ``date`` or ISO text (``on`` left out: today)."""


class Given(TypedDict, total=False):
    """What every command method takes besides its command's own fields."""

    on: Day
    """The business date (a ``date``, ``2024-03-11`` or ``11.03.2024``); left out: today."""
    actor: Actor | None
    """Who issues it; left out: the actor the investigation was loaded with."""


class WithDocuments(Given, total=False):
    """A command that may file documents (a session's protokoll, the decision basis, …)."""

    documents: Sequence[Document]
    """Documents filed with it (``stepgate.Document``); their checksums go into the record."""


class Filed(WithDocuments, total=False):
    """A position or a decision: its documents, archive references and screening."""

    registry_entry: RegistryEntry | str | None
    """The archive's registry entry (journalpost), e.g. ``RegistryEntry("24/112-3")``."""
    meeting: MeetingItem | None
    """The meeting item it was decided under, e.g. ``MeetingItem(body=…, item="PS 15/24")``."""
    exemption: str | Exemption | None
    """Its screening: a ground of offentleglova (``Exemption("offl. § 14")``); None: public."""
    public: bool
    """False when it is not public (then ``exemption`` names why)."""
    case_ref: str
    """Deprecated free-text reference: give ``registry_entry`` and ``meeting``."""


class Rating(Given, total=False):
    """A rating of a topic's difficulty."""

    by: str
    """Who rated it (a participant's name); left out: nobody named."""
    session: str | None
    """The session it was rated in (its id), if any."""


class Position(Filed, total=False):
    """A municipality's position at home, on the mandate or on a step."""

    body: Required[str]
    """The body that took it: ``council``, ``executive``, … or one the process declares."""
    outcome: str
    """``endorsed`` (left out), ``rejected``, ``sent_back`` or ``deferred``."""


class OnMandate(Position, total=False):
    """A position on the mandate."""

    version: int | None
    """The version of the mandate it was taken on; left out: the one in force."""


class OnStep(Position, total=False):
    """A position on the closed step, at its gate."""

    urgency: str | None
    """The urgency basis when the mayor decides alone, e.g. ``kommunelova § 11-8``."""


class Home(Protocol):
    """What an investigation needs from the store it lives in (``Store`` is one)."""

    backend: Backend
    clock: Clock

    def file(self, documents: Any) -> tuple[FiledDocument, ...]:
        """Stage documents' bytes; what the record will hold of them."""

    def staged(self, documents: Any) -> dict[str, Any]:
        """The staged bytes of ``documents``, by SHA-256."""

    def let_go(self, documents: Any) -> None:
        """Let go of the staged bytes of ``documents``."""


def now(clock: Clock) -> dt.datetime:
    """The time ``clock`` tells, which must be an aware datetime (it goes into the record)."""
    at = clock.now()
    if not isinstance(at, dt.datetime) or at.tzinfo is None:
        raise f.refuse(
            "the store clock's time",
            at,
            nn="ein datetime med tidssone (UTC)",
            en="an aware datetime (UTC)",
        )
    return at


class Investigation(Reading):
    """One investigation: run its commands, explain them, read its state and record."""

    def __init__(
        self,
        store: Home,
        engine: Engine,
        state: InvestigationState,
        head: str,
        actor: Actor | None,
    ) -> None:
        self._store = store
        self._engine = engine
        self._state = state
        self._head: str | None = head
        self._stale = False
        self._lock = threading.RLock()
        self.actor = actor
        self.changed: Exception | None = None  # the process changed since: read only

    def __repr__(self) -> str:
        return f"<Investigation {self.key!r} {self.lifecycle} v{self.version}>"

    @property
    def _backend(self) -> Backend:  # type: ignore[override]
        return self._store.backend

    @property
    def key(self) -> str:
        """The investigation's key (it never changes: no reload is needed to tell it)."""
        return self._state.key

    @property
    def state(self) -> InvestigationState:
        """The current state, as recorded. Read it; change it only through commands."""
        if self._stale:
            self.reload()
        return self._state

    @property
    def head_hash(self) -> str:
        """The hash at the head of this investigation's chain, for the minutes of a meeting.

        It is the hash of the last event of the state held here: computed from the
        events when the investigation was loaded verified, and by each command.
        """
        self.state  # noqa: B018 - reload first if a failed command left this behind
        if self._head is None:  # a command waits in a batch: its hash is made when written
            self._head = self._store.backend.head_hash(self.key)
        return self._head

    @property
    def events(self) -> list[ev.Recorded]:
        """The whole record, in order, its chain checked as it is read."""
        return self._store.backend.log(self.key)

    def today(self) -> dt.date:
        """The store clock's day."""
        return self._now().date()

    def as_of(self, when: dt.date | str | int) -> AsOf:
        """The investigation as its record stood at a business date or a version; read only.

        ``when`` is a business date (a ``date`` or ISO text: every event dated on
        or before it, see ``stepgate.api.reading``) or a version (an ``int`` or
        ``"v12"``: the record as it stood after that event). The record is read
        with its chain checked.
        """
        point = as_of_value(when)
        return AsOf(self._store.backend, self._engine, self.events, point)

    def reload(self) -> None:
        """Read the state again from the record."""
        with self._lock:
            self._state, self._head = self._store.backend.load(self.key, self._engine)
            self._stale = False

    def _forget(self) -> None:
        """What was recorded here was rolled back: read the record again before next use."""
        self._stale = True

    def _now(self) -> dt.datetime:
        return now(self._store.clock)

    def _actor(self, actor: Actor | None) -> Actor:
        who = actor if actor is not None else self.actor
        if who is None:
            raise InvalidValue(
                nn="kvar kommando treng ein aktør; gje actor=… eller last utgreiinga med ein",
                en="every command needs an actor; pass actor=… or load with one",
            )
        return f.instance(  # type: ignore[no-any-return]
            "actor",
            who,
            Actor,
            nn="ein stepgate.Actor, t.d. Actor('sogn-ko', secretariat=True)",
            en="a stepgate.Actor, e.g. Actor('sogn-ko', secretariat=True)",
        )

    def _record(
        self,
        make: Callable[[InvestigationState, dt.datetime], list[ev.Recorded]],
        *,
        blobs: Mapping[str, Any] | None = None,
    ) -> list[ev.Recorded]:
        """Fold what ``make`` makes and append it; on any failure, come back to the record."""
        with self._lock:
            state = self.state
            expected = state.version
            at = self._now()
            try:
                recorded = make(state, at)
                self._head = self._store.backend.append(
                    state, expected, recorded, on_rollback=self._forget, blobs=blobs
                )
            except BaseException:
                self._stale = True
                with contextlib.suppress(Exception):
                    self._store.backend.spoiled(state)  # no snapshot of a half-made command
                with contextlib.suppress(Exception):
                    self.reload()  # if the record cannot be read now, the next use reloads
                raise
        return recorded

    def migrate(self, note: str, *, actor: Actor | None = None) -> list[ev.Recorded]:
        """Take a changed process definition on record (secretariat only)."""
        who = self._actor(actor)
        if not who.secretariat:
            raise NotAllowed(
                nn="berre sekretariatet kan migrere definisjonen til ei utgreiing",
                en="only the secretariat may migrate an investigation's definition",
            )
        recorded = self._record(lambda state, at: [self._engine.migrate(state, note, who, at)])
        self.changed = None
        return recorded

    def build(self, action: str, **fields: Any) -> cmd.Command:
        """The command value for ``action`` with ``fields`` (``on`` defaults to today)."""
        kind = cmd.COMMANDS.get(action) if isinstance(action, str) else None
        if kind is None:
            known = ", ".join(sorted(cmd.COMMANDS))
            raise InvalidValue(
                nn=f"ukjend handling {action!r}; handlingar: {known}",
                en=f"unknown action {action!r}; actions: {known}",
            )
        if fields.get("on") is None:
            fields["on"] = self.today()
        _warn_case_ref(fields, stacklevel=3)
        if fields.get("documents"):
            fields["documents"] = self._store.file(fields["documents"])
        return kind.make(**fields)

    def explain(self, action: str | cmd.Command, **fields: Any) -> list[Violation]:
        """Every violation that blocks ``action`` now. Changes nothing."""
        command = action if isinstance(action, cmd.Command) else self.build(action, **fields)
        return self._engine.explain(self.state, command)

    def run(self, command: cmd.Command, *, actor: Actor | None = None) -> list[ev.Recorded]:
        """Run ``command`` as ``actor``: all its events are recorded, or none.

        A refusal (``CommandRefused``, ``NotAllowed``) changes nothing; any other
        failure leaves this object equal to the record.
        """
        if self.changed is not None:
            raise self.changed
        who = self._actor(actor)
        with self._lock:
            try:
                ctx = self._engine.check(self.state, command, who)
            except CommandRefused as refused:
                log.info(
                    "%s refused in %r (%s)", command.action, self.key, ", ".join(refused.rules)
                )
                raise
            except NotAllowed:
                log.info("%s not allowed in %r for actor %r", command.action, self.key, who.id)
                raise
            blobs = self._store.staged(getattr(command, "documents", ()))
            recorded = self._record(
                lambda state, at: self._engine.commit(state, ctx, who, at), blobs=blobs
            )
        log.debug(
            "%s in %r by %r: %d event(s), version %d",
            command.action,
            self.key,
            who.id,
            len(recorded),
            recorded[-1].seq if recorded else self.version,
        )
        return recorded

    def _do(self, kind: type[cmd.Command], **fields: Any) -> list[ev.Recorded]:
        """Make command ``kind`` of ``fields`` (those left out take the command's defaults;
        ``on`` is today) and run it as ``actor``, filing its documents' bytes first."""
        actor = fields.pop("actor", None)
        if fields.get("on") is None:
            fields["on"] = self.today()
        _warn_case_ref(fields, stacklevel=4)
        documents = fields.get("documents")
        if not documents:
            return self.run(kind.make(**fields), actor=actor)
        fields["documents"] = filed = self._store.file(documents)
        try:
            return self.run(kind.make(**fields), actor=actor)
        finally:
            self._store.let_go(filed)

    # --- the case file ------------------------------------------------------------------

    def add_document(
        self,
        documents: Document | Sequence[Document],
        *,
        step: int | None = None,
        municipality: str | None = None,
        **given: Unpack[Given],
    ) -> list[ev.Recorded]:
        """File documents afterwards: to the investigation, a step, or a party's position at
        a step (``step`` and ``municipality``). A new version of a document names the one it
        ``replaces``; nothing is ever overwritten."""
        filed = [documents] if isinstance(documents, Document) else documents
        return self._do(
            cmd.AddDocument, documents=filed, step=step, municipality=municipality, **given
        )

    def set_case_number(
        self, case_number: CaseNumber | str, **given: Unpack[Given]
    ) -> list[ev.Recorded]:
        """Record the archive's case number for the investigation (saksmappe, e.g. 24/112)."""
        return self._do(cmd.SetCaseNumber, case_number=case_number, **given)

    # --- the commands, in the order of the lifecycle -----------------------------------

    def set_milestone(
        self, name: str, due: dt.date | str, *, phase: str | None = None, **given: Unpack[Given]
    ) -> list[ev.Recorded]:
        """Set the due date of a milestone (a phase's milestone when ``phase`` is given)."""
        return self._do(cmd.SetMilestone, name=name, due=due, phase=phase, **given)

    def reach_milestone(self, name: str, **given: Unpack[Given]) -> list[ev.Recorded]:
        """Mark a milestone that is not a phase's as reached."""
        return self._do(cmd.ReachMilestone, name=name, **given)

    def revise_mandate(self, text: str, **given: Unpack[WithDocuments]) -> list[ev.Recorded]:
        """Publish a new mandate version (the signed text in ``documents``); participants must
        anchor it again."""
        return self._do(cmd.ReviseMandate, text=text, **given)

    def invite(
        self,
        *,
        municipalities: Sequence[str] | None = None,
        answer_by: Day = None,
        **given: Unpack[Given],
    ) -> list[ev.Recorded]:
        """Invite the members of the region (all unless ``municipalities`` is given)."""
        return self._do(cmd.Invite, municipalities=municipalities, answer_by=answer_by, **given)

    def anchor_mandate(self, municipality: str, **given: Unpack[OnMandate]) -> list[ev.Recorded]:
        """Record a municipality's position on the mandate: it joins when it endorses."""
        return self._do(cmd.AnchorMandate, municipality=municipality, **given)

    def opt_out(
        self,
        municipality: str,
        *,
        body: str | None = None,
        reason: str = "",
        **given: Unpack[Filed],
    ) -> list[ev.Recorded]:
        """Record that a municipality opts out. Never blocked in a live investigation."""
        return self._do(cmd.OptOut, municipality=municipality, body=body, reason=reason, **given)

    def register_representative(
        self,
        name: str,
        role: str,
        *,
        municipality: str | None = None,
        party: str = "",
        **given: Unpack[Given],
    ) -> str:
        """Register a representative; returns its id (R1, R2, …)."""
        return _id_of(
            self._do(
                cmd.RegisterRepresentative,
                name=name,
                role=role,
                municipality=municipality,
                party=party,
                **given,
            )
        )

    def record_fact(
        self, name: str, value: str = "yes", **given: Unpack[Given]
    ) -> list[ev.Recorded]:
        """Record a named fact for a process's own rules (e.g. ``working-method-clarified``)."""
        return self._do(cmd.RecordFact, name=name, value=value, **given)

    def register_topic(self, title: str, difficulty: int, **given: Unpack[Rating]) -> str:
        """Register a topic with its first rating; returns its id (T1, T2, …)."""
        return _id_of(self._do(cmd.RegisterTopic, title=title, difficulty=difficulty, **given))

    def rate_topic(self, topic: str, difficulty: int, **given: Unpack[Rating]) -> list[ev.Recorded]:
        """Rate a topic; its difficulty becomes the maximum of the ratings."""
        return self._do(cmd.RateTopic, topic=topic, difficulty=difficulty, **given)

    def record_consensus(
        self, topic: str, difficulty: int, *, session: str, **given: Unpack[Given]
    ) -> list[ev.Recorded]:
        """Record a session's consensus on a topic's difficulty (the only way to lower it)."""
        return self._do(
            cmd.RecordConsensus, topic=topic, difficulty=difficulty, session=session, **given
        )

    def start(
        self, question: str, *, phase: str | None = None, **given: Unpack[Given]
    ) -> list[ev.Recorded]:
        """Start the investigation: step 1 opens."""
        return self._do(cmd.Start, question=question, phase=phase, **given)

    def hold_session(
        self, title: str, attendees: Sequence[str], **given: Unpack[WithDocuments]
    ) -> str:
        """Hold a work session in the open step (its protokoll in ``documents``); returns its id
        (S1, S2, …)."""
        return _id_of(self._do(cmd.HoldSession, title=title, attendees=attendees, **given))

    def record_insight(
        self,
        session: str,
        text: str,
        *,
        topics: Sequence[str] = (),
        contributors: Sequence[str] = (),
        **given: Unpack[WithDocuments],
    ) -> str:
        """Record an insight from a session; returns its id (I1, I2, …)."""
        made = self._do(
            cmd.RecordInsight,
            session=session,
            text=text,
            topics=topics,
            contributors=contributors,
            **given,
        )
        return _id_of(made)

    def record_consultation(
        self, municipality: str, *, note: str = "", **given: Unpack[Given]
    ) -> list[ev.Recorded]:
        """Record a consultation (drøfting) with a municipality's unions in the open step."""
        return self._do(cmd.RecordConsultation, municipality=municipality, note=note, **given)

    def close_step(self, **given: Unpack[Given]) -> list[ev.Recorded]:
        """Close the open step for its political anchoring gate."""
        return self._do(cmd.CloseStep, **given)

    def pass_gate(self, **given: Unpack[Given]) -> list[ev.Recorded]:
        """Pass the closed step's gate by hand (a process without ``anchored-every-step``); it
        passes by itself when its decider has decided."""
        return self._do(cmd.PassGate, **given)

    def anchor_step(self, municipality: str, **given: Unpack[OnStep]) -> list[ev.Recorded]:
        """Record a municipality's political anchoring of the closed step."""
        return self._do(cmd.AnchorStep, municipality=municipality, **given)

    def open_step(
        self,
        question: str,
        *,
        builds_on: Sequence[str] = (),
        phase: str | None = None,
        **given: Unpack[Given],
    ) -> list[ev.Recorded]:
        """Open the next step, citing the insights it builds on."""
        return self._do(cmd.OpenStep, question=question, builds_on=builds_on, phase=phase, **given)

    def submit(
        self, summary: str, *, cooperation_model: str = "", **given: Unpack[WithDocuments]
    ) -> list[ev.Recorded]:
        """Submit the decision basis to the steering group."""
        return self._do(
            cmd.SubmitDecisionBasis, summary=summary, cooperation_model=cooperation_model, **given
        )

    def steering_decision(self, outcome: str, **given: Unpack[Filed]) -> list[ev.Recorded]:
        """Record the steering group's decision: approve, send_back or stop."""
        return self._do(cmd.SteeringGroupDecision, outcome=outcome, **given)

    def council_decision(
        self,
        municipality: str,
        outcome: str,
        *,
        body: str = "kommunestyre",
        **given: Unpack[Filed],
    ) -> list[ev.Recorded]:
        """Record a kommunestyre's decision: approve or send_back."""
        return self._do(
            cmd.CouncilDecision, municipality=municipality, outcome=outcome, body=body, **given
        )


def _warn_case_ref(fields: dict[str, Any], stacklevel: int) -> None:
    """A free-text ``case_ref`` still works, with a warning that names its replacement."""
    if fields.get("case_ref"):
        warnings.warn(
            "case_ref= is deprecated: give registry_entry=stepgate.RegistryEntry('24/112-3') "
            "and, for a body's decision, meeting=stepgate.MeetingItem(body=…, on=…, item='PS "
            "15/24'); free-text references will be refused in stepgate 0.3",
            DeprecationWarning,
            stacklevel=stacklevel,
        )


def _id_of(recorded: list[ev.Recorded]) -> str:
    return str(recorded[0].event.id)  # type: ignore[attr-defined]
