"""The record as it stood: ``Investigation.as_of`` a business date or a version, and ``--as-of``."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

import stepgate as sg
from stepgate import sogn
from stepgate.cli import cli
from stepgate.model.serial import state_to_dict
from stepgate.report import model
from stepgate.report.render import markdown_report

KEY = sogn.KEY


@pytest.fixture(scope="module")
def story() -> sogn.Story:
    """The demo's investigation, run once in memory."""
    return sogn.run(sg.open_store(clock=sg.FixedClock()))


def test_on_the_eleventh_of_march_step_2_waits_at_its_gate(story: sogn.Story) -> None:
    """As of 2024-03-11 step 2 is closed and at its gate; its anchorings (12/3) are not there."""
    then = story.inv.as_of("2024-03-11")
    assert then.lifecycle == "anchoring"
    step = then.state.steps[1]
    assert (step.number, step.closed_on, step.passed_on) == (2, dt.date(2024, 3, 8), None)
    assert not [a for a in then.state.anchorings if a.subject == "step 2"]
    assert then.complete
    assert then.version < then.latest == story.inv.version


def test_on_the_twelfth_of_march_step_2_has_passed(story: sogn.Story) -> None:
    """As of 2024-03-12 every participant anchored step 2 and its gate has passed."""
    then = story.inv.as_of(dt.date(2024, 3, 12))
    assert then.lifecycle == "planning"
    assert then.state.steps[1].passed_on == dt.date(2024, 3, 12)
    assert len([a for a in then.state.anchorings if a.subject == "step 2"]) == 6


def test_at_the_submission_the_decision_basis_is_as_submitted(story: sogn.Story) -> None:
    """At the version of the submission the basis is the one submitted; the version before, none."""
    submitted = next(r for r in story.inv.events if r.kind == "decision_basis_submitted")
    then = story.inv.as_of(submitted.seq)
    assert then.lifecycle == "decision"
    assert then.state.decision_basis == submitted.event.summary
    report = model.build(then)
    assert report.decision.basis is not None
    assert report.decision.basis.summary == submitted.event.summary
    assert report.decision.steering == ()
    assert report.record.as_of == submitted.seq
    before = story.inv.as_of(f"v{submitted.seq - 1}")
    assert before.state.decision_basis is None
    assert model.build(before).decision.basis is None


def test_the_head_hash_is_the_chain_s_at_that_version(story: sogn.Story) -> None:
    """An as-of view stands on the hash its last event had: the whole record's at the end."""
    assert story.inv.as_of(story.inv.version).head_hash == story.inv.head_hash
    whole = story.inv.as_of(story.inv.version)
    assert whole.snapshot() == state_to_dict(story.inv.history())  # as-of views keep history
    earlier = story.inv.as_of(40)
    assert earlier.head_hash != story.inv.head_hash
    assert earlier.version == 40


def test_a_late_entry_counts_on_its_business_date(story: sogn.Story) -> None:
    """Aurland's send-back (13/6, entered after the approvals of 18/6) is in the record of 15/6."""
    then = story.inv.as_of("2024-06-15")
    assert not then.complete
    decided = {a.municipality: a.outcome for a in then.state.anchorings if a.subject == "council"}
    assert decided == {"4640": "approve", "4644": "approve", "4641": "send_back"}
    assert all(r.event.on <= dt.date(2024, 6, 15) for r in then.events)
    text = markdown_report(then)
    assert "Nokre hendingar datert på eller før dagen vart førte seinare" in text


@pytest.mark.parametrize("printed", ["15.06.2024", "15.6.2024", " 15.06.2024 "])
def test_a_date_as_nynorsk_prints_it_is_the_same_day(story: sogn.Story, printed: str) -> None:
    """``15.06.2024`` (day first, as the Nynorsk report prints it) reads as 2024-06-15."""
    assert story.inv.as_of(printed).version == story.inv.as_of("2024-06-15").version


@pytest.mark.parametrize(
    "when",
    [
        0,
        -1,
        True,
        "2024-13-01",
        "31.02.2024",
        "06/15/2024",
        "v0",
        "soon",
        dt.datetime(2024, 3, 12, tzinfo=dt.UTC),
        97,
    ],
)
def test_a_bad_moment_is_refused_in_one_line(story: sogn.Story, when: object) -> None:
    """Not a date nor a version from 1 to the last: InvalidValue, said in both languages."""
    with pytest.raises(sg.InvalidValue) as caught:
        story.inv.as_of(when)  # type: ignore[arg-type]
    assert len(str(caught.value).splitlines()) == 1
    assert caught.value.nn


def test_before_the_investigation_there_is_nothing_to_show(story: sogn.Story) -> None:
    """A day before it was created has no record."""
    with pytest.raises(sg.InvalidValue, match="created on 2024-01-10"):
        story.inv.as_of("2024-01-01")


def test_an_as_of_view_takes_no_commands(story: sogn.Story) -> None:
    """The view reads; it has no command methods at all."""
    then = story.inv.as_of(10)
    assert not hasattr(then, "run")
    assert not hasattr(then, "close_step")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo's database."""
    path = tmp_path_factory.mktemp("asof") / "demo.db"
    assert CliRunner().invoke(cli, ["demo", "--db", str(path)]).exit_code == 0
    return str(path)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("status", "{db}", KEY, "--as-of", "2024-03-11"), "forankring (v53/96)"),
        (("status", "{db}", KEY, "--as-of", "2024-03-12", "--lang", "en"), "planning (v60/96)"),
        (("report", "{db}", KEY, "--as-of", "2024-03-11"), "per 11.03.2024: versjon 53 av 96"),
        (("report", "{db}", KEY, "--as-of", "v53", "--lang", "en"), "as of version 53"),
    ],
)
def test_the_command_line_shows_the_record_as_of(
    demo_db: str, args: tuple[str, ...], expected: str
) -> None:
    """--as-of on status and report."""
    result = CliRunner().invoke(cli, [a.replace("{db}", demo_db) for a in args])
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_the_log_as_of_a_day_ends_that_day(demo_db: str) -> None:
    """log --as-of prints only events dated on or before the day; --json says the same."""
    result = CliRunner().invoke(cli, ["log", demo_db, KEY, "--as-of", "2024-03-11", "--json"])
    rows = json.loads(result.output)
    assert len(rows) == 53
    assert max(r["on"] for r in rows) <= "2024-03-11"
    text = CliRunner().invoke(cli, ["log", demo_db, KEY, "--as-of", "2024-03-11"]).output
    assert "12.03.2024" not in text
    assert text.rstrip().endswith("Tilstand: forankring")
