"""Felles barnevern i Sogn, 2024: the child-welfare investigation of the domain contract.

Six Sognarådet municipalities are invited on 15 January; each joins by its
formannskap (Aurland: kommunestyre). Step 1 opens on 5 February, the pre-study
is done by 20 March, the decision basis goes to the steering group on 5 April,
and the councils decide in June: Sogndal, Luster, Lærdal and Årdal approve;
Aurland sends back and then opts out; Vik opts out. The cooperation is
established among four.

The process is the built-in trust-reform process with two rules of Sogn's own,
written here in plain Python:

- ``programme-start`` — the seed's "Oppstart av dei andre utgreiingane 9/2
  dersom arbeidforma er avklara" (S:129-130): investigations other than the
  pilots may not start before 9 February 2024, nor before the region records
  that the working method is clarified;
- ``host-municipality-model`` — a child-welfare cooperation must use the
  host-municipality model (vertskommune, kommunelova ch. 20), because child
  welfare exercises public authority.

Run it: ``python examples/sogn_barnevern.py [sogn.db]``.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
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
KO = sg.Actor("sogn-ko", secretariat=True)
PROGRAMME_DAY = dt.date(2024, 2, 9)


@sg.rule(
    "programme-start",
    at={"start"},
    seed="[S:129-130] «Oppstart av dei andre utgreiingane 9/2 dersom arbeidforma er avklara»",
    nn="Dei andre utgreiingane startar 9/2 dersom arbeidsforma er avklara: {detail_nn}.",
    en="The other investigations start on 9 February if the working method is clarified: "
    "{detail_en}.",
)
def programme_start(ctx: sg.Context) -> Iterator[dict[str, Any]]:
    """Non-pilot investigations start on or after 9/2, once the working method is clarified."""
    if ctx.state.pilot:
        return
    if ctx.command.on < PROGRAMME_DAY:
        yield {
            "detail_nn": f"tidlegast {PROGRAMME_DAY} (ikkje {ctx.command.on})",
            "detail_en": f"not before {PROGRAMME_DAY} (asked for {ctx.command.on})",
        }
    if ctx.state.facts.get("working-method-clarified") != "yes":
        yield {
            "detail_nn": "Sognarådet har ikkje registrert at arbeidsforma er avklara",
            "detail_en": "the region has not recorded the working method as clarified "
            "(record_fact('working-method-clarified'))",
        }


@sg.rule(
    "host-municipality-model",
    at={"submit"},
    seed="kommunelova kap. 20; barnevernslova: barnevern utøver mynde",
    nn="Eit barnevernssamarbeid må byggje på vertskommunemodellen (kommunelova kap. 20); "
    "avgjerdsgrunnlaget tilrår «{model}».",
    en="A child-welfare cooperation must use the host-municipality model (kommunelova "
    "ch. 20); the decision basis recommends '{model}'.",
)
def host_municipality_model(ctx: sg.Context) -> Iterator[dict[str, Any]]:
    """A barnevern decision basis recommends the host-municipality model (vertskommune)."""
    model = getattr(ctx.command, "cooperation_model", "")
    if ctx.state.service_area == "barnevern" and model != "vertskommune":
        yield {"model": model or "–"}


def sogn_process() -> sg.Process:
    """The trust-reform process with Sogn's two rules."""
    return sg.trust_reform().derive(
        "sogn-2024",
        add=[programme_start, host_municipality_model],
        description="Tillitsreforma i Sogn 2024, med programregelen og vertskommunekravet.",
    )


TOPICS_BEFORE = [
    ("Vertskommune og lokalisering", 5),
    ("Kostnadsfordeling", 5),
    ("Arbeidsgivaransvar og overføring av tilsette", 4),
    ("Styring og internkontroll", 4),
    ("Nærleik til skular og helsestasjonar", 3),
    ("Akuttberedskap", 3),
    ("Fagsystem og IT", 2),
]

Refusal = tuple[dt.date, str, list[sg.Violation]]


class Story:
    """Runs the story and keeps the refusals it meets on the way, for the timeline."""

    def __init__(self, store: sg.Store) -> None:
        self.store = store
        self.refusals: list[Refusal] = []
        self.inv = store.create(
            sogn_process(),
            key="barnevern-2024",
            title="Felles barnevern i Sogn",
            region=SOGN,
            actor=KO,
            on="2024-01-10",
            service_area="barnevern",
            ordered_on="2024-01-08",
            pilot=True,
            mandate="Greie ut eit felles barnevern i Sogn; forstudie og avgjerdsgrunnlag.",
        )
        self.reps: dict[str, list[str]] = {}
        self.topics: dict[str, str] = {}
        self.cases = 100

    def attempt(self, on: str, action: str, run: Callable[[], object], **fields: Any) -> bool:
        """Try a command; a refusal is noted with its rule ids instead of raised."""
        found = self.inv.explain(action, on=on, **fields)
        if found:
            self.refusals.append((dt.date.fromisoformat(on), action, found))
            return False
        run()
        return True

    def session(self, on: str, title: str) -> str:
        """A session with both representatives of every participant."""
        attendees = [r for n in self.inv.participants for r in self.reps[n]]
        return self.inv.hold_session(title, attendees, on=on)

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
        for number in self.inv.participants:
            body = "kommunestyre" if number == "4641" else "formannskap"
            outcome = "noted" if number in noted else "endorsed"
            self.cases += 1
            self.inv.anchor_step(
                number, body=body, outcome=outcome, on=on, case_ref=f"24/{self.cases}"
            )

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
            inv.anchor_mandate(member.number, body=body, on=on, case_ref=f"24/{day}")
            self.reps[member.number] = [
                inv.register_representative(
                    f"Kommunedirektør {member.name}", "employer", municipality=member.number, on=on
                ),
                inv.register_representative(
                    f"Hovudtillitsvald {member.name}", "union", municipality=member.number, on=on
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
        last = list(inv.state.insights)[-1]
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
        inv.submit(summary, cooperation_model="vertskommune", on="2024-04-04")
        inv.steering_decision("approve", on="2024-04-05", case_ref="SG 2024/04")
        for number, day in (
            ("4640", "06-13"),
            ("4644", "06-13"),
            ("4642", "06-18"),
            ("4643", "06-18"),
        ):
            self.cases += 1
            inv.council_decision(number, "approve", on=f"2024-{day}", case_ref=f"24/{self.cases}")
        inv.council_decision("4641", "send_back", on="2024-06-13", case_ref="24/77")
        inv.opt_out(
            "4639",
            body="kommunestyre",
            on="2024-06-18",
            case_ref="24/80",
            reason="Vik held fram med eiga teneste",
        )
        inv.reach_milestone("kommunestyrevedtak", on="2024-06-20")
        inv.opt_out(
            "4641",
            body="kommunestyre",
            on="2024-06-20",
            case_ref="24/81",
            reason="Aurland ventar på eigen utgreiing",
        )


def run(store: sg.Store) -> Story:
    """The whole child-welfare story, into ``store``."""
    story = Story(store)
    story.prepare()
    story.forstudie()
    story.decision()
    return story


def main(argv: list[str] | None = None) -> int:
    """Run the story into a SQLite file and print where it ended."""
    args = sys.argv[1:] if argv is None else argv
    path = args[0] if args else "sogn-barnevern.db"
    with sg.open_store(path, clock=sg.FixedClock()) as store:
        story = run(store)
        names = ", ".join(SOGN.name_of(n) for n in story.inv.state.established_among)
        print(f"{story.inv.key}: {story.inv.lifecycle}, established among {names}")
        print(f"refusals on the way: {[(a, [v.rule for v in vs]) for _, a, vs in story.refusals]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
