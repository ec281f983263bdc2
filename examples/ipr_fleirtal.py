"""Felles innkjøp i Sogn: a Sognarådet IPR investigation where a majority passes each gate.

The six members of Sognarådet IPR are invited and join by anchoring the
mandate at home, as in the trust-reform method. But a gate passes when a
majority of the participants (one vote each, from a political body at home)
endorse the step; a majority sending it back sends it back; if all have voted
without a majority, the step goes back too. The minority may opt out, or stay
and go on. At the end each participant's kommunestyre decides (there is no
steering group); the cooperation is established among those that approve.

Run it: ``python examples/ipr_fleirtal.py [innkjop.db]``.
"""

from __future__ import annotations

import sys

import attrs

import stepgate as sg
from stepgate.sogn import KO, SOGN  # Sognarådet IPR's six members, and its secretariat


def majority_process() -> sg.Process:
    """The trust-reform method with a majority at each gate and the councils at the end."""
    return sg.trust_reform().derive(
        "ipr-fleirtal",
        drop=["anchored-every-step", "steering-group-not-final"],
        gate=sg.Gate(sg.MAJORITY, outcomes=sg.ANCHORING_OUTCOMES),
        ending=sg.Ending(sg.EVERY_PARTICIPANT, bodies=["kommunestyre"], establish_with=2),
        description="Sognarådet IPR: fleirtal i kvar port, kommunestyra avgjer til slutt.",
    )


@attrs.define
class Story:
    """The investigation and the refusals met on the way."""

    inv: sg.Investigation
    refusals: list[sg.Violation] = attrs.Factory(list)


def run(store: sg.Store) -> Story:
    """Four of six pass gate 1; a majority sends step 2 back; Vik leaves; five approve."""
    inv = store.create(
        majority_process(),
        key="innkjop-2024",
        title="Felles innkjøpsteneste i Sogn",
        region=SOGN,
        actor=KO,
        on="2024-02-12",
        service_area="innkjøp",
    )
    story = Story(inv)
    inv.set_milestone("forstudie ferdig", "2024-04-05", phase="forstudie", on="2024-02-12")
    inv.set_milestone(
        "avgjerdsgrunnlag til styringsgruppa",
        "2024-05-17",
        phase="avgjerdsgrunnlag",
        on="2024-02-12",
    )
    inv.invite(on="2024-02-12")
    reps = []
    for member in SOGN.members:
        inv.anchor_mandate(member.number, body="formannskap", on="2024-02-20")
        reps += [
            inv.register_representative(
                f"Innkjøpsleiar {member.name}",
                "employer",
                municipality=member.number,
                on="2024-02-20",
            ),
            inv.register_representative(
                f"Tillitsvald {member.name}", "union", municipality=member.number, on="2024-02-20"
            ),
        ]
    inv.register_topic("Felles avtaleportefølje", 4, on="2024-02-20")
    inv.start("Kva skal ei felles innkjøpsteneste gjere?", on="2024-02-26")
    session = inv.hold_session("Oppstart", reps, on="2024-03-04")
    first = inv.record_insight(session, "Tre kommunar kjøper likt", topics=["T1"], on="2024-03-04")
    inv.close_step(on="2024-03-08")
    for number in ("4640", "4644", "4642"):
        inv.anchor_step(number, body="formannskap", on="2024-03-14")
    inv.anchor_step("4641", body="formannskap", outcome="sent_back", on="2024-03-14")
    story.refusals += inv.explain("open_step", question="?", builds_on=[first], on="2024-03-15")
    inv.anchor_step("4643", body="formannskap", on="2024-03-15")  # 4 of 6: a majority passes
    inv.open_step("Modell", builds_on=[first], phase="avgjerdsgrunnlag", on="2024-03-18")
    step2 = inv.hold_session("Modellar", reps, on="2024-03-25")
    inv.record_insight(step2, "Vertskommune Sogndal", on="2024-03-25")
    inv.close_step(on="2024-03-28")
    for number in ("4639", "4641", "4643", "4644"):  # 4 of 6 send it back
        inv.anchor_step(number, body="formannskap", outcome="sent_back", on="2024-04-04")
    inv.opt_out("4639", on="2024-04-08", reason="Vik held fram åleine")  # a minority leaves
    again = inv.hold_session(
        "Modellar, runde 2", [r for r in reps if r not in ("R1", "R2")], on="2024-04-11"
    )
    inv.record_insight(again, "Vertskommune med eigen innkjøpsrådgjevar", on="2024-04-11")
    inv.close_step(on="2024-04-12")
    for number in ("4640", "4642", "4643"):  # 3 of 5 pass it; Luster need not vote
        inv.anchor_step(number, body="formannskap", on="2024-04-18")
    inv.submit(
        "Felles innkjøpsteneste, Sogndal vertskommune",
        cooperation_model="vertskommune",
        on="2024-05-10",
    )
    for number in ("4640", "4641", "4642", "4643", "4644"):
        inv.council_decision(number, "approve", on="2024-06-13")
    return story


def main(argv: list[str] | None = None) -> int:
    """Run the story into a SQLite file and say how it ended."""
    args = sys.argv[1:] if argv is None else argv
    with sg.open_store(args[0] if args else "innkjop.db", clock=sg.FixedClock()) as store:
        story = run(store)
        print(
            f"{story.inv.key}: {story.inv.lifecycle}, established among "
            f"{', '.join(story.inv.state.established_among)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
