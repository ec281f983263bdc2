"""Topics to explore: registering, rating (difficulty is the maximum), a session's consensus."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

import attrs

from stepgate.model import events as ev
from stepgate.model import fields as f
from stepgate.model.commands.base import (
    BEFORE_DECISION,
    Command,
    known,
    open_session,
    people,
)
from stepgate.model.text import Text
from stepgate.model.values import difficulty

if TYPE_CHECKING:
    from stepgate.model.context import Context


def _rated(ctx: Context, command: RegisterTopic | RateTopic) -> Iterator[Text]:
    """The session (when given) is the open step's; then ``by`` must be a known representative."""
    yield from open_session(ctx.state, command.session)
    if command.session is not None:
        yield from known("representant", "representative", (command.by,), ctx.state.representatives)


@attrs.frozen
class RegisterTopic(Command):
    """Register a topic to explore, rated by whoever raised it."""

    action: ClassVar[str] = "register_topic"
    possible: ClassVar[tuple[str, ...]] = BEFORE_DECISION

    title: str = attrs.field(validator=f.is_text(required=True, what="topic title"))
    difficulty: int = attrs.field(converter=difficulty)
    by: str = attrs.field(default="", kw_only=True, validator=f.is_text(what="by"))
    session: str | None = attrs.field(
        default=None, kw_only=True, validator=f.is_optional_text(what="session")
    )

    def refs(self, ctx: Context) -> Iterator[Text]:
        """A session given is the open step's, and the rater attends it."""
        return _rated(ctx, self)

    def speaks_for(self, ctx: Context) -> Iterator[tuple[str | None, Text]]:
        """A rating by a representative speaks for that representative's party."""
        if self.by:
            yield from people(
                ctx, (self.by,), Text(f"ei vurdering frå {self.by}", f"a rating by {self.by}")
            )

    def events(self, ctx: Context) -> list[ev.Event]:
        """The topic with the next id (T1, T2, …), registered in the current step (0: before)."""
        topic_id = f"T{ctx.state.topic_count + 1}"
        step = ctx.state.step_number
        return [
            ev.TopicRegistered(
                self.on, topic_id, self.title, self.difficulty, self.by, step, self.session
            )
        ]


@attrs.frozen
class RateTopic(Command):
    """Rate a topic; the difficulty becomes the maximum of the ratings."""

    action: ClassVar[str] = "rate_topic"
    possible: ClassVar[tuple[str, ...]] = BEFORE_DECISION

    topic: str = attrs.field(validator=f.is_text(required=True, what="topic"))
    difficulty: int = attrs.field(converter=difficulty)
    by: str = attrs.field(default="", kw_only=True, validator=f.is_text(what="by"))
    session: str | None = attrs.field(
        default=None, kw_only=True, validator=f.is_optional_text(what="session")
    )

    def refs(self, ctx: Context) -> Iterator[Text]:
        """The topic exists; a session given is the open step's."""
        yield from known("tema", "topic", (self.topic,), ctx.state.topic_ids)
        yield from _rated(ctx, self)

    def speaks_for(self, ctx: Context) -> Iterator[tuple[str | None, Text]]:
        """A rating by a representative speaks for that representative's party."""
        if self.by:
            yield from people(
                ctx, (self.by,), Text(f"ei vurdering frå {self.by}", f"a rating by {self.by}")
            )

    def events(self, ctx: Context) -> list[ev.Event]:
        """The rating."""
        return [ev.TopicRated(self.on, self.topic, self.difficulty, self.by, self.session)]


@attrs.frozen
class RecordConsensus(Command):
    """A session agrees on a topic's difficulty; the only way to lower it."""

    action: ClassVar[str] = "record_consensus"
    possible: ClassVar[tuple[str, ...]] = ("insight",)

    topic: str = attrs.field(validator=f.is_text(required=True, what="topic"))
    difficulty: int = attrs.field(converter=difficulty)
    session: str = attrs.field(kw_only=True, validator=f.is_text(required=True, what="session"))

    def refs(self, ctx: Context) -> Iterator[Text]:
        """The topic exists and the session is the open step's."""
        yield from known("tema", "topic", (self.topic,), ctx.state.topic_ids)
        yield from open_session(ctx.state, self.session)

    def speaks_for(self, ctx: Context) -> Iterator[tuple[str | None, Text]]:
        """A consensus speaks for everyone who attended the session."""
        session = ctx.state.sessions.get(self.session)
        attendees = session.attendees if session is not None else ()
        why = Text(f"semja i økta {self.session}", f"the consensus of session {self.session}")
        yield from people(ctx, attendees, why)

    def events(self, ctx: Context) -> list[ev.Event]:
        """The consensus."""
        return [ev.ConsensusRecorded(self.on, self.topic, self.difficulty, self.session)]
