"""The built-in trust-reform process, written with the same DSL a process author uses.

Members of a region are invited and join by anchoring the mandate at home;
every participant anchors each step in a political body at home (endorsed or,
where the policy allows, noted; one municipality sending back sends the step
back); the steering group approves, sends back or stops, and approval forwards
the case to every participant's kommunestyre: the cooperation is established
among those that approve, if at least two. The 18 rules are DOMAIN.md §4.
"""

from __future__ import annotations

import functools
from typing import Any

from stepgate.errors import InvalidDefinition
from stepgate.model.context import Policy
from stepgate.model.definition import (
    ANCHORING_OUTCOMES,
    EVERY_PARTICIPANT,
    Ending,
    Gate,
    JoinByMandate,
    Steering,
)
from stepgate.model.text import Text
from stepgate.model.values import Body, Phase
from stepgate.process.checks import knob_problem
from stepgate.process.process import Process
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
from stepgate.rules.rule import Rule
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

RULES: dict[str, Rule] = {r.id: r for r in TRUST_REFORM_RULES}
"""The built-in rules by id, for a process author to pick from."""

TRUST_REFORM_PHASES: tuple[Phase, ...] = (
    Phase("forstudie", "forstudie ferdig", Text("Forstudie", "Pre-study")),
    Phase(
        "avgjerdsgrunnlag",
        "avgjerdsgrunnlag til styringsgruppa",
        Text("Avgjerdsgrunnlag", "Decision basis"),
    ),
)

POLITICAL_ANCHORING = Gate(EVERY_PARTICIPANT, outcomes=ANCHORING_OUTCOMES)
"""Every participant anchors the step in a political body at home (the policy's bodies)."""

COUNCILS_AFTER_STEERING_GROUP = Ending(
    EVERY_PARTICIPANT,
    bodies=[Body.KOMMUNESTYRE],
    steering=Steering(final=False),
    establish_with=2,
)
"""The steering group forwards the case; every kommunestyre decides; two establish it."""


def trust_reform(**policy: Any) -> Process:
    """The built-in trust-reform process: all 18 rules, forstudie then avgjerdsgrunnlag.

    Keyword arguments change the policy, e.g. ``trust_reform(noted_counts=False)``.
    A process is an immutable value: the same arguments give the same one, built
    (and its definition hash computed) once per Python process.
    """
    try:
        key = tuple(sorted(policy.items()))
        hash(key)
    except TypeError:
        return _build(**policy)  # an unhashable knob: build it (and let Policy say why)
    return _cached(key)


@functools.lru_cache(maxsize=32)
def _cached(key: tuple[tuple[str, Any], ...]) -> Process:
    return _build(**dict(key))


def _build(**policy: Any) -> Process:
    try:
        chosen = Policy(**policy)
    except TypeError as error:
        raise InvalidDefinition("trust-reform", [knob_problem(policy, error)]) from None
    return Process(
        "trust-reform",
        TRUST_REFORM_PHASES,
        TRUST_REFORM_RULES,
        chosen,
        "Tillitsreforma: eitt steg om gangen, innsikt, politisk forankring for kvart steg.",
        parties=JoinByMandate(),
        gate=POLITICAL_ANCHORING,
        ending=COUNCILS_AFTER_STEERING_GROUP,
    )
