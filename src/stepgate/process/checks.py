"""What can be wrong with a process definition, every problem in Nynorsk and English.

``Process.problems()`` asks these checks; ``InvalidDefinition`` lists what they
find all at once. Each check is pure: a definition's parts in, ``Text``
problems out.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from stepgate.errors import InvalidDefinition
from stepgate.model.commands import ACTIONS
from stepgate.model.context import Policy
from stepgate.model.definition import (
    MAJORITY,
    ONE_BODY,
    Effect,
    Ending,
    Gate,
    Parties,
    SingleOrganisation,
)
from stepgate.model.text import Text
from stepgate.model.values import Phase
from stepgate.rules.rule import Rule


def did_you_mean(word: str, known: Iterable[str], lang: str = "en") -> str:
    """`` (did you mean 'x'?)`` for the closest of ``known``, or nothing (``lang``: nn or en)."""
    close = difflib.get_close_matches(word, list(known), n=1)
    if not close:
        return ""
    return f" (meinte du {close[0]!r}?)" if lang == "nn" else f" (did you mean {close[0]!r}?)"


def structure(name: str, phases: Sequence[Phase], rules: Sequence[Rule]) -> list[Text]:
    problems = (
        [] if name.strip() else [Text("ein prosess treng eit namn", "a process needs a name")]
    )
    if not phases:
        problems.append(
            Text("ein prosess treng minst éin fase", "a process needs at least one phase")
        )
    seen: set[str] = set()
    milestones: set[str] = set()
    for phase in phases:
        if phase.name in seen:
            problems.append(
                Text(
                    f"fasen {phase.name!r} er definert to gonger",
                    f"phase {phase.name!r} is declared twice",
                )
            )
        seen.add(phase.name)
        if not phase.milestone.strip():
            problems.append(
                Text(
                    f"fasen {phase.name!r} har ingen milepæl",
                    f"phase {phase.name!r} has no milestone",
                )
            )
        elif phase.milestone in milestones:
            problems.append(
                Text(
                    f"milepælen {phase.milestone!r} avsluttar meir enn éin fase",
                    f"milestone {phase.milestone!r} ends more than one phase",
                )
            )
        milestones.add(phase.milestone)
    ids: set[str] = set()
    for rule in rules:
        if rule.id in ids:
            problems.append(
                Text(
                    f"regelen {rule.id!r} står to gonger i lista",
                    f"rule {rule.id!r} is listed twice",
                )
            )
        ids.add(rule.id)
        problems.extend(rule.problems(ACTIONS))
    return problems


def gate_problems(gate: Gate, parties: Parties) -> list[Text]:
    problems = []
    names = [o.name for o in gate.outcomes]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        problems.append(
            Text(
                f"porten har utfalla {repeated} meir enn éin gong",
                f"the gate declares outcome(s) {repeated} more than once",
            )
        )
    if not any(o.effect in (Effect.PASS, Effect.NOTED) for o in gate.outcomes):
        problems.append(
            Text(
                "porten har ikkje noko utfall som slepp steget gjennom (effekt PASS): "
                "ikkje noko steg kunne avsluttast",
                "the gate has no outcome that passes it (effect PASS): no step could end",
            )
        )
    if gate.bodies is not None:
        regional = sorted(b.value for b in gate.bodies if not b.at_home)
        if regional or not gate.bodies:
            problems.append(
                Text(
                    "organa ved porten må vere partane sine eigne (anchored-at-home); "
                    f"fekk {sorted(gate.bodies)}",
                    "the gate's bodies must be the parties' own (anchored-at-home); "
                    f"got {sorted(gate.bodies)}",
                )
            )
    if gate.decided_by is ONE_BODY:
        if gate.body is None:
            problems.append(
                Text(
                    "ein port som eitt organ avgjer, må nemne organet: Gate(ONE_BODY, body=…)",
                    "a gate decided by one body names it: Gate(ONE_BODY, body=…)",
                )
            )
        elif not gate.body.at_home:
            problems.append(
                Text(
                    "organet ved porten må vere parten sitt eige, ikkje det regionale "
                    f"{gate.body.value!r}",
                    f"a gate's body must be a party's own, not regional {gate.body.value!r}",
                )
            )
        if gate.party is None and not isinstance(parties, SingleOrganisation):
            problems.append(
                Text(
                    "ein port som eitt organ avgjer, må nemne parten (party='…'), med mindre "
                    "éin organisasjon greier ut åleine",
                    "a gate decided by one body names its party (party='…') unless one "
                    "organisation investigates alone",
                )
            )
    if gate.decided_by is MAJORITY and isinstance(parties, SingleOrganisation):
        problems.append(
            Text(
                "ein port med fleirtal treng fleire partar; éin organisasjon avgjer åleine",
                "a majority gate needs several parties; one organisation decides alone",
            )
        )
    return problems


def ending_problems(ending: Ending, parties: Parties) -> list[Text]:
    problems = []
    if ending.decided_by is MAJORITY:
        problems.append(
            Text(
                "avslutninga vert avgjord av kvar deltakar eller av eitt organ, ikkje av eit "
                "fleirtal",
                "an ending is decided by every participant or by one body, not a majority",
            )
        )
    if ending.decided_by is ONE_BODY:
        if ending.body is None:
            problems.append(
                Text(
                    "ei avslutning som eitt organ avgjer, må nemne organet: "
                    "Ending(ONE_BODY, body=…)",
                    "an ending decided by one body names it: Ending(ONE_BODY, body=…)",
                )
            )
        if ending.party is None and not isinstance(parties, SingleOrganisation):
            problems.append(
                Text(
                    "ei avslutning som eitt organ avgjer, må nemne parten (party='…'), med "
                    "mindre éin organisasjon greier ut åleine",
                    "an ending decided by one body names its party (party='…') unless one "
                    "organisation investigates alone",
                )
            )
    if ending.establish_with < 1:
        got = ending.establish_with
        problems.append(
            Text(
                f"establish_with må vere minst 1; fekk {got}",
                f"establish_with must be at least 1; got {got}",
            )
        )
    if "approve" not in ending.outcomes:
        problems.append(
            Text(
                "dei som avgjer til slutt, må kunne godkjenne (approve)",
                "the ending's deciders must be able to approve",
            )
        )
    return problems


def party_problems(parties: Parties, policy: Policy, ending: Ending) -> list[Text]:
    problems = []
    if isinstance(parties, SingleOrganisation):
        if policy.minimum_participants != 1:
            got = policy.minimum_participants
            problems.append(
                Text(
                    "éin organisasjon som greier ut åleine, har minimum_participants=1; "
                    f"fekk {got}",
                    f"one organisation investigating alone has minimum_participants=1; got {got}",
                )
            )
        if ending.establish_with != 1:
            got = ending.establish_with
            problems.append(
                Text(
                    "éin organisasjon etablerer samarbeidet med si eiga godkjenning "
                    f"(establish_with=1); fekk {got}",
                    "one organisation establishes with its own approval (establish_with=1); "
                    f"got {got}",
                )
            )
    elif policy.minimum_participants < 2:
        got = policy.minimum_participants
        problems.append(
            Text(
                "minimum_participants må vere minst 2 der fleire partar er med (eit samarbeid "
                f"treng to); fekk {got}",
                "minimum_participants must be at least 2 where several parties take part "
                f"(a cooperation needs two); got {got}",
            )
        )
    return problems


def bilingual(error: InvalidDefinition) -> list[Text]:
    """The problems of ``error``, each in Nynorsk and English."""
    return [Text(nn, en) for nn, en in zip(error.problems_nn, error.problems, strict=True)]


def knob_problem(knobs: dict[str, Any], error: TypeError) -> Text:
    """The problem when a policy cannot be made of ``knobs`` (``error``: what Python said).

    The English is Python's own words; the Nynorsk names the unknown knobs, or
    the values a known knob cannot take.
    """
    names = {a.name for a in attrs.fields(Policy)}
    unknown = sorted(k for k in knobs if k not in names)
    if unknown:
        what = "ukjend innstilling" if len(unknown) == 1 else "ukjende innstillingar"
        nn = f"{what} i policyen: {', '.join(map(repr, unknown))}"
    else:
        shown = ", ".join(f"{k}={v!r}" for k, v in sorted(knobs.items()))
        which = "verdien" if len(knobs) == 1 else "ein av verdiane"
        nn = f"policyen kan ikkje ha {shown}: {which} har feil type"
    return Text(nn, f"unknown policy knob: {error}")
