"""Process definitions in plain Python: what a process declares, checked when it is built.

A ``Process`` is a frozen value: its phases (each with its milestone), its
parties (how they take part), the gate after each step, its ending, its rules
and its policy. Building one checks everything and raises ``InvalidDefinition``
that lists every problem at once, with a "did you mean" where it can.
``derive`` makes a new process from an old one. The definition hash covers
what the definition declares — parties, phases, gate, ending, policy, and each
rule's id, version and actions — never where the code lives.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from stepgate.errors import InvalidDefinition, InvalidValue
from stepgate.model.commands import ACTIONS
from stepgate.model.context import Policy
from stepgate.model.definition import (
    EVERY_PARTICIPANT,
    MAJORITY,
    ONE_BODY,
    Effect,
    Ending,
    FixedParties,
    Gate,
    JoinByMandate,
    Parties,
    SingleOrganisation,
    Steering,
)
from stepgate.model.values import Phase
from stepgate.rules.rule import Rule


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``known``, or nothing."""
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _structure(name: str, phases: Sequence[Phase], rules: Sequence[Rule]) -> list[str]:
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


def _gate_problems(gate: Gate, parties: Parties) -> list[str]:
    problems = []
    names = [o.name for o in gate.outcomes]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        problems.append(f"the gate declares outcome(s) {repeated} more than once")
    if not any(o.effect in (Effect.PASS, Effect.NOTED) for o in gate.outcomes):
        problems.append("the gate has no outcome that passes it (effect PASS): no step could end")
    if gate.bodies is not None:
        regional = sorted(b.value for b in gate.bodies if not b.at_home)
        if regional or not gate.bodies:
            problems.append(
                "the gate's bodies must be the parties' own (anchored-at-home); "
                f"got {sorted(gate.bodies)}"
            )
    if gate.decided_by is ONE_BODY:
        if gate.body is None:
            problems.append("a gate decided by one body names it: Gate(ONE_BODY, body=…)")
        elif not gate.body.at_home:
            problems.append(
                f"a gate's body must be a party's own, not regional {gate.body.value!r}"
            )
        if gate.party is None and not isinstance(parties, SingleOrganisation):
            problems.append(
                "a gate decided by one body names its party (party='…') unless one "
                "organisation investigates alone"
            )
    if gate.decided_by is MAJORITY and isinstance(parties, SingleOrganisation):
        problems.append("a majority gate needs several parties; one organisation decides alone")
    return problems


def _ending_problems(ending: Ending, parties: Parties) -> list[str]:
    problems = []
    if ending.decided_by is MAJORITY:
        problems.append("an ending is decided by every participant or by one body, not a majority")
    if ending.decided_by is ONE_BODY:
        if ending.body is None:
            problems.append("an ending decided by one body names it: Ending(ONE_BODY, body=…)")
        if ending.party is None and not isinstance(parties, SingleOrganisation):
            problems.append(
                "an ending decided by one body names its party (party='…') unless one "
                "organisation investigates alone"
            )
    if ending.establish_with < 1:
        problems.append(f"establish_with must be at least 1; got {ending.establish_with}")
    if "approve" not in ending.outcomes:
        problems.append("the ending's deciders must be able to approve")
    return problems


def _party_problems(parties: Parties, policy: Policy, ending: Ending) -> list[str]:
    problems = []
    if isinstance(parties, SingleOrganisation):
        if policy.minimum_participants != 1:
            problems.append(
                "one organisation investigating alone has minimum_participants=1; "
                f"got {policy.minimum_participants}"
            )
        if ending.establish_with != 1:
            problems.append(
                f"one organisation establishes with its own approval (establish_with=1); "
                f"got {ending.establish_with}"
            )
    elif policy.minimum_participants < 2:
        problems.append(
            "minimum_participants must be at least 2 where several parties take part "
            f"(a cooperation needs two); got {policy.minimum_participants}"
        )
    return problems


def _phases(value: Iterable[Phase]) -> tuple[Phase, ...]:
    return tuple(value)


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(value)


def _check(instance: Process) -> None:
    problems = instance.problems()
    if problems:
        raise InvalidDefinition(instance.name or "<unnamed>", problems)


@attrs.frozen(cache_hash=True)  # a key of caches, looked up per command and load
class Process:
    """A process definition: phases, rules and policy; parties, gate and ending.

    The defaults are the trust-reform method's: members join by anchoring the
    mandate, every participant anchors each step at home, a steering group
    forwards the decision basis to every participant's kommunestyre.
    """

    name: str
    phases: tuple[Phase, ...] = attrs.field(converter=_phases)
    rules: tuple[Rule, ...] = attrs.field(converter=_rules)
    policy: Policy = attrs.Factory(Policy)
    description: str = ""
    parties: Parties = attrs.field(factory=JoinByMandate, kw_only=True)
    gate: Gate = attrs.field(factory=lambda: Gate(EVERY_PARTICIPANT), kw_only=True)
    ending: Ending = attrs.field(factory=lambda: Ending(steering=Steering()), kw_only=True)
    _by_action: dict[str, tuple[Rule, ...]] = attrs.field(
        init=False, repr=False, eq=False, factory=dict
    )
    _hashes: tuple[str, str | None] = attrs.field(
        init=False, repr=False, eq=False, default=("", None)
    )

    def __attrs_post_init__(self) -> None:
        _check(self)
        for action in ACTIONS:
            self._by_action[action] = tuple(r for r in self.rules if action in r.at)
        object.__setattr__(self, "_hashes", (self._hash(), self._legacy_hash()))

    def problems(self) -> list[str]:
        """Everything wrong with this definition (empty when it is sound)."""
        problems = _structure(self.name, self.phases, self.rules)
        kinds = (JoinByMandate, FixedParties, SingleOrganisation)
        if not isinstance(self.parties, kinds):
            problems.append("parties is JoinByMandate(), FixedParties(…) or SingleOrganisation()")
            return problems
        if not isinstance(self.gate, Gate) or not isinstance(self.ending, Ending):
            problems.append("gate is a stepgate.Gate and ending a stepgate.Ending")
            return problems
        problems += _gate_problems(self.gate, self.parties)
        problems += _ending_problems(self.ending, self.parties)
        problems += _party_problems(self.parties, self.policy, self.ending)
        return problems

    @property
    def features(self) -> frozenset[str]:
        """What the process has, which decides the commands it offers."""
        found = set()
        if isinstance(self.parties, JoinByMandate):
            found.add("mandate")
        if not isinstance(self.parties, SingleOrganisation):
            found.add("several")
        if self.ending.steering is not None:
            found.add("steering")
        return frozenset(found)

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
        raise InvalidValue(f"unknown phase {name!r}{did_you_mean(name, known)}; phases: {known}")

    @property
    def definition_hash(self) -> str:
        """A short hash of what the definition declares (see the module)."""
        return self._hashes[0]

    @property
    def legacy_hash(self) -> str | None:
        """The hash stepgate 0.1 gave this same definition, if it could have one.

        0.1 hashed each rule's module path, not its version; records made then
        carry that hash and load as this definition, unchanged.
        """
        return self._hashes[1]

    def accepts(self, definition_hash: str) -> bool:
        """True when a record pinned to ``definition_hash`` runs this definition."""
        return definition_hash in (self.definition_hash, self.legacy_hash)

    def _hash(self) -> str:
        parts = [self.name, f"parties={self.parties.fingerprint()}"]
        parts += [f"{p.name}>{p.milestone}" for p in self.phases]
        parts += [f"gate={self.gate.fingerprint()}", f"ending={self.ending.fingerprint()}"]
        parts += [r.fingerprint for r in self.rules]
        parts += _policy_parts(self.policy)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def _legacy_hash(self) -> str | None:
        if (
            not isinstance(self.parties, JoinByMandate)
            or self.gate != Gate(EVERY_PARTICIPANT)
            or self.ending != Ending(steering=Steering())
        ):
            return None
        parts = [self.name]
        parts += [f"{p.name}>{p.milestone}" for p in self.phases]
        parts += [_legacy_fingerprint(r) for r in self.rules]
        parts += _policy_parts(self.policy)
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
        parties: Parties | None = None,
        gate: Gate | None = None,
        ending: Ending | None = None,
        **policy: Any,
    ) -> Process:
        """A new process from this one: add, drop or replace rules; change the rest.

        Every problem (an unknown id to drop, a rule added twice, a bad policy
        value, …) is listed in one ``InvalidDefinition``.
        """
        add, drop, replace = list(add), list(drop), list(replace)
        known = set(self.rule_ids)
        problems = [
            f"cannot drop unknown rule {d!r}{did_you_mean(d, known)}"
            for d in drop
            if d not in known
        ]
        problems += [
            f"cannot replace unknown rule {r.id!r}{did_you_mean(r.id, known)}"
            for r in replace
            if r.id not in known
        ]
        problems += [
            f"rule {r.id!r} exists already; use replace= to change it" for r in add if r.id in known
        ]
        new_policy = self.policy
        for knob, value in policy.items():  # one at a time: every bad knob is named
            try:
                new_policy = attrs.evolve(new_policy, **{knob: value})
            except InvalidDefinition as error:
                problems.extend(error.problems)
            except TypeError as error:
                problems.append(f"unknown policy knob: {error}")
        swapped = {r.id: r for r in replace}
        rules = [swapped.get(r.id, r) for r in self.rules if r.id not in set(drop)] + add
        new_phases = self.phases if phases is None else tuple(phases)

        def build() -> Process:
            return Process(
                name,
                new_phases,
                rules,
                new_policy,
                description or self.description,
                parties=self.parties if parties is None else parties,
                gate=self.gate if gate is None else gate,
                ending=self.ending if ending is None else ending,
            )

        if problems:  # also those the result itself would have
            try:
                build()
            except InvalidDefinition as error:
                problems += error.problems
            raise InvalidDefinition(name or "<unnamed>", problems)
        return build()


def _policy_parts(policy: Policy) -> list[str]:
    parts = []
    for knob, value in sorted(attrs.asdict(policy).items()):
        shown = sorted(map(str, value)) if isinstance(value, frozenset) else value
        parts.append(f"{knob}={shown}")
    return parts


_LEGACY_MODULES = {
    "parties-from-start": "stepgate._rules_people",
    "everyone-invited": "stepgate._rules_people",
    "minimum-participants": "stepgate._rules_people",
    "mandate-at-home": "stepgate._rules_people",
    "free-to-leave": "stepgate._rules_people",
    "parties-in-every-step": "stepgate._rules_steps",
    "insight-first": "stepgate._rules_steps",
    "one-step-at-a-time": "stepgate._rules_steps",
    "build-on-insight": "stepgate._rules_steps",
    "equal-participation": "stepgate._rules_steps",
    "milestones-first": "stepgate._rules_steps",
    "hardest-topics-first": "stepgate._rules_topics",
    "anchored-every-step": "stepgate._rules_gates",
    "anchored-at-home": "stepgate._rules_gates",
    "open-record": "stepgate._rules_gates",
    "equal-parties": "stepgate._rules_gates",
    "steering-group-not-final": "stepgate._rules_gates",
    "council-decides": "stepgate._rules_gates",
}
"""Where 0.1 kept each built-in rule's check (its hash named them)."""


def _legacy_fingerprint(rule: Rule) -> str:
    check = getattr(rule.check, "__qualname__", type(rule.check).__qualname__)
    module = getattr(rule.check, "__module__", "")
    if (
        isinstance(module, str)
        and module.startswith("stepgate.rules.")
        and rule.id in _LEGACY_MODULES
    ):
        module = _LEGACY_MODULES[rule.id]
    return f"{rule.id}|{','.join(sorted(rule.at))}|{module}.{check}"
