"""Commands: what a user asks an investigation to do, each class the one home of its command.

A command's class holds its fields (checked at construction), the lifecycle
states it runs in (``possible``; a command that moves the lifecycle runs
where the process's lifecycle says that move starts), who may issue it
(``issued_by``, and ``speaks_for``), the references that must resolve (``refs``)
and the events it records (``events``). ``COMMANDS`` has them all by action.
"""

from __future__ import annotations

from stepgate.model.commands.base import (
    ANYONE,
    BEFORE_DECISION,
    LIVE,
    PARTY,
    SECRETARIAT,
    Command,
    Filing,
    Recordable,
)
from stepgate.model.commands.ending import (
    CouncilDecision,
    SteeringGroupDecision,
    SubmitDecisionBasis,
)
from stepgate.model.commands.filing import AddDocument, SetCaseNumber
from stepgate.model.commands.parties import AnchorMandate, OptOut, RegisterRepresentative
from stepgate.model.commands.sessions import HoldSession, RecordConsultation, RecordInsight
from stepgate.model.commands.setup import (
    Invite,
    ReachMilestone,
    RecordFact,
    ReviseMandate,
    SetMilestone,
)
from stepgate.model.commands.steps import AnchorStep, CloseStep, OpenStep, PassGate, Start
from stepgate.model.commands.topics import RateTopic, RecordConsensus, RegisterTopic

COMMANDS: dict[str, type[Command]] = {
    cls.action: cls
    for cls in (
        SetMilestone,
        ReachMilestone,
        ReviseMandate,
        Invite,
        AnchorMandate,
        OptOut,
        RegisterRepresentative,
        RecordFact,
        RegisterTopic,
        RateTopic,
        RecordConsensus,
        Start,
        HoldSession,
        RecordInsight,
        RecordConsultation,
        CloseStep,
        AnchorStep,
        PassGate,
        OpenStep,
        SubmitDecisionBasis,
        SteeringGroupDecision,
        CouncilDecision,
        AddDocument,
        SetCaseNumber,
    )
}
"""Every command, by its action."""

ACTIONS: frozenset[str] = frozenset(COMMANDS)
SECRETARIAT_ACTIONS = frozenset(a for a, cls in COMMANDS.items() if cls.issued_by == SECRETARIAT)
"""Actions that run the investigation itself: the secretariat only."""

__all__ = [
    "ACTIONS",
    "ANYONE",
    "BEFORE_DECISION",
    "COMMANDS",
    "LIVE",
    "PARTY",
    "SECRETARIAT",
    "SECRETARIAT_ACTIONS",
    "AddDocument",
    "AnchorMandate",
    "AnchorStep",
    "CloseStep",
    "Command",
    "Filing",
    "CouncilDecision",
    "HoldSession",
    "Invite",
    "OpenStep",
    "OptOut",
    "PassGate",
    "RateTopic",
    "ReachMilestone",
    "RecordConsensus",
    "RecordConsultation",
    "RecordFact",
    "RecordInsight",
    "Recordable",
    "RegisterRepresentative",
    "RegisterTopic",
    "ReviseMandate",
    "SetCaseNumber",
    "SetMilestone",
    "Start",
    "SteeringGroupDecision",
    "SubmitDecisionBasis",
]
