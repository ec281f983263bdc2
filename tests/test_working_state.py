"""A loaded investigation keeps a working state that does not grow; history is read on demand."""

from __future__ import annotations

import pytest

import stepgate as sg
from stepgate import sogn
from stepgate.model.serial import canonical_json, state_to_dict
from stepgate.model.state import Numbered
from stepgate.testing import Scenario
from tests._working import working_part


@pytest.fixture(scope="module")
def story() -> sogn.Story:
    """The Sogn barnevern story, run once for this module."""
    return sogn.run(sg.open_store(clock=sg.FixedClock()))


def test_after_every_event_the_working_state_is_the_history_less_its_past(
    story: sogn.Story,
) -> None:
    """Folding the Sogn record event by event, both folds agree on what the working state keeps."""
    engine = story.inv._engine
    events = [r.event for r in story.inv.events]
    working = engine.fold(None, events[:1])
    history = engine.fold(None, events[:1], history=True)
    for event in events[1:]:
        engine.fold(working, [event])
        engine.fold(history, [event])
        assert state_to_dict(working) == working_part(history), event.kind


def test_the_loaded_state_keeps_only_the_open_step(story: sogn.Story) -> None:
    """After four steps the working state holds one step and no insight or anchoring of the past."""
    state = story.inv.state
    assert [s.number for s in state.steps] == [4]
    assert (state.insights, state.anchorings) == ({}, [])
    assert all(s.step == 4 for s in state.sessions.values())
    assert state.insight_count == len(story.inv.history().insights) > 0
    assert state.session_count == len(story.inv.history().sessions) > 0


def test_history_is_folded_from_the_record_and_follows_new_commands(run: Scenario) -> None:
    """``history()`` is the whole record's fold, kept until the next event and then refolded."""
    run.start()
    run.hold()
    run.topic("Vertskommune", 5)
    first = run.inv.record_insight(run.session, "Ei innsikt", topics="T1")
    history = run.inv.history()
    assert history is run.inv.history()
    assert list(history.insights) == [first]
    second = run.inv.record_insight(run.session, "Ei til", topics="T1")
    assert list(run.inv.history().insights) == [first, second]
    assert history.version < run.inv.history().version == run.inv.version


def test_a_snapshot_does_not_grow_with_steps(run: Scenario) -> None:
    """The working state's plain data is the same size after two steps as after ten."""
    run.start()
    sizes = []
    for step in range(1, 11):
        run.topic(f"Tema {step}", 2)
        run.close().anchor().next_step()
        sizes.append(len(canonical_json(state_to_dict(run.inv.state))))
    assert max(sizes[2:]) - min(sizes[2:]) < 64, sizes


@pytest.mark.parametrize(
    ("ref", "known"),
    [
        ("S1", True),
        ("S3", True),
        ("S4", False),
        ("S0", False),
        ("S01", False),
        ("S", False),
        ("S²", False),
        ("S-1", False),
        ("T1", False),
        (1, False),
        (None, False),
    ],
)
def test_numbered_ids_are_the_counted_ones(ref: object, known: bool) -> None:
    """With three sessions, exactly S1, S2 and S3 exist; anything else is unknown, not an error."""
    assert (ref in Numbered("S", 3)) is known


def test_earliness_refuses_a_working_state(story: sogn.Story) -> None:
    """The earliness score of a working state would be wrong, so it is refused with the way out."""
    with pytest.raises(sg.InvalidValue, match="history"):
        sg.earliness(story.inv.state)
    assert sg.earliness(story.inv.history()) == story.inv.earliness()
