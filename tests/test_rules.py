"""Each rule of DOMAIN.md §4 blocks with its id and message, and is satisfied when it should be."""

from __future__ import annotations

import pathlib

import pytest

import stepgate as sg
from stepgate.testing import Scenario
from tests.conftest import KO

VIK, SOGNDAL, AURLAND, LAERDAL, ARDAL, LUSTER = "4639", "4640", "4641", "4642", "4643", "4644"


def ids(violations: list[sg.Violation]) -> set[str]:
    """The rule ids among ``violations``."""
    return {v.rule for v in violations}


def only(violations: list[sg.Violation], rule: str) -> list[sg.Violation]:
    """The violations of one rule."""
    return [v for v in violations if v.rule == rule]


def test_every_rule_has_a_test_named_after_it() -> None:
    """Every built-in rule id names at least one test (the specification is complete)."""
    here = pathlib.Path(__file__).parent
    source = "".join(p.read_text(encoding="utf-8") for p in here.glob("test_*.py"))
    missing = [
        r.id for r in sg.TRUST_REFORM_RULES if f"def test_{r.id.replace('-', '_')}" not in source
    ]
    assert missing == []


def test_parties_from_start_blocks_start_without_a_union_representative(run: Scenario) -> None:
    """Start is refused while a participant lacks its union representative, naming it."""
    run.milestones().join(reps=False)
    for number in run.numbers:
        if number != VIK:
            run.reps(number)
    run.inv.register_representative("Kommunedirektør Vik", "employer", municipality=VIK)
    found = only(run.inv.explain("start", question="?", on="2024-02-05"), "parties-from-start")
    assert [v.objects for v in found] == [(VIK,)]
    assert "Vik has no union representative" in found[0].en
    assert "tillitsvald" in found[0].nn


def test_parties_from_start_satisfied_when_every_participant_has_both(run: Scenario) -> None:
    """With an employer and a union representative each, start proceeds."""
    run.start()
    assert run.inv.lifecycle == "insight"


def test_parties_from_start_also_holds_for_joining_after_start(run: Scenario) -> None:
    """A municipality that rejoins after start needs its parties first."""
    run.start(joined=[SOGNDAL, LUSTER, ARDAL])
    with pytest.raises(sg.CommandRefused) as refused:
        run.inv.anchor_mandate(VIK, body="formannskap", on="2024-02-07")
    assert refused.value.rules == ("parties-from-start",)
    run.reps(VIK)
    run.inv.anchor_mandate(VIK, body="formannskap", on="2024-02-07")
    assert VIK in run.inv.participants


def test_parties_in_every_step_blocks_close_without_the_unions(run: Scenario) -> None:
    """A step closes only when every participant's union attended or was consulted."""
    run.start()
    attendees = [
        r for n in run.numbers for r in (run.employer[n], run.union[n]) if r != run.union[VIK]
    ]
    run.session = run.inv.hold_session("Økt utan Vik sin tillitsvald", attendees)
    run.insight(*run.inv.state.unraised)
    found = only(run.inv.explain("close_step"), "parties-in-every-step")
    assert [v.objects for v in found] == [(VIK,)]
    run.inv.record_consultation(VIK, note="Drøfting etter hovudavtalen")
    assert run.inv.explain("close_step") == []


def test_equal_participation_only_attendees_speak_in_a_session(run: Scenario) -> None:
    """Only an attendee may register, rate or contribute in a session; each attends once."""
    run.start()
    topic = run.topic("Akuttberedskap", 3)
    session = run.inv.hold_session("Liten økt", [run.employer[SOGNDAL], run.union[SOGNDAL]])
    outsider = run.union[VIK]
    found = run.inv.explain("rate_topic", topic=topic, difficulty=4, by=outsider, session=session)
    assert ids(found) == {"equal-participation"}
    assert outsider in found[0].en
    run.inv.rate_topic(topic, 4, by=run.union[SOGNDAL], session=session)
    assert run.inv.state.difficulty_of(topic) == 4
    twice = run.inv.explain("hold_session", title="x", attendees=[outsider, outsider])
    assert ids(twice) == {"equal-participation"}


def test_equal_participation_a_director_cannot_lower_a_rating(run: Scenario) -> None:
    """The difficulty is the max of ratings: a lower rating from anybody changes nothing."""
    topic = run.topic("Kostnadsfordeling", 5)
    run.inv.rate_topic(topic, 1, by="kommunedirektør")
    assert run.inv.state.difficulty_of(topic) == 5


def test_equal_participation_consensus_belongs_to_a_session_of_the_open_step(run: Scenario) -> None:
    """A consensus is recorded in a session of the open step, not an earlier one."""
    run.start()
    topic = run.topic("Fagsystem", 4)
    first = run.hold()
    run.close().anchor().next_step()
    found = run.inv.explain("record_consensus", topic=topic, difficulty=2, session=first)
    assert ids(found) == {"valid-command"}
    run.hold()
    run.inv.record_consensus(topic, 2, session=run.session)
    assert run.inv.state.difficulty_of(topic) == 2


def test_insight_first_blocks_close_without_insight(run: Scenario) -> None:
    """A step without insight cannot close; one insight satisfies the rule."""
    run.start()
    run.hold()
    found = only(run.inv.explain("close_step"), "insight-first")
    assert found[0].objects == ("step 1",)
    assert "record at least one insight" in found[0].en
    run.insight()
    assert run.inv.explain("close_step") == []


def test_one_step_at_a_time_blocks_opening_while_a_step_is_open_or_at_its_gate(
    run: Scenario,
) -> None:
    """Step 2 opens only after gate 1 passed."""
    run.start()
    insight = run.insight()
    assert "one-step-at-a-time" in ids(
        run.inv.explain("open_step", question="?", builds_on=[insight])
    )
    run.close()
    at_gate = run.inv.explain("open_step", question="?", builds_on=[insight])
    assert {"one-step-at-a-time", "anchored-every-step", "lifecycle"} <= ids(at_gate)
    run.anchor()
    assert run.inv.explain("open_step", question="?", builds_on=[insight]) == []


def test_build_on_insight_needs_earlier_insight_cited(run: Scenario) -> None:
    """Step 2 must cite insights of earlier steps, and only ones that exist."""
    run.start().close().anchor()
    assert ids(run.inv.explain("open_step", question="?")) == {"build-on-insight"}
    unknown = run.inv.explain("open_step", question="?", builds_on=["I99"])
    assert unknown[0].objects == ("I99",)
    run.next_step()
    assert run.inv.state.step.builds_on == (run.insights[-1],)  # type: ignore[union-attr]


def test_anchored_every_step_waits_for_every_participant(run: Scenario) -> None:
    """The gate passes only when the last participant anchors it at home."""
    run.start().close()
    run.anchor([n for n in run.numbers if n != LUSTER])
    assert run.inv.lifecycle == "anchoring"
    found = run.inv.explain("pass_gate")
    assert ids(found) == {"anchored-every-step"}
    assert found[0].objects == (LUSTER,)
    assert "Luster" in found[0].en
    assert "Luster" in found[0].nn
    run.anchor([LUSTER])
    assert run.inv.lifecycle == "planning"


def test_anchored_every_step_counts_noted_only_where_the_policy_allows(store: sg.Store) -> None:
    """With noted_counts=False a noting does not pass the gate; an endorsement replaces it."""
    run = Scenario(store, sg.trust_reform(noted_counts=False))
    run.start().close()
    run.anchor(run.numbers[:-1]).anchor([LUSTER], outcome="noted")
    assert run.inv.lifecycle == "anchoring"
    run.anchor([LUSTER], body="kommunestyre")
    assert run.inv.lifecycle == "planning"


def test_anchored_every_step_ignores_administrative_records(run: Scenario) -> None:
    """A kommunedirektør's record is kept but is no political anchoring."""
    run.start().close()
    run.anchor([n for n in run.numbers if n != ARDAL])
    run.anchor([ARDAL], body="kommunedirektor")
    assert run.inv.lifecycle == "anchoring"
    assert run.inv.history().anchorings[-1].body == "kommunedirektor"


@pytest.mark.parametrize("body", ["sognatinget", "ipr", "ko", "styringsgruppe"])
def test_anchored_at_home_refuses_regional_bodies(run: Scenario, body: str) -> None:
    """A regional body never anchors for a municipality."""
    run.start().close()
    found = run.inv.explain("anchor_step", municipality=SOGNDAL, body=body, outcome="endorsed")
    assert ids(found) == {"anchored-at-home"}
    assert "regional body" in found[0].en


def test_anchored_at_home_the_mayor_needs_an_urgency_basis(run: Scenario) -> None:
    """The mayor anchors alone only with an urgency basis (kommunelova § 11-8)."""
    run.start().close()
    assert ids(
        run.inv.explain("anchor_step", municipality=VIK, body="ordforar", outcome="endorsed")
    ) == {"anchored-at-home"}
    run.inv.anchor_step(VIK, body="ordforar", urgency="kommunelova § 11-8")
    assert VIK in run.inv.state.step.voices  # type: ignore[union-attr]


def test_mandate_at_home_a_new_version_blocks_until_reanchored(run: Scenario) -> None:
    """After a mandate revision the next step waits for every participant to re-anchor."""
    run.start().close().anchor()
    run.inv.revise_mandate("Mandat v2: med kommuneadvokat")
    found = only(
        run.inv.explain("open_step", question="?", builds_on=run.insights), "mandate-at-home"
    )
    assert set(found[0].objects) == set(run.numbers)
    old = run.inv.explain(
        "anchor_mandate", municipality=VIK, body="formannskap", outcome="endorsed", version=1
    )
    assert ids(old) == {"mandate-at-home"}
    for number in run.numbers[:-1]:
        run.inv.anchor_mandate(number, body="formannskap")
    run.inv.opt_out(LUSTER)
    assert run.inv.explain("open_step", question="?", builds_on=run.insights) == []


@pytest.mark.parametrize(
    "stage", ["draft", "mandate", "insight", "anchoring", "planning", "decision"]
)
def test_free_to_leave_opting_out_is_never_blocked(run: Scenario, stage: str) -> None:
    """In every live state a municipality may opt out, with nobody's consent."""
    if stage != "draft":
        run.milestones().join()
    if stage in ("insight", "anchoring", "planning", "decision"):
        run.inv.start("?", on="2024-02-05")
    if stage in ("anchoring", "planning"):
        run.close()
    if stage == "planning":
        run.anchor()
    if stage == "decision":
        run.to_decision()
    assert run.inv.lifecycle == stage
    assert run.inv.explain("opt_out", municipality=AURLAND) == []
    run.inv.opt_out(AURLAND, actor=sg.Actor("aurland", municipality=AURLAND))
    assert AURLAND not in run.inv.participants


def test_free_to_leave_rejoin_only_before_decision(run: Scenario) -> None:
    """An opted-out municipality rejoins in planning, but not in decision."""
    run.start().close().anchor()
    run.inv.opt_out(VIK)
    run.inv.anchor_mandate(VIK, body="formannskap")
    assert VIK in run.inv.participants
    run.inv.opt_out(VIK)
    run.next_step(phase="avgjerdsgrunnlag").close().anchor()
    run.inv.submit("Modell C", cooperation_model="vertskommune")
    found = run.inv.explain(
        "anchor_mandate", municipality=VIK, body="formannskap", outcome="endorsed"
    )
    assert ids(found) == {"free-to-leave"}


def test_free_to_leave_not_after_the_end(run: Scenario) -> None:
    """A terminal investigation has nobody left to opt out."""
    run.start(joined=[SOGNDAL, LUSTER])
    run.inv.opt_out(LUSTER)
    assert run.inv.lifecycle == "stopped"
    assert ids(run.inv.explain("opt_out", municipality=SOGNDAL)) == {"lifecycle"}


def test_everyone_invited_blocks_start_until_everyone_answered(run: Scenario) -> None:
    """Start needs every member invited and answered."""
    run.milestones()
    run.inv.invite(municipalities=["Sogndal", "Luster"])
    for number in (SOGNDAL, LUSTER):
        run.inv.anchor_mandate(number, body="formannskap")
        run.reps(number)
    found = only(run.inv.explain("start", question="?", on="2024-02-05"), "everyone-invited")
    assert {v.objects[0] for v in found} == {VIK, AURLAND, LAERDAL, ARDAL}
    assert "is not invited" in found[0].en
    run.inv.invite(municipalities=[VIK, AURLAND, LAERDAL, ARDAL], answer_by="2024-02-01")
    still = only(run.inv.explain("start", question="?", on="2024-02-01"), "everyone-invited")
    assert "has not answered" in still[0].en


def test_everyone_invited_satisfied_when_the_answer_deadline_passed(run: Scenario) -> None:
    """Silence after the answer deadline does not block the start."""
    run.milestones()
    run.inv.invite(answer_by="2024-02-01")
    for number in (SOGNDAL, LUSTER):
        run.inv.anchor_mandate(number, body="formannskap")
        run.reps(number)
    run.inv.start("?", on="2024-02-05")
    assert run.inv.participants == (SOGNDAL, LUSTER)


def test_minimum_participants_blocks_a_start_alone(run: Scenario) -> None:
    """One municipality alone cannot start a cooperation."""
    run.milestones().join([SOGNDAL])
    for number in run.numbers[:]:
        if number != SOGNDAL:
            run.inv.opt_out(number)
    found = only(run.inv.explain("start", question="?", on="2024-02-05"), "minimum-participants")
    assert "at least 2 participants; there are 1" in found[0].en


def test_minimum_participants_stops_the_investigation_by_itself(run: Scenario) -> None:
    """When opt-outs leave one participant, the investigation stops."""
    run.start(joined=[SOGNDAL, LUSTER, ARDAL])
    run.inv.opt_out(LUSTER)
    assert run.inv.lifecycle == "insight"
    run.inv.opt_out(ARDAL)
    assert run.inv.lifecycle == "stopped"
    assert run.inv.state.stop_reason == "minimum-participants"
    assert run.inv.events[-1].kind == "stopped"


@pytest.mark.parametrize(
    ("milestones", "words"),
    [
        ({}, "phase forstudie has no dated milestone"),
        ({"forstudie": "2024-04-10", "avgjerdsgrunnlag": "2024-04-05"}, "keep phase order"),
        ({"forstudie": "2024-03-20", "avgjerdsgrunnlag": "2024-06-20"}, "16 weeks"),
        ({"forstudie": "2024-01-20", "avgjerdsgrunnlag": "2024-04-05"}, "between the start"),
    ],
)
def test_milestones_first_blocks_start(
    run: Scenario, milestones: dict[str, str], words: str
) -> None:
    """Start needs every phase's milestone dated, in order, within the maximum duration."""
    for phase, due in milestones.items():
        run.inv.set_milestone(f"{phase} ferdig", due, phase=phase)
    run.join()
    found = only(run.inv.explain("start", question="?", on="2024-02-05"), "milestones-first")
    assert any(words in v.en for v in found), [v.en for v in found]


def test_milestones_first_satisfied_by_the_seed_dates(run: Scenario) -> None:
    """20/3 and 5/4 after a start on 5/2 are in order and within 16 weeks."""
    run.milestones().join()
    assert run.inv.explain("start", question="?", on="2024-02-05") == []


@pytest.mark.parametrize(
    ("fields", "ok"),
    [
        ({"public": False}, False),
        ({"exemption": "offentleglova § 14"}, True),
        ({"exemption": sg.Exemption("offl. § 13", statute="fvl. § 13")}, True),
        ({}, True),
    ],
)
def test_open_record_needs_a_legal_basis_to_exempt(
    run: Scenario, fields: dict[str, object], ok: bool
) -> None:
    """A record is public unless it names a ground of offentleglova."""
    run.start().close()
    found = run.inv.explain(
        "anchor_step", municipality=VIK, body="formannskap", outcome="endorsed", **fields
    )
    assert (found == []) is ok
    if ok:
        run.inv.anchor_step(VIK, body="formannskap", **fields)  # type: ignore[arg-type]
        assert run.inv.history().anchorings[-1].public is ("exemption" not in fields)
    else:
        assert ids(found) == {"open-record"}


@pytest.mark.parametrize("ground", ["fordi det er sensitivt", "offl. § 99", "offl. § 13"])
def test_an_exemption_names_a_ground_of_the_catalogue(run: Scenario, ground: str) -> None:
    """A ground that is not in offentleglova's catalogue (or § 13 without its statute) is bad
    input: InvalidValue naming the field, in both languages, and nothing recorded."""
    run.start().close()
    version = run.inv.version
    with pytest.raises(sg.InvalidValue) as caught:
        run.inv.anchor_step(VIK, body="formannskap", exemption=ground)
    assert caught.value.message("en").startswith(
        ("anchor_step: exemption must be", "anchor_step: exemption: offl. § 13")
    )
    assert caught.value.message("nn").startswith(
        ("anchor_step: exemption må vere", "anchor_step: exemption: offl. § 13")
    )
    assert run.inv.version == version


def test_equal_parties_one_voice_per_municipality_in_a_gate(run: Scenario) -> None:
    """A second political anchoring of the same gate is refused."""
    run.start().close().anchor([SOGNDAL])
    found = run.inv.explain(
        "anchor_step", municipality=SOGNDAL, body="kommunestyre", outcome="endorsed"
    )
    assert ids(found) == {"equal-parties"}
    assert found[0].objects == (SOGNDAL,)


def test_equal_parties_one_council_decision_each(run: Scenario) -> None:
    """A second approval by the same council is a duplicate."""
    run.start().to_decision()
    run.inv.steering_decision("approve")
    run.inv.council_decision(SOGNDAL, "approve")
    assert ids(run.inv.explain("council_decision", municipality=SOGNDAL, outcome="approve")) == {
        "equal-parties"
    }


def test_steering_group_not_final_approval_forwards_to_the_councils(run: Scenario) -> None:
    """Approval does not conclude; the steering group cannot decide again after it."""
    run.start().to_decision()
    run.inv.steering_decision("approve", registry_entry="24/118-4")
    assert run.inv.lifecycle == "decision"
    found = run.inv.explain("steering_decision", outcome="stop")
    assert ids(found) == {"steering-group-not-final"}


@pytest.mark.parametrize(("outcome", "lifecycle"), [("send_back", "planning"), ("stop", "stopped")])
def test_steering_group_not_final_may_send_back_or_stop(
    run: Scenario, outcome: str, lifecycle: str
) -> None:
    """Sending back returns to planning; stopping stops."""
    run.start().to_decision()
    run.inv.steering_decision(outcome)
    assert run.inv.lifecycle == lifecycle


def test_council_decides_only_after_steering_approval_and_in_the_council(run: Scenario) -> None:
    """Councils decide a forwarded case, and only the kommunestyre decides."""
    run.start().to_decision()
    early = run.inv.explain("council_decision", municipality=SOGNDAL, outcome="approve")
    assert ids(early) == {"council-decides"}
    run.inv.steering_decision("approve")
    wrong_body = run.inv.explain(
        "council_decision", municipality=SOGNDAL, outcome="approve", body="formannskap"
    )
    assert ids(wrong_body) == {"council-decides"}


def test_council_decides_concludes_when_every_participant_decided(run: Scenario) -> None:
    """The Sogn ending: four approve, Aurland sends back then opts out, Vik opts out."""
    run.start().to_decision()
    run.inv.steering_decision("approve", on="2024-04-05")
    for number in (SOGNDAL, LUSTER, LAERDAL, ARDAL):
        run.inv.council_decision(number, "approve", on="2024-06-13")
    run.inv.council_decision(AURLAND, "send_back", on="2024-06-13")
    run.inv.opt_out(VIK, body="kommunestyre", on="2024-06-18")
    assert run.inv.lifecycle == "decision"
    run.inv.opt_out(AURLAND, body="kommunestyre", on="2024-06-20")
    assert run.inv.lifecycle == "concluded"
    assert run.inv.state.established_among == (SOGNDAL, LAERDAL, ARDAL, LUSTER)


def test_a_refused_command_raises_one_error_with_the_same_violations(run: Scenario) -> None:
    """CommandRefused carries exactly what explain() returned, and nothing is written."""
    run.start()
    before = len(run.inv.events)
    expected = run.inv.explain("close_step")
    with pytest.raises(sg.CommandRefused) as refused:
        run.inv.close_step()
    assert list(refused.value.violations) == expected
    assert len(run.inv.events) == before
    assert "close_step is not allowed in 'barnevern-2024'" in str(refused.value)


def test_unknown_references_are_refused_as_invalid_commands(run: Scenario) -> None:
    """Unknown municipalities, topics, sessions and representatives are named."""
    run.start()
    session = run.hold()
    cases = [
        (
            "anchor_mandate",
            {"municipality": "Bergen", "body": "formannskap", "outcome": "endorsed"},
        ),
        ("rate_topic", {"topic": "T99", "difficulty": 3}),
        ("record_insight", {"session": "S99", "text": "x"}),
        ("record_insight", {"session": session, "text": "x", "topics": ["T42"]}),
        ("hold_session", {"title": "x", "attendees": ["R99"]}),
        ("hold_session", {"title": "x", "attendees": []}),
        ("start", {"question": "x", "phase": "hovudprosjekt"}),
        ("set_milestone", {"name": "x", "due": "2024-05-01", "phase": "hovudprosjekt"}),
        ("reach_milestone", {"name": "ukjend"}),
        ("council_decision", {"municipality": "Bergen", "outcome": "approve"}),
    ]
    for action, fields in cases:
        assert "valid-command" in ids(run.inv.explain(action, **fields)), action


def test_commands_are_refused_in_states_where_they_make_no_sense(run: Scenario) -> None:
    """The machine says which action is possible in which state."""
    found = run.inv.explain("close_step")
    assert ids(found) == {"lifecycle"}
    assert "'close_step' is not possible while the investigation is in state 'draft'" in (
        found[0].en
    )
    assert KO.secretariat
