"""Process definitions in plain Python, and the built-in trust-reform process.

A ``Process`` is a frozen value: phases (each with its milestone), rules and a
policy. Building one checks everything and raises ``InvalidDefinition`` that
lists every problem at once. ``derive`` makes a new process from an old one:
add, drop or replace rules, change phases or policy knobs.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from stepgate.errors import InvalidDefinition, InvalidValue
from stepgate.model.commands import ACTIONS
from stepgate.model.values import Phase
from stepgate.rules.gates import (
    anchored_at_home,
    anchored_every_step,
    council_decides,
    equal_parties,
    open_record,
    steering_group_not_final,
)
from stepgate.rules.people import (
    everyone_invited,
    free_to_leave,
    mandate_at_home,
    minimum_participants,
    parties_from_start,
)
from stepgate.rules.rule import Policy, Rule
from stepgate.rules.steps import (
    build_on_insight,
    equal_participation,
    insight_first,
    milestones_first,
    one_step_at_a_time,
    parties_in_every_step,
)
from stepgate.rules.topics import hardest_topics_first

TRUST_REFORM_RULES: tuple[Rule, ...] = (
    parties_from_start,
    parties_in_every_step,
    equal_participation,
    insight_first,
    one_step_at_a_time,
    build_on_insight,
    hardest_topics_first,
    anchored_every_step,
    anchored_at_home,
    mandate_at_home,
    free_to_leave,
    everyone_invited,
    minimum_participants,
    milestones_first,
    open_record,
    equal_parties,
    steering_group_not_final,
    council_decides,
)
"""The 18 rules of the trust-reform method (DOMAIN.md §4), in the table's order."""

TRUST_REFORM_PHASES: tuple[Phase, ...] = (
    Phase("forstudie", "forstudie ferdig", "Forstudie", "Pre-study"),
    Phase(
        "avgjerdsgrunnlag",
        "avgjerdsgrunnlag til styringsgruppa",
        "Avgjerdsgrunnlag",
        "Decision basis",
    ),
)


def _did_you_mean(word: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _problems(name: str, phases: Sequence[Phase], rules: Sequence[Rule]) -> list[str]:
    problems = [] if name.strip() else ["a process needs a name"]
    if not phases:
        problems.append("a process needs at least one phase")
    seen: set[str] = set()
    milestones: set[str] = set()
    for phase in phases:
        if phase.name in seen:
            problems.append(f"phase {phase.name!r} is declared twice")
        seen.add(phase.name)
        if not phase.milestone.strip():
            problems.append(f"phase {phase.name!r} has no milestone")
        elif phase.milestone in milestones:
            problems.append(f"milestone {phase.milestone!r} ends more than one phase")
        milestones.add(phase.milestone)
    ids: set[str] = set()
    for rule in rules:
        if rule.id in ids:
            problems.append(f"rule {rule.id!r} is listed twice")
        ids.add(rule.id)
        problems.extend(rule.problems(ACTIONS))
    return problems


def _phases(value: Iterable[Phase]) -> tuple[Phase, ...]:
    return tuple(value)


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(value)


def _check(instance: Process) -> None:
    problems = _problems(instance.name, instance.phases, instance.rules)
    if problems:
        raise InvalidDefinition(instance.name or "<unnamed>", problems)


@attrs.frozen
class Process:
    """A process definition: phases with milestones, rules, and a policy."""

    name: str
    phases: tuple[Phase, ...] = attrs.field(converter=_phases)
    rules: tuple[Rule, ...] = attrs.field(converter=_rules)
    policy: Policy = attrs.Factory(Policy)
    description: str = ""
    _by_action: dict[str, tuple[Rule, ...]] = attrs.field(
        init=False, repr=False, eq=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        _check(self)
        for action in ACTIONS:
            self._by_action[action] = tuple(r for r in self.rules if action in r.at)

    def rules_at(self, action: str) -> tuple[Rule, ...]:
        """The rules checked at ``action``, in definition order."""
        return self._by_action.get(action, ())

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The ids of this process's rules, in definition order."""
        return tuple(r.id for r in self.rules)

    def phase(self, name: str) -> Phase:
        """The phase called ``name`` or InvalidValue naming the phases."""
        for phase in self.phases:
            if phase.name == name:
                return phase
        known = [p.name for p in self.phases]
        raise InvalidValue(f"unknown phase {name!r}{_did_you_mean(name, known)}; phases: {known}")

    @property
    def definition_hash(self) -> str:
        """A short hash of what the definition says: phases, rules, policy."""
        parts = [self.name]
        parts += [f"{p.name}>{p.milestone}" for p in self.phases]
        parts += [r.fingerprint for r in self.rules]
        for knob, value in sorted(attrs.asdict(self.policy).items()):
            shown = sorted(map(str, value)) if isinstance(value, frozenset) else value
            parts.append(f"{knob}={shown}")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def derive(
        self,
        name: str,
        *,
        add: Iterable[Rule] = (),
        drop: Iterable[str] = (),
        replace: Iterable[Rule] = (),
        phases: Iterable[Phase] | None = None,
        description: str = "",
        **policy: Any,
    ) -> Process:
        """A new process from this one: add, drop or replace rules; change phases and policy.

        Every problem (an unknown id to drop, a rule added twice, a bad policy
        value, …) is listed in one ``InvalidDefinition``.
        """
        add, drop, replace = list(add), list(drop), list(replace)
        known = set(self.rule_ids)
        problems = [
            f"cannot drop unknown rule {d!r}{_did_you_mean(d, known)}"
            for d in drop
            if d not in known
        ]
        problems += [
            f"cannot replace unknown rule {r.id!r}{_did_you_mean(r.id, known)}"
            for r in replace
            if r.id not in known
        ]
        problems += [
            f"rule {r.id!r} exists already; use replace= to change it" for r in add if r.id in known
        ]
        new_policy = self.policy
        try:
            new_policy = attrs.evolve(self.policy, **policy)
        except InvalidDefinition as error:
            problems.extend(error.problems)
        except TypeError as error:
            problems.append(f"unknown policy knob: {error}")
        swapped = {r.id: r for r in replace}
        rules = [swapped.get(r.id, r) for r in self.rules if r.id not in set(drop)] + add
        new_phases = self.phases if phases is None else tuple(phases)
        problems += _problems(name, new_phases, rules)
        if problems:
            raise InvalidDefinition(name or "<unnamed>", problems)
        return Process(name, new_phases, rules, new_policy, description or self.description)


def trust_reform(**policy: Any) -> Process:
    """The built-in trust-reform process: all 18 rules, forstudie then avgjerdsgrunnlag.

    Keyword arguments change the policy, e.g. ``trust_reform(noted_counts=False)``.
    """
    try:
        chosen = Policy(**policy)
    except TypeError as error:
        raise InvalidDefinition("trust-reform", [f"unknown policy knob: {error}"]) from None
    return Process(
        "trust-reform",
        TRUST_REFORM_PHASES,
        TRUST_REFORM_RULES,
        chosen,
        "Tillitsreforma: eitt steg om gangen, innsikt, politisk forankring for kvart steg.",
    )
