"""The hardest topics are raised early: the precise rule of DOMAIN.md §5."""

from __future__ import annotations

import pytest

import stepgate as sg
from stepgate.testing import Scenario


def hardest(violations: list[sg.Violation]) -> list[tuple[str, ...]]:
    """The objects of the hardest-topics-first violations."""
    return [v.objects for v in violations if v.rule == "hardest-topics-first"]


def test_hardest_topics_first_worked_example(run: Scenario) -> None:
    """A (5) and B (2) before step 1; only B raised blocks; C (4) found in step 2 waits a step."""
    a = run.topic("A: vertskommune", 5)
    b = run.topic("B: fagsystem", 2)
    run.start()
    run.hold()
    run.insight(b)
    found = run.inv.explain("close_step")
    assert hardest(found) == [(a,)]
    message = next(v for v in found if v.rule == "hardest-topics-first")
    assert "topic T1 'A: vertskommune' (difficulty 5) was registered before step 1" in message.en
    assert "vart registrert før steg 1" in message.nn
    run.insight(a)
    run.inv.close_step()
    run.anchor().next_step()
    run.hold()
    c = run.topic("C: reisetid og ferjer", 4)
    run.insight(b)
    assert run.inv.explain("close_step") == []
    run.inv.close_step()
    run.anchor().next_step()
    run.hold()
    run.insight(b)
    assert hardest(run.inv.explain("close_step")) == [(c,)]
    run.insight(c)
    assert run.inv.explain("close_step") == []


def test_hardest_topics_first_a_director_rating_low_does_not_lower(run: Scenario) -> None:
    """C rated 1 by a director stays 4 (max rule) and still blocks step 3."""
    run.start().close().anchor().next_step()
    run.hold()
    c = run.topic("C", 4)
    run.inv.rate_topic(c, 1, by=run.employer["4640"], session=run.session)
    run.insight()
    run.inv.close_step()
    run.anchor().next_step()
    run.hold()
    run.insight()
    assert hardest(run.inv.explain("close_step")) == [(c,)]


def test_hardest_topics_first_a_session_consensus_may_lower(run: Scenario) -> None:
    """A consensus record below the threshold lets the step close without the topic."""
    run.start().close().anchor().next_step()
    run.hold()
    c = run.topic("C", 4)
    run.insight()
    run.inv.close_step()
    run.anchor().next_step()
    run.hold()
    run.inv.record_consensus(c, 2, session=run.session)
    run.insight()
    assert run.inv.explain("close_step") == []


@pytest.mark.parametrize(("threshold", "blocks"), [(5, False), (4, True), (3, True)])
def test_hardest_topics_first_threshold_is_policy(
    store: sg.Store, threshold: int, blocks: bool
) -> None:
    """A topic of difficulty 4 is hard under a threshold of 4, not under 5."""
    run = Scenario(store, sg.trust_reform(hard_threshold=threshold))
    run.topic("Arbeidsgivaransvar", 4)
    run.start()
    run.hold()
    run.insight()
    assert bool(hardest(run.inv.explain("close_step"))) is blocks


def test_hardest_topics_first_strict_mode_refuses_an_easier_insight(store: sg.Store) -> None:
    """In strict mode an insight on B waits until the harder A is raised, or comes with it."""
    run = Scenario(store, sg.trust_reform(strict_hardest_first=True))
    a = run.topic("A", 5)
    b = run.topic("B", 2)
    run.start()
    run.hold()
    found = run.inv.explain("record_insight", session=run.session, text="x", topics=[b])
    assert hardest(found) == [(a, b)]
    assert "strict mode" in found[0].en
    assert run.inv.explain("record_insight", session=run.session, text="x", topics=[a, b]) == []
    run.insight(a)
    run.insight(b)
    assert run.inv.history().topics[b].first_raised == 1


def test_hardest_topics_first_strict_mode_same_session_counts(store: sg.Store) -> None:
    """In strict mode, a harder topic raised earlier in the same session clears the way."""
    run = Scenario(store, sg.trust_reform(strict_hardest_first=True))
    a = run.topic("A", 5)
    b = run.topic("B", 3)
    c = run.topic("C", 2)
    run.start()
    run.hold()
    run.insight(a, b)
    run.insight(c)
    assert run.inv.state.unraised == {}
    topics = run.inv.history().topics
    assert [topics[t].first_raised for t in (a, b, c)] == [1, 1, 1]


def test_strict_mode_names_an_already_raised_topic_by_id_and_difficulty(store: sg.Store) -> None:
    """A raised topic's title is history: the refusal names it by id, difficulty and as raised."""
    run = Scenario(store, sg.trust_reform(strict_hardest_first=True))
    easy = run.topic("Lett", 2)
    run.start()
    run.hold()
    run.insight(easy)
    hard = run.topic("Vanskeleg", 5)  # registered in step 1: step 1 may close without it
    run.inv.close_step(on="2024-02-16")
    run.anchor().next_step()
    run.hold()
    found = run.inv.explain("record_insight", session=run.session, text="x", topics=[easy])
    assert hardest(found) == [(hard, easy)]
    assert f"{easy} (vanske 2, alt løfta)" in found[0].nn
    assert f"{easy} (difficulty 2, already raised)" in found[0].en
    assert f"{hard} «Vanskeleg»" in found[0].nn


def test_earliness_is_one_when_everything_is_raised_in_step_one(run: Scenario) -> None:
    """E = 1 when every topic is raised in step 1, however many steps follow."""
    for title, d in (("A", 5), ("B", 2)):
        run.topic(title, d)
    run.start().close().anchor().next_step()
    assert run.inv.earliness() == 1.0


def test_earliness_weights_late_raising_by_difficulty(run: Scenario) -> None:
    """With three steps, A (5) raised in step 1 and B (2) raised in step 3: E = 10/14."""
    a = run.topic("A", 5)
    b = run.topic("B", 2)
    run.start()
    run.hold()
    run.insight(a)
    run.inv.close_step()
    run.anchor().next_step()
    run.hold()
    run.insight()
    run.inv.close_step()
    run.anchor().next_step()
    run.hold()
    run.insight(b)
    assert run.inv.earliness() == pytest.approx((5 * 2 + 2 * 0) / (7 * 2))


@pytest.mark.parametrize(("raised", "expected"), [(True, 1.0), (False, 5 / 7)])
def test_earliness_with_one_step_is_the_weighted_share_raised(
    run: Scenario, raised: bool, expected: float
) -> None:
    """With a single step, E is the difficulty-weighted share raised in it."""
    a = run.topic("A", 5)
    b = run.topic("B", 2)
    run.start()
    run.hold()
    run.insight(a, *([b] if raised else []))
    assert run.inv.earliness() == pytest.approx(expected)


def test_earliness_without_topics_or_steps(run: Scenario) -> None:
    """No topics: nothing was late (1.0). Topics but no step yet: nothing raised (0.0)."""
    assert run.inv.earliness() == 1.0
    run.topic("A", 3)
    assert run.inv.earliness() == 0.0
