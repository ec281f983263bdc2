"""Process authors write their own processes: parties, gates and endings, checked and hashed."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import pathlib
import re
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

import stepgate as sg
from stepgate.cli import cli as main
from stepgate.model.serial import state_to_dict
from stepgate.report.model import build
from stepgate.report.render import html_report, json_report, markdown_report
from stepgate.report.timeline import timeline_text
from stepgate.testing import SECRETARIAT, SOGN, Scenario


def replayed(inv: sg.Investigation) -> dict[str, Any]:
    """The state a full replay of the investigation's record gives."""
    return state_to_dict(sg.Engine(inv.process).replay(inv.events))


def test_one_municipality_holds_redoes_continues_and_its_council_approves() -> None:
    """The leader group's hold and redo move the lifecycle; the council concludes it alone."""
    story = importlib.import_module("kommune_utgreiing").run(sg.open_store(clock=sg.FixedClock()))
    inv = story.inv
    kinds = [r.kind for r in inv.events]
    assert kinds.index("step_held") < kinds.index("step_sent_back") < kinds.index("gate_passed")
    assert (inv.lifecycle, inv.state.established_among) == ("concluded", ("4640",))
    assert [v.rule for v in story.refusals] == ["hardest-topics-first"]
    assert replayed(inv) == inv.snapshot()


def test_one_municipality_may_be_stopped_by_its_leader_group() -> None:
    """A 'stop' at the gate ends the investigation, with the gate as its reason."""
    story = importlib.import_module("kommune_utgreiing").run_stopped(
        sg.open_store(clock=sg.FixedClock())
    )
    assert (story.inv.lifecycle, story.inv.state.stop_reason) == ("stopped", "gate")
    assert replayed(story.inv) == story.inv.snapshot()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nn", "Stoppa 30.01.2024: «stoppa» ved porten etter steg 1 (leiargruppa, Sogndal)"),
        ("en", "Stopped 2024-01-30: “stopped” at the gate after step 1 (leader group, Sogndal)"),
    ],
)
def test_a_stop_at_the_gate_shows_the_outcome_and_nothing_is_overdue_after(
    lang: str, said: str
) -> None:
    """The report of a stopped investigation names the gate outcome that stopped it, and a
    milestone due after the stop is not overdue, however late the report is made."""
    story = importlib.import_module("kommune_utgreiing").run_stopped(
        sg.open_store(clock=sg.FixedClock())
    )
    text = markdown_report(story.inv, lang=lang, today=dt.date(2025, 1, 1))
    assert said in text
    report = build(story.inv, today=dt.date(2025, 1, 1))
    assert report.summary.overdue == ()
    assert [m.overdue for m in report.milestones] == [False, False]
    assert report.decision.stopped_by is not None
    assert report.decision.stopped_by.outcome == "stop"
    assert json.loads(json_report(story.inv))["decision"]["stopped_at_step"] == 1


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_a_stopped_investigation_shows_no_milestone_overdue(lang: str) -> None:
    """After a stop nothing is overdue, not even a milestone that was due before it and never
    reached: there is no schedule left to keep. A milestone reached after its due date is
    "reached late", not overdue."""
    store = sg.open_store(clock=sg.FixedClock())
    story = importlib.import_module("kommune_utgreiing").begin(store)
    inv = story.inv
    session = inv.hold_session("Verkstad", ["R1", "R2"], on="2024-01-22")
    inv.record_insight(session, "Turnus er låst", topics=["T1"], on="2024-01-22")
    inv.close_step(on="2024-01-26")
    inv.anchor_step("4640", body="leiargruppe", outcome="stop", on="2024-03-05")
    report = build(inv, today=dt.date(2025, 1, 1))
    assert report.summary.overdue == ()
    assert not any(m.overdue for m in report.milestones)
    assert report.summary.next_deadline is None
    text = markdown_report(inv, lang=lang, today=dt.date(2025, 1, 1))
    assert ("forseinka" if lang == "nn" else "overdue") not in text.lower()


def test_a_milestone_reached_after_its_day_is_reached_late_not_overdue() -> None:
    """A running investigation's milestone reached late says so, and is not overdue."""
    store = sg.open_store(clock=sg.FixedClock())
    inv = importlib.import_module("kommune_utgreiing").begin(store).inv
    first = min(inv.state.milestones.values(), key=lambda m: m.due)
    inv.reach_milestone(first.name, on=first.due + dt.timedelta(days=3))
    report = build(inv, today=first.due + dt.timedelta(days=5))
    row = next(m for m in report.milestones if m.name == first.name)
    assert (row.late, row.overdue) == (True, False)
    assert "nådd for seint" in markdown_report(inv, lang="nn", today=first.due)


def test_a_majority_passes_and_sends_back_gates() -> None:
    """Four of six pass gate 1, four of six send step 2 back, five councils establish it."""
    story = importlib.import_module("ipr_fleirtal").run(sg.open_store(clock=sg.FixedClock()))
    inv = story.inv
    assert [r.kind for r in inv.events].count("step_sent_back") == 1
    assert inv.state.established_among == ("4640", "4641", "4642", "4643", "4644")
    assert {v.rule for v in story.refusals} == {"lifecycle", "one-step-at-a-time"}
    assert replayed(inv) == inv.snapshot()


@pytest.mark.parametrize(
    ("story", "lifecycle", "among", "reason"),
    [
        ("run", "concluded", ("4640", "4644", "nav-vestland"), None),
        ("run_without_the_state", "stopped", (), "required-party"),
    ],
)
def test_the_state_is_a_party_of_its_own(
    story: str, lifecycle: str, among: tuple[str, ...], reason: str | None
) -> None:
    """NAV Vestland anchors and decides by its director; without the state it stops."""
    inv = getattr(importlib.import_module("nav_partnarskap"), story)(
        sg.open_store(clock=sg.FixedClock())
    )
    assert (inv.lifecycle, inv.state.established_among, inv.state.stop_reason) == (
        lifecycle,
        among,
        reason,
    )
    assert replayed(inv) == inv.snapshot()


def test_a_state_actor_speaks_only_for_the_state() -> None:
    """NAV Vestland's director may record NAV's position, not Sogndal's."""
    nav = importlib.import_module("nav_partnarskap")
    inv = nav.begin(sg.open_store(clock=sg.FixedClock()))
    run = inv.hold_session("Økt", list(inv.state.representatives))
    inv.record_insight(run, "Innsikt")
    inv.close_step()
    with pytest.raises(sg.NotAllowed, match="Sogndal"):
        inv.anchor_step("4640", body="formannskap", actor=nav.FYLKESDIREKTOR)
    inv.anchor_step("nav-vestland", body="direktor", actor=nav.FYLKESDIREKTOR)


@pytest.mark.parametrize(
    ("name", "states"),
    [
        ("trust_reform", ["draft", "mandate", "insight", "anchoring", "planning", "decision"]),
        ("kommune", ["draft", "insight", "anchoring", "held", "planning", "decision"]),
        ("nav", ["draft", "insight", "anchoring", "planning", "decision"]),
    ],
)
def test_each_process_compiles_its_own_lifecycle(name: str, states: list[str]) -> None:
    """States come from what a process declares: a mandate state, a held state, or neither."""
    process = {
        "trust_reform": sg.trust_reform,
        "kommune": importlib.import_module("kommune_utgreiing").kommune_process,
        "nav": importlib.import_module("nav_partnarskap").nav_process,
    }[name]()
    lifecycle = sg.Engine(process).lifecycle
    assert list(lifecycle.live) == states
    assert {"concluded", "stopped"} <= set(lifecycle.states)


def test_a_process_without_a_mandate_has_no_invitation() -> None:
    """Inviting is not possible where parties take part from the start."""
    inv = importlib.import_module("nav_partnarskap").begin(sg.open_store(clock=sg.FixedClock()))
    (found,) = inv.explain("invite")
    assert found.rule == "lifecycle"


ONE_BODY_GATE = sg.Gate(
    sg.ONE_BODY, body="leiargruppe", party="4640", outcomes=[sg.GateOutcome("continue", "pass")]
)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"gate": sg.Gate(sg.ONE_BODY)}, "names it: Gate(ONE_BODY, body=…)"),
        ({"gate": sg.Gate(sg.ONE_BODY, body="leiargruppe")}, "names its party"),
        ({"gate": sg.Gate(sg.ONE_BODY, body="ipr", party="4640")}, "not regional 'ipr'"),
        (
            {"gate": sg.Gate(sg.EVERY_PARTICIPANT, outcomes=[sg.GateOutcome("stop", "stop")])},
            "no outcome that passes it",
        ),
        (
            {"gate": sg.Gate(sg.EVERY_PARTICIPANT, bodies=["formannskap", "ko"])},
            "the parties' own",
        ),
        (
            {"parties": sg.SingleOrganisation(), "gate": sg.Gate(sg.MAJORITY)},
            "a majority gate needs several parties",
        ),
        ({"ending": sg.Ending(sg.ONE_BODY)}, "names it: Ending(ONE_BODY, body=…)"),
        ({"ending": sg.Ending(sg.MAJORITY)}, "not a majority"),
        ({"ending": sg.Ending(establish_with=0)}, "establish_with must be at least 1"),
        ({"ending": sg.Ending(outcomes=["send_back"])}, "must be able to approve"),
        ({"parties": sg.SingleOrganisation()}, "has minimum_participants=1"),
        ({"policy": sg.Policy(minimum_participants=1)}, "a cooperation needs two"),
        ({"parties": "everybody"}, "parties is JoinByMandate()"),
    ],
)
def test_a_declaration_that_cannot_work_is_refused_when_built(
    fields: dict[str, Any], words: str
) -> None:
    """Gates, endings and parties are checked with the definition; each problem is named."""
    with pytest.raises(sg.InvalidDefinition) as error:
        sg.Process("eigen", sg.TRUST_REFORM_PHASES, [], **fields)
    assert any(words in problem for problem in error.value.problems), error.value.problems


def test_every_problem_of_a_declaration_is_listed_at_once() -> None:
    """A broken gate, ending and policy are reported together."""
    with pytest.raises(sg.InvalidDefinition) as error:
        sg.trust_reform().derive(
            "broken",
            gate=sg.Gate(sg.ONE_BODY),
            ending=sg.Ending(establish_with=0),
            minimum_participants=1,
        )
    text = "\n".join(error.value.problems)
    for words in ("Gate(ONE_BODY", "establish_with must be", "a cooperation needs two"):
        assert words in text, words


@pytest.mark.parametrize(
    "build",
    [
        lambda: sg.GateOutcome("Fortset", "pass"),
        lambda: sg.GateOutcome("continue", "maybe"),
        lambda: sg.Gate("everybody"),
        lambda: sg.Gate(sg.EVERY_PARTICIPANT, outcomes=["endorsed"]),
        lambda: sg.Organisation("NAV Vestland", "NAV"),
        lambda: sg.Organisation("nav", "NAV", bodies=["ipr"]),
    ],
    ids=["outcome-name", "effect", "decider", "outcome-type", "organisation-id", "regional-body"],
)
def test_the_parts_of_a_declaration_check_themselves(build: Callable[[], Any]) -> None:
    """A gate outcome, a gate or an organisation with a bad value fails at once."""
    with pytest.raises(sg.InvalidValue):
        build()


def test_a_single_organisation_is_one_party() -> None:
    """Creating a one-organisation investigation for a region of several is refused."""
    process = importlib.import_module("kommune_utgreiing").kommune_process()
    store = sg.open_store()
    with pytest.raises(sg.InvalidValue, match="single organisation"):
        store.create(process, key="k", title="T", region=SOGN, actor=SECRETARIAT)
    assert store.keys() == []


def test_fixed_parties_must_include_the_required_ones() -> None:
    """A NAV partnership without NAV Vestland among its parties cannot be created."""
    process = importlib.import_module("nav_partnarskap").nav_process()
    with pytest.raises(sg.InvalidValue, match=r"requires the parties \['nav-vestland'\]"):
        sg.open_store().create(process, key="k", title="T", region=SOGN, actor=SECRETARIAT)


# --- the definition hash ---------------------------------------------------------------------

RULE_SOURCE = '''
import stepgate as sg

@sg.rule("tidleg-start", at={"start"}, nn="Tidleg: {on}.", en="Early: {on}.", version=VERSION)
def tidleg_start(ctx):
    """No start before 1 February."""
    if str(ctx.command.on) < "2024-02-01":
        yield {"on": ctx.command.on}
'''


def rule_in(folder: pathlib.Path, module: str, version: int = 1) -> sg.Rule:
    """The same rule, written in ``module`` (a file in ``folder``)."""
    (folder / f"{module}.py").write_text(
        textwrap.dedent(RULE_SOURCE).replace("VERSION", str(version)), encoding="utf-8"
    )
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(module).tidleg_start  # type: ignore[no-any-return]
    finally:
        sys.path.remove(str(folder))


def test_moving_a_rule_to_another_module_changes_nothing(tmp_path: pathlib.Path) -> None:
    """A record made with the rule in one module loads with the rule moved to another."""
    first = sg.trust_reform().derive("eigen", add=[rule_in(tmp_path, "gamle_reglar")])
    path = tmp_path / "eigen.db"
    Scenario(sg.open_store(path), first, key="eigen-2024").start()
    moved = sg.trust_reform().derive("eigen", add=[rule_in(tmp_path, "nye_reglar")])
    assert moved.definition_hash == first.definition_hash
    inv = sg.open_store(path).load("eigen-2024", moved)
    assert inv.lifecycle == "insight"


def test_changing_a_rule_needs_a_version_bump_which_the_record_notices(
    tmp_path: pathlib.Path,
) -> None:
    """A new rule version is a new definition: loading asks for a migration."""
    first = sg.trust_reform().derive("eigen", add=[rule_in(tmp_path, "reglar_v1")])
    path = tmp_path / "eigen.db"
    Scenario(sg.open_store(path), first, key="eigen-2024").start()
    bumped = sg.trust_reform().derive("eigen", add=[rule_in(tmp_path, "reglar_v2", version=2)])
    assert bumped.definition_hash != first.definition_hash
    with pytest.raises(sg.DefinitionChanged, match="migrate="):
        sg.open_store(path).load("eigen-2024", bumped)
    reading = sg.open_store(path).load("eigen-2024", bumped, verified=True)
    with pytest.raises(sg.DefinitionChanged):
        reading.record_fact("x", actor=SECRETARIAT)  # shown, but not run, until migrated
    migrated = sg.open_store(path).load(
        "eigen-2024", bumped, migrate="tidleg-start v2", actor=SECRETARIAT
    )
    assert migrated.events[-1].kind == "definition_migrated"


@pytest.mark.parametrize(
    ("policy", "old"),
    [
        ({}, "f0e245da7d4c8a0b"),
        ({"noted_counts": False}, "9559c9321eab9ebc"),
        ({"political_bodies": ["kommunestyre"]}, "4ca0b15ab9322ad9"),
    ],
)
def test_the_built_in_process_knows_the_hash_0_1_gave_it(policy: dict[str, Any], old: str) -> None:
    """The hashes stepgate 0.1.0 gave trust_reform() are accepted as the same definition."""
    process = sg.trust_reform(**policy)
    assert process.legacy_hash == old
    assert process.accepts(old)
    assert process.definition_hash != old


def test_a_record_made_by_0_1_loads_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    """A record pinned to 0.1's hash loads with no migration and runs its commands."""
    store = sg.open_store(clock=sg.FixedClock())
    with monkeypatch.context() as patched:
        patched.setattr(sg.Process, "definition_hash", property(lambda self: self.legacy_hash))
        Scenario(store).start()
    inv = store.load("barnevern-2024", sg.trust_reform(), actor=SECRETARIAT)
    assert inv.state.definition_hash == "f0e245da7d4c8a0b"
    inv.record_fact("merknad", "ja")
    assert [r.kind for r in inv.events].count("definition_migrated") == 0
    assert store.verify().ok


def test_a_process_of_its_own_has_no_legacy_hash() -> None:
    """Only a declaration 0.1 could have made has a 0.1 hash."""
    assert importlib.import_module("kommune_utgreiing").kommune_process().legacy_hash is None


def test_a_final_steering_group_concludes_by_itself(stepgate_store: sg.Store) -> None:
    """Where the steering group's approval is final, it establishes the cooperation at once."""
    final = sg.trust_reform().derive(
        "styringsgruppa-avgjer",
        drop=["steering-group-not-final", "council-decides"],
        ending=sg.Ending(steering=sg.Steering(final=True)),
    )
    run = Scenario(stepgate_store, final)
    run.start(joined=["4640", "4644"]).to_decision()
    run.inv.steering_decision("approve")
    assert (run.inv.lifecycle, run.inv.state.established_among) == ("concluded", ("4640", "4644"))


def test_one_deciding_body_may_send_the_basis_back_to_planning(stepgate_store: sg.Store) -> None:
    """The kommunestyre of a one-municipality investigation sends it back: planning resumes."""
    kommune = importlib.import_module("kommune_utgreiing")
    run = Scenario(stepgate_store, kommune.kommune_process(), kommune.SOGNDAL, key="k")
    run.start().to_decision()
    run.inv.council_decision("4640", "send_back")
    assert run.inv.lifecycle == "planning"
    assert run.inv.state.decision_basis is None
    trust = Scenario(stepgate_store, key="k2").start().to_decision()
    trust.inv.steering_decision("approve")
    with pytest.raises(sg.CommandRefused, match="not one of this ending's"):
        trust.inv.council_decision("4640", "reject")  # the trust-reform councils cannot reject


def test_too_few_approvals_stop_the_investigation(stepgate_store: sg.Store) -> None:
    """Where three approvals are needed and only two parties remain to approve, it stops."""
    three = sg.trust_reform().derive(
        "tre", ending=sg.Ending(steering=sg.Steering(), establish_with=3)
    )
    run = Scenario(stepgate_store, three)
    run.start(joined=["4640", "4644"]).to_decision()
    run.inv.steering_decision("approve")
    for number in ("4640", "4644"):
        run.inv.council_decision(number, "approve")
    assert (run.inv.lifecycle, run.inv.state.stop_reason) == ("stopped", "too-few-approvals")


COOPERATION = {
    "nn": ("samarbeid", "Deltakarkommunar", "Etablert mellom", "Kommunestyra", "Kommunenr.",
           "forankring heime", "politisk forankring", "forankring", "Arbeidsgivarside",
           "Tillitsvalde"),
    "en": ("cooperation", "Participants", "Established among", "Councils", "at home",
           "| Municipality |",
           "political anchoring", "anchoring", "Employer side", "Union side"),
}  # fmt: skip
"""Words of a cooperation of municipalities, which a one-party process never says."""


def _labels(mermaid: str) -> str:
    """What a drawn mermaid diagram shows: its states' and moves' labels, not their ids."""
    states = re.findall(r'state "([^"]+)"', mermaid)
    moves = re.findall(r"-->[^:\n]+: (.+)", mermaid)
    return "\n".join(states + moves)


def _visible(html: str) -> str:
    """The text a reader sees of a page: no tags, attributes, comments or the drawing's
    internal names (its ``<title>`` elements name states by their ids)."""
    body = html.split("<body", 1)[1]
    body = re.sub(r"<!--.*?-->|<title>.*?</title>|<style>.*?</style>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_a_one_party_process_never_speaks_of_a_cooperation(lang: str) -> None:
    """The reports, the log and the diagram of a one-municipality investigation say nothing of
    a cooperation, in Nynorsk and English (and its words read the same in Markdown and HTML)."""
    story = importlib.import_module("kommune_utgreiing").run(sg.open_store(clock=sg.FixedClock()))
    inv = story.inv
    faces = {
        "markdown": markdown_report(inv, lang=lang, today=dt.date(2025, 1, 1)),
        "html": _visible(html_report(inv, lang=lang, today=dt.date(2025, 1, 1))),
        "log": timeline_text(inv, lang=lang),
        "diagram": _labels(inv.diagram(lang=lang)),
    }
    for face, text in faces.items():
        said = [word for word in COOPERATION[lang] if word.lower() in text.lower()]
        assert said == [], (face, said)
    assert ("Vedteke av" if lang == "nn" else "Adopted by") in faces["markdown"]


def test_a_process_says_its_own_words_and_they_decide_nothing() -> None:
    """A process's own words come first in every face; they are not in the definition hash."""
    kommune = importlib.import_module("kommune_utgreiing").kommune_process()
    gate = sg.Text("Porten: portvaktene avgjer", "The gate: the gatekeepers decide")
    gatekept = kommune.derive(
        kommune.name,
        words={"report.gate": gate, "state.anchoring": sg.Text("hjå portvaktene", "with them")},
    )
    assert gatekept.definition_hash == kommune.definition_hash
    store = sg.open_store(clock=sg.FixedClock())
    story = importlib.import_module("kommune_utgreiing").run(store)
    inv = store.load(story.inv.key, gatekept)
    text = markdown_report(inv, lang="en", today=dt.date(2025, 1, 1))
    assert "The gate: the gatekeepers decide" in text
    assert "with them" in inv.diagram(lang="en")


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ({"report.gates": sg.Text("P", "G")},
         "'report.gates' is no word stepgate shows (did you mean 'report.gate'?)"),
        ({"report.gate": "The gate"}, "'report.gate' must be a stepgate.Text(nn, en)"),
    ],
)  # fmt: skip
def test_a_word_stepgate_does_not_show_is_a_definition_problem(
    words: dict[str, Any], problem: str
) -> None:
    """A word for a key stepgate never shows, or one that is no Text, fails the definition."""
    with pytest.raises(sg.InvalidDefinition) as refused:
        sg.trust_reform().derive("x", words=words)
    assert any(problem in p for p in refused.value.problems), refused.value.problems


SOGNDAL = sg.Region("Sogndal", [sg.Municipality("4640", "Sogndal")])


def _gatekept() -> sg.Process:
    """A one-organisation process whose gate is decided by gatekeepers of its own."""
    return sg.Process(
        "portar",
        phases=[sg.Phase("fase", "fase ferdig")],
        rules=[sg.RULES["insight-first"], sg.RULES["council-decides"]],
        policy=sg.Policy(minimum_participants=1),
        parties=sg.SingleOrganisation(),
        gate=sg.Gate(
            sg.ONE_BODY,
            body="portvakter",
            outcomes=[sg.GateOutcome("go", sg.Effect.PASS), sg.GateOutcome("kill", sg.Effect.STOP)],
        ),
        ending=sg.Ending(
            sg.ONE_BODY, body="kommunestyre", establish_with=1, outcomes=["approve", "reject"]
        ),
        bodies={"portvakter": sg.Text("portvaktene", "the gatekeepers")},
    )


def _at_the_gate(store: sg.Store) -> sg.Investigation:
    """An investigation of ``_gatekept()`` with its first step closed for the gate."""
    run = Scenario(store, _gatekept(), region=SOGNDAL).start()
    run.session = run.inv.hold_session("Verkstad", [run.employer["4640"], run.union["4640"]])
    run.insight()
    run.close()
    return run.inv


def test_a_process_declares_its_own_decision_bodies() -> None:
    """Gatekeepers the process declares decide its gate; reports call them what it says."""
    inv = _at_the_gate(sg.open_store(clock=sg.FixedClock()))
    inv.anchor_step("4640", body="portvakter", outcome="kill")
    assert inv.lifecycle == "stopped"
    assert "the gatekeepers" in markdown_report(inv, lang="en")
    assert "portvaktene" in markdown_report(inv, lang="nn")


def test_a_body_the_process_does_not_know_is_refused_naming_its_bodies() -> None:
    """A well-formed body the process neither has built in nor declares: InvalidValue naming
    the process's bodies, nothing recorded (a malformed name fails where the command is made)."""
    store = sg.open_store(clock=sg.FixedClock())
    inv = _at_the_gate(store)
    before = inv.version
    unknown = r"unknown body 'bystyre' for process 'portar'; .*portvakter"
    with pytest.raises(sg.InvalidValue, match=unknown):
        inv.anchor_step("4640", body="bystyre", outcome="go")
    assert inv.version == before
    with pytest.raises(sg.InvalidValue, match="unknown body 'bystyre' for process 'trust-reform'"):
        Scenario(store, key="k2").inv.explain("anchor_mandate", municipality="4640", body="bystyre")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"bodies": {"formannskap": sg.Text("f", "f")}}, "'formannskap' is no new body name"),
        ({"bodies": {"Port Vakter": sg.Text("p", "g")}}, "'Port Vakter' is no new body name"),
        ({"bodies": {"portvakter": "portvaktene"}}, "'portvakter' must be a stepgate.Text"),
        ({"bodies": {}}, "the body 'portvakter' is neither built in nor declared in bodies"),
    ],
)
def test_bodies_are_checked_when_the_process_is_built(change: dict[str, Any], problem: str) -> None:
    """A declared body that is built in already, malformed or unnamed, and a gate body that is
    declared nowhere, are definition problems; declaring bodies changes the definition hash."""
    with pytest.raises(sg.InvalidDefinition) as refused:
        attrs.evolve(_gatekept(), **change)
    assert any(problem in p for p in refused.value.problems), refused.value.problems
    plain = sg.trust_reform()
    assert plain.derive(plain.name).definition_hash == plain.definition_hash
    more = plain.derive(plain.name, bodies={"radet": sg.Text("rådet", "the council")})
    assert more.definition_hash != plain.definition_hash


@pytest.mark.parametrize(
    ("lang", "said", "unsaid"),
    [
        ("nn", ("## Partane", "### Vedtak hjå partane", "| Part | Nr. |"),
         ("Deltakarkommunar", "Kommunestyra", "Kommunenr.")),
        ("en", ("## The parties", "### The parties' decisions", "| Party | No. |"),
         ("Participants", "Councils", "| Municipality |")),
    ],
)  # fmt: skip
def test_a_partnership_of_the_state_and_municipalities_says_parties(
    lang: str, said: tuple[str, ...], unsaid: tuple[str, ...]
) -> None:
    """The NAV partnership names its members parties in its own words, not municipalities."""
    inv = importlib.import_module("nav_partnarskap").run(sg.open_store(clock=sg.FixedClock()))
    text = markdown_report(inv, lang=lang, today=dt.date(2025, 1, 1))
    assert [s for s in said if s not in text] == []
    assert [u for u in unsaid if u in text] == []


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nn", "stoppa             «stoppa» ved porten etter steg 1 (leiargruppa, Sogndal)"),
        ("en", "stopped            “stopped” at the gate after step 1 (leader group, Sogndal)"),
    ],
)
def test_the_log_and_status_say_the_outcome_that_stopped_it(
    lang: str, said: str, tmp_path: pathlib.Path
) -> None:
    """The log of a stop at the gate says the outcome that stopped it, in words (not the code
    "gate"), and so does ``stepgate status``."""
    path = tmp_path / "plan.db"
    story = importlib.import_module("kommune_utgreiing").run_stopped(
        sg.open_store(path, clock=sg.FixedClock())
    )
    lines = timeline_text(story.inv, lang=lang).splitlines()
    assert any(line.endswith(said) for line in lines), lines[-3:]
    status = CliRunner().invoke(
        main,
        [
            "status",
            str(path),
            story.inv.key,
            "--process",
            "examples/kommune_utgreiing.py:kommune_process",
        ],
        env={"STEPGATE_LANG": lang},
    )
    assert said.split(maxsplit=1)[1].strip() in status.output, status.output


def test_a_decision_by_a_body_the_party_lacks_is_refused() -> None:
    """A party's decision by a body it does not have (a municipality's "styre") is refused, as
    a position at the gate is; nothing is recorded."""
    store = sg.open_store(clock=sg.FixedClock())
    inv = _at_the_gate(store)
    inv.anchor_step("4640", body="portvakter", outcome="go")
    inv.submit("Grunnlag")
    before = inv.version
    with pytest.raises(sg.CommandRefused, match="Sogndal has no body 'styre'"):
        inv.council_decision("4640", "approve", body="styre")
    assert inv.version == before


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nn", "planutvalet kan ikkje gjere sluttvedtaket; det gjer kommunestyret"),
        ("en", "the planning committee cannot make the final decision; municipal council does"),
    ],
)
def test_a_refusal_names_bodies_as_the_process_says_them(
    lang: str, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``council-decides`` names the body that may not decide and the one that does by their
    labels (the process's own for its own bodies), not by their codes."""
    story = importlib.import_module("kommune_utgreiing")
    planning = sg.Text("planutvalet", "the planning committee")
    own = story.kommune_process().derive("kommune-utgreiing", bodies={"planutval": planning})
    monkeypatch.setattr(story, "kommune_process", lambda: own)
    monkeypatch.setattr(sg.Investigation, "council_decision", lambda *_a, **_k: [])
    inv = story.run(sg.open_store(clock=sg.FixedClock())).inv
    monkeypatch.undo()
    found = inv.explain(
        "council_decision", municipality="4640", outcome="approve", body="planutval"
    )
    assert [v.rule for v in found] == ["council-decides"]
    assert said in found[0].message(lang)


def test_a_one_party_process_offers_no_regional_body() -> None:
    """An undeclared body in a one-party process is refused with the bodies at home and the
    process's own as the choices: no regional cooperation body is offered."""
    story = importlib.import_module("kommune_utgreiing")
    inv = story.begin(sg.open_store(clock=sg.FixedClock())).inv
    session = inv.hold_session("Verkstad", ["R1", "R2"], on="2024-01-22")
    inv.record_insight(session, "Turnus er låst", topics=["T1"], on="2024-01-22")
    inv.close_step(on="2024-01-26")
    with pytest.raises(sg.InvalidValue) as refused:
        inv.anchor_step("4640", body="portvaktarar", outcome="continue", on="2024-01-30")
    choices = refused.value.en.split("expected one of: ", 1)[1]
    assert "kommunestyre" in choices
    assert not {"ipr", "ko", "sognatinget", "styringsgruppe"} & set(choices.split(", "))


@pytest.mark.parametrize(
    ("lang", "said"), [("nn", "tilstanden ved porten"), ("en", "'at the gate'")]
)
def test_a_refusal_names_the_state_as_the_process_says_it(lang: str, said: str) -> None:
    """A command refused in a state names that state in the process's words ("ved porten" for a
    one-party process, not "forankring")."""
    story = importlib.import_module("kommune_utgreiing")
    inv = story.begin(sg.open_store(clock=sg.FixedClock())).inv
    session = inv.hold_session("Verkstad", ["R1", "R2"], on="2024-01-22")
    inv.record_insight(session, "Turnus er låst", topics=["T1"], on="2024-01-22")
    inv.close_step(on="2024-01-26")
    found = inv.explain("open_step", question="Kva no?", on="2024-01-27")
    lifecycle = [v for v in found if v.rule == "lifecycle"]
    assert lifecycle
    assert said in lifecycle[0].message(lang)
