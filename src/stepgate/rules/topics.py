"""The hardest topics are raised early (S:112), precisely as DOMAIN.md §5 says.

*d(t)* is a topic's difficulty, *reg(t)* the step it was registered in (0 =
before step 1), *first(t)* the first step with an insight on it. Step *k*
closes only if every topic with d(t) >= H and reg(t) < k has first(t) <= k.
The state keeps the unraised topics as an index, so the check reads only
those: closing a step costs the same with 10 or 10 000 raised topics.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stepgate.errors import InvalidValue
from stepgate.model.commands import RecordInsight
from stepgate.model.context import Context
from stepgate.model.seed import cite
from stepgate.model.state import InvestigationState, Topic
from stepgate.model.text import Text
from stepgate.rules.rule import rule


def _hard_unraised(ctx: Context, before_step: int) -> Iterator[Topic]:
    state, threshold = ctx.state, ctx.policy.hard_threshold
    for topic_id in state.unraised:
        topic = state.topics[topic_id]
        if topic.difficulty >= threshold and topic.registered_step < before_step:
            yield topic


def _strict(ctx: Context, cmd: RecordInsight) -> Iterator[dict[str, Any]]:
    state = ctx.state
    step = state.step
    assert step is not None  # an insight is recorded in the open step
    # a harder topic raised earlier (in this session or before) has left ``unraised``
    covered = set(cmd.topics)
    for topic_id in cmd.topics:  # known: references resolve before rules run
        difficulty, title = state.difficulty_of(topic_id), state.topic_title(topic_id)
        # a raised topic's title is history: the working state names it by id and difficulty
        named_nn = (
            f"{topic_id} «{title}»" if title else f"{topic_id} (vanske {difficulty}, alt løfta)"
        )
        named_en = (
            f"{topic_id} '{title}'"
            if title
            else f"{topic_id} (difficulty {difficulty}, already raised)"
        )
        for other_id in state.unraised:
            other = state.topics[other_id]
            harder = other.difficulty > difficulty
            if harder and other.registered_step < step.number and other_id not in covered:
                yield {
                    "detail": Text(
                        f"{other.id} «{other.title}» (vanske {other.difficulty}) er "
                        f"vanskelegare enn {named_nn} og er ikkje løfta enno",
                        f"topic {other.id} '{other.title}' (difficulty "
                        f"{other.difficulty}) is harder than {named_en} and not "
                        "raised yet (strict mode); raise it first or in the same session",
                    ),
                    "objects": (other.id, topic_id),
                }


@rule(
    "hardest-topics-first",
    at={"close_step", "record_insight"},
    seed=cite("S:112"),
    nn="Dei vanskelegaste temaa skal løftast tidleg: {detail}.",
    en="The hardest topics are raised early: {detail}.",
)
def hardest_topics_first(ctx: Context) -> Iterator[dict[str, Any]]:
    """Every hard topic known before step k is raised by the time step k closes."""
    cmd = ctx.command
    if isinstance(cmd, RecordInsight):
        if ctx.policy.strict_hardest_first:
            yield from _strict(ctx, cmd)
        return
    step = ctx.state.step
    if step is None:
        return
    for topic in _hard_unraised(ctx, step.number):
        when_nn = "før steg 1" if topic.registered_step == 0 else f"i steg {topic.registered_step}"
        when_en = (
            "before step 1" if topic.registered_step == 0 else f"in step {topic.registered_step}"
        )
        yield {
            "detail": Text(
                f"tema {topic.id} «{topic.title}» (vanske {topic.difficulty}) vart "
                f"registrert {when_nn} og er ikkje løfta enno; registrer ei innsikt om det i ei "
                f"økt i steg {step.number}",
                f"topic {topic.id} '{topic.title}' (difficulty {topic.difficulty}) "
                f"was registered {when_en} and is not raised yet; record an insight on it in a "
                f"session of step {step.number}",
            ),
            "objects": (topic.id,),
        }


def earliness(state: InvestigationState) -> float:
    """How early the topics were raised, weighted by difficulty: 1.0 = all in step 1.

    It reads every topic and step: ``state`` is a history (``history=True``).

    E = Σ d(t)·(n − first(t)) / Σ d(t)·(n − 1) over every topic, with *n* the
    number of steps so far; a topic never raised counts as raised in step *n*
    (it adds nothing). With one step, E is the difficulty-weighted share raised.
    """
    if not state.history:
        raise InvalidValue(
            nn="tidlegheit les alle tema og steg: gje ho ei historie "
            "(Investigation.history(), eller kall Investigation.earliness())",
            en="earliness reads every topic and step: give it a history "
            "(Investigation.history(), or call Investigation.earliness())",
        )
    n = len(state.steps)
    topics = list(state.topics.values())
    if not topics:
        return 1.0
    if n == 0:
        return 0.0
    total = sum(t.difficulty for t in topics)
    if n == 1:
        return sum(t.difficulty for t in topics if t.first_raised == 1) / total
    weighted = sum(t.difficulty * (n - (t.first_raised or n)) for t in topics)
    return weighted / (total * (n - 1))
