"""The report as one typed value: everything a case document says, in the record's words.

``build(reading)`` reads an investigation (now, or ``as_of`` a date or
version) and gives a ``Report``. The Markdown, HTML and JSON reports are all
rendered from it, so they say the same. Nothing here knows a language: ids,
dates and the record's own text; the templates put the words around them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from stepgate.api.reading import AsOf, Reading
from stepgate.model import events as ev
from stepgate.model.documents import Placed
from stepgate.model.state import Anchoring, InvestigationState, Representative
from stepgate.model.values import Actor


@attrs.frozen
class RecordedBy:
    """Who recorded a position, as whom, and when it was entered."""

    actor: str
    acting_for: str | None
    at: dt.datetime


@attrs.frozen
class Position:
    """A body's position at a gate, on a mandate, or a decision: one row of a case document."""

    party: str
    name: str
    body: str
    outcome: str
    on: dt.date
    case_ref: str
    exemption: str | None
    round: int
    recorded_by: RecordedBy | None
    registry_entry: str = ""  # the archive's journalpost, e.g. 2024/112-3
    meeting: str = ""  # the meeting item, e.g. PS 15/24

    @property
    def public(self) -> bool:
        """True unless the record carries an exemption basis."""
        return self.exemption is None

    @property
    def reference(self) -> str:
        """Where the archive keeps it: the registry entry and meeting item (or the free-text
        reference of an older record, as written)."""
        return " · ".join(r for r in (self.registry_entry, self.meeting) if r) or self.case_ref


@attrs.frozen
class CaseDocument:
    """A document of the case file, where it belongs, with what the record says of it.

    ``place`` says what it belongs to (``position``, ``session``, ``mandate``, …);
    ``step``, ``party`` (and its ``name``), ``session`` and ``version`` which one.
    ``replaces`` is the title of the document it is a new version of.
    """

    sha256: str
    size: int
    title: str
    public_title: str
    kind: str
    filename: str
    media_type: str
    exemption: str | None
    replaces: str
    on: dt.date
    seq: int
    place: str
    step: int | None
    party: str
    name: str
    session: str | None
    version: int | None
    recorded_by: RecordedBy | None

    @property
    def public(self) -> bool:
        """True unless it carries an exemption ground."""
        return self.exemption is None


@attrs.frozen
class Party:
    """A member of the region and where it stands: participant, opted out, invited, not."""

    id: str
    name: str
    status: str  # participant, opted_out, invited, not_invited
    since: dt.date | None
    opted_out: Position | None = None  # the body, case and reason of an opt-out
    reason: str = ""


@attrs.frozen
class MandateVersion:
    """One version of the mandate: its text, the day it was set, and who anchored it."""

    version: int
    text: str
    on: dt.date
    anchorings: tuple[Position, ...]


@attrs.frozen
class Attendee:
    """A person at a session, with their role and the party they act for."""

    id: str
    name: str
    role: str
    party: str
    party_name: str


@attrs.frozen
class Session:
    """A work session of a step, with everyone who attended."""

    id: str
    title: str
    on: dt.date
    attendees: tuple[Attendee, ...]


@attrs.frozen
class Insight:
    """A finding of a session, and the topics it raised (by title)."""

    id: str
    session: str
    text: str
    on: dt.date
    topics: tuple[str, ...]


@attrs.frozen
class Step:
    """A step: its question, sessions, insights and gate (each party's position)."""

    number: int
    phase: str
    question: str
    opened_on: dt.date
    closed_on: dt.date | None
    passed_on: dt.date | None
    rounds: int
    builds_on: tuple[str, ...]
    sessions: tuple[Session, ...]
    insights: tuple[Insight, ...]
    gate: tuple[Position, ...]


@attrs.frozen
class Topic:
    """A topic, how hard it is, and when it was first raised (step and day)."""

    id: str
    title: str
    difficulty: int
    hard: bool
    registered_step: int
    first_raised: int | None
    raised_on: dt.date | None


@attrs.frozen
class Milestone:
    """A dated deliverable: ``overdue`` when not reached by the report's day while the
    investigation runs (after a stop or an ending nothing is overdue: there is no schedule
    left to keep); ``late`` when it was reached after its due date."""

    name: str
    phase: str | None
    due: dt.date
    reached_on: dt.date | None
    overdue: bool
    late: bool = False


@attrs.frozen
class Basis:
    """The decision basis as submitted on a day (a basis sent back may be submitted again)."""

    summary: str
    cooperation_model: str
    on: dt.date
    recorded_by: RecordedBy


@attrs.frozen
class Decision:
    """The decision basis, the steering group, the deciders, and how it ended."""

    basis: Basis | None
    earlier: tuple[Basis, ...]
    steering: tuple[Position, ...]
    councils: tuple[Position, ...]
    established_among: tuple[str, ...]
    stop_reason: str | None
    ended_on: dt.date | None
    stopped_by: Position | None = None  # the gate position whose outcome stopped it
    stopped_at_step: int | None = None  # the step whose gate it was


@attrs.frozen
class Signal:
    """A soft signal on the report's day, in both languages."""

    rule: str
    nn: str
    en: str


@attrs.frozen
class Summary:
    """What a reader needs first: where it stands, among whom, and what is due next."""

    state: str
    participants: tuple[str, ...]
    established_among: tuple[str, ...]
    next_deadline: Milestone | None
    overdue: tuple[Milestone, ...]


FORMAT = "stepgate-report"
FORMAT_VERSION = 1
"""The JSON report's version: it goes up when a field is removed or changes its meaning (a new
field may appear in any version; a reader ignores what it does not know)."""


@attrs.frozen
class Record:
    """The record the report stands on: its version, head hash, and the moment shown."""

    version: int
    latest: int
    head_hash: str
    verified: bool
    as_of: dt.date | int | None
    complete: bool
    checkpoint: str = ""  # the store's, when the report was made: for the minutes


@attrs.frozen
class Report:
    """Everything a report shows, as one value; rendered as Markdown, HTML or JSON."""

    key: str
    title: str
    service_area: str
    region: str
    process: str
    process_description: str
    definition_hash: str
    state: str
    lifecycle: tuple[str, ...]
    report_date: dt.date
    summary: Summary
    mandates: tuple[MandateVersion, ...]
    parties: tuple[Party, ...]
    steps: tuple[Step, ...]
    hard_threshold: int
    topics: tuple[Topic, ...]
    earliness: float
    milestones: tuple[Milestone, ...]
    decision: Decision
    signals: tuple[Signal, ...]
    record: Record
    case_number: str = ""
    documents: tuple[CaseDocument, ...] = ()

    @property
    def hard_topics(self) -> tuple[Topic, ...]:
        """The topics at or above the process's threshold of hardness."""
        return tuple(t for t in self.topics if t.hard)


def build(reading: Reading, *, today: dt.date | None = None, verified: bool = True) -> Report:
    """The report of ``reading`` (an ``Investigation`` or an ``AsOf``) on ``today``.

    ``today`` is the report's date (the day overdue milestones and signals are
    judged on): by default the clock's day, or the day an ``AsOf`` stands at.
    ``verified`` says the record was checked from its first event when read.
    """
    state = reading.history()
    record = reading.events
    day = today if today is not None else reading.today()
    facts = _Facts(state, record)
    policy = reading.process.policy
    milestones = _milestones(state, day)
    ended = facts.ended_on is not None  # concluded or stopped: no deadline is ahead of it
    pending = [m for m in milestones if m.reached_on is None and m.due >= day and not ended]
    as_of = reading.as_of if isinstance(reading, AsOf) else None
    return Report(
        key=state.key,
        title=state.title,
        service_area=state.service_area,
        region=state.region.name,
        process=state.process,
        process_description=reading.process.description,
        definition_hash=state.definition_hash,
        state=state.lifecycle,
        lifecycle=reading.states,
        report_date=day,
        summary=Summary(
            state=state.lifecycle,
            participants=tuple(state.name_of(n) for n in state.active),
            established_among=tuple(state.name_of(n) for n in state.established_among),
            next_deadline=min(pending, key=lambda m: m.due, default=None),
            overdue=tuple(m for m in milestones if m.overdue),
        ),
        mandates=facts.mandates(),
        parties=facts.parties(),
        steps=facts.steps(),
        hard_threshold=policy.hard_threshold,
        topics=facts.topics(policy.hard_threshold),
        earliness=reading.earliness(),
        milestones=tuple(milestones),
        decision=facts.decision(),
        signals=tuple(Signal(s.rule, s.nn, s.en) for s in reading.signals(day)),
        case_number=state.case_number,
        documents=facts.documents(reading.documents()),
        record=Record(
            version=state.version,
            latest=reading.latest if isinstance(reading, AsOf) else state.version,
            head_hash=reading.head_hash,
            verified=verified,
            as_of=as_of,
            complete=reading.complete if isinstance(reading, AsOf) else True,
            checkpoint=str(reading.checkpoint()),
        ),
    )


def _milestones(state: InvestigationState, today: dt.date) -> list[Milestone]:
    rows = []
    running = state.lifecycle not in ("stopped", "concluded")
    for m in sorted(state.milestones.values(), key=lambda m: (m.due, m.name)):
        done = m.reached_on
        overdue = running and done is None and today > m.due
        rows.append(
            Milestone(m.name, m.phase, m.due, done, overdue, done is not None and done > m.due)
        )
    return rows


class _Facts:
    """What the state keeps only in part, read once from the record: who, when, what text."""

    def __init__(self, state: InvestigationState, record: Iterable[ev.Recorded]) -> None:
        self.state = state
        self.by: dict[int, ev.Recorded] = {}
        self.mandate_on: dict[int, dt.date] = {}
        self.opt_outs: dict[str, tuple[ev.OptedOut, int]] = {}
        self.bases: list[Basis] = []
        self.ended_on: dt.date | None = None
        self.stopped_by: int | None = None  # the seq of the gate position that stopped it
        last_position: int | None = None
        for recorded in record:
            self.by[recorded.seq] = recorded
            event = recorded.event
            if isinstance(event, ev.Created):
                self.mandate_on[1] = event.on
            elif isinstance(event, ev.MandateRevised):
                self.mandate_on[event.version] = event.on
            elif isinstance(event, ev.OptedOut):
                self.opt_outs[event.municipality] = (event, recorded.seq)
            elif isinstance(event, ev.MandateAnchored) and event.municipality in self.opt_outs:
                del self.opt_outs[event.municipality]  # rejoined
            elif isinstance(event, ev.DecisionBasisSubmitted):
                who = _who(recorded)
                self.bases.append(Basis(event.summary, event.cooperation_model, event.on, who))
            elif isinstance(event, ev.StepAnchored):
                last_position = recorded.seq
            elif isinstance(event, ev.Concluded | ev.Stopped):
                self.ended_on = event.on
                if isinstance(event, ev.Stopped) and event.reason == "gate":
                    self.stopped_by = last_position

    def position(self, a: Anchoring) -> Position:
        """A state's anchoring as a row, with who recorded it."""
        return self._row(
            a.municipality,
            a.body,
            a.outcome,
            a.on,
            case_ref=a.case_ref,
            exemption=a.exemption,
            seq=a.seq,
            round_=a.round,
        )

    def _row(
        self,
        party: str,
        body: str,
        outcome: str,
        on: dt.date,
        *,
        case_ref: str,
        exemption: str | None,
        seq: int,
        round_: int = 0,
    ) -> Position:
        found = self.by.get(seq)
        event = None if found is None else found.event
        entry = getattr(event, "registry_entry", None)
        meeting = getattr(event, "meeting", None)
        return Position(
            party=party,
            name=self.state.name_of(party) if party else "",
            body=body,
            outcome=outcome,
            on=on,
            case_ref=case_ref,
            exemption=exemption,
            round=round_,
            recorded_by=None if found is None else _who(found),
            registry_entry="" if entry is None else str(entry),
            meeting="" if meeting is None else meeting.item,
        )

    def documents(self, placed: Iterable[Placed]) -> tuple[CaseDocument, ...]:
        """Every filed document, where it belongs, in the order of the record."""
        titles: dict[str, str] = {}
        rows = []
        for p in placed:
            d = p.document
            titles.setdefault(d.sha256, d.title)
            party = p.municipality or ""
            found = self.by.get(p.seq)
            rows.append(
                CaseDocument(
                    sha256=d.sha256,
                    size=d.size,
                    title=d.title,
                    public_title=d.shown_title,
                    kind=d.kind,
                    filename=d.filename,
                    media_type=d.media_type,
                    exemption=d.exemption,
                    replaces=titles.get(d.replaces, d.replaces or "") if d.replaces else "",
                    on=p.on,
                    seq=p.seq,
                    place=p.place,
                    step=p.step,
                    party=party,
                    name=self.state.name_of(party) if party else "",
                    session=p.session,
                    version=p.version,
                    recorded_by=None if found is None else _who(found),
                )
            )
        return tuple(rows)

    def mandates(self) -> tuple[MandateVersion, ...]:
        """Every mandate version, its text and day, and the anchorings of it."""
        rows = []
        for version, text in sorted(self.state.mandates.items()):
            subject = f"mandate v{version}"
            anchorings = tuple(
                self.position(a) for a in self.state.anchorings if a.subject == subject
            )
            on = self.mandate_on.get(version, self.state.created_on)
            rows.append(MandateVersion(version, text, on, anchorings))
        return tuple(rows)

    def parties(self) -> tuple[Party, ...]:
        """Each member of the region and where it stands."""
        state, rows = self.state, []
        for member in state.region.members:
            number = member.id
            if number in state.participants:
                rows.append(Party(number, member.name, "participant", None))
            elif number in state.opted_out:
                event, seq = self.opt_outs.get(number, (None, 0))
                position = None if event is None else self._opt_out(event, seq)
                reason = "" if event is None else event.reason
                since = state.opted_out[number]
                rows.append(Party(number, member.name, "opted_out", since, position, reason))
            elif number in state.invited:
                rows.append(Party(number, member.name, "invited", state.invited[number]))
            else:
                rows.append(Party(number, member.name, "not_invited", None))
        return tuple(rows)

    def _opt_out(self, event: ev.OptedOut, seq: int) -> Position:
        e = event
        return self._row(
            e.municipality,
            e.body or "",
            "opted_out",
            e.on,
            case_ref=e.case_ref,
            exemption=e.exemption,
            seq=seq,
        )

    def steps(self) -> tuple[Step, ...]:
        """Each step with its sessions, insights and gate."""
        state = self.state
        gates: dict[int, list[Position]] = {}
        for a in state.anchorings:
            if a.subject.startswith("step "):
                gates.setdefault(int(a.subject.split()[1]), []).append(self.position(a))
        sessions: dict[int, list[Session]] = {}
        for s in state.sessions.values():
            people = tuple(self._attendee(person) for person in s.attendees)
            sessions.setdefault(s.step, []).append(Session(s.id, s.title, s.on, people))
        insights: dict[int, list[Insight]] = {}
        for i in state.insights.values():
            titles = tuple(state.topics[t].title for t in i.topics if t in state.topics)
            insights.setdefault(i.step, []).append(Insight(i.id, i.session, i.text, i.on, titles))
        return tuple(
            Step(
                number=s.number,
                phase=s.phase,
                question=s.question,
                opened_on=s.opened_on,
                closed_on=s.closed_on,
                passed_on=s.passed_on,
                rounds=s.round,
                builds_on=tuple(s.builds_on),
                sessions=tuple(sessions.get(s.number, ())),
                insights=tuple(insights.get(s.number, ())),
                gate=tuple(gates.get(s.number, ())),
            )
            for s in state.steps
        )

    def _attendee(self, person: str) -> Attendee:
        found: Representative | None = self.state.representatives.get(person)
        if found is None:
            return Attendee(person, person, "", "", "")
        party = found.municipality or found.party
        name = self.state.name_of(party) if party else ""
        return Attendee(found.id, found.name, found.role, party, name)

    def topics(self, threshold: int) -> tuple[Topic, ...]:
        """Every topic, hardest first, with the step and day it was first raised."""
        raised_on: dict[str, dt.date] = {}
        for insight in self.state.insights.values():
            for topic in insight.topics:
                if topic not in raised_on or insight.on < raised_on[topic]:
                    raised_on[topic] = insight.on
        return tuple(
            Topic(
                t.id,
                t.title,
                t.difficulty,
                t.difficulty >= threshold,
                t.registered_step,
                t.first_raised,
                raised_on.get(t.id),
            )
            for t in sorted(self.state.topics.values(), key=lambda t: (-t.difficulty, t.id))
        )

    def decision(self) -> Decision:
        """The decision basis (and earlier ones), the steering group's and deciders' positions."""
        state = self.state
        councils = tuple(self.position(a) for a in state.anchorings if a.subject == "council")
        stopper = self._stopper()
        return Decision(
            basis=self.bases[-1] if self.bases and state.decision_basis is not None else None,
            earlier=tuple(self.bases[:-1])
            if state.decision_basis is not None
            else tuple(self.bases),
            steering=tuple(self.position(a) for a in state.steering),
            councils=councils,
            established_among=state.established_among,
            stop_reason=state.stop_reason,
            ended_on=self.ended_on,
            stopped_by=None if stopper is None else self.position(stopper),
            stopped_at_step=None if stopper is None else int(stopper.subject.split()[-1]),
        )

    def _stopper(self) -> Anchoring | None:
        """The gate position that stopped the investigation (its outcome has ``Effect.STOP``)."""
        found = [a for a in self.state.anchorings if a.seq == self.stopped_by]
        return found[0] if found and self.stopped_by is not None else None


def _who(recorded: ev.Recorded) -> RecordedBy:
    actor: Actor = recorded.actor
    return RecordedBy(actor.id, actor.acting_for, recorded.at)


def to_data(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data: dates as ISO text, everything else as recorded."""

    def plain(_inst: Any, _field: Any, value: Any) -> Any:
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        return value

    data = attrs.asdict(report, value_serializer=plain)
    data["hard_topics"] = [t["id"] for t in data["topics"] if t["hard"]]
    return {"format": FORMAT, "format_version": FORMAT_VERSION, **data}
