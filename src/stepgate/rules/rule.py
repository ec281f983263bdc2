"""Rules as small values, and the policy they read.

A rule has a stable id, the actions it is checked at, and a message in
Nynorsk and English with ``{placeholders}``. Its check is a pure function of
a ``Context`` that yields one dict of placeholders per finding (``objects``
names the things involved). Write your own with the ``rule`` decorator::

    @stepgate.rule("start-after-9-feb", at={"start"},
                   nn="Utgreiinga kan ikkje starte før 9/2 (starta {on}).",
                   en="The investigation cannot start before 9 February (started {on}).")
    def start_after_9_feb(ctx):
        if ctx.command.on < date(2024, 2, 9):
            yield {"on": ctx.command.on}
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from stepgate.errors import InvalidDefinition
from stepgate.model.commands import Command
from stepgate.model.state import InvestigationState
from stepgate.model.values import Body
from stepgate.model.violation import Violation

RULE_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
HOME_POLITICAL = frozenset({Body.KOMMUNESTYRE, Body.FORMANNSKAP, Body.UTVAL, Body.ORDFORAR})


def _actions(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _political(value: Iterable[Any]) -> frozenset[Body]:
    return frozenset(Body.of(v) for v in value)


@attrs.frozen
class Policy:
    """The knobs of a process. Every problem is listed at once when one is off."""

    hard_threshold: int = 4
    noted_counts: bool = True
    minimum_participants: int = 2
    maximum_weeks: int = 16
    political_bodies: frozenset[Body] = attrs.field(default=HOME_POLITICAL, converter=_political)
    strict_hardest_first: bool = False
    reaction_days: int = 14

    def __attrs_post_init__(self) -> None:
        problems = []
        if not 1 <= self.hard_threshold <= 5:
            problems.append(f"hard_threshold must be 1..5; got {self.hard_threshold}")
        if self.minimum_participants < 2:
            problems.append(
                f"minimum_participants must be at least 2 (a cooperation needs two); "
                f"got {self.minimum_participants}"
            )
        if self.maximum_weeks < 1:
            problems.append(f"maximum_weeks must be at least 1; got {self.maximum_weeks}")
        if self.reaction_days < 0:
            problems.append(f"reaction_days must be 0 or more; got {self.reaction_days}")
        regional = sorted(b.value for b in self.political_bodies if not b.at_home)
        if regional:
            problems.append(
                f"political_bodies may only name bodies at home (anchored-at-home); "
                f"got regional {regional}"
            )
        if not self.political_bodies:
            problems.append("political_bodies must name at least one body at home")
        if problems:
            raise InvalidDefinition("policy", problems)

    def counts(self, outcome: str) -> bool:
        """True when an anchoring with ``outcome`` lets a step through under this policy."""
        return outcome == "endorsed" or (outcome == "noted" and self.noted_counts)


@attrs.frozen
class Context:
    """What a rule sees: the state, the command and the process's phases and policy.

    ``municipality`` is the command's municipality resolved to its kommunenummer.
    """

    state: InvestigationState
    command: Command
    policy: Policy
    phases: tuple[str, ...] = ()
    municipality: str | None = None

    def names(self, numbers: Iterable[str]) -> str:
        """Municipality names for ``numbers``, joined for a message."""
        return ", ".join(self.state.name_of(n) for n in numbers)


Check = Callable[[Context], Iterable[Mapping[str, Any]]]


@attrs.frozen
class Rule:
    """A rule: stable id, the actions it is checked at, messages in nn and en, a check."""

    id: str
    at: frozenset[str] = attrs.field(converter=_actions)
    nn: str
    en: str
    check: Check = attrs.field(repr=False)
    seed: str = ""

    def __call__(self, ctx: Context) -> list[Violation]:
        """Every violation of this rule for ``ctx`` (empty when satisfied)."""
        return list(self._violations(ctx))

    def _violations(self, ctx: Context) -> Iterator[Violation]:
        for found in self.check(ctx):
            params = dict(found)
            objects = tuple(str(o) for o in params.pop("objects", ()))
            yield Violation(self.id, self.nn.format(**params), self.en.format(**params), objects)

    @property
    def fingerprint(self) -> str:
        """What the definition hash covers: id, actions and the check's qualified name."""
        check = getattr(self.check, "__qualname__", type(self.check).__qualname__)
        module = getattr(self.check, "__module__", "")
        return f"{self.id}|{','.join(sorted(self.at))}|{module}.{check}"

    def problems(self, actions: frozenset[str]) -> list[str]:
        """What is wrong with this rule as part of a definition (empty when fine)."""
        found = []
        if not RULE_ID.match(self.id):
            found.append(f"rule id {self.id!r} must be lower-case words joined by '-'")
        unknown = sorted(self.at - actions)
        if unknown:
            found.append(f"rule {self.id!r} is checked at unknown action(s) {unknown}")
        if not self.at:
            found.append(f"rule {self.id!r} is checked at no action")
        if "opt_out" in self.at:
            found.append(
                f"rule {self.id!r} may not be checked at 'opt_out': opting out needs "
                "nobody's consent and no rule may block it (free-to-leave)"
            )
        for lang, text in (("nn", self.nn), ("en", self.en)):
            if not text.strip():
                found.append(f"rule {self.id!r} has no {lang} message")
        return found


def rule(
    id: str,  # noqa: A002 - the domain calls it the rule id
    *,
    at: Iterable[str],
    nn: str,
    en: str,
    seed: str = "",
) -> Callable[[Check], Rule]:
    """Make a ``Rule`` from a check function that yields one dict per finding."""

    def wrap(check: Check) -> Rule:
        return Rule(id=id, at=frozenset(at), nn=nn, en=en, check=check, seed=seed)

    return wrap
