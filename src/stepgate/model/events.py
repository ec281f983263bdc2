"""Events: the facts an investigation is made of. The state is their fold.

Each event is a frozen attrs value with the business date ``on`` (the day it
happened in the world). The engine wraps each in a ``Recorded`` envelope with
its sequence number, actor and the time it was recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from stepgate.model import slots as _slots
from stepgate.model.documents import FiledDocument
from stepgate.model.references import CaseNumber, MeetingItem, RegistryEntry
from stepgate.model.values import Actor, Municipality, Organisation


@attrs.frozen
class Event:
    """Base of every event: the day it happened."""

    kind: ClassVar[str] = "event"
    trigger: ClassVar[str | None] = None  # the lifecycle transition this event causes
    on: dt.date


@attrs.frozen
class Created(Event):
    """An investigation was set up in draft."""

    kind: ClassVar[str] = "created"
    key: str
    title: str
    service_area: str
    region: str
    members: tuple[Municipality | Organisation, ...]
    process: str
    definition_hash: str
    mandate: str
    ordered_on: dt.date | None = None
    pilot: bool = False
    founders: tuple[str, ...] = ()  # parties that take part from the start (not by a mandate)
    documents: tuple[FiledDocument, ...] = ()
    case_number: CaseNumber | None = None


@attrs.frozen
class MilestoneSet(Event):
    """A milestone got (or changed) its due date."""

    kind: ClassVar[str] = "milestone_set"
    name: str
    due: dt.date
    phase: str | None = None


@attrs.frozen
class MilestoneReached(Event):
    """A milestone was reached."""

    kind: ClassVar[str] = "milestone_reached"
    name: str


@attrs.frozen
class MandateRevised(Event):
    """A new version of the mandate; every participant must anchor it again."""

    kind: ClassVar[str] = "mandate_revised"
    version: int
    text: str
    documents: tuple[FiledDocument, ...] = ()


@attrs.frozen
class Invited(Event):
    """Members of the region were invited to take part."""

    kind: ClassVar[str] = "invited"
    trigger: ClassVar[str | None] = "invite"
    municipalities: tuple[str, ...]
    answer_by: dt.date | None = None


@attrs.frozen
class MandateAnchored(Event):
    """A municipality's body took a position on a mandate version."""

    kind: ClassVar[str] = "mandate_anchored"
    municipality: str
    version: int
    body: str
    outcome: str
    case_ref: str = ""
    exemption: str | None = None
    counts: bool = False  # the engine's judgement under the policy: a political yes at home
    documents: tuple[FiledDocument, ...] = ()
    registry_entry: RegistryEntry | None = None
    meeting: MeetingItem | None = None


@attrs.frozen
class OptedOut(Event):
    """A municipality used its permission to opt out."""

    kind: ClassVar[str] = "opted_out"
    municipality: str
    body: str | None = None
    case_ref: str = ""
    reason: str = ""
    exemption: str | None = None
    documents: tuple[FiledDocument, ...] = ()
    registry_entry: RegistryEntry | None = None
    meeting: MeetingItem | None = None


@attrs.frozen
class RepresentativeRegistered(Event):
    """A person acting for a municipality (or another party) with a role."""

    kind: ClassVar[str] = "representative_registered"
    id: str
    name: str
    role: str
    municipality: str | None = None
    party: str = ""


@attrs.frozen
class FactRecorded(Event):
    """A named fact about the investigation, for process authors' own rules."""

    kind: ClassVar[str] = "fact_recorded"
    name: str
    value: str


@attrs.frozen
class TopicRegistered(Event):
    """A topic to explore, with its first rating."""

    kind: ClassVar[str] = "topic_registered"
    id: str
    title: str
    difficulty: int
    by: str
    step: int
    session: str | None = None


@attrs.frozen
class TopicRated(Event):
    """Somebody rated a topic; the difficulty is the maximum of the ratings."""

    kind: ClassVar[str] = "topic_rated"
    topic: str
    difficulty: int
    by: str
    session: str | None = None


@attrs.frozen
class ConsensusRecorded(Event):
    """A session agreed on a topic's difficulty; the only way to lower it."""

    kind: ClassVar[str] = "consensus_recorded"
    topic: str
    difficulty: int
    session: str


@attrs.frozen
class Started(Event):
    """The investigation started: step 1 is open."""

    kind: ClassVar[str] = "started"
    trigger: ClassVar[str | None] = "start"
    phase: str
    question: str


@attrs.frozen
class SessionHeld(Event):
    """A work session of the open step, where everybody takes part as an equal."""

    kind: ClassVar[str] = "session_held"
    id: str
    step: int
    title: str
    attendees: tuple[str, ...]
    documents: tuple[FiledDocument, ...] = ()


@attrs.frozen
class InsightRecorded(Event):
    """A finding from a session, linked to topics and contributors."""

    kind: ClassVar[str] = "insight_recorded"
    id: str
    session: str
    step: int
    text: str
    topics: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    documents: tuple[FiledDocument, ...] = ()


@attrs.frozen
class ConsultationRecorded(Event):
    """A formal consultation (drøfting) with the unions of a municipality for a step."""

    kind: ClassVar[str] = "consultation_recorded"
    municipality: str
    step: int
    note: str = ""


@attrs.frozen
class StepClosed(Event):
    """The open step closed for its political anchoring gate."""

    kind: ClassVar[str] = "step_closed"
    trigger: ClassVar[str | None] = "close_step"
    step: int


@attrs.frozen
class StepAnchored(Event):
    """A municipality's body took a position on a closed step."""

    kind: ClassVar[str] = "step_anchored"
    municipality: str
    step: int
    body: str
    outcome: str
    case_ref: str = ""
    exemption: str | None = None
    urgency: str | None = None
    political: bool = False  # a political body at home under the policy: this is a voice
    documents: tuple[FiledDocument, ...] = ()
    registry_entry: RegistryEntry | None = None
    meeting: MeetingItem | None = None


@attrs.frozen
class GatePassed(Event):
    """Every participant anchored the step at home: the gate is passed."""

    kind: ClassVar[str] = "gate_passed"
    trigger: ClassVar[str | None] = "pass_gate"
    step: int


@attrs.frozen
class StepSentBack(Event):
    """A municipality sent the step back; it reopens and earlier anchorings lapse."""

    kind: ClassVar[str] = "step_sent_back"
    trigger: ClassVar[str | None] = "send_back"
    step: int
    municipality: str


@attrs.frozen
class StepHeld(Event):
    """The gate's decider put the step on hold; it decides again later."""

    kind: ClassVar[str] = "step_held"
    trigger: ClassVar[str | None] = "hold"
    step: int


@attrs.frozen
class StepOpened(Event):
    """The next step opened, building on earlier insight."""

    kind: ClassVar[str] = "step_opened"
    trigger: ClassVar[str | None] = "open_step"
    step: int
    phase: str
    question: str
    builds_on: tuple[str, ...] = ()


@attrs.frozen
class DecisionBasisSubmitted(Event):
    """The decision basis went to the steering group."""

    kind: ClassVar[str] = "decision_basis_submitted"
    trigger: ClassVar[str | None] = "submit"
    summary: str
    cooperation_model: str = ""
    documents: tuple[FiledDocument, ...] = ()


@attrs.frozen
class SteeringGroupDecided(Event):
    """The steering group approved, sent back or stopped; it never concludes."""

    kind: ClassVar[str] = "steering_group_decided"
    outcome: str
    case_ref: str = ""
    exemption: str | None = None
    documents: tuple[FiledDocument, ...] = ()
    registry_entry: RegistryEntry | None = None
    meeting: MeetingItem | None = None

    @property  # a decision's transition depends on its outcome, not on its class
    def trigger(self) -> str | None:  # type: ignore[override]
        """The lifecycle transition this decision causes, if any."""
        return _STEERING_TRIGGERS.get(self.outcome)


_STEERING_TRIGGERS = {"send_back": "steering_send_back", "stop": "stop"}


@attrs.frozen
class CouncilDecided(Event):
    """A party's deciding body (a municipality's kommunestyre) decided on the cooperation."""

    kind: ClassVar[str] = "council_decided"
    municipality: str
    outcome: str
    case_ref: str = ""
    exemption: str | None = None
    body: str = "kommunestyre"
    documents: tuple[FiledDocument, ...] = ()
    registry_entry: RegistryEntry | None = None
    meeting: MeetingItem | None = None


@attrs.frozen
class DecisionSentBack(Event):
    """The one deciding body sent the decision basis back: planning resumes."""

    kind: ClassVar[str] = "decision_sent_back"
    trigger: ClassVar[str | None] = "ending_send_back"


@attrs.frozen
class Concluded(Event):
    """The cooperation is established among the municipalities that approved."""

    kind: ClassVar[str] = "concluded"
    trigger: ClassVar[str | None] = "conclude"
    established_among: tuple[str, ...]


@attrs.frozen
class Stopped(Event):
    """The investigation stopped; ``reason`` is a rule id or the steering group."""

    kind: ClassVar[str] = "stopped"
    trigger: ClassVar[str | None] = "stop"
    reason: str


@attrs.frozen
class DefinitionMigrated(Event):
    """The investigation moved, on purpose, to a changed process definition."""

    kind: ClassVar[str] = "definition_migrated"
    old_hash: str
    new_hash: str
    note: str = ""


@attrs.frozen
class DocumentAdded(Event):
    """Documents filed afterwards: to the investigation, a step, or a party's position at it."""

    kind: ClassVar[str] = "document_added"
    documents: tuple[FiledDocument, ...]
    step: int | None = None
    municipality: str | None = None


@attrs.frozen
class CaseNumbered(Event):
    """The archive gave the investigation its case number (saksmappe)."""

    kind: ClassVar[str] = "case_numbered"
    case_number: CaseNumber


EVENT_TYPES: dict[str, type[Event]] = {
    cls.kind: cls
    for cls in (
        Created,
        MilestoneSet,
        MilestoneReached,
        MandateRevised,
        Invited,
        MandateAnchored,
        OptedOut,
        RepresentativeRegistered,
        FactRecorded,
        TopicRegistered,
        TopicRated,
        ConsensusRecorded,
        Started,
        SessionHeld,
        InsightRecorded,
        ConsultationRecorded,
        StepClosed,
        StepAnchored,
        GatePassed,
        StepSentBack,
        StepHeld,
        StepOpened,
        DecisionBasisSubmitted,
        SteeringGroupDecided,
        CouncilDecided,
        DecisionSentBack,
        Concluded,
        Stopped,
        DefinitionMigrated,
        DocumentAdded,
        CaseNumbered,
    )
}


@attrs.frozen
class Recorded:
    """An event as recorded: its place in the log, who did it (as whom) and when.

    ``actor`` is the ``Actor`` that issued the command: its id, the municipality
    it acted for or whether it acted as the secretariat.
    """

    seq: int
    actor: Actor
    at: dt.datetime
    event: Event

    @property
    def kind(self) -> str:
        """The event's kind, e.g. ``step_anchored``."""
        return self.event.kind


# Loading builds an event (and, for the log, its envelope) per row: see ``_slots``.
for _kind in (*EVENT_TYPES.values(), Recorded):
    _slots.fast_init(_kind)
