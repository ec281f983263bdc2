"""What every command has: the day, its place in the lifecycle, who may issue it, its checks.

A command is a frozen value that checks its own fields at construction (a
difficulty of 7 or an unknown body never reaches the engine). Its class is
its one home: the fields, ``possible`` (the lifecycle states it runs in
without moving the lifecycle; a command that moves it runs where the
process's lifecycle says that move starts), ``issued_by`` (who may issue it),
``refs`` (references that must resolve), ``speaks_for`` (whose people or
positions it speaks for) and ``events`` (what it records). Whether it may run
is for the engine and the rules to say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from stepgate.errors import InvalidValue
from stepgate.model import events as ev
from stepgate.model import fields as f
from stepgate.model.documents import FiledDocument
from stepgate.model.documents import documents as filed_documents
from stepgate.model.exemptions import exemption_text
from stepgate.model.references import (
    MeetingItem,
    RegistryEntry,
    meeting,
    registry_entry,
)
from stepgate.model.state import InvestigationState, Step
from stepgate.model.text import Text
from stepgate.model.values import AnyBody, Outcome, OwnBody, body_named

if TYPE_CHECKING:
    from stepgate.model.context import Context


LIVE = ("draft", "mandate", "insight", "anchoring", "held", "planning", "decision")
"""Every state that is not an end."""
BEFORE_DECISION = ("draft", "mandate", "insight", "anchoring", "held", "planning")
EVERY_STATE = (*LIVE, "concluded", "stopped")
"""Every lifecycle state, in the order of the method."""

SECRETARIAT = "secretariat"
"""Only the secretariat issues it: it runs the investigation."""
PARTY = "party"
"""The party it names issues it (its own actors), or the secretariat."""
ANYONE = "anyone"
"""Anyone may issue it, as long as it speaks for nobody else's people."""


def on(value: Any) -> dt.date:
    """The ``on`` field: the business date."""
    return f.a_day("on", value)


@attrs.frozen
class Command:
    """Base of every command: the day it happened (``on``)."""

    action: ClassVar[str] = "command"
    possible: ClassVar[tuple[str, ...]] = ()
    issued_by: ClassVar[str] = ANYONE
    needs: ClassVar[str | None] = None  # a feature of the process: mandate, steering, several

    on: dt.date = attrs.field(converter=on, kw_only=True)

    @classmethod
    def make(cls, **fields: Any) -> Command:
        """The command with ``fields``, every one checked; InvalidValue names the action."""
        names, required = _field_names(cls)
        unknown = sorted(fields.keys() - names)
        if unknown:
            raise InvalidValue(
                nn=f"{cls.action}: ukjende felt {unknown}; felta er {sorted(names)}",
                en=f"{cls.action}: unknown field(s) {unknown}; its fields are {sorted(names)}",
            )
        missing = sorted(required - fields.keys())
        if missing:
            raise InvalidValue(
                nn=f"{cls.action}: manglande felt {missing}",
                en=f"{cls.action}: missing field(s) {missing}",
            )
        try:
            return cls(**fields)
        except InvalidValue as error:
            raise InvalidValue(
                nn=f"{cls.action}: {error.message('nn')}", en=f"{cls.action}: {error}"
            ) from None

    def refs(self, ctx: Context) -> Iterator[Text]:
        """Every reference in the command that does not resolve."""
        return iter(())

    def speaks_for(self, ctx: Context) -> Iterator[tuple[str | None, Text]]:
        """Each party (None: one that is not a municipality) it speaks for, and what speaks.

        What speaks is said in Nynorsk and English, as a part of a sentence ("the position").
        """
        if self.issued_by == PARTY:
            yield ctx.municipality, Text("standpunktet", "the position")

    def opts_out(self, ctx: Context) -> bool:
        """True when it is an opt-out, which no rule may block (free-to-leave)."""
        return False

    def events(self, ctx: Context) -> list[ev.Event]:
        """The events of the accepted command."""
        raise NotImplementedError


_FIELD_NAMES: dict[type, tuple[frozenset[str], frozenset[str]]] = {}


def _field_names(kind: type[Command]) -> tuple[frozenset[str], frozenset[str]]:
    """A command class's field names, and those without a default (asked once per class)."""
    found = _FIELD_NAMES.get(kind)
    if found is None:
        fields = attrs.fields(kind)
        names = frozenset(a.name for a in fields)
        required = frozenset(a.name for a in fields if a.default is attrs.NOTHING)
        found = _FIELD_NAMES[kind] = (names, required)
    return found


@attrs.frozen
class Filing(Command):
    """A command that may file documents with what it records (``documents``)."""

    documents: tuple[FiledDocument, ...] = attrs.field(
        default=(), kw_only=True, converter=filed_documents
    )


@attrs.frozen
class Recordable(Filing):
    """A command that leaves a record which is public unless it has an exemption ground.

    It may say where the archive keeps it: its registry entry (journalpost) and,
    for a body's decision, the meeting item. ``case_ref`` is the free-text
    reference of earlier versions (deprecated: the API warns). ``exemption`` is a
    ground of offentleglova, an ``Exemption`` or its citation; a text that names
    no ground of the catalogue is kept as given, for ``open-record`` to refuse.
    """

    case_ref: str = attrs.field(default="", kw_only=True, validator=f.is_text(what="case_ref"))
    public: bool = attrs.field(default=True, kw_only=True, validator=f.is_flag())
    exemption: str | None = attrs.field(default=None, kw_only=True, converter=exemption_text)
    registry_entry: RegistryEntry | None = attrs.field(
        default=None, kw_only=True, converter=registry_entry
    )
    meeting: MeetingItem | None = attrs.field(default=None, kw_only=True, converter=meeting)

    def filing(self) -> dict[str, Any]:
        """The fields of the event that say where the archive keeps it, and what it files."""
        return {
            "documents": self.documents,
            "registry_entry": self.registry_entry,
            "meeting": self.meeting,
        }


# --- converters: a field's value in its one stored form ------------------------------


def party_ref(value: Any) -> str:
    """A party as given: a kommunenummer, an organisation's id or a name, as text."""
    return f.text("municipality", value, required=True).strip()


def optional_party_ref(value: Any) -> str | None:
    """None, or a party as given."""
    return None if value is None else party_ref(value)


def body(value: Any) -> AnyBody:
    """A body by its name: a built-in one, or a process's own (checked against the process)."""
    return body_named(value)


def optional_body(value: Any) -> AnyBody | None:
    """None, or a body by its name."""
    return None if value is None else body_named(value)


def outcome(value: Any) -> Outcome:
    """An outcome of anchoring a mandate."""
    return Outcome.of(value)


def gate_outcome(value: Any) -> str:
    """An outcome at a gate: a lower-case name (the process's gate says which exist)."""
    text = f.text("outcome", value, required=True).strip()
    if not text.replace("_", "").isalnum() or not text.isascii() or not text.islower():
        raise InvalidValue(
            nn=f"ukjent utfall {value!r}; eit utfall er eit namn med små bokstavar",
            en=f"unknown outcome {value!r}; an outcome is a lower-case name",
        )
    return text


# --- references: what a command names must exist -------------------------------------


def member(state: InvestigationState, party: str | None, ref: str) -> Iterator[Text]:
    """``ref`` names a member of the investigation's region."""
    if party is None:
        known = ", ".join(str(m) for m in state.region.members)
        yield Text(
            f"{ref!r} er ikkje medlem av {state.region.name}; medlemene er: {known}",
            f"{ref!r} is not a member of {state.region.name}; members are: {known}",
        )


def participant(state: InvestigationState, party: str | None, ref: str) -> Iterator[Text]:
    """``ref`` names a member that takes part now."""
    yield from member(state, party, ref)
    if party is not None and party not in state.participants:
        yield Text(
            f"{state.name_of(party)} er ikkje deltakar",
            f"{state.name_of(party)} is not a participant",
        )


def has_body(state: InvestigationState, party: str | None, body: AnyBody) -> Iterator[Text]:
    """A body at home must be one the party has (a process's own bodies every party has)."""
    member = state.region.party(party) if party is not None else None
    own = isinstance(body, OwnBody)
    if member is not None and body.at_home and not own and body not in member.bodies:
        yield Text(
            f"{member.name} har ikkje organet {body.value}; organa er "
            f"{', '.join(sorted(member.bodies))}, eller eit prosessen set opp",
            f"{member.name} has no body {body.value!r}; its bodies are "
            f"{', '.join(sorted(member.bodies))}, or one the process declares",
        )


def known(kind_nn: str, kind_en: str, ids: Any, table: Container[str]) -> Iterator[Text]:
    """Each id in ``ids`` is in ``table`` (a dict of them, or ``Numbered`` ids)."""
    for ref in ids:
        if ref not in table:
            yield Text(f"ukjend {kind_nn} {ref}", f"unknown {kind_en} {ref!r}")


def open_session(state: InvestigationState, session: str | None) -> Iterator[Text]:
    """``session`` (when given) is a session of the open step."""
    if session is None:
        return
    found = state.sessions.get(session)  # the open step's sessions
    if not state.held_session(session):
        yield Text(f"ukjend økt {session}", f"unknown session {session!r}")
    elif (
        found is None
        or state.step is None
        or found.step != state.step.number
        or state.lifecycle != "insight"
    ):
        yield Text(
            f"økta {session} høyrer ikkje til det opne steget",
            f"session {session!r} is not a session of the open step",
        )


def phase_order(ctx: Context, phase: str | None) -> Iterator[Text]:
    """``phase`` (when given) is one of the process's, not before the current one."""
    if phase is None:
        return
    if phase not in ctx.phases:
        yield Text(f"ukjend fase {phase}", f"unknown phase {phase!r}; phases: {list(ctx.phases)}")
    elif ctx.state.step is not None and ctx.phases.index(phase) < ctx.phases.index(
        ctx.state.step.phase
    ):
        yield Text(
            f"fasen {phase} kjem før {ctx.state.step.phase}",
            f"phase {phase!r} comes before the current phase {ctx.state.step.phase!r}",
        )


def people(ctx: Context, ids: tuple[str, ...], why: Text) -> Iterator[tuple[str | None, Text]]:
    """The party of each known representative in ``ids`` (unknown ones: refs refuse them)."""
    table = ctx.state.representatives
    for rep in ids:
        if rep in table:
            yield table[rep].municipality, why


def current(ctx: Context) -> Step:
    """The current step (the machine made sure there is one)."""
    step = ctx.state.step
    assert step is not None
    return step


def resolved(ctx: Context) -> str:
    """The command's party, resolved (the checks made sure it is)."""
    assert ctx.municipality is not None
    return ctx.municipality


def phase_done(ctx: Context, phase: str, done: dt.date) -> list[ev.Event]:
    """The milestones of ``phase`` not reached yet, reached on ``done``."""
    return [
        ev.MilestoneReached(done, m.name)
        for m in ctx.state.milestones.values()
        if m.phase == phase and m.reached_on is None
    ]
