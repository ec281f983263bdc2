"""A scenario builder: drives one investigation through its process, a stage at a time.

``Scenario`` follows the process it is given. For the built-in trust-reform
process it tells the Sogn child-welfare example of the domain contract: the
seed's milestones, every member invited, each joining by its formannskap with
an employer and a union representative, step 1 opening on 5 February 2024.
For a process of one's own it reads what that process declares: a milestone
for each of its phases, joining only where its parties join by mandate, its
gate's own body and passing outcome, its ending's deciding bodies. Tests and
the Gherkin step library build on it, so a scenario can start from "started
with Sogndal, Luster and Årdal" in one line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import stepgate as sg
from stepgate.sogn import KO, SOGN

SECRETARIAT = KO
"""Sogn KO, the secretariat that runs the investigations."""

START = dt.date(2024, 2, 5)
"""The seed's start date for the child-welfare investigation."""

SEED_DUE = {"forstudie ferdig": "2024-03-20", "avgjerdsgrunnlag til styringsgruppa": "2024-04-05"}
"""The seed's milestones (S:122-127); other phases get evenly spaced dates."""


class Scenario:
    """Drives one investigation through its process, a stage at a time."""

    def __init__(
        self,
        store: sg.Store,
        process: sg.Process | None = None,
        region: sg.Region = SOGN,
        key: str = "barnevern-2024",
        title: str = "Felles barnevern i Sogn",
    ) -> None:
        self.store = store
        self.region = region
        self.process = process or sg.trust_reform()
        self.inv = store.create(
            self.process,
            key=key,
            title=title,
            region=region,
            actor=SECRETARIAT,
            on="2024-01-10",
            service_area="barnevern",
        )
        self.employer: dict[str, str] = {}
        self.union: dict[str, str] = {}
        self.topics: dict[str, str] = {}
        self.session: str = ""
        self.insights: list[str] = []

    @property
    def numbers(self) -> list[str]:
        """Every member's id (kommunenummer)."""
        return [m.id for m in self.region.members]

    @property
    def by_mandate(self) -> bool:
        """True when the process's parties join by anchoring the mandate."""
        return isinstance(self.process.parties, sg.JoinByMandate)

    def milestones(self) -> Scenario:
        """A dated milestone for each phase: the seed's where it has them (S:122-127)."""
        phases = self.process.phases
        span = self.process.policy.maximum_weeks * 7 // (len(phases) + 1)
        for i, phase in enumerate(phases, start=1):
            due = SEED_DUE.get(phase.milestone) or (START + dt.timedelta(days=span * i))
            self.inv.set_milestone(phase.milestone, due, phase=phase.name)
        return self

    def join(
        self, numbers: Sequence[str] | None = None, *, reps: bool = True, body: str = "formannskap"
    ) -> Scenario:
        """Invite everyone; the given members join by ``body`` (by mandate) and register parties.

        Where parties take part from the start, nobody is invited: the members
        only register their employer and union representatives.
        """
        if self.by_mandate and self.inv.lifecycle == "draft":
            self.inv.invite(on="2024-01-15")
        for i, number in enumerate(self.numbers if numbers is None else numbers, start=1):
            if self.by_mandate:
                self.inv.anchor_mandate(
                    number, body=body, on="2024-01-25", registry_entry=f"24/112-{i}"
                )
            if reps:
                self.reps(number)
        return self

    def reps(self, number: str) -> None:
        """Register an employer and a union representative for ``number``."""
        name = self.region.name_of(number)
        self.employer[number] = self.inv.register_representative(
            f"Kommunedirektør {name}", "employer", municipality=number
        )
        self.union[number] = self.inv.register_representative(
            f"Hovudtillitsvald {name}", "union", municipality=number
        )

    def topic(self, title: str, difficulty: int, **kw: Any) -> str:
        """Register a topic; remember its id by title."""
        self.topics[title] = self.inv.register_topic(title, difficulty, **kw)
        return self.topics[title]

    def start(self, *, joined: Sequence[str] | None = None, body: str = "formannskap") -> Scenario:
        """Milestones, invitations, joining, then step 1 opens on 5 February."""
        self.milestones().join(joined, body=body)
        for number in set(self.numbers) - set(joined or self.numbers):
            self.inv.opt_out(number, on="2024-01-30")
        self.inv.start("Kva modell for felles barnevern?", on=START)
        return self

    def hold(self, title: str = "Økt", on: str = "2024-02-12") -> str:
        """A session of the open step with every participant's two representatives."""
        attendees = [r for n in self.inv.participants for r in (self.employer[n], self.union[n])]
        self.session = self.inv.hold_session(title, attendees, on=on)
        return self.session

    def insight(self, *topics: str, text: str = "Innsikt") -> str:
        """An insight in the current session on the given topic ids."""
        insight = self.inv.record_insight(self.session or self.hold(), text, topics=list(topics))
        self.insights.append(insight)
        return insight

    def close(self, on: str = "2024-02-16") -> Scenario:
        """Hold a session if none, record an insight on every unraised topic, close the step."""
        step = self.inv.state.step
        assert step is not None
        held = self.inv.state.sessions.get(self.session)  # the open step's sessions
        if held is None or held.step != step.number:
            self.hold()
        self.insight(*self.inv.state.unraised)
        self.inv.close_step(on=on)
        return self

    def gate_body(self, number: str) -> str:
        """The body by which ``number`` takes its position at the gate."""
        gate = self.process.gate
        if gate.body is not None:
            return gate.body.value
        party = self.region.party(number)
        if isinstance(party, sg.Organisation):
            return sorted(party.bodies)[0]
        return "formannskap"

    def passing(self) -> str:
        """The name of the gate's first outcome that passes it (endorsed, continue, …)."""
        passes = (sg.Effect.PASS, sg.Effect.NOTED)
        return next(o.name for o in self.process.gate.outcomes if o.effect in passes)

    def gate_deciders(self) -> list[str]:
        """Who takes a position at the gate: every participant, or the one deciding party."""
        gate = self.process.gate
        if gate.decided_by is sg.ONE_BODY:
            return [gate.party] if gate.party is not None else list(self.inv.participants)[:1]
        return list(self.inv.participants)

    def anchor(
        self,
        numbers: Sequence[str] | None = None,
        *,
        outcome: str | None = None,
        body: str | None = None,
        on: str = "2024-02-29",
    ) -> Scenario:
        """Every (or the given) participant takes a position on the closed step."""
        for number in self.gate_deciders() if numbers is None else numbers:
            self.inv.anchor_step(
                number,
                body=body or self.gate_body(number),
                outcome=outcome or self.passing(),
                on=on,
            )
        return self

    def decider_body(self, number: str) -> str:
        """The body by which ``number`` decides at the end (a municipality's kommunestyre)."""
        ending = self.process.ending
        if ending.body is not None:
            return ending.body.value
        party = self.region.party(number)
        own = party.bodies if party is not None else frozenset()
        chosen = sorted(b for b in ending.bodies if b in own) or sorted(ending.bodies)
        return chosen[0]

    def next_step(self, phase: str | None = None, on: str = "2024-03-01") -> Scenario:
        """Open the next step on the latest insight."""
        self.inv.open_step("Neste steg", builds_on=[self.insights[-1]], phase=phase, on=on)
        return self

    def to_decision(self) -> Scenario:
        """Step 1 through its gate, a step in the last phase through its gate, submitted."""
        self.close().anchor().next_step(phase=self.process.phases[-1].name).close(on="2024-03-08")
        self.anchor(on="2024-03-12")
        self.inv.submit(
            "Modell C: éi teneste, Sogndal vertskommune",
            cooperation_model="vertskommune",
            on="2024-04-04",
        )
        return self
