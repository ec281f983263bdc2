"""stepgate: stepwise public-sector investigations as an explainable state machine.

insight → next step → political anchoring gate, under the trust-reform method
of the Sogn region. See the README for a tour and ``docs/`` for the rules.
"""

from __future__ import annotations

from importlib import metadata as _metadata

from stepgate.api.clock import Clock, FixedClock, SystemClock
from stepgate.api.investigation import Investigation
from stepgate.api.store import Store, open_store
from stepgate.engine.engine import Engine
from stepgate.engine.machine import STATES
from stepgate.errors import (
    CommandRefused,
    ConcurrencyConflict,
    DefinitionChanged,
    InvalidDefinition,
    InvalidValue,
    NotAllowed,
    NotAStepgateDatabase,
    RecordBroken,
    SchemaTooNew,
    SchemaTooOld,
    StepgateError,
    StorageUnavailable,
    StoreError,
    UnknownInvestigation,
)
from stepgate.model.commands import COMMANDS, Command
from stepgate.model.events import EVENT_TYPES, Event, Recorded
from stepgate.model.state import InvestigationState
from stepgate.model.values import (
    Actor,
    Body,
    CouncilOutcome,
    Municipality,
    Outcome,
    Phase,
    Region,
    Role,
    SteeringOutcome,
)
from stepgate.model.violation import Signal, Violation
from stepgate.process.process import TRUST_REFORM_PHASES, TRUST_REFORM_RULES, Process, trust_reform
from stepgate.rules.rule import Context, Policy, Rule, rule
from stepgate.rules.topics import earliness
from stepgate.store.record import Audit, ChainBreak, Checkpoint, Summary, Verification

try:
    __version__ = _metadata.version("stepgate")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Actor",
    "Audit",
    "Body",
    "COMMANDS",
    "ChainBreak",
    "Checkpoint",
    "Clock",
    "Command",
    "CommandRefused",
    "ConcurrencyConflict",
    "Context",
    "CouncilOutcome",
    "DefinitionChanged",
    "EVENT_TYPES",
    "Engine",
    "Event",
    "FixedClock",
    "InvalidDefinition",
    "InvalidValue",
    "Investigation",
    "InvestigationState",
    "Municipality",
    "NotAStepgateDatabase",
    "NotAllowed",
    "Outcome",
    "Phase",
    "Policy",
    "Process",
    "RecordBroken",
    "Recorded",
    "Region",
    "Role",
    "Rule",
    "STATES",
    "SchemaTooNew",
    "SchemaTooOld",
    "Signal",
    "SteeringOutcome",
    "StepgateError",
    "StorageUnavailable",
    "Store",
    "StoreError",
    "Summary",
    "SystemClock",
    "TRUST_REFORM_PHASES",
    "TRUST_REFORM_RULES",
    "UnknownInvestigation",
    "Verification",
    "Violation",
    "__version__",
    "earliness",
    "open_store",
    "rule",
    "trust_reform",
]
