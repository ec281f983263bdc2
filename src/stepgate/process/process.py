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

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from stepgate.errors import InvalidDefinition, InvalidValue
from stepgate.model.commands import ACTIONS
from stepgate.model.context import Policy
from stepgate.model.definition import (
    EVERY_PARTICIPANT,
    Ending,
    FixedParties,
    Gate,
    JoinByMandate,
    Parties,
    SingleOrganisation,
    Steering,
)
from stepgate.model.text import CATALOGUE, Text, said
from stepgate.model.values import OwnBody, Phase, body_named
from stepgate.process.checks import (
    bilingual,
    did_you_mean,
    ending_problems,
    gate_problems,
    knob_problem,
    party_problems,
    structure,
)
from stepgate.rules.rule import Rule


def _phases(value: Iterable[Phase]) -> tuple[Phase, ...]:
    return tuple(value)


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(value)


def _check(instance: Process) -> None:
    problems = instance.problems()
    if problems:
        raise InvalidDefinition(instance.name or "<unnamed>", problems)


def _words(value: Any) -> tuple[tuple[str, Text], ...]:
    """A mapping of words (or pairs) as sorted pairs: a process is a key of caches."""
    pairs = value.items() if isinstance(value, Mapping) else value
    try:
        return tuple(sorted((str(k), v) for k, v in pairs))
    except (TypeError, ValueError):
        raise InvalidDefinition(
            "words",
            [Text("words er ein dict frå nøkkel til Text", "words is a dict from key to Text")],
        ) from None


@attrs.frozen(cache_hash=True)  # a key of caches, looked up per command and load
class Process:
    """A process definition: phases, rules and policy; parties, gate and ending.

    The defaults are the trust-reform method's: members join by anchoring the
    mandate, every participant anchors each step at home, a steering group
    forwards the decision basis to every participant's kommunestyre.

    ``words`` are the process's own words for what its reports, log and diagram
    say, by the catalogue's key (``{"report.participants": Text("Einingar",
    "Units"), "report.gate": Text("Porten: leiargruppa avgjer", …)}``); a process
    with one party speaks of no cooperation without them. Words are not part of
    the definition hash: changing them changes what is shown, never what is decided.

    ``bodies`` are the decision bodies of the process's own, by name, with what
    they are called (``{"portvakter": Text("portvaktene", "the gatekeepers")}``):
    its gate, ending and positions may name them as they name the built-in ones
    (``sg.Body``). They are part of the definition hash.
    """

    name: str
    phases: tuple[Phase, ...] = attrs.field(converter=_phases)
    rules: tuple[Rule, ...] = attrs.field(converter=_rules)
    policy: Policy = attrs.Factory(Policy)
    description: str = ""
    parties: Parties = attrs.field(factory=JoinByMandate, kw_only=True)
    gate: Gate = attrs.field(factory=lambda: Gate(EVERY_PARTICIPANT), kw_only=True)
    ending: Ending = attrs.field(factory=lambda: Ending(steering=Steering()), kw_only=True)
    words: tuple[tuple[str, Text], ...] = attrs.field(converter=_words, default=(), kw_only=True)
    bodies: tuple[tuple[str, Text], ...] = attrs.field(converter=_words, default=(), kw_only=True)
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

    def problems(self) -> list[Text]:
        """Everything wrong with this definition (empty when it is sound), in nn and en."""
        problems = structure(self.name, self.phases, self.rules)
        kinds = (JoinByMandate, FixedParties, SingleOrganisation)
        if not isinstance(self.parties, kinds):
            problems.append(
                Text(
                    "parties er JoinByMandate(), FixedParties(…) eller SingleOrganisation()",
                    "parties is JoinByMandate(), FixedParties(…) or SingleOrganisation()",
                )
            )
            return problems
        if not isinstance(self.gate, Gate) or not isinstance(self.ending, Ending):
            problems.append(
                Text(
                    "gate er ein stepgate.Gate og ending ein stepgate.Ending",
                    "gate is a stepgate.Gate and ending a stepgate.Ending",
                )
            )
            return problems
        problems += word_problems(self.words)
        problems += body_problems(self)
        problems += gate_problems(self.gate, self.parties)
        problems += ending_problems(self.ending, self.parties)
        problems += party_problems(self.parties, self.policy, self.ending)
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
        raise InvalidValue(
            nn=f"ukjend fase {name!r}{did_you_mean(name, known, 'nn')}; fasane er: {known}",
            en=f"unknown phase {name!r}{did_you_mean(name, known)}; phases: {known}",
        )

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
        if self.bodies:  # a process without bodies of its own keeps the hash it had
            parts.append("bodies=" + ",".join(name for name, _ in self.bodies))
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    @property
    def own_bodies(self) -> frozenset[str]:
        """The names of the bodies the process declares itself."""
        return frozenset(name for name, _ in self.bodies)

    @property
    def vocabulary(self) -> tuple[tuple[str, Text], ...]:
        """Its own words and its bodies' names, by catalogue key (``body.<name>``)."""
        return self.words + tuple((f"body.{name}", label) for name, label in self.bodies)

    def says(self, key: str, lang: str) -> str:
        """The word for catalogue ``key`` in ``lang`` as this process says it: its own words
        first, then a one-party process's (no cooperation is spoken of), then the catalogue's."""
        return said(key, lang, self.vocabulary, one_party="several" not in self.features)

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
        words: Mapping[str, Text] | None = None,
        bodies: Mapping[str, Text] | None = None,
        **policy: Any,
    ) -> Process:
        """A new process from this one: add, drop or replace rules; change the rest.

        Every problem (an unknown id to drop, a rule added twice, a bad policy
        value, …) is listed in one ``InvalidDefinition``.
        """
        add, drop, replace = list(add), list(drop), list(replace)
        known = set(self.rule_ids)
        problems = [
            Text(
                f"kan ikkje ta bort den ukjende regelen {d!r}{did_you_mean(d, known, 'nn')}",
                f"cannot drop unknown rule {d!r}{did_you_mean(d, known)}",
            )
            for d in drop
            if d not in known
        ]
        problems += [
            Text(
                f"kan ikkje byte ut den ukjende regelen {r.id!r}{did_you_mean(r.id, known, 'nn')}",
                f"cannot replace unknown rule {r.id!r}{did_you_mean(r.id, known)}",
            )
            for r in replace
            if r.id not in known
        ]
        problems += [
            Text(
                f"regelen {r.id!r} finst alt; bruk replace= for å endre han",
                f"rule {r.id!r} exists already; use replace= to change it",
            )
            for r in add
            if r.id in known
        ]
        new_policy = self.policy
        for knob, value in policy.items():  # one at a time: every bad knob is named
            try:
                new_policy = attrs.evolve(new_policy, **{knob: value})
            except InvalidDefinition as error:
                problems += bilingual(error)
            except TypeError as error:
                problems.append(knob_problem({knob: value}, error))
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
                words={**dict(self.words), **dict(words or {})},
                bodies={**dict(self.bodies), **dict(bodies or {})},
            )

        if problems:  # also those the result itself would have
            try:
                build()
            except InvalidDefinition as error:
                problems += bilingual(error)
            raise InvalidDefinition(name or "<unnamed>", problems)
        return build()


def word_problems(words: tuple[tuple[str, Text], ...]) -> list[Text]:
    """Every word that is not a ``Text`` for a key stepgate shows."""
    found = []
    for key, value in words:
        if key not in CATALOGUE:
            hint_nn, hint_en = did_you_mean(key, CATALOGUE, "nn"), did_you_mean(key, CATALOGUE)
            found.append(
                Text(
                    f"words: {key!r} er ikkje eit ord stepgate viser{hint_nn}",
                    f"words: {key!r} is no word stepgate shows{hint_en}",
                )
            )
        found += _said_in_both("words", key, value)
    return found


def _said_in_both(field: str, key: str, value: Any) -> list[Text]:
    """The problem of a word in ``field`` that is no ``Text`` (none when it is one)."""
    if isinstance(value, Text):
        return []
    return [
        Text(
            f"{field}: {key!r} må vere ein stepgate.Text(nn, en)",
            f"{field}: {key!r} must be a stepgate.Text(nn, en)",
        )
    ]


def body_problems(process: Process) -> list[Text]:
    """A declared body that is malformed, built in already or has no ``Text``; a body named by
    the gate, the ending or the policy that is neither built in nor declared."""
    found = []
    for name, label in process.bodies:
        try:
            kind = body_named(name)
        except InvalidValue:
            kind = None
        if not isinstance(kind, OwnBody):
            found.append(
                Text(
                    f"bodies: {name!r} er ikkje eit nytt organnamn (små bokstavar, tal og _; "
                    "ikkje eit innebygd organ: gje det nye ord med words={'body.…': …})",
                    f"bodies: {name!r} is no new body name (lower-case letters, digits and _; "
                    "not a built-in body: give that new words with words={'body.…': …})",
                )
            )
        found += _said_in_both("bodies", name, label)
    named = {
        *(process.gate.bodies or ()),
        *([process.gate.body] if process.gate.body is not None else []),
        *process.ending.bodies,
        *([process.ending.body] if process.ending.body is not None else []),
        *process.policy.political_bodies,
    }
    for missing in sorted(
        b for b in named if isinstance(b, OwnBody) and b not in process.own_bodies
    ):
        found.append(
            Text(
                f"organet {missing!r} er ikkje innebygd og ikkje sett opp i bodies",
                f"the body {missing!r} is neither built in nor declared in bodies",
            )
        )
    return found


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
