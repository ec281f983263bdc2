"""The lifecycle of DOMAIN.md §3: gates, send-backs, authorisation, determinism, signals."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import attrs
import pytest

import stepgate as sg
from stepgate.model import events as ev
from stepgate.model.serial import (
    BUILDERS,
    _builder,
    _Days,
    event_from_dict,
    event_to_dict,
    state_from_dict,
    state_to_dict,
)
from stepgate.testing import SOGN, Scenario
from tests.conftest import KO

SOGNDAL, AURLAND, LUSTER = "4640", "4641", "4644"


def test_a_send_back_reopens_the_same_step_and_earlier_anchorings_lapse(run: Scenario) -> None:
    """Aurland sends step 1 back: the step reopens, and everyone anchors it again."""
    run.start().close()
    run.anchor([SOGNDAL, LUSTER])
    run.inv.anchor_step(AURLAND, body="kommunestyre", outcome="sent_back", registry_entry="24/9-1")
    assert run.inv.lifecycle == "insight"
    step = run.inv.state.step
    assert step is not None
    assert (step.number, step.round, step.voices) == (1, 2, {})
    run.close(on="2024-02-23")
    run.anchor()
    assert run.inv.lifecycle == "planning"
    assert [e.kind for e in run.inv.events[-2:]] == ["step_anchored", "gate_passed"]


def test_the_steering_group_send_back_returns_to_planning(run: Scenario) -> None:
    """After a steering-group send-back a new step can open and the basis be submitted again."""
    run.start().to_decision()
    run.inv.steering_decision("send_back", registry_entry="24/118-3")
    assert run.inv.lifecycle == "planning"
    assert run.inv.state.decision_basis is None
    run.inv.submit("Modell C, revidert", cooperation_model="vertskommune")
    assert run.inv.lifecycle == "decision"


def test_phase_milestones_are_reached_by_the_work_itself(run: Scenario) -> None:
    """Forstudie is reached when its last step closed; the basis when it is submitted."""
    run.start().to_decision()
    reached = {m.name: m.reached_on for m in run.inv.state.milestones.values()}
    assert reached == {
        "forstudie ferdig": dt.date(2024, 2, 16),
        "avgjerdsgrunnlag til styringsgruppa": dt.date(2024, 4, 4),
    }


def test_other_milestones_are_reached_by_hand(run: Scenario) -> None:
    """A milestone outside the phases (council decisions) is marked reached explicitly."""
    run.inv.set_milestone("kommunestyrevedtak", "2024-06-20")
    run.inv.reach_milestone("kommunestyrevedtak", on="2024-06-19")
    assert run.inv.state.milestones["kommunestyrevedtak"].reached_on == dt.date(2024, 6, 19)


@pytest.mark.parametrize(
    ("action", "fields", "actor"),
    [
        (
            "anchor_step",
            {"municipality": SOGNDAL, "body": "formannskap"},
            sg.Actor("luster-postmottak", municipality=LUSTER),
        ),
        ("opt_out", {"municipality": SOGNDAL}, sg.Actor("luster", municipality=LUSTER)),
        ("close_step", {}, sg.Actor("sogndal", municipality=SOGNDAL)),
        (
            "register_representative",
            {"name": "X", "role": "union", "municipality": SOGNDAL},
            sg.Actor("luster", municipality=LUSTER),
        ),
    ],
)
def test_only_a_municipalitys_own_actors_or_the_secretariat_act_for_it(
    run: Scenario, action: str, fields: dict[str, str], actor: sg.Actor
) -> None:
    """A wrong actor gets NotAllowed and nothing is written."""
    run.start().close()
    before = len(run.inv.events)
    with pytest.raises(sg.NotAllowed, match="may not"):
        run.inv.run(run.inv.build(action, **fields), actor=actor)
    assert len(run.inv.events) == before


def test_a_municipality_records_its_own_anchoring(run: Scenario) -> None:
    """Sogndal's own actor may anchor Sogndal's gate."""
    run.start().close()
    run.inv.anchor_step(
        "Sogndal", body="formannskap", actor=sg.Actor("sogndal", municipality=SOGNDAL)
    )
    assert SOGNDAL in run.inv.state.step.voices  # type: ignore[union-attr]


def test_only_the_secretariat_creates(store: sg.Store) -> None:
    """A municipal actor cannot create an investigation."""
    with pytest.raises(sg.NotAllowed):
        store.create(
            sg.trust_reform(),
            key="x",
            title="X",
            region=SOGN,
            actor=sg.Actor("sogndal", municipality=SOGNDAL),
        )


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"key": ""}, sg.InvalidValue),
        ({"title": " "}, sg.InvalidValue),
        ({"region": "Sogn"}, sg.InvalidValue),
    ],
)
def test_create_checks_its_input(
    store: sg.Store, fields: dict[str, object], error: type[Exception]
) -> None:
    """An empty key or title, or a region that is no Region, is refused."""
    args: dict[str, object] = {"key": "k", "title": "T", "region": SOGN, "actor": KO}
    args.update(fields)
    with pytest.raises(error):
        store.create(sg.trust_reform(), **args)  # type: ignore[arg-type]
    assert store.keys() == []


def test_keys_are_unique_in_a_store(store: sg.Store, run: Scenario) -> None:
    """A second investigation with the same key is refused with ``AlreadyExists``, which old
    code that caught ``InvalidValue`` still catches."""
    with pytest.raises(sg.AlreadyExists, match="exists already") as refused:
        Scenario(store)
    assert isinstance(refused.value, sg.InvalidValue)
    assert refused.value.message("nn").endswith("finst alt")


def test_same_commands_give_the_same_events() -> None:
    """Two runs of the same commands on fixed clocks record identical events."""
    logs = []
    for _ in range(2):
        run = Scenario(sg.open_store(clock=sg.FixedClock()))
        run.start().to_decision()
        logs.append([(r.seq, r.actor, r.at, r.event) for r in run.inv.events])
    assert logs[0] == logs[1]
    assert [r.event.id for r in run.inv.events if r.kind == "insight_recorded"] == ["I1", "I2"]


def test_events_and_state_round_trip_through_plain_data(run: Scenario) -> None:
    """Every event and the state survive a trip through plain data unchanged."""
    run.start().to_decision()
    for recorded in run.inv.events:
        assert event_from_dict(event_to_dict(recorded.event)) == recorded.event
    state = state_from_dict(run.inv.snapshot())
    assert state_to_dict(state) == run.inv.snapshot()


@pytest.mark.parametrize(
    ("cut", "words"),
    [
        (lambda log: log[1:], "event 1 is missing from the log: event 2 follows 0"),
        (lambda log: [], "starts with 'created', not nothing"),
        (lambda log: log[:3] + log[4:], "event 4 is missing from the log: event 5 follows 3"),
    ],
    ids=["headless", "empty", "gap"],
)
def test_replay_refuses_a_log_that_is_not_whole(run: Scenario, cut: Any, words: str) -> None:
    """A log must start with ``created`` and count on one by one, or replay refuses it."""
    run.start()
    with pytest.raises(sg.InvalidValue, match=words):
        run.inv._engine.replay(cut(run.inv.events))


def test_events_of_one_day_share_one_date(run: Scenario) -> None:
    """Loaded events that happened the same day share one date object (fewer objects held)."""
    run.start()
    built = [BUILDERS[r.kind](event_to_dict(r.event)) for r in run.inv.events]
    days = {id(e.on) for e in built if e.on == dt.date(2024, 1, 15)}
    assert len(days) == 1


def test_the_day_cache_stays_bounded() -> None:
    """Parsing many distinct days never holds more than the bound."""
    days = _Days()
    start = dt.date(2000, 1, 1)
    for n in range(10_001):
        days[(start + dt.timedelta(days=n)).isoformat()]
    assert 0 < len(days) <= 10_000


def test_an_event_class_with_checks_is_built_through_its_init(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A process author's event with a validator keeps it when loaded: no shortcut around it."""

    @attrs.frozen
    class Checked(ev.Event):
        kind: ClassVar[str] = "checked"
        score: int = attrs.field(validator=attrs.validators.ge(0))

    monkeypatch.setitem(ev.EVENT_TYPES, "checked", Checked)
    build = _builder("checked")
    assert build({"on": "2024-01-15", "score": 3}) == Checked(dt.date(2024, 1, 15), 3)
    with pytest.raises(ValueError, match="score"):
        build({"on": "2024-01-15", "score": -1})


def test_an_event_field_with_a_factory_default_gets_a_fresh_default_when_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A field left out of a stored body (it was at its default) comes back as the default."""

    @attrs.frozen
    class Listed(ev.Event):
        kind: ClassVar[str] = "listed"
        names: tuple[str, ...] = attrs.field(factory=tuple)

    monkeypatch.setitem(ev.EVENT_TYPES, "listed", Listed)
    build = _builder("listed")
    assert build({"on": "2024-01-15"}) == Listed(dt.date(2024, 1, 15))
    assert build({"on": "2024-01-15", "names": ["a"]}).names == ("a",)


def test_loading_replays_the_record(store: sg.Store, run: Scenario) -> None:
    """A store hands back an investigation whose state is the replay of its events."""
    run.start().close()
    loaded = store.load("barnevern-2024", sg.trust_reform(), actor=KO)
    assert loaded.snapshot() == run.inv.snapshot()
    assert repr(loaded) == f"<Investigation 'barnevern-2024' anchoring v{loaded.version}>"
    assert loaded.process.name == "trust-reform"
    with pytest.raises(sg.UnknownInvestigation):
        store.load("nav-2024", sg.trust_reform())


def test_a_command_needs_an_actor(store: sg.Store, run: Scenario) -> None:
    """Without a default actor, a command must name one."""
    loaded = store.load("barnevern-2024", sg.trust_reform())
    with pytest.raises(sg.InvalidValue, match="needs an actor"):
        loaded.invite()


@pytest.mark.parametrize(
    ("action", "words"),
    [
        ("fly", "unknown action"),
        ("close_step", r"unknown field\(s\) \[.colour.\]; its fields are \[.on.\]"),
    ],
)
def test_build_reports_unknown_actions_and_fields(run: Scenario, action: str, words: str) -> None:
    """A misspelt action or field is a clear InvalidValue."""
    with pytest.raises(sg.InvalidValue, match=words):
        run.inv.explain(action, colour="red")


def test_milestone_overdue_is_a_soft_signal(run: Scenario) -> None:
    """A missed milestone is reported, and blocks nothing."""
    run.start()
    assert run.inv.signals(dt.date(2024, 3, 1)) == []
    late = run.inv.signals(dt.date(2024, 3, 21))
    assert [s.rule for s in late] == ["milestone-overdue"]
    assert "forstudie ferdig" in late[0].en
    assert "forstudie ferdig" in late[0].nn
    assert run.inv.explain("hold_session", title="x", attendees=["R1"]) == []


@pytest.mark.parametrize(("invited_on", "signalled"), [("2024-01-10", False), ("2024-01-30", True)])
def test_react_quickly_is_a_soft_signal(store: sg.Store, invited_on: str, signalled: bool) -> None:
    """An invitation more than 14 days after the political order is signalled."""
    inv = store.create(
        sg.trust_reform(),
        key="nav",
        title="NAV",
        region=SOGN,
        actor=KO,
        on="2024-01-05",
        ordered_on="2024-01-08",
    )
    assert [s.rule for s in inv.signals(dt.date(2024, 1, 9))] == []
    assert [s.rule for s in inv.signals(dt.date(2024, 1, 31))] == ["react-quickly"]
    inv.invite(on=invited_on)
    assert bool(inv.signals(dt.date(2024, 2, 1))) is signalled


def test_the_default_on_is_the_clock_s_day(run: Scenario, clock: sg.FixedClock) -> None:
    """A command without ``on`` happened on the clock's day."""
    clock.set(dt.date(2024, 1, 16))
    run.inv.invite()
    assert run.inv.events[-1].event.on == dt.date(2024, 1, 16)
    assert run.inv.state.invited[SOGNDAL] == dt.date(2024, 1, 16)


def test_representatives_of_other_parties_are_allowed(run: Scenario) -> None:
    """The state (NAV) can be a party with its own representative."""
    rep = run.inv.register_representative("NAV Vestland", "employer", party="NAV (staten)")
    assert run.inv.state.representatives[rep].party == "NAV (staten)"
