"""Process definitions: validated up front, every problem listed, extensible in Python."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import pathlib
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

import stepgate as sg
from stepgate.testing import Scenario

PROGRAMME_DAY = dt.date(2024, 2, 9)


@sg.rule(
    "programme-start",
    at={"start"},
    nn="Dei andre utgreiingane startar {day} dersom arbeidsforma er avklara: {detail_nn}.",
    en="The other investigations start {day} if the working method is clarified: {detail_en}.",
    seed="S:129-130",
)
def programme_start(ctx: sg.Context) -> Iterator[dict[str, Any]]:
    """Non-pilot investigations start on or after 9/2, once the working method is clarified."""
    if ctx.state.pilot:
        return
    if ctx.command.on < PROGRAMME_DAY:
        yield {
            "day": PROGRAMME_DAY,
            "detail_nn": f"tidlegast {PROGRAMME_DAY}",
            "detail_en": f"not before {PROGRAMME_DAY} (asked for {ctx.command.on})",
        }
    if ctx.state.facts.get("working-method-clarified") != "yes":
        yield {
            "day": PROGRAMME_DAY,
            "detail_nn": "arbeidsforma er ikkje avklara",
            "detail_en": "the working method is not recorded as clarified",
        }


def test_trust_reform_has_the_eighteen_rules_and_two_phases() -> None:
    """The built-in process carries every rule of DOMAIN.md §4 and forstudie, avgjerdsgrunnlag."""
    process = sg.trust_reform()
    assert len(process.rules) == 18
    assert len(set(process.rule_ids)) == 18
    assert [p.name for p in process.phases] == ["forstudie", "avgjerdsgrunnlag"]
    assert all(r.nn and r.en and r.seed for r in process.rules)
    assert process.phase("forstudie").milestone == "forstudie ferdig"


def test_a_process_author_adds_a_custom_rule_and_drops_a_built_in_one(store: sg.Store) -> None:
    """The programme rule blocks a non-pilot start before 9/2; the dropped rule is gone."""
    process = sg.trust_reform().derive(
        "sogn-programme", add=[programme_start], drop=["everyone-invited"]
    )
    assert "programme-start" in process.rule_ids
    assert "everyone-invited" not in process.rule_ids
    run = Scenario(store, process, key="kulturskule-2024")
    run.milestones()
    run.inv.invite(municipalities=["Sogndal", "Luster"])
    for number in ("4640", "4644"):
        run.inv.anchor_mandate(number, body="formannskap")
        run.reps(number)
    early = run.inv.explain("start", question="?", on="2024-02-05")
    assert {v.rule for v in early} == {"programme-start"}
    assert len(early) == 2
    assert "not before 2024-02-09" in early[0].en
    run.inv.record_fact("working-method-clarified")
    run.inv.start("Felles kulturskule?", on="2024-02-12")
    assert run.inv.lifecycle == "insight"


def test_a_replaced_rule_keeps_its_place_and_id() -> None:
    """Replacing a rule swaps its check and keeps the order of the rules."""
    softer = sg.Rule("insight-first", {"close_step"}, "nn", "en", lambda ctx: iter(()))
    process = sg.trust_reform().derive("soft", replace=[softer])
    assert process.rule_ids == sg.trust_reform().rule_ids
    assert process.rules[3] is softer
    assert process.definition_hash != sg.trust_reform().definition_hash


def test_derive_lists_every_problem_at_once() -> None:
    """Unknown ids, duplicates, bad policy and bad rules are reported together."""
    bad_rule = sg.Rule("Bad Id", {"opt_out", "fly"}, "", "", lambda ctx: iter(()))
    with pytest.raises(sg.InvalidDefinition) as error:
        sg.trust_reform().derive(
            "broken",
            drop=["insight-frist"],
            replace=[sg.Rule("no-such", {"start"}, "n", "e", lambda ctx: iter(()))],
            add=[bad_rule, sg.Rule("insight-first", {"start"}, "n", "e", lambda ctx: iter(()))],
            hard_threshold=7,
            minimum_participants=1,
        )
    problems = error.value.problems
    text = "\n".join(problems)
    for words in (
        "cannot drop unknown rule 'insight-frist' (did you mean 'insight-first'?)",
        "cannot replace unknown rule 'no-such'",
        "rule 'insight-first' exists already; use replace=",
        "hard_threshold must be 1..5; got 7",
        "minimum_participants must be at least 2",
        "rule id 'Bad Id' must be lower-case",
        "unknown action(s) ['fly']",
        "may not be checked at 'opt_out'",
        "rule 'Bad Id' has no nn message",
    ):
        assert words in text, words
    assert len(problems) >= 9
    assert str(error.value).startswith("process definition 'broken' has")


def test_a_definition_lists_every_structural_problem() -> None:
    """Duplicate phases, missing milestones and no name are all named."""
    with pytest.raises(sg.InvalidDefinition) as error:
        sg.Process(
            "",
            [
                sg.Phase("forstudie", ""),
                sg.Phase("forstudie", "ferdig"),
                sg.Phase("hovud", "ferdig"),
            ],
            [*sg.TRUST_REFORM_RULES, sg.TRUST_REFORM_RULES[0]],
        )
    text = "\n".join(error.value.problems)
    for words in (
        "needs a name",
        "phase 'forstudie' is declared twice",
        "phase 'forstudie' has no milestone",
        "milestone 'ferdig' ends more than one",
        "rule 'parties-from-start' is listed twice",
    ):
        assert words in text, words
    with pytest.raises(sg.InvalidDefinition, match="at least one phase"):
        sg.Process("tom", [], [])


@pytest.mark.parametrize(
    ("policy", "words"),
    [
        ({"maximum_weeks": 0}, "maximum_weeks"),
        ({"reaction_days": -1}, "reaction_days"),
        ({"political_bodies": ["formannskap", "ipr"]}, r"regional \['ipr'\]"),
        ({"political_bodies": []}, "at least one body"),
        ({"speed": "fast"}, "unknown policy knob"),
    ],
)
def test_policy_problems_are_definition_errors(policy: dict[str, Any], words: str) -> None:
    """A bad policy knob fails the definition with a clear problem."""
    with pytest.raises(sg.InvalidDefinition, match=words):
        sg.trust_reform(**policy)
    with pytest.raises(sg.InvalidDefinition, match=words):
        sg.trust_reform().derive("x", **policy)


def test_unknown_phase_suggests_the_closest_one() -> None:
    """Asking for a phase by a misspelt name says which one was meant."""
    with pytest.raises(sg.InvalidValue, match="did you mean 'forstudie'"):
        sg.trust_reform().phase("forstudia")


def test_definition_hash_is_stable_and_sensitive_to_policy() -> None:
    """Two builds of the same definition hash alike; another policy hashes differently."""
    assert sg.trust_reform().definition_hash == sg.trust_reform().definition_hash
    assert sg.trust_reform(noted_counts=False).definition_hash != (
        sg.trust_reform().definition_hash
    )


def test_a_process_may_change_which_bodies_are_political(store: sg.Store) -> None:
    """A process that counts only the kommunestyre refuses nothing, but waits for it."""
    run = Scenario(store, sg.trust_reform(political_bodies=["kommunestyre"]))
    run.start(body="kommunestyre").close().anchor()
    assert run.inv.lifecycle == "anchoring"
    run.anchor(body="kommunestyre")
    assert run.inv.lifecycle == "planning"


@pytest.mark.parametrize("by", ["method", "build"])
def test_a_process_without_the_gate_rule_passes_its_gate_by_hand(store: sg.Store, by: str) -> None:
    """Dropping anchored-every-step lets the secretariat pass a gate explicitly
    (``inv.pass_gate()``, or the command built by name)."""
    run = Scenario(store, sg.trust_reform().derive("no-gate", drop=["anchored-every-step"]))
    run.start().close()
    assert run.inv.explain("pass_gate") == []
    if by == "method":
        run.inv.pass_gate()
    else:
        run.inv.run(run.inv.build("pass_gate"))
    assert run.inv.lifecycle == "planning"
    with pytest.raises(sg.CommandRefused) as refused:
        Scenario(store, key="k2").start().close().inv.pass_gate()
    assert refused.value.rules == ("anchored-every-step",)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (
            sg.Rule("ingen-stad", frozenset(), "n", "e", lambda ctx: iter(())),
            "checked at no action",
        ),
        (sg.Rule("null", {"start"}, "n", "e", lambda ctx: iter(()), version=0), "has version 0"),
        (sg.Rule("sann", {"start"}, "n", "e", lambda ctx: iter(()), version=True), "version True"),
        (
            sg.Rule("ulik", {"start"}, "{a} og {b}", "{a} and {c}", lambda ctx: iter(())),
            r"different placeholders in its messages \(only nn: \['b'\], only en: \['c'\]\)",
        ),
        (
            sg.Rule("brot", {"start"}, "{a", "{a", lambda ctx: iter(())),
            r"a message with a malformed \{placeholder\}",
        ),
    ],
)
def test_a_rule_without_actions_or_a_version_is_a_definition_problem(
    rule: sg.Rule, words: str
) -> None:
    """A rule checked nowhere, with a version that is not 1, 2, …, or with messages that do
    not name the same placeholders, fails the definition."""
    with pytest.raises(sg.InvalidDefinition, match=words):
        sg.trust_reform().derive("x", add=[rule])


def _raising(ctx: sg.Context) -> Iterator[dict[str, Any]]:
    yield {"share": 1 / len(ctx.state.participants)}  # no participant yet: ZeroDivisionError


def _keyless(ctx: sg.Context) -> Iterator[dict[str, Any]]:
    raise KeyError("kommunenummer")
    yield {}  # a generator, as a rule's check is


def _misnamed(ctx: sg.Context) -> Iterator[dict[str, Any]]:
    yield {"when": ctx.command.on}


@pytest.mark.parametrize(
    ("check", "cause", "problem"),
    [
        (_raising, ZeroDivisionError, "its check raised ZeroDivisionError"),
        (_keyless, KeyError, "its check raised KeyError"),
        (
            _misnamed,
            KeyError,
            "its message names 'on', which the check did not give (it gave: when)",
        ),
    ],
)
@pytest.mark.parametrize("how", ["run", "explain"])
def test_a_rule_that_fails_is_named_and_records_nothing(
    store: sg.Store, check: Any, cause: type, problem: str, how: str
) -> None:
    """A rule whose check raises or whose message names what it never gives raises RuleFailed
    with its id, the command and the cause, in both languages; nothing is recorded."""
    broken = sg.Rule("min-regel", {"start"}, "Starta {on}.", "Started {on}.", check)
    run = Scenario(store, sg.trust_reform().derive("x", add=[broken]))
    before = run.inv.version
    attempt = run.inv.start if how == "run" else functools.partial(run.inv.explain, "start")
    with pytest.raises(sg.RuleFailed) as failed:
        attempt(question="Kva?")
    error = failed.value
    assert (error.rule, error.action) == ("min-regel", "start")
    assert isinstance(error.__cause__, cause)
    assert str(error).startswith(f"rule 'min-regel' failed while checking start: {problem}")
    assert error.message("nn").startswith("regelen 'min-regel' feila då han sjekka start: ")
    assert error.detail is not None
    assert error.detail.startswith(cause.__name__)
    assert run.inv.version == before
    assert store.summary(run.inv.key).version == before


def test_every_field_a_rule_reads_is_documented() -> None:
    """docs/processes.md names every field, property and method of the working state."""
    guide = (pathlib.Path(__file__).resolve().parents[1] / "docs/processes.md").read_text(
        encoding="utf-8"
    )
    section = guide.split("### What a rule reads: the working state", 1)[1].split("\n## ", 1)[0]
    state = sg.InvestigationState
    public = [a.name for a in attrs.fields(state)] + [
        name
        for name, value in vars(state).items()
        if not name.startswith("_") and (isinstance(value, property) or inspect.isfunction(value))
    ]
    missing = [name for name in public if f"`{name}`" not in section]
    assert missing == []
