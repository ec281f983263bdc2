"""Setting an investigation up: milestones, the mandate, invitations, facts for custom rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from stepgate.model import events as ev
from stepgate.model import fields as f
from stepgate.model.commands.base import (
    BEFORE_DECISION,
    LIVE,
    SECRETARIAT,
    Command,
    Filing,
    member,
)
from stepgate.model.text import Text

if TYPE_CHECKING:
    from stepgate.model.context import Context


def _due(value: Any) -> dt.date:
    return f.a_day("due", value)


def _answer_by(value: Any) -> dt.date | None:
    return f.optional_day("answer_by", value)


def _municipalities(value: Any) -> tuple[str, ...] | None:
    return None if value is None else f.ids("municipalities", value, "4640")


@attrs.frozen
class SetMilestone(Command):
    """Set the due date of a milestone (a phase's, or any other)."""

    action: ClassVar[str] = "set_milestone"
    possible: ClassVar[tuple[str, ...]] = LIVE
    issued_by: ClassVar[str] = SECRETARIAT

    name: str = attrs.field(validator=f.is_text(required=True, what="milestone name"))
    due: dt.date = attrs.field(converter=_due)
    phase: str | None = attrs.field(default=None, validator=f.is_optional_text(what="phase"))

    def refs(self, ctx: Context) -> Iterator[Text]:
        """A phase's milestone names one of the process's phases."""
        if self.phase is not None and self.phase not in ctx.phases:
            yield Text(
                f"ukjend fase {self.phase}",
                f"unknown phase {self.phase!r}; phases: {list(ctx.phases)}",
            )

    def events(self, ctx: Context) -> list[ev.Event]:
        """The milestone with its due date."""
        return [ev.MilestoneSet(self.on, self.name, self.due, self.phase)]


@attrs.frozen
class ReachMilestone(Command):
    """Mark a milestone that is not a phase's as reached."""

    action: ClassVar[str] = "reach_milestone"
    possible: ClassVar[tuple[str, ...]] = LIVE
    issued_by: ClassVar[str] = SECRETARIAT

    name: str = attrs.field(validator=f.is_text(required=True, what="milestone name"))

    def refs(self, ctx: Context) -> Iterator[Text]:
        """The milestone exists."""
        if self.name not in ctx.state.milestones:
            yield Text(f"ukjend milepæl {self.name}", f"unknown milestone {self.name!r}")

    def events(self, ctx: Context) -> list[ev.Event]:
        """The milestone, reached today."""
        return [ev.MilestoneReached(self.on, self.name)]


@attrs.frozen
class ReviseMandate(Filing):
    """Publish a new mandate version; every participant must anchor it again."""

    action: ClassVar[str] = "revise_mandate"
    possible: ClassVar[tuple[str, ...]] = BEFORE_DECISION
    issued_by: ClassVar[str] = SECRETARIAT
    needs: ClassVar[str | None] = "mandate"

    text: str = attrs.field(validator=f.is_text(required=True, what="mandate text"))

    def events(self, ctx: Context) -> list[ev.Event]:
        """The next version of the mandate."""
        return [
            ev.MandateRevised(self.on, ctx.state.mandate_version + 1, self.text, self.documents)
        ]


@attrs.frozen
class Invite(Command):
    """Invite members of the region (all of them unless ``municipalities`` is given)."""

    action: ClassVar[str] = "invite"
    possible: ClassVar[tuple[str, ...]] = ("mandate",)  # and the move from draft
    issued_by: ClassVar[str] = SECRETARIAT
    needs: ClassVar[str | None] = "mandate"

    municipalities: tuple[str, ...] | None = attrs.field(default=None, converter=_municipalities)
    answer_by: dt.date | None = attrs.field(default=None, converter=_answer_by)

    def refs(self, ctx: Context) -> Iterator[Text]:
        """Everyone invited is a member of the region."""
        for ref in self.municipalities or ():
            yield from member(ctx.state, ctx.state.resolve(ref), ref)

    def events(self, ctx: Context) -> list[ev.Event]:
        """The invitation of the chosen members (by id)."""
        s = ctx.state
        chosen = self.municipalities or tuple(m.id for m in s.region.members)
        return [ev.Invited(self.on, tuple(s.resolve(ref) or ref for ref in chosen), self.answer_by)]


@attrs.frozen
class RecordFact(Command):
    """Record a named fact (e.g. ``working-method-clarified``) for a process's own rules."""

    action: ClassVar[str] = "record_fact"
    possible: ClassVar[tuple[str, ...]] = LIVE
    issued_by: ClassVar[str] = SECRETARIAT

    name: str = attrs.field(validator=f.is_text(required=True, what="fact name"))
    value: str = attrs.field(default="yes", validator=f.is_text(what="fact value"))

    def events(self, ctx: Context) -> list[ev.Event]:
        """The fact."""
        return [ev.FactRecorded(self.on, self.name, self.value)]
