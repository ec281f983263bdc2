"""The examples run as scripts and tell the story of DOMAIN.md §6."""

from __future__ import annotations

import importlib
import pathlib
import subprocess
import sys

import pytest

import stepgate as sg
from stepgate import sogn

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("script", sorted((ROOT / "examples").glob("*.py")), ids=lambda p: p.name)
def test_every_example_runs_as_a_script(script: pathlib.Path, tmp_path: pathlib.Path) -> None:
    """Each example runs with `python examples/NAME.py FILE`, exits 0, and its record verifies
    whole with the processes it writes."""
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "x.db")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    module = importlib.import_module(script.stem)
    own = [getattr(module, name)() for name in dir(module) if name.endswith("_process")]
    with sg.open_store(tmp_path / "x.db", read_only=True, processes=own) as store:
        check = store.verify()
    assert check.ok, (check.breaks, check.unreplayed)


def test_the_barnevern_story_ends_as_the_domain_contract_says() -> None:
    """Concluded among Sogndal, Lærdal, Årdal and Luster, with the seed's milestones met."""
    story = sogn.run(sg.open_store(clock=sg.FixedClock()))
    state = story.inv.history()
    assert state.lifecycle == "concluded"
    assert state.established_among == ("4640", "4642", "4643", "4644")
    assert len(state.steps) == 4
    assert [s.phase for s in state.steps] == ["forstudie"] * 3 + ["avgjerdsgrunnlag"]
    milestones = {m.name: (m.due, m.reached_on) for m in state.milestones.values()}
    assert all(reached is not None and reached <= due for due, reached in milestones.values())
    noted = {a.municipality for a in state.anchorings if a.outcome == "noted"}
    assert noted == {"4639", "4641"}
    refused = {v.rule for _, _, found in story.refusals for v in found}
    assert {"hardest-topics-first", "host-municipality-model"} <= refused
    ferries = next(t for t in state.topics.values() if t.title == "Reisetid og ferjer")
    assert (ferries.registered_step, ferries.first_raised) == (2, 3)


def test_the_kulturskule_waits_for_the_ninth_of_february() -> None:
    """A non-pilot investigation is refused on 5/2 and starts on 12/2."""
    inv, refused = importlib.import_module("sogn_kulturskule").run(
        sg.open_store(clock=sg.FixedClock())
    )
    assert {v.rule for v in refused} == {"programme-start"}
    assert len(refused) == 2
    assert inv.lifecycle == "insight"


def test_nav_needs_the_state_as_a_partner() -> None:
    """The NAV start is refused until a representative of the state takes part."""
    inv, refused = importlib.import_module("sogn_nav").run(sg.open_store(clock=sg.FixedClock()))
    assert [v.rule for v in refused] == ["state-partner"]
    assert inv.lifecycle == "insight"
    assert inv.participants == ("4640", "4642", "4643", "4644")
