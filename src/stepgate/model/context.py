"""What a rule and a command see: the policy of a process, and the context of one command.

``Policy`` holds a process's knobs (the hard-topic threshold, whether a noting
counts, the minimum of participants, …); every problem is listed at once when
one is off. ``Context`` is the state, the command and the process's
declarations (phases, parties, gate, ending) as the engine hands them over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Protocol

import attrs

from stepgate.errors import InvalidDefinition
from stepgate.model.definition import (
    EVERY_PARTICIPANT,
    Ending,
    Gate,
    JoinByMandate,
    Parties,
    Steering,
)
from stepgate.model.state import InvestigationState
from stepgate.model.text import Text, said
from stepgate.model.values import AnyBody, Body, body_named


class Asked(Protocol):
    """What every command is to a rule: its action and its day (``stepgate.Command`` is one)."""

    @property
    def action(self) -> str:
        """The command's action, e.g. ``close_step``."""

    @property
    def on(self) -> dt.date:
        """The day it happened."""


HOME_POLITICAL = frozenset({Body.KOMMUNESTYRE, Body.FORMANNSKAP, Body.UTVAL, Body.ORDFORAR})


def _political(value: Iterable[Any]) -> frozenset[AnyBody]:
    return frozenset(body_named(v) for v in value)


@attrs.frozen
class Policy:
    """The knobs of a process. Every problem is listed at once when one is off."""

    hard_threshold: int = 4
    noted_counts: bool = True
    minimum_participants: int = 2
    maximum_weeks: int = 16
    political_bodies: frozenset[AnyBody] = attrs.field(default=HOME_POLITICAL, converter=_political)
    strict_hardest_first: bool = False
    reaction_days: int = 14

    def __attrs_post_init__(self) -> None:
        problems: list[Text] = []
        if not 1 <= self.hard_threshold <= 5:
            got = self.hard_threshold
            problems.append(
                Text(
                    f"hard_threshold må vere 1..5; fekk {got}",
                    f"hard_threshold must be 1..5; got {got}",
                )
            )
        if self.minimum_participants < 1:
            got = self.minimum_participants
            problems.append(
                Text(
                    f"minimum_participants må vere minst 1; fekk {got}",
                    f"minimum_participants must be at least 1; got {got}",
                )
            )
        if self.maximum_weeks < 1:
            got = self.maximum_weeks
            problems.append(
                Text(
                    f"maximum_weeks må vere minst 1; fekk {got}",
                    f"maximum_weeks must be at least 1; got {got}",
                )
            )
        if self.reaction_days < 0:
            got = self.reaction_days
            problems.append(
                Text(
                    f"reaction_days må vere 0 eller meir; fekk {got}",
                    f"reaction_days must be 0 or more; got {got}",
                )
            )
        regional = sorted(b.value for b in self.political_bodies if not b.at_home)
        if regional:
            problems.append(
                Text(
                    "political_bodies kan berre nemne organ heime (anchored-at-home); "
                    f"fekk dei regionale {regional}",
                    "political_bodies may only name bodies at home (anchored-at-home); "
                    f"got regional {regional}",
                )
            )
        if not self.political_bodies:
            problems.append(
                Text(
                    "political_bodies må nemne minst eitt organ heime",
                    "political_bodies must name at least one body at home",
                )
            )
        if problems:
            raise InvalidDefinition("policy", problems)

    def counts(self, outcome: str) -> bool:
        """True when an anchoring with ``outcome`` lets a step through under this policy."""
        return outcome == "endorsed" or (outcome == "noted" and self.noted_counts)


@attrs.frozen
class Context:
    """What a rule (and a command) sees: the state, the command and the process's declarations.

    ``municipality`` is the command's party (a municipality or another member)
    resolved to its id (the kommunenummer of a municipality). ``parties``,
    ``gate`` and ``ending`` are what the process declares.
    """

    state: InvestigationState
    command: Asked
    policy: Policy
    phases: tuple[str, ...] = ()
    municipality: str | None = None
    parties: Parties = attrs.Factory(JoinByMandate)
    gate: Gate = attrs.Factory(lambda: Gate(EVERY_PARTICIPANT))
    ending: Ending = attrs.Factory(lambda: Ending(steering=Steering()))
    bodies: tuple[tuple[str, Text], ...] = ()  # the process's own bodies, with their labels

    def body_said(self, name: str) -> Text:
        """A body as people say it: the process's own label for it, else the catalogue's
        ("kommunestyret"), else its name (``said``, as the reports say it)."""
        own = [(f"body.{body}", label) for body, label in self.bodies]
        return Text(*(said(f"body.{name}", lang, own) for lang in ("nn", "en")))

    def bodies_said(self, names: Iterable[str]) -> Text:
        """Several bodies as people say them, joined by commas."""
        said = [self.body_said(name) for name in names]
        return Text(", ".join(t.nn for t in said), ", ".join(t.en for t in said))

    def names(self, numbers: Iterable[str]) -> str:
        """Municipality names for ``numbers``, joined for a message."""
        return ", ".join(self.state.name_of(n) for n in numbers)
