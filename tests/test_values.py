"""Domain values check themselves at construction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

import stepgate as sg
from stepgate.model import commands as cmd
from stepgate.testing import Scenario


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda: sg.Municipality("464", "Sogndal"), "4 digits"),
        (lambda: sg.Municipality("46400", "Sogndal"), "4 digits"),
        (lambda: sg.Municipality("4640", " "), "municipality name"),
        (lambda: sg.Region("", [sg.Municipality("4640", "Sogndal")]), "region name"),
        (lambda: sg.Region("IPR", []), "at least one member"),
        (
            lambda: sg.Region("IPR", [sg.Municipality("4640", "A"), sg.Municipality("4640", "B")]),
            "repeated",
        ),
        (lambda: cmd.RegisterTopic("Kostnad", 7, on="2024-01-01"), "1 to 5"),
        (lambda: cmd.RegisterTopic("Kostnad", 0, on="2024-01-01"), "1 to 5"),
        (lambda: cmd.RegisterTopic("", 3, on="2024-01-01"), "topic title"),
        (lambda: cmd.AnchorStep("4640", "By styre!", "endorsed", on="2024-01-01"), "unknown body"),
        (
            lambda: cmd.AnchorStep("4640", "formannskap", "Kanskje!", on="2024-01-01"),
            "unknown outcome",
        ),
        (lambda: cmd.SteeringGroupDecision("conclude", on="2024-01-01"), "steering-group"),
        (lambda: cmd.CloseStep(on="20/3"), "date"),
        (
            lambda: cmd.RegisterRepresentative(
                "Kari", "boss", municipality="4640", on="2024-01-01"
            ),
            "unknown role",
        ),
        (lambda: cmd.RegisterRepresentative("Kari", "union", on="2024-01-01"), "party"),
        (lambda: sg.Actor("x", municipality="4640", secretariat=True), "not both"),
        (lambda: sg.Actor(""), "actor id"),
    ],
)
def test_invalid_value_raises_a_clear_error(build: Callable[[], Any], words: str) -> None:
    """A bad value fails at construction with InvalidValue naming what was wrong."""
    with pytest.raises(sg.InvalidValue, match=words):
        build()


def test_kommunenummer_keeps_its_leading_zero() -> None:
    """Oslo is 0301, never 301."""
    assert sg.Municipality("0301", "Oslo").number == "0301"


@pytest.mark.parametrize("ref", ["4640", "Sogndal", "sogndal", " SOGNDAL "])
def test_region_finds_a_member_by_number_or_name(ref: str) -> None:
    """A member is found by kommunenummer or by name, in any case."""
    region = sg.Region("Sogn", [sg.Municipality("4640", "Sogndal")])
    assert region.find(ref).number == "4640"


def test_region_names_its_members_when_a_reference_is_unknown() -> None:
    """An unknown municipality gets an error listing the members."""
    region = sg.Region("Sogn", [sg.Municipality("4640", "Sogndal")])
    with pytest.raises(sg.InvalidValue, match=r"Sogndal \(4640\)"):
        region.find("Bergen")
    assert region.name_of("9999") == "9999"


@pytest.mark.parametrize(
    ("body", "at_home"),
    [
        ("formannskap", True),
        ("kommunedirektor", True),
        ("ipr", False),
        ("sognatinget", False),
        ("styringsgruppe", False),
    ],
)
def test_bodies_know_whether_they_are_at_home(body: str, at_home: bool) -> None:
    """Regional bodies are not at home in any municipality."""
    assert sg.Body.of(body).at_home is at_home


def test_actor_may_act_for_its_own_municipality_only() -> None:
    """A municipal actor acts for its own municipality; the secretariat for everyone."""
    assert sg.Actor("sogndal", municipality="4640").may_act_for("4640")
    assert not sg.Actor("sogndal", municipality="4640").may_act_for("4644")
    assert sg.Actor("ko", secretariat=True).may_act_for("4644")


def test_dates_are_accepted_as_iso_text_or_datetimes() -> None:
    """Business dates come as dates, ISO text or datetimes."""
    when = dt.datetime(2024, 2, 5, 12, 0)
    assert cmd.CloseStep(on=when).on == dt.date(2024, 2, 5)
    assert cmd.CloseStep(on="2024-02-05").on == dt.date(2024, 2, 5)


def test_violation_and_signal_speak_both_languages() -> None:
    """Messages exist in Nynorsk (the default) and English."""
    v = sg.Violation("insight-first", "nn-tekst", "en text", ("step 1",))
    s = sg.Signal("milestone-overdue", "nn", "en")
    assert (v.message(), v.message("en"), str(v)) == (
        "nn-tekst",
        "en text",
        "insight-first: en text",
    )
    assert (s.message(), s.message("en")) == ("nn", "en")


def test_fixed_clock_moves_only_when_told(clock: sg.FixedClock) -> None:
    """A fixed clock stands still, can be set to a day and advanced."""
    clock.set(dt.date(2024, 3, 1))
    assert clock.now() == dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)
    clock.advance(days=1)
    assert clock.now().date() == dt.date(2024, 3, 2)
    assert sg.SystemClock().now().tzinfo is not None


def test_a_gate_outcome_is_one_the_process_declares(run: Scenario) -> None:
    """An outcome the gate does not know is refused where the command runs, naming the gate's."""
    run.start().close()
    with pytest.raises(sg.CommandRefused) as refused:
        run.inv.anchor_step("4640", body="formannskap", outcome="maybe")
    assert refused.value.rules == ("valid-command",)
    assert "unknown outcome 'maybe' at this gate" in str(refused.value)
    assert "endorsed, noted, sent_back, opted_out" in str(refused.value)
