"""Felles barnevern i Sogn, 2024: the child-welfare investigation of the domain contract.

Six Sognarådet municipalities are invited on 15 January; each joins by its
formannskap (Aurland: kommunestyre). Step 1 opens on 5 February, the pre-study
is done by 20 March, the decision basis goes to the steering group on 5 April,
and the councils decide in June: Sogndal, Luster, Lærdal and Årdal approve;
Aurland sends back and then opts out; Vik opts out. The cooperation is
established among four. It runs on Sogn's process (``stepgate.sogn.process``).

``stepgate demo`` runs it into a SQLite file and prints its timeline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import stepgate as sg
from stepgate.sogn.papers import SECRETARIAT_CASE, Papers
from stepgate.sogn.process import KO, SOGN, sogn_process

KEY = "barnevern-2024"
"""The investigation's key in the demo's record."""

TOPICS_BEFORE = [
    ("Vertskommune og lokalisering", 5),
    ("Kostnadsfordeling", 5),
    ("Arbeidsgivaransvar og overføring av tilsette", 4),
    ("Styring og internkontroll", 4),
    ("Nærleik til skular og helsestasjonar", 3),
    ("Akuttberedskap", 3),
    ("Fagsystem og IT", 2),
]

MANDATE = "Greie ut eit felles barnevern i Sogn; forstudie og avgjerdsgrunnlag."
"""The mandate's text (version 1), as the steering group set it."""

Refusal = tuple[dt.date, str, list[sg.Violation]]


class Story:
    """Runs the story and keeps the refusals it meets on the way, for the timeline."""

    def __init__(self, store: sg.Store) -> None:
        self.store = store
        self.refusals: list[Refusal] = []
        self.papers = Papers({m.id: m.name for m in SOGN.members})
        self.inv = store.create(
            sogn_process(),
            key=KEY,
            title="Felles barnevern i Sogn",
            region=SOGN,
            actor=KO,
            on="2024-01-10",
            service_area="barnevern",
            ordered_on="2024-01-08",
            pilot=True,
            mandate=MANDATE,
            documents=[Papers.mandate(MANDATE)],
            case_number=SECRETARIAT_CASE,
        )
        self.reps: dict[str, list[str]] = {}
        self.topics: dict[str, str] = {}

    def attempt(self, on: str, action: str, run: Callable[[], object], **fields: Any) -> bool:
        """Try a command; a refusal is noted with its rule ids instead of raised."""
        found = self.inv.explain(action, on=on, **fields)
        if found:
            self.refusals.append((dt.date.fromisoformat(on), action, found))
            return False
        run()
        return True

    def session(self, on: str, title: str) -> str:
        """A session with both representatives of every participant, and its protokoll."""
        attendees = [r for n in self.inv.participants for r in self.reps[n]]
        present = [self.inv.state.representatives[r].name for r in attendees]
        number = f"S{self.inv.state.session_count + 1}"
        minutes = self.papers.protokoll(number, title, on, present)
        return self.inv.hold_session(title, attendees, on=on, documents=[minutes])

    def insights(self, session: str, on: str, *titles: str) -> list[str]:
        """One insight per topic title (or one without a topic)."""
        return [
            self.inv.record_insight(
                session, f"Innsikt om {t.lower()}", on=on, topics=[self.topics[t]]
            )
            for t in titles
        ]

    def gate(self, on: str, noted: tuple[str, ...] = ()) -> None:
        """Every participant anchors the closed step at home."""
        step = self.inv.state.step_number
        for number in self.inv.participants:
            body = "kommunestyre" if number == "4641" else "formannskap"
            outcome = "noted" if number in noted else "endorsed"
            filed = self.papers.position(number, body, on, f"Steg {step} i utgreiinga", outcome)
            self.inv.anchor_step(number, body=body, outcome=outcome, on=on, **filed)

    def prepare(self) -> None:
        """Milestones, invitations, joining and the topics known before step 1."""
        inv = self.inv
        inv.set_milestone("forstudie ferdig", "2024-03-20", phase="forstudie", on="2024-01-10")
        inv.set_milestone(
            "avgjerdsgrunnlag til styringsgruppa",
            "2024-04-05",
            phase="avgjerdsgrunnlag",
            on="2024-01-10",
        )
        inv.set_milestone("kommunestyrevedtak", "2024-06-20", on="2024-01-10")
        inv.invite(on="2024-01-15", answer_by="2024-02-01")
        for day, member in zip(range(25, 31), SOGN.members, strict=True):
            on = f"2024-01-{day}"
            body = "kommunestyre" if member.name == "Aurland" else "formannskap"
            filed = self.papers.position(member.id, body, on, "Mandat for utgreiinga", "endorsed")
            inv.anchor_mandate(member.id, body=body, on=on, **filed)
            self.reps[member.id] = [
                inv.register_representative(
                    f"Kommunedirektør {member.name}", "employer", municipality=member.id, on=on
                ),
                inv.register_representative(
                    f"Hovudtillitsvald {member.name}", "union", municipality=member.id, on=on
                ),
            ]
        for title, difficulty in TOPICS_BEFORE:
            self.topics[title] = inv.register_topic(
                title, difficulty, by="sogn-ko", on="2024-01-31"
            )

    def forstudie(self) -> None:
        """Steps 1-3: the pre-study, with a late hard topic (ferries) found in step 2."""
        inv = self.inv
        inv.start("Kva modell for felles barnevern skal vi greie ut?", on="2024-02-05")
        s1 = self.session("2024-02-12", "Oppstartsøkt med alle seks")
        first = self.insights(
            s1,
            "2024-02-12",
            "Nærleik til skular og helsestasjonar",
            "Akuttberedskap",
            "Fagsystem og IT",
        )
        self.attempt("2024-02-14", "close_step", inv.close_step)
        first += self.insights(s1, "2024-02-15", *(t for t, d in TOPICS_BEFORE if d >= 4))
        self.topics["Rekruttering"] = inv.register_topic(
            "Rekruttering og kompetansekrav",
            3,
            by=self.reps["4644"][1],
            session=s1,
            on="2024-02-15",
        )
        inv.close_step(on="2024-02-16")
        self.gate("2024-02-29")
        inv.open_step("Alternativ A, B og C", builds_on=first[-2:], on="2024-03-01")
        s2 = self.session("2024-03-05", "Alternativ: i dag + nettverk, to vertar, éi teneste")
        second = self.insights(s2, "2024-03-05", "Rekruttering")
        self.topics["Reisetid og ferjer"] = inv.register_topic(
            "Reisetid og ferjer", 4, by=self.reps["4639"][1], session=s2, on="2024-03-05"
        )
        inv.close_step(on="2024-03-08")
        self.gate("2024-03-12", noted=("4639", "4641"))
        inv.open_step("Kva betyr reisetida for modell C?", builds_on=second, on="2024-03-13")
        self.attempt("2024-03-19", "close_step", inv.close_step)
        s3 = self.session("2024-03-19", "Reisetid, ferjer og akuttberedskap")
        self.insights(s3, "2024-03-19", "Reisetid og ferjer")
        inv.close_step(on="2024-03-20")
        self.gate("2024-03-21")

    def decision(self) -> None:
        """Step 4, the decision basis, the steering group and the councils."""
        inv = self.inv
        last = f"I{inv.state.insight_count}"
        inv.open_step(
            "Avgjerdsgrunnlag: modell C med Sogndal som vertskommune",
            builds_on=[last],
            phase="avgjerdsgrunnlag",
            on="2024-03-22",
        )
        s4 = self.session("2024-03-26", "Økonomi, tilsette og avtale")
        self.insights(
            s4, "2024-03-26", "Kostnadsfordeling", "Arbeidsgivaransvar og overføring av tilsette"
        )
        inv.close_step(on="2024-03-27")
        self.gate("2024-04-03")
        summary = "Modell C: éi barnevernsteneste for Sogn, Sogndal som vertskommune"
        self.attempt(
            "2024-04-04",
            "submit",
            lambda: None,
            summary=summary,
            cooperation_model="kommunalt oppgåvefellesskap",
        )
        inv.submit(
            summary,
            cooperation_model="vertskommune",
            on="2024-04-04",
            documents=[Papers.basis(summary)],
        )
        inv.steering_decision(
            "approve",
            on="2024-04-05",
            registry_entry="24/118-9",
            meeting=sg.MeetingItem(body="styringsgruppe", on="2024-04-05", item="PS 4/24"),
        )
        subject = "Felles barnevern i Sogn, vertskommune Sogndal"
        for number, day in (
            ("4640", "06-13"),
            ("4644", "06-13"),
            ("4642", "06-18"),
            ("4643", "06-18"),
        ):
            on = f"2024-{day}"
            filed = self.papers.position(number, "kommunestyre", on, subject, "approve")
            inv.council_decision(number, "approve", on=on, **filed)
        filed = self.papers.position("4641", "kommunestyre", "2024-06-13", subject, "send_back")
        inv.council_decision("4641", "send_back", on="2024-06-13", **filed)
        inv.opt_out(
            "4639",
            body="kommunestyre",
            on="2024-06-18",
            reason="Vik held fram med eiga teneste",
            **self.papers.position("4639", "kommunestyre", "2024-06-18", subject, "opted_out"),
        )
        inv.reach_milestone("kommunestyrevedtak", on="2024-06-20")
        inv.opt_out(
            "4641",
            body="kommunestyre",
            on="2024-06-20",
            reason="Aurland ventar på eigen utgreiing",
            **self.papers.position("4641", "kommunestyre", "2024-06-20", subject, "opted_out"),
        )


def run(store: sg.Store) -> Story:
    """The whole child-welfare story, into ``store``."""
    story = Story(store)
    story.prepare()
    story.forstudie()
    story.decision()
    return story
