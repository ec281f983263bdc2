"""Who may speak for a municipality's people, and the record of who did."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import stepgate as sg
from stepgate.testing import SECRETARIAT, Scenario

LUSTER = sg.Actor("luster-kd", municipality="4644")
SOGNDAL = sg.Actor("sogndal-kd", municipality="4640")

Act = Callable[[Scenario, sg.Actor], Any]

SPEAKING_FOR_SOGNDAL: list[tuple[str, Act]] = [
    ("consultation", lambda r, a: r.inv.record_consultation("4640", actor=a)),
    (
        "rating",
        lambda r, a: r.inv.rate_topic("T1", 5, by=r.union["4640"], session=r.session, actor=a),
    ),
    (
        "topic by",
        lambda r, a: r.inv.register_topic(
            "Ferje", 4, by=r.union["4640"], session=r.session, actor=a
        ),
    ),
    (
        "contributor",
        lambda r, a: r.inv.record_insight(r.session, "x", contributors=[r.union["4640"]], actor=a),
    ),
    ("session", lambda r, a: r.inv.hold_session("Økt", [r.union["4640"]], actor=a)),
    (
        "consensus",
        lambda r, a: r.inv.record_consensus("T1", 3, session="S1", actor=a),
    ),
    (
        "representative",
        lambda r, a: r.inv.register_representative("Ola", "union", municipality="4640", actor=a),
    ),
    ("anchoring", lambda r, a: r.inv.anchor_mandate("4640", body="formannskap", actor=a)),
]


@pytest.fixture
def step1(run: Scenario) -> Scenario:
    """Step 1 open with one topic, a session of Sogndal's union only (S1) and one of everyone."""
    run.start()
    run.topic("Vertskommune", 4)
    run.inv.hold_session("Berre Sogndal", [run.union["4640"]])
    run.hold()
    return run


@pytest.mark.parametrize(
    ("what", "act"), SPEAKING_FOR_SOGNDAL, ids=[c[0] for c in SPEAKING_FOR_SOGNDAL]
)
def test_another_municipality_may_not_speak_for_sogndals_people(
    step1: Scenario, what: str, act: Act
) -> None:
    """Luster's actor is refused, naming Sogndal; nothing is written."""
    before = step1.inv.events
    with pytest.raises(sg.NotAllowed, match=r"Sogndal \(4640\)"):
        act(step1, LUSTER)
    assert step1.inv.events == before


@pytest.mark.parametrize("actor", [SOGNDAL, SECRETARIAT], ids=["its-own", "secretariat"])
@pytest.mark.parametrize(
    ("what", "act"),
    [c for c in SPEAKING_FOR_SOGNDAL if c[0] not in ("session", "consensus")],
    ids=[c[0] for c in SPEAKING_FOR_SOGNDAL if c[0] not in ("session", "consensus")],
)
def test_its_own_actors_and_the_secretariat_may(
    step1: Scenario, what: str, act: Act, actor: sg.Actor
) -> None:
    """Sogndal's own actor or the secretariat may; the event says who, and for whom."""
    try:
        act(step1, actor)
    except sg.CommandRefused:
        return  # a rule may still refuse (e.g. a second anchoring); authorisation passed
    last = step1.inv.events[-1]
    assert last.actor == actor
    assert last.actor.acting_for == ("secretariat" if actor.secretariat else "4640")


def test_a_session_of_many_municipalities_is_the_secretariats(step1: Scenario) -> None:
    """A session with several municipalities' people, and its consensus, need the secretariat."""
    everyone = [rep for n in step1.inv.participants for rep in (step1.employer[n], step1.union[n])]
    with pytest.raises(sg.NotAllowed):
        step1.inv.hold_session("Alle", everyone, actor=SOGNDAL)
    own = step1.inv.hold_session("Berre Sogndal", [step1.union["4640"]], actor=SOGNDAL)
    step1.inv.record_consensus("T1", 3, session=own, actor=SOGNDAL)
    assert step1.inv.state.difficulty_of("T1") == 3


def test_a_party_that_is_no_municipality_is_spoken_for_by_the_secretariat(step1: Scenario) -> None:
    """Registering NAV Vestland's representative needs the secretariat."""
    with pytest.raises(sg.NotAllowed, match="not a municipality"):
        step1.inv.register_representative(
            "NAV-leiar", "employer", party="NAV Vestland", actor=SOGNDAL
        )
    step1.inv.register_representative(
        "NAV-leiar", "employer", party="NAV Vestland", actor=SECRETARIAT
    )


def test_the_record_and_its_views_say_who_acted_as_whom(step1: Scenario) -> None:
    """Each envelope keeps the actor and whom it acted for; an unknown role stays unknown."""
    step1.inv.record_consultation("4640", actor=SOGNDAL)
    step1.inv.register_topic("Tema", 2, actor=sg.Actor("innbyggjar"))
    consultation, topic = step1.inv.events[-2:]
    assert (consultation.actor.id, consultation.actor.acting_for) == ("sogndal-kd", "4640")
    assert (topic.actor.id, topic.actor.acting_for) == ("innbyggjar", None)
    conn = step1.store.backend.link().conn
    rows = conn.execute(
        "SELECT actor, acting_for FROM timeline ORDER BY seq DESC LIMIT 2"
    ).fetchall()
    assert rows == [("innbyggjar", None), ("sogndal-kd", "4640")]
