"""The state of an investigation: the fold of its events.

``apply`` changes the data of an ``InvestigationState`` one event at a time. The
lifecycle state (``draft`` … ``concluded``) is moved by the engine's
``transitions`` machine, which owns the lifecycle; everything else is here.
The state keeps small incremental indexes (unraised topics, union attendance
per step, the current gate's voices) so rules never rescan the whole record.

**Working state and history.** What rules and commands need stays in memory,
and its size does not grow with the record: the open step (its sessions, its
gate's voices), the topics not yet raised, how many sessions, insights and
topics there are and each topic's difficulty, the parties, the ending's
positions. The history — every step, session, insight, topic and anchoring —
is folded only where it is asked for (``history=True``: reports, ``as_of``),
from the record. Both folds run the same handlers; a handler keeps history
only when the state asks for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from stepgate.errors import InvalidValue
from stepgate.model import events as ev
from stepgate.model import slots as _slots
from stepgate.model.values import Region


@_slots.fast_init
@attrs.frozen
class Representative:
    """A person acting for a municipality (or another party) with a role."""

    id: str
    name: str
    role: str
    municipality: str | None = None
    party: str = ""


@attrs.define
class Topic:
    """An issue to explore; ``difficulty`` is the max of its ratings since consensus."""

    id: str
    title: str
    difficulty: int
    registered_step: int
    first_raised: int | None = None
    ratings: int = 1


@_slots.fast_init
@attrs.frozen
class Session:
    """A work session inside a step."""

    id: str
    step: int
    title: str
    attendees: tuple[str, ...]
    on: dt.date


@_slots.fast_init
@attrs.frozen
class Insight:
    """A finding recorded in a session."""

    id: str
    session: str
    step: int
    text: str
    topics: tuple[str, ...]
    contributors: tuple[str, ...]
    on: dt.date


@_slots.fast_init
@attrs.frozen
class Anchoring:
    """A record that a body took a position on a mandate, a step or a decision."""

    subject: str  # "mandate v2", "step 3", "council"
    municipality: str
    body: str
    outcome: str
    on: dt.date
    case_ref: str = ""
    exemption: str | None = None
    round: int = 0
    seq: int = 0  # the event that recorded it: the record says who recorded it, and when

    @property
    def public(self) -> bool:
        """True unless the record carries an exemption basis."""
        return self.exemption is None


@attrs.define
class Step:
    """A step: opened, closed for its gate, anchored, passed (or sent back)."""

    number: int
    phase: str
    question: str
    opened_on: dt.date
    builds_on: tuple[str, ...] = ()
    closed_on: dt.date | None = None
    passed_on: dt.date | None = None
    held_on: dt.date | None = None
    round: int = 1
    insights: int = 0
    union_present: set[str] = attrs.Factory(set)
    consulted: set[str] = attrs.Factory(set)
    voices: dict[str, Anchoring] = attrs.Factory(dict)  # political voices, current round


@attrs.define
class Milestone:
    """A dated deliverable."""

    name: str
    due: dt.date
    phase: str | None = None
    reached_on: dt.date | None = None


def _numbered(prefix: str, count: int, ref: object) -> bool:
    """True when ``ref`` is ``<prefix><n>`` with 1 <= n <= ``count`` (no leading zero)."""
    if not isinstance(ref, str) or not ref.startswith(prefix):
        return False
    digits = ref[len(prefix) :]
    return digits.isascii() and digits.isdigit() and digits[0] != "0" and int(digits) <= count


@attrs.frozen
class Numbered:
    """The ids ``<prefix>1`` … ``<prefix><count>`` (sessions, insights, topics), for ``in``."""

    prefix: str
    count: int

    def __contains__(self, ref: object) -> bool:
        return _numbered(self.prefix, self.count, ref)

    @staticmethod
    def number(ref: str) -> int:
        """The number in an id (``T12`` -> 12)."""
        return int(ref[1:])


@attrs.define(slots=False, eq=False)
class InvestigationState:
    """One investigation's state. ``lifecycle`` is moved by the engine's machine.

    ``slots=False, eq=False`` because ``transitions`` attaches the lifecycle
    attribute to the model; compare two states with ``snapshot()``.
    """

    key: str
    title: str
    service_area: str
    region: Region
    process: str
    definition_hash: str
    created_on: dt.date
    ordered_on: dt.date | None = None
    pilot: bool = False
    lifecycle: str = "draft"
    version: int = 0
    mandate_version: int = 1
    mandates: dict[int, str] = attrs.Factory(dict)
    invited: dict[str, dt.date] = attrs.Factory(dict)
    answer_by: dt.date | None = None
    participants: dict[str, int] = attrs.Factory(dict)  # kommunenummer -> mandate version
    opted_out: dict[str, dt.date] = attrs.Factory(dict)
    answered: set[str] = attrs.Factory(set)
    representatives: dict[str, Representative] = attrs.Factory(dict)
    facts: dict[str, str] = attrs.Factory(dict)
    milestones: dict[str, Milestone] = attrs.Factory(dict)
    topics: dict[str, Topic] = attrs.Factory(dict)
    unraised: dict[str, None] = attrs.Factory(dict)  # insertion-ordered set of topic ids
    sessions: dict[str, Session] = attrs.Factory(dict)
    insights: dict[str, Insight] = attrs.Factory(dict)
    steps: list[Step] = attrs.Factory(list)
    anchorings: list[Anchoring] = attrs.Factory(list)
    decision_basis: str | None = None
    cooperation_model: str = ""
    steering: list[Anchoring] = attrs.Factory(list)
    council: dict[str, Anchoring] = attrs.Factory(dict)
    established_among: tuple[str, ...] = ()
    stop_reason: str | None = None
    last_active: dt.date | None = None
    history: bool = False  # True: also every step, session, insight, topic, anchoring
    session_count: int = 0
    insight_count: int = 0
    difficulties: bytearray = attrs.Factory(bytearray)  # T<n>'s difficulty at [n - 1]
    filed: set[str] = attrs.Factory(set)  # the SHA-256 of every document filed
    case_number: str = ""  # the archive's case number (saksmappe), e.g. "2024/112"

    @property
    def step(self) -> Step | None:
        """The current (latest) step, or None before the start."""
        return self.steps[-1] if self.steps else None

    @property
    def step_number(self) -> int:
        """The current step's number (0 before the start)."""
        return self.steps[-1].number if self.steps else 0

    @property
    def topic_count(self) -> int:
        """How many topics were registered."""
        return len(self.difficulties)

    @property
    def topic_ids(self) -> Numbered:
        """Every topic's id, for ``in``: T1 … T<n>."""
        return Numbered("T", len(self.difficulties))

    @property
    def insight_ids(self) -> Numbered:
        """Every insight's id, for ``in``: I1 … I<n>."""
        return Numbered("I", self.insight_count)

    def difficulty_of(self, topic_id: str) -> int:
        """A known topic's difficulty now."""
        return self.difficulties[Numbered.number(topic_id) - 1]

    def topic_title(self, topic_id: str) -> str:
        """A topic's title where the state holds it (unraised, or history); else ``""``."""
        topic = self.topics.get(topic_id)
        return topic.title if topic is not None else ""

    def held_session(self, session: str) -> bool:
        """True when ``session`` was held (in any step): S1 … S<n>."""
        return _numbered("S", self.session_count, session)

    @property
    def active(self) -> tuple[str, ...]:
        """The id (kommunenummer) of every participant, in region order."""
        return tuple(m.id for m in self.region.members if m.id in self.participants)

    def name_of(self, number: str) -> str:
        """The name of a municipality in this investigation's region."""
        return self.region.name_of(number)

    def is_member(self, party: str) -> bool:
        """True when ``party`` is the id of a member of the region."""
        return self.region.party(party) is not None

    def resolve(self, ref: str) -> str | None:
        """The id of the member named by ``ref`` (its id or name), or None."""
        try:
            return self.region.find(ref).id
        except InvalidValue:
            return None

    def council_approved(self) -> tuple[str, ...]:
        """Participants whose kommunestyre approved, in region order."""
        return tuple(n for n in self.active if self._approved(n))

    def _approved(self, number: str) -> bool:
        record = self.council.get(number)
        return record is not None and record.outcome == "approve"


def new_investigation(event: ev.Created, *, history: bool = False) -> InvestigationState:
    """The state right after ``Created``, the log's first event (``history``: keep it all)."""
    return InvestigationState(
        history=history,
        version=1,
        key=event.key,
        title=event.title,
        service_area=event.service_area,
        region=Region(event.region, event.members),
        process=event.process,
        definition_hash=event.definition_hash,
        created_on=event.on,
        ordered_on=event.ordered_on,
        pilot=event.pilot,
        mandates={1: event.mandate},
        participants=dict.fromkeys(event.founders, 1),
        answered=set(event.founders),
        last_active=event.on,
        filed={d.sha256 for d in event.documents},
        case_number="" if event.case_number is None else str(event.case_number),
    )


def _milestone_set(s: InvestigationState, e: ev.MilestoneSet) -> None:
    old = s.milestones.get(e.name)
    s.milestones[e.name] = Milestone(e.name, e.due, e.phase, old.reached_on if old else None)


def _milestone_reached(s: InvestigationState, e: ev.MilestoneReached) -> None:
    s.milestones[e.name].reached_on = e.on


def _mandate_revised(s: InvestigationState, e: ev.MandateRevised) -> None:
    s.mandate_version = e.version
    s.mandates[e.version] = e.text


def _invited(s: InvestigationState, e: ev.Invited) -> None:
    for number in e.municipalities:
        s.invited[number] = e.on
    s.answer_by = e.answer_by


def _step(s: InvestigationState, number: int) -> Step:
    """Step ``number``: the open one (the working state keeps no other), or from the history."""
    step = s.steps[-1]
    return step if step.number == number else s.steps[number - 1]


def _position(
    s: InvestigationState,
    subject: str,
    e: Any,
    *,
    outcome: str | None = None,
    municipality: str | None = None,
    body: str | None = None,
    round: int = 0,  # noqa: A002 - the gate's round, as Anchoring names it
) -> Anchoring:
    """The position event ``e`` records on ``subject``; its seq is the event's own."""
    return Anchoring(
        subject,
        e.municipality if municipality is None else municipality,
        e.body if body is None else body,
        e.outcome if outcome is None else outcome,
        e.on,
        e.case_ref,
        e.exemption,
        round,
        s.version + 1,
    )


def _mandate_anchored(s: InvestigationState, e: ev.MandateAnchored) -> None:
    if s.history:
        s.anchorings.append(_position(s, f"mandate v{e.version}", e))
    if e.counts and e.version == s.mandate_version:
        s.participants[e.municipality] = e.version
        s.opted_out.pop(e.municipality, None)
        s.answered.add(e.municipality)


def _opted_out(s: InvestigationState, e: ev.OptedOut) -> None:
    s.participants.pop(e.municipality, None)
    s.opted_out[e.municipality] = e.on
    s.answered.add(e.municipality)
    if e.body is not None and s.history:
        s.anchorings.append(_position(s, "opt-out", e, outcome="opted_out"))
    if s.step is not None:
        s.step.voices.pop(e.municipality, None)
    s.council.pop(e.municipality, None)


def _representative(s: InvestigationState, e: ev.RepresentativeRegistered) -> None:
    s.representatives[e.id] = Representative(e.id, e.name, e.role, e.municipality, e.party)


def _fact(s: InvestigationState, e: ev.FactRecorded) -> None:
    s.facts[e.name] = e.value


def _topic_registered(s: InvestigationState, e: ev.TopicRegistered) -> None:
    s.topics[e.id] = Topic(e.id, e.title, e.difficulty, e.step)
    s.unraised[e.id] = None
    s.difficulties.append(e.difficulty)


def _difficulty(s: InvestigationState, topic_id: str, difficulty: int, *, rated: bool) -> None:
    s.difficulties[Numbered.number(topic_id) - 1] = difficulty
    topic = s.topics.get(topic_id)
    if topic is not None:
        topic.difficulty = difficulty
        topic.ratings += rated


def _topic_rated(s: InvestigationState, e: ev.TopicRated) -> None:
    now = max(s.difficulty_of(e.topic), e.difficulty)
    _difficulty(s, e.topic, now, rated=True)


def _consensus(s: InvestigationState, e: ev.ConsensusRecorded) -> None:
    _difficulty(s, e.topic, e.difficulty, rated=False)


def _begin_step(s: InvestigationState, step: Step) -> None:
    """A new step: the working state lets the last one and its sessions go."""
    if not s.history:
        s.steps.clear()
        s.sessions.clear()
    s.steps.append(step)


def _started(s: InvestigationState, e: ev.Started) -> None:
    _begin_step(s, Step(1, e.phase, e.question, e.on))


def _session(s: InvestigationState, e: ev.SessionHeld) -> None:
    s.session_count += 1
    s.sessions[e.id] = Session(e.id, e.step, e.title, e.attendees, e.on)
    step = _step(s, e.step)
    for rep_id in e.attendees:
        rep = s.representatives[rep_id]
        if rep.role == "union" and rep.municipality is not None:
            step.union_present.add(rep.municipality)


def _insight(s: InvestigationState, e: ev.InsightRecorded) -> None:
    s.insight_count += 1
    if s.history:
        s.insights[e.id] = Insight(e.id, e.session, e.step, e.text, e.topics, e.contributors, e.on)
    _step(s, e.step).insights += 1
    for topic_id in e.topics:
        topic = s.topics.get(topic_id)
        if topic is not None and topic.first_raised is None:
            topic.first_raised = e.step
            s.unraised.pop(topic_id, None)
            if not s.history:
                del s.topics[topic_id]  # raised: the rules need no more of it than its difficulty


def _consultation(s: InvestigationState, e: ev.ConsultationRecorded) -> None:
    _step(s, e.step).consulted.add(e.municipality)


def _step_closed(s: InvestigationState, e: ev.StepClosed) -> None:
    _step(s, e.step).closed_on = e.on


def _step_anchored(s: InvestigationState, e: ev.StepAnchored) -> None:
    step = _step(s, e.step)
    record = _position(s, f"step {e.step}", e, round=step.round)
    if s.history:
        s.anchorings.append(record)
    if e.political:
        step.voices[e.municipality] = record


def _gate_passed(s: InvestigationState, e: ev.GatePassed) -> None:
    _step(s, e.step).passed_on = e.on


def _step_sent_back(s: InvestigationState, e: ev.StepSentBack) -> None:
    step = _step(s, e.step)
    step.round += 1
    step.closed_on = None
    step.voices.clear()


def _step_held(s: InvestigationState, e: ev.StepHeld) -> None:
    _step(s, e.step).held_on = e.on


def _step_opened(s: InvestigationState, e: ev.StepOpened) -> None:
    _begin_step(s, Step(e.step, e.phase, e.question, e.on, e.builds_on))


def _submitted(s: InvestigationState, e: ev.DecisionBasisSubmitted) -> None:
    s.decision_basis = e.summary
    s.cooperation_model = e.cooperation_model


def _steering(s: InvestigationState, e: ev.SteeringGroupDecided) -> None:
    s.steering.append(_position(s, "decision basis", e, municipality="", body="styringsgruppe"))
    if e.outcome == "send_back":
        s.decision_basis = None
        s.council.clear()
    elif e.outcome == "stop":
        s.stop_reason = "steering-group"


def _council(s: InvestigationState, e: ev.CouncilDecided) -> None:
    record = _position(s, "council", e)
    s.council[e.municipality] = record
    if s.history:
        s.anchorings.append(record)


def _decision_sent_back(s: InvestigationState, _e: ev.DecisionSentBack) -> None:
    s.decision_basis = None
    s.council.clear()


def _concluded(s: InvestigationState, e: ev.Concluded) -> None:
    s.established_among = e.established_among


def _stopped(s: InvestigationState, e: ev.Stopped) -> None:
    s.stop_reason = e.reason


def _migrated(s: InvestigationState, e: ev.DefinitionMigrated) -> None:
    s.definition_hash = e.new_hash


def _nothing(_s: InvestigationState, _e: ev.Event) -> None:
    """An event whose only mark on the state is the documents it files."""


def _case_numbered(s: InvestigationState, e: ev.CaseNumbered) -> None:
    s.case_number = str(e.case_number)


def _filing(
    handler: Callable[[InvestigationState, Any], None],
) -> Callable[[InvestigationState, Any], None]:
    """``handler`` for an event that may file documents: the state learns their SHA-256 too."""

    def apply_with_documents(s: InvestigationState, e: Any) -> None:
        if e.documents:
            s.filed.update(d.sha256 for d in e.documents)
        handler(s, e)

    return apply_with_documents


_APPLY: dict[type[ev.Event], Callable[[InvestigationState, Any], None]] = {
    ev.MilestoneSet: _milestone_set,
    ev.MilestoneReached: _milestone_reached,
    ev.MandateRevised: _filing(_mandate_revised),
    ev.Invited: _invited,
    ev.MandateAnchored: _filing(_mandate_anchored),
    ev.OptedOut: _filing(_opted_out),
    ev.RepresentativeRegistered: _representative,
    ev.FactRecorded: _fact,
    ev.TopicRegistered: _topic_registered,
    ev.TopicRated: _topic_rated,
    ev.ConsensusRecorded: _consensus,
    ev.Started: _started,
    ev.SessionHeld: _filing(_session),
    ev.InsightRecorded: _filing(_insight),
    ev.ConsultationRecorded: _consultation,
    ev.StepClosed: _step_closed,
    ev.StepAnchored: _filing(_step_anchored),
    ev.GatePassed: _gate_passed,
    ev.StepSentBack: _step_sent_back,
    ev.StepHeld: _step_held,
    ev.StepOpened: _step_opened,
    ev.DecisionBasisSubmitted: _filing(_submitted),
    ev.SteeringGroupDecided: _filing(_steering),
    ev.CouncilDecided: _filing(_council),
    ev.DecisionSentBack: _decision_sent_back,
    ev.Concluded: _concluded,
    ev.Stopped: _stopped,
    ev.DefinitionMigrated: _migrated,
    ev.DocumentAdded: _filing(_nothing),
    ev.CaseNumbered: _case_numbered,
}


def apply(
    state: InvestigationState,
    events: Iterable[ev.Event],
    move: Callable[[InvestigationState, str], object],
) -> None:
    """Fold the next ``events`` of the log into ``state``; ``move`` moves its lifecycle.

    The one fold: commands, loading and auditing all run it, the last two for
    every event of a record, so it is one plain loop.
    """
    handlers = _APPLY
    event = None
    for event in events:
        handlers[type(event)](state, event)
        state.version += 1
        trigger = event.trigger
        if trigger is not None:
            move(state, trigger)
    if event is not None:
        state.last_active = event.on
