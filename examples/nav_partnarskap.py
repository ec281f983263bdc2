"""NAV Sogn: a NAV partnership where the state, NAV Vestland, is a party with its own bodies.

A NAV office is a partnership between the state (NAV) and the municipalities
(NAV-lova §§ 13-14). Sogndal, Luster and NAV Vestland take part from the
start: nobody is invited and nobody joins by a mandate. NAV Vestland has no
kommunenummer and no political bodies; its director (direktøren) speaks for
it. Each step passes when every party has endorsed it at home — the
municipalities in their formannskap, the state by its director — and at the
end every party decides, the municipalities in their kommunestyre and the
state by its director. NAV Vestland is required: if the state leaves, the
investigation stops.

Run it: ``python examples/nav_partnarskap.py [nav-sogn.db]``.
"""

from __future__ import annotations

import sys

import stepgate as sg

NAV_VESTLAND = sg.Organisation("nav-vestland", "NAV Vestland", bodies=["direktor", "leiargruppe"])
PARTNERS = sg.Region(
    "NAV-partnarskap Sogn",
    [sg.Municipality("4640", "Sogndal"), sg.Municipality("4644", "Luster"), NAV_VESTLAND],
)
KO = sg.Actor("sogn-ko", secretariat=True)
FYLKESDIREKTOR = sg.Actor("nav-fylkesdirektor", municipality="nav-vestland")


def nav_process() -> sg.Process:
    """Fixed parties with the state required; every party anchors at home and decides."""
    at_home = ["kommunestyre", "formannskap", "utval", "ordforar", "direktor"]
    return sg.Process(
        "nav-partnarskap",
        phases=[
            sg.Phase("forstudie", "forstudie ferdig", sg.Text("Forstudie", "Pre-study")),
            sg.Phase("avtale", "avtaleutkast ferdig", sg.Text("Avtale", "Agreement")),
        ],
        rules=[
            rule
            for rule in sg.TRUST_REFORM_RULES
            if rule.id
            not in (
                "everyone-invited",
                "mandate-at-home",
                "free-to-leave",
                "steering-group-not-final",
            )
        ],
        policy=sg.Policy(political_bodies=at_home),
        parties=sg.FixedParties(required=["nav-vestland"]),
        gate=sg.Gate(sg.EVERY_PARTICIPANT, outcomes=sg.ANCHORING_OUTCOMES),
        ending=sg.Ending(sg.EVERY_PARTICIPANT, bodies=["kommunestyre", "direktor"]),
        description="NAV-kontor som partnarskap mellom staten og kommunane (NAV-lova §§ 13-14).",
        words={  # a partnership of the state and two municipalities, in its own words
            "report.participants": sg.Text("Partane", "The parties"),
            "report.municipality": sg.Text("Part", "Party"),
            "report.number": sg.Text("Nr.", "No."),
            "report.councils": sg.Text("Vedtak hjå partane", "The parties' decisions"),
            "report.gate": sg.Text(
                "Porten: kvar part forankrar heime", "The gate: each party anchors at home"
            ),
        },
    )


def begin(store: sg.Store) -> sg.Investigation:
    """Set up with the three parties and their representatives; step 1 open."""
    inv = store.create(
        nav_process(),
        key="nav-sogn-2024",
        title="Felles NAV-kontor for Sogndal og Luster",
        region=PARTNERS,
        actor=KO,
        on="2024-01-10",
        service_area="nav",
    )
    inv.set_milestone("forstudie ferdig", "2024-03-20", phase="forstudie", on="2024-01-10")
    inv.set_milestone("avtaleutkast ferdig", "2024-04-26", phase="avtale", on="2024-01-10")
    for party, employer, union in (
        ("4640", "Kommunedirektør Sogndal", "Tillitsvald NAV Sogndal"),
        ("4644", "Kommunedirektør Luster", "Tillitsvald NAV Luster"),
        ("nav-vestland", "Fylkesdirektør NAV Vestland", "Tillitsvald NAV Vestland"),
    ):
        inv.register_representative(employer, "employer", municipality=party, on="2024-01-15")
        inv.register_representative(union, "union", municipality=party, on="2024-01-15")
    inv.start("Eitt NAV-kontor for Sogndal og Luster?", on="2024-02-05")
    return inv


def run(store: sg.Store) -> sg.Investigation:
    """Both steps pass with the state's director beside the formannskap; all three approve."""
    inv = begin(store)
    everyone = list(inv.state.representatives)
    session = inv.hold_session("Oppstart", everyone, on="2024-02-12")
    first = inv.record_insight(session, "Felles mottak i Sogndal", on="2024-02-12")
    inv.close_step(on="2024-02-16")
    inv.anchor_step("4640", body="formannskap", on="2024-02-29")
    inv.anchor_step("4644", body="formannskap", on="2024-02-29")
    inv.anchor_step("nav-vestland", body="direktor", on="2024-03-01", actor=FYLKESDIREKTOR)
    inv.open_step("Partnarskapsavtalen", builds_on=[first], phase="avtale", on="2024-03-04")
    step2 = inv.hold_session("Avtale", everyone, on="2024-03-11")
    inv.record_insight(step2, "Avtaleutkast med felles leiar", on="2024-03-11")
    inv.close_step(on="2024-03-15")
    inv.anchor_step("4640", body="formannskap", on="2024-03-21")
    inv.anchor_step("4644", body="formannskap", on="2024-03-21")
    inv.anchor_step("nav-vestland", body="direktor", on="2024-03-22", actor=FYLKESDIREKTOR)
    inv.submit("Partnarskapsavtale for NAV Sogn", on="2024-04-25")
    inv.council_decision("4640", "approve", on="2024-06-13")
    inv.council_decision("4644", "approve", on="2024-06-13")
    inv.council_decision(
        "nav-vestland", "approve", body="direktor", on="2024-06-14", actor=FYLKESDIREKTOR
    )
    return inv


def run_without_the_state(store: sg.Store) -> sg.Investigation:
    """The state leaves during step 1: without a required party the investigation stops."""
    inv = begin(store)
    inv.opt_out(
        "nav-vestland",
        on="2024-02-20",
        reason="Eige kontor i Sogndal held fram",
        actor=FYLKESDIREKTOR,
    )
    return inv


def main(argv: list[str] | None = None) -> int:
    """Run the story into a SQLite file and say how it ended."""
    args = sys.argv[1:] if argv is None else argv
    with sg.open_store(args[0] if args else "nav-sogn.db", clock=sg.FixedClock()) as store:
        inv = run(store)
        print(
            f"{inv.key}: {inv.lifecycle}, established among "
            f"{', '.join(inv.state.established_among)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
