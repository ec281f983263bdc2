"""The public names of stepgate, imported from their homes; ``import stepgate`` loads it on use.

``stepgate/__init__.py`` loads this module the first time a public name is
asked for, so that importing stepgate alone (as pytest does for the plugin)
costs next to nothing. Everything public is listed in ``__all__`` here.
"""

from __future__ import annotations

from importlib import metadata as _metadata

from stepgate.api.clock import Clock, FixedClock, SystemClock
from stepgate.api.documents import Document
from stepgate.api.investigation import Investigation
from stepgate.api.registry import find_process, import_process
from stepgate.api.registry import registered as registered_processes
from stepgate.api.store import Store, open_store
from stepgate.archive.package import Extraction, extract
from stepgate.engine.engine import Engine
from stepgate.engine.machine import STATES
from stepgate.errors import (
    AlreadyExists,
    CommandRefused,
    ConcurrencyConflict,
    DefinitionChanged,
    InvalidDefinition,
    InvalidValue,
    NotAllowed,
    NotAStepgateDatabase,
    NotInstalled,
    ProcessNotFound,
    RecordBroken,
    RuleFailed,
    SchemaTooNew,
    SchemaTooOld,
    StepgateError,
    StorageUnavailable,
    StoreError,
    UnknownInvestigation,
)
from stepgate.model.commands import COMMANDS, Command
from stepgate.model.context import Context, Policy
from stepgate.model.definition import (
    ANCHORING_OUTCOMES,
    EVERY_PARTICIPANT,
    MAJORITY,
    ONE_BODY,
    Decider,
    Effect,
    Ending,
    FixedParties,
    Gate,
    GateOutcome,
    JoinByMandate,
    SingleOrganisation,
    Steering,
)
from stepgate.model.documents import DocumentKind, FiledDocument, Placed
from stepgate.model.events import EVENT_TYPES, Event, Recorded
from stepgate.model.exemptions import GROUNDS as EXEMPTION_GROUNDS
from stepgate.model.exemptions import Exemption
from stepgate.model.references import CaseNumber, MeetingItem, RegistryEntry
from stepgate.model.state import InvestigationState
from stepgate.model.text import CATALOGUE, Text
from stepgate.model.values import (
    Actor,
    Body,
    CouncilOutcome,
    Municipality,
    Organisation,
    Outcome,
    Phase,
    Region,
    Role,
    SteeringOutcome,
)
from stepgate.model.violation import Signal, Violation
from stepgate.process.process import Process
from stepgate.process.trust_reform import (
    RULES,
    TRUST_REFORM_PHASES,
    TRUST_REFORM_RULES,
    trust_reform,
)
from stepgate.report.noark.mapping import Archive, Classification
from stepgate.report.noark.record import public_journal
from stepgate.rules.rule import Rule, rule
from stepgate.rules.topics import earliness
from stepgate.store.record import (
    Audit,
    ChainBreak,
    Checkpoint,
    FeedEvent,
    Summary,
    Verification,
)

try:
    __version__ = _metadata.version("stepgate")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "ANCHORING_OUTCOMES",
    "Actor",
    "AlreadyExists",
    "Archive",
    "Audit",
    "Body",
    "CATALOGUE",
    "COMMANDS",
    "CaseNumber",
    "ChainBreak",
    "Checkpoint",
    "Classification",
    "Clock",
    "Command",
    "CommandRefused",
    "ConcurrencyConflict",
    "Context",
    "CouncilOutcome",
    "Decider",
    "DefinitionChanged",
    "Document",
    "DocumentKind",
    "EVENT_TYPES",
    "EVERY_PARTICIPANT",
    "EXEMPTION_GROUNDS",
    "Effect",
    "Ending",
    "Engine",
    "Event",
    "Exemption",
    "Extraction",
    "FeedEvent",
    "FiledDocument",
    "FixedClock",
    "FixedParties",
    "Gate",
    "GateOutcome",
    "InvalidDefinition",
    "InvalidValue",
    "Investigation",
    "InvestigationState",
    "JoinByMandate",
    "MAJORITY",
    "MeetingItem",
    "Municipality",
    "NotAStepgateDatabase",
    "NotAllowed",
    "NotInstalled",
    "ONE_BODY",
    "Organisation",
    "Outcome",
    "Phase",
    "Placed",
    "Policy",
    "Process",
    "ProcessNotFound",
    "RULES",
    "RecordBroken",
    "Recorded",
    "Region",
    "RegistryEntry",
    "Role",
    "Rule",
    "RuleFailed",
    "STATES",
    "SchemaTooNew",
    "SchemaTooOld",
    "Signal",
    "SingleOrganisation",
    "Steering",
    "SteeringOutcome",
    "StepgateError",
    "StorageUnavailable",
    "Store",
    "StoreError",
    "Summary",
    "SystemClock",
    "TRUST_REFORM_PHASES",
    "TRUST_REFORM_RULES",
    "Text",
    "UnknownInvestigation",
    "Verification",
    "Violation",
    "__version__",
    "earliness",
    "extract",
    "find_process",
    "import_process",
    "open_store",
    "public_journal",
    "registered_processes",
    "rule",
    "trust_reform",
]
