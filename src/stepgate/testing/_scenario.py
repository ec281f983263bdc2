"""A scenario builder: drives one investigation through the method, a stage at a time.

``Scenario`` follows the Sogn child-welfare example of the domain contract:
the seed's milestones, every member invited, each joining by its formannskap
with an employer and a union representative, step 1 opening on 5 February
2024. Tests and the Gherkin step library build on it, so a scenario can
start from "started with Sogndal, Luster and Årdal" in one line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import stepgate as sg

SOGN = sg.Region(
    "Sognarådet IPR",
    [
        sg.Municipality("4639", "Vik"),
        sg.Municipality("4640", "Sogndal"),
        sg.Municipality("4641", "Aurland"),
        sg.Municipality("4642", "Lærdal"),
        sg.Municipality("4643", "Årdal"),
        sg.Municipality("4644", "Luster"),
    ],
)
"""Sognarådet IPR's six members in 2024, with their kommunenummer."""

SECRETARIAT = sg.Actor("sogn-ko", secretariat=True)
"""Sogn KO, the secretariat that runs the investigations."""

START = dt.date(2024, 2, 5)
"""The seed's start date for the child-welfare investigation."""


class Scenario:
    """Drives one investigation through the Sogn child-welfare example, a stage at a time."""

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
        self.inv = store.create(
            process or sg.trust_reform(),
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
        """Every member's kommunenummer."""
        return [m.id for m in self.region.members]

    def milestones(self) -> Scenario:
        """Set the seed's milestones (S:122-127)."""
        self.inv.set_milestone("forstudie ferdig", "2024-03-20", phase="forstudie")
        self.inv.set_milestone(
            "avgjerdsgrunnlag til styringsgruppa", "2024-04-05", phase="avgjerdsgrunnlag"
        )
        return self

    def join(
        self, numbers: Sequence[str] | None = None, *, reps: bool = True, body: str = "formannskap"
    ) -> Scenario:
        """Invite everyone; the given members join by a formannskap and register parties."""
        if self.inv.lifecycle == "draft":
            self.inv.invite(on="2024-01-15")
        for number in self.numbers if numbers is None else numbers:
            self.inv.anchor_mandate(number, body=body, on="2024-01-25", case_ref=f"24/{number}")
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
        if not self.session or self.inv.state.sessions[self.session].step != step.number:
            self.hold()
        self.insight(*self.inv.state.unraised)
        self.inv.close_step(on=on)
        return self

    def anchor(
        self,
        numbers: Sequence[str] | None = None,
        *,
        outcome: str = "endorsed",
        body: str = "formannskap",
        on: str = "2024-02-29",
    ) -> Scenario:
        """Every (or the given) participant anchors the closed step."""
        for number in self.inv.participants if numbers is None else numbers:
            self.inv.anchor_step(number, body=body, outcome=outcome, on=on)
        return self

    def next_step(self, phase: str | None = None, on: str = "2024-03-01") -> Scenario:
        """Open the next step on the latest insight."""
        self.inv.open_step("Neste steg", builds_on=[self.insights[-1]], phase=phase, on=on)
        return self

    def to_decision(self) -> Scenario:
        """Step 1 through its gate, step 2 in avgjerdsgrunnlag through its gate, submitted."""
        self.close().anchor().next_step(phase="avgjerdsgrunnlag").close(on="2024-03-08")
        self.anchor(on="2024-03-12")
        self.inv.submit(
            "Modell C: éi teneste, Sogndal vertskommune",
            cooperation_model="vertskommune",
            on="2024-04-04",
        )
        return self
