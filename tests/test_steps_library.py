"""The step library's own edges: clear failures when a scenario is written wrong."""

from __future__ import annotations

import pytest

import stepgate as sg
from stepgate.testing import steps


@pytest.fixture
def world(stepgate_store: sg.Store, stepgate_process: sg.Process) -> steps.World:
    """A world with the barnevern investigation started among three municipalities."""
    world = steps.World(stepgate_store, stepgate_process)
    steps.started(world, "Felles barnevern", "Sogndal, Luster og Årdal")
    return world


def test_a_scenario_without_an_investigation_says_how_to_begin(
    stepgate_store: sg.Store, stepgate_process: sg.Process
) -> None:
    """Using a step before any investigation exists fails with a hint."""
    with pytest.raises(AssertionError, match="begin with 'Given an investigation"):
        steps.World(stepgate_store, stepgate_process).inv  # noqa: B018


@pytest.mark.parametrize(
    ("check", "words"),
    [
        (lambda w: steps.in_state(w, "planning"), "expected the investigation in state"),
        (lambda w: steps.participants(w, "Sogndal"), "expected participants Sogndal; found"),
        (lambda w: steps.allowed(w, "closing the step"), "expected closing the step to be al"),
        (lambda w: steps.refused(w, "opting out for fun", "x"), "unknown action"),
        (lambda w: steps.established(w, "Sogndal og Luster"), "expected a cooperation among"),
        (lambda w: steps.stopped(w, "minimum-participants"), "expected a stop because of"),
        (
            lambda w: steps.topic(w, "Kostnad", "5") or steps.difficulty(w, "Kostnad", "3"),
            "to be 3; it is 5",
        ),
        (lambda w: steps.difficulty(w, "Ukjend", "3"), "no topic called"),
        (lambda w: steps.region(w, "Nordfjord", "Stad"), "Name \\(kommunenummer\\)"),
    ],
)
def test_failing_checks_say_what_was_expected_and_found(
    world: steps.World, check: object, words: str
) -> None:
    """Each Then step fails with what it expected and what it found."""
    with pytest.raises(AssertionError, match=words):
        check(world)  # type: ignore[operator]


def test_the_refusal_must_name_what_it_names(world: steps.World) -> None:
    """'the refusal names' fails when the last refusal did not name the municipality."""
    steps.session(world)
    steps.refused(world, "closing the step", "insight-first")
    with pytest.raises(AssertionError, match="expected the refusal to name"):
        steps.refusal_names(world, "Luster")


def test_the_policy_step_understands_numbers_and_words(world: steps.World) -> None:
    """Policy values may be numbers or yes/no words in either language."""
    steps.policy(world, "hard_threshold", "5")
    steps.policy(world, "noted_counts", "nei")
    assert world.process.policy.hard_threshold == 5
    assert world.process.policy.noted_counts is False
