"""Model-based fuzzing: random commands by random actors never break the record."""

from __future__ import annotations

import uuid
from typing import Any
from unittest import mock

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import stepgate as sg
from stepgate.model.serial import state_to_dict
from stepgate.store import backend as _store
from tests._working import working_part

REGION = sg.Region(
    "Tre",
    [
        sg.Municipality("4640", "Sogndal"),
        sg.Municipality("4644", "Luster"),
        sg.Municipality("4643", "Årdal"),
    ],
)
NUMBERS = [m.number for m in REGION.members]
ACTORS = [sg.Actor("ko", secretariat=True)] + [sg.Actor(f"a{n}", municipality=n) for n in NUMBERS]
ON = "2024-02-05"

municipality = st.sampled_from([*NUMBERS, "Sogndal", "9999"])
body = st.sampled_from(["formannskap", "kommunestyre", "kommunedirektor", "ipr", "ordforar"])
outcome = st.sampled_from(["endorsed", "noted", "sent_back", "opted_out"])
ref = st.integers(min_value=1, max_value=6)

COMMANDS: dict[str, Any] = {
    "invite": st.fixed_dictionaries({}),
    "set_milestone": st.sampled_from(
        [
            {"name": "forstudie ferdig", "due": "2024-03-20", "phase": "forstudie"},
            {"name": "avgjerdsgrunnlag", "due": "2024-04-05", "phase": "avgjerdsgrunnlag"},
        ]
    ),
    "anchor_mandate": st.fixed_dictionaries(
        {"municipality": municipality, "body": body, "outcome": outcome}
    ),
    "opt_out": st.fixed_dictionaries({"municipality": municipality}),
    "register_representative": st.fixed_dictionaries(
        {
            "name": st.sampled_from(["Kari", "Ola"]),
            "role": st.sampled_from(["employer", "union"]),
            "municipality": municipality,
        }
    ),
    "register_topic": st.fixed_dictionaries(
        {"title": st.just("Tema"), "difficulty": st.integers(1, 5)}
    ),
    "rate_topic": st.builds(
        lambda t, d: {"topic": f"T{t}", "difficulty": d}, ref, st.integers(1, 5)
    ),
    "record_consensus": st.builds(
        lambda t, s, d: {"topic": f"T{t}", "session": f"S{s}", "difficulty": d},
        ref,
        ref,
        st.integers(1, 5),
    ),
    "start": st.just({"question": "Kva?"}),
    "hold_session": st.builds(
        lambda rs: {"title": "Økt", "attendees": [f"R{r}" for r in rs]},
        st.lists(st.integers(1, 8), min_size=1, max_size=8, unique=True),
    ),
    "record_insight": st.builds(
        lambda s, ts: {"session": f"S{s}", "text": "Innsikt", "topics": [f"T{t}" for t in ts]},
        ref,
        st.lists(ref, max_size=3, unique=True),
    ),
    "record_consultation": st.fixed_dictionaries({"municipality": municipality}),
    "close_step": st.just({}),
    "anchor_step": st.fixed_dictionaries(
        {"municipality": municipality, "body": body, "outcome": outcome}
    ),
    "open_step": st.builds(lambda i: {"question": "Neste?", "builds_on": [f"I{i}"]}, ref),
    "submit": st.just({"summary": "Modell C", "cooperation_model": "vertskommune"}),
    "steering_decision": st.fixed_dictionaries(
        {"outcome": st.sampled_from(["approve", "approve", "send_back", "stop"])}
    ),
    "council_decision": st.fixed_dictionaries(
        {"municipality": municipality, "outcome": st.sampled_from(["approve", "send_back"])}
    ),
    "revise_mandate": st.just({"text": "Mandat, ny versjon"}),
}
command = st.sampled_from(sorted(COMMANDS)).flatmap(
    lambda action: st.tuples(st.just(action), COMMANDS[action])
)


class InvestigationMachine(RuleBasedStateMachine):
    """Random commands with random actors against one investigation."""

    def __init__(self, store: sg.Store | None = None, key: str = "fuzz") -> None:
        super().__init__()
        self.store = store or sg.open_store(clock=sg.FixedClock())
        self.inv = self.store.create(
            sg.trust_reform(),
            key=key,
            title="Fuzz",
            region=REGION,
            actor=ACTORS[0],
            on="2024-01-10",
        )
        self.accepted = 0

    @rule(action=command, actor=st.sampled_from(ACTORS))
    def issue(self, action: tuple[str, dict[str, Any]], actor: sg.Actor) -> None:
        """Scenario a command; a refusal must leave the record and the state as they were."""
        name, fields = action
        before_events = self.inv.events
        before_state = self.inv.snapshot()
        try:
            self.inv.run(self.inv.build(name, on=ON, **fields), actor=actor)
        except (sg.CommandRefused, sg.NotAllowed):
            assert self.inv.events == before_events
            assert self.inv.snapshot() == before_state
        else:
            self.accepted += 1
            assert len(self.inv.events) > len(before_events)

    @rule()
    def advance(self) -> None:
        """Take the investigation one sensible step further, so random commands reach deep."""
        for name, fields in self._next_moves():
            self.issue((name, fields), ACTORS[0])

    def _next_moves(self) -> list[tuple[str, dict[str, Any]]]:
        state = self.inv.state
        reps = sorted(state.representatives)
        if state.lifecycle == "draft":
            return [("set_milestone", m) for m in COMMANDS["set_milestone"].elements] + [
                ("invite", {})
            ]
        if state.lifecycle == "mandate":
            moves = [
                (
                    "anchor_mandate",
                    {"municipality": n, "body": "formannskap", "outcome": "endorsed"},
                )
                for n in NUMBERS
            ]
            moves += [
                ("register_representative", {"name": "P", "role": role, "municipality": n})
                for n in NUMBERS
                for role in ("employer", "union")
            ]
            return [*moves, ("start", {"question": "Kva?"})]
        if state.lifecycle == "insight":
            session = f"S{state.session_count + 1}"
            return [
                ("hold_session", {"title": "Økt", "attendees": reps}),
                (
                    "record_insight",
                    {"session": session, "text": "x", "topics": list(state.unraised)},
                ),
                ("close_step", {}),
            ]
        if state.lifecycle == "anchoring":
            return [
                ("anchor_step", {"municipality": n, "body": "formannskap", "outcome": "endorsed"})
                for n in state.active
            ]
        if state.lifecycle == "planning":
            last = f"I{state.insight_count}"
            return [
                (
                    "open_step",
                    {"question": "Neste", "builds_on": [last], "phase": "avgjerdsgrunnlag"},
                ),
                ("submit", {"summary": "Modell C"}),
            ]
        if state.lifecycle == "decision":
            return [("steering_decision", {"outcome": "approve"})] + [
                ("council_decision", {"municipality": n, "outcome": "approve"})
                for n in state.active
            ]
        return []

    @invariant()
    def state_is_the_replay_of_the_events(self) -> None:
        """The state always equals a fresh replay of the record."""
        replayed = self.inv._engine.replay(self.inv.events)
        assert state_to_dict(replayed) == self.inv.snapshot()

    @invariant()
    def the_working_state_is_the_history_without_its_past(self) -> None:
        """The working state equals the history fold less its past steps, sessions and records."""
        history = self.inv._engine.fold(None, (r.event for r in self.inv.events), history=True)
        assert working_part(history) == self.inv.snapshot()

    @invariant()
    def seq_has_no_gaps(self) -> None:
        """Sequence numbers run 1, 2, 3, … with no gap."""
        seqs = [r.seq for r in self.inv.events]
        assert seqs == list(range(1, len(seqs) + 1))


InvestigationMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestInvestigationMachine = InvestigationMachine.TestCase


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    script=st.lists(st.one_of(command, st.just(("advance", {}))), min_size=1, max_size=40),
    snapshot_every=st.integers(min_value=1, max_value=50),
    snapshot_size=st.integers(min_value=64, max_value=8192),
)
def test_stored_and_loaded_anew_gives_an_equal_state(
    location: str,
    script: list[tuple[str, dict[str, Any]]],
    snapshot_every: int,
    snapshot_size: int,
) -> None:
    """Any accepted commands, stored (each backend) and loaded by a new store, give an equal state.

    Every example writes an investigation of its own key into the one record; snapshots come
    at any cadence, fixed or in proportion to their size.
    """
    key = f"fuzz-{uuid.uuid4().hex[:12]}"
    with (
        mock.patch.object(_store, "SNAPSHOT_EVERY", snapshot_every),
        mock.patch.object(_store, "SNAPSHOT_SIZE", snapshot_size),
    ):
        machine = InvestigationMachine(sg.open_store(location, clock=sg.FixedClock()), key=key)
        for name, fields in script:
            if name == "advance":
                machine.advance()
            else:
                machine.issue((name, fields), ACTORS[0])
        loaded = sg.open_store(location).load(key, sg.trust_reform())
        assert loaded.snapshot() == machine.inv.snapshot()
        assert loaded.events == machine.inv.events
