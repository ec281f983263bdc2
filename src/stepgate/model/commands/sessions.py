"""Work in a step: sessions where everybody takes part as an equal, insights, consultations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from stepgate.model import events as ev
from stepgate.model import fields as f
from stepgate.model.commands.base import (
    PARTY,
    Command,
    Filing,
    current,
    known,
    open_session,
    participant,
    party_ref,
    people,
    resolved,
)
from stepgate.model.text import Text

if TYPE_CHECKING:
    from stepgate.model.context import Context


def _attendees(value: Any) -> tuple[str, ...]:
    return f.ids("attendees", value, "R1")


def _topics(value: Any) -> tuple[str, ...]:
    return f.ids("topics", value, "T1")


def _contributors(value: Any) -> tuple[str, ...]:
    return f.ids("contributors", value, "R1")


@attrs.frozen
class HoldSession(Filing):
    """Hold a work session in the open step; attendees are representative ids."""

    action: ClassVar[str] = "hold_session"
    possible: ClassVar[tuple[str, ...]] = ("insight",)

    title: str = attrs.field(validator=f.is_text(required=True, what="session title"))
    attendees: tuple[str, ...] = attrs.field(converter=_attendees)

    def refs(self, ctx: Context) -> Iterator[Text]:
        """A session has attendees, each a known representative."""
        if not self.attendees:
            yield Text("ei økt treng deltakarar", "a session needs attendees")
        reps = ctx.state.representatives
        yield from known("representant", "representative", self.attendees, reps)

    def speaks_for(self, ctx: Context) -> Iterator[tuple[str | None, Text]]:
        """A session speaks for the parties of those who attend it."""
        yield from people(
            ctx,
            self.attendees,
            Text(
                "ei økt som representanten til parten er med på",
                "a session its representative attends",
            ),
        )

    def events(self, ctx: Context) -> list[ev.Event]:
        """The session with the next id (S1, S2, …), in the open step."""
        session_id = f"S{ctx.state.session_count + 1}"
        step = current(ctx).number
        return [
            ev.SessionHeld(self.on, session_id, step, self.title, self.attendees, self.documents)
        ]


@attrs.frozen
class RecordInsight(Filing):
    """Record a finding from a session, linked to topics and contributors."""

    action: ClassVar[str] = "record_insight"
    possible: ClassVar[tuple[str, ...]] = ("insight",)

    session: str = attrs.field(validator=f.is_text(required=True, what="session"))
    text: str = attrs.field(validator=f.is_text(required=True, what="insight text"))
    topics: tuple[str, ...] = attrs.field(default=(), converter=_topics)
    contributors: tuple[str, ...] = attrs.field(default=(), converter=_contributors)

    def refs(self, ctx: Context) -> Iterator[Text]:
        """The session is the open step's; topics and contributors exist."""
        s = ctx.state
        yield from open_session(s, self.session)
        yield from known("tema", "topic", self.topics, s.topic_ids)
        yield from known("representant", "representative", self.contributors, s.representatives)

    def speaks_for(self, ctx: Context) -> Iterator[tuple[str | None, Text]]:
        """An insight speaks for the parties of those it credits."""
        yield from people(
            ctx,
            self.contributors,
            Text(
                "ei innsikt der representanten til parten står som bidragsytar",
                "an insight crediting its representative",
            ),
        )

    def events(self, ctx: Context) -> list[ev.Event]:
        """The insight with the next id (I1, I2, …), in the open step."""
        return [
            ev.InsightRecorded(
                self.on,
                f"I{ctx.state.insight_count + 1}",
                self.session,
                current(ctx).number,
                self.text,
                self.topics,
                self.contributors,
                self.documents,
            )
        ]


@attrs.frozen
class RecordConsultation(Command):
    """Record a formal consultation (drøfting) with a party's unions in this step."""

    action: ClassVar[str] = "record_consultation"
    possible: ClassVar[tuple[str, ...]] = ("insight",)
    issued_by: ClassVar[str] = PARTY

    municipality: str = attrs.field(converter=party_ref)
    note: str = attrs.field(default="", validator=f.is_text(what="note"))

    def refs(self, ctx: Context) -> Iterator[Text]:
        """The party takes part."""
        return participant(ctx.state, ctx.municipality, self.municipality)

    def speaks_for(self, ctx: Context) -> Iterator[tuple[str | None, Text]]:
        """A consultation speaks for the party's unions."""
        yield (
            ctx.municipality,
            Text("ei drøfting med dei tillitsvalde til parten", "a consultation with its unions"),
        )

    def events(self, ctx: Context) -> list[ev.Event]:
        """The consultation, in the open step."""
        return [ev.ConsultationRecorded(self.on, resolved(ctx), current(ctx).number, self.note)]
