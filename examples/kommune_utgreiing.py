"""Heimetenester i Sogndal: an investigation inside one municipality.

Sogndal kommune investigates how to organise its home-based services on its
own: one organisation, no invitations and no mandate to join by. After each
step the kommunedirektør's leader group (leiargruppa) decides: continue,
redo the step, put it on hold, or stop the investigation. At the end the
kommunestyre approves (the change is decided), sends it back, or rejects it.
The trust-reform method's working rules still hold inside the municipality:
the employer/union cooperation from the start and in every step, insight
before a gate, one step at a time on earlier insight, the hardest topics
first, an open record.

Run it: ``python examples/kommune_utgreiing.py [sogndal.db]``.
"""

from __future__ import annotations

import sys

import attrs

import stepgate as sg

SOGNDAL = sg.Region("Sogndal kommune", [sg.Municipality("4640", "Sogndal")])
STAB = sg.Actor("sogndal-stab", secretariat=True)  # kommunedirektørens stab runs it


def kommune_process() -> sg.Process:
    """One municipality, a leader-group gate (continue/redo/hold/stop); the council ends it."""
    return sg.Process(
        "kommune-utgreiing",
        phases=[
            sg.Phase("kartlegging", "kartlegging ferdig", sg.Text("Kartlegging", "Mapping")),
            sg.Phase("tilråding", "tilråding ferdig", sg.Text("Tilråding", "Recommendation")),
        ],
        rules=[
            sg.RULES[rule]
            for rule in (
                "parties-from-start",
                "parties-in-every-step",
                "equal-participation",
                "insight-first",
                "one-step-at-a-time",
                "build-on-insight",
                "hardest-topics-first",
                "milestones-first",
                "open-record",
                "council-decides",
            )
        ],
        policy=sg.Policy(minimum_participants=1),
        parties=sg.SingleOrganisation(),
        gate=sg.Gate(
            sg.ONE_BODY,
            body="leiargruppe",
            outcomes=[
                sg.GateOutcome("continue", sg.Effect.PASS),
                sg.GateOutcome("redo", sg.Effect.SEND_BACK),
                sg.GateOutcome("hold", sg.Effect.HOLD),
                sg.GateOutcome("stop", sg.Effect.STOP),
            ],
        ),
        ending=sg.Ending(
            sg.ONE_BODY,
            body="kommunestyre",
            establish_with=1,
            outcomes=["approve", "send_back", "reject"],
        ),
    )


@attrs.define
class Story:
    """The investigation and the refusals met on the way."""

    inv: sg.Investigation
    refusals: list[sg.Violation] = attrs.Factory(list)


def begin(store: sg.Store) -> Story:
    """Set up, the parties registered, the topics known, step 1 open."""
    inv = store.create(
        kommune_process(),
        key="heimetenester-2024",
        title="Heimetenester i Sogndal",
        region=SOGNDAL,
        actor=STAB,
        on="2024-01-08",
        service_area="helse og omsorg",
    )
    inv.set_milestone("kartlegging ferdig", "2024-03-01", phase="kartlegging", on="2024-01-08")
    inv.set_milestone("tilråding ferdig", "2024-04-12", phase="tilråding", on="2024-01-08")
    inv.register_representative("Kommunalsjef helse", "employer", municipality="4640")
    inv.register_representative("Hovudtillitsvald Fagforbundet", "union", municipality="4640")
    inv.register_topic("Turnus og helgearbeid", 5, on="2024-01-10")
    inv.register_topic("Digitalt tilsyn", 3, on="2024-01-10")
    inv.start("Korleis organiserer vi heimetenestene?", on="2024-01-15")
    return Story(inv)


def run(store: sg.Store) -> Story:
    """Held at the first gate, redone, then through both steps; the council approves."""
    story = begin(store)
    inv = story.inv
    session = inv.hold_session("Verkstad med tilsette", ["R1", "R2"], on="2024-01-22")
    inv.record_insight(session, "Tilsette ønskjer faste team", topics=["T2"], on="2024-01-22")
    story.refusals += inv.explain("close_step", on="2024-01-26")  # the hardest topic waits
    inv.record_insight(session, "Turnus må opp først", topics=["T1"], on="2024-01-24")
    inv.close_step(on="2024-01-26")
    inv.anchor_step(
        "4640", body="leiargruppe", outcome="hold", on="2024-01-30", registry_entry="24/31-1"
    )
    inv.anchor_step(
        "4640", body="leiargruppe", outcome="redo", on="2024-02-06", registry_entry="24/31-2"
    )
    again = inv.hold_session("Verkstad 2", ["R1", "R2"], on="2024-02-12")
    first = inv.record_insight(again, "Tre team med fast turnus", topics=["T1"], on="2024-02-12")
    inv.close_step(on="2024-02-16")
    inv.anchor_step("4640", body="leiargruppe", outcome="continue", on="2024-02-20")
    inv.open_step("Kva tilrår vi?", builds_on=[first], phase="tilråding", on="2024-03-01")
    last = inv.hold_session("Tilråding", ["R1", "R2"], on="2024-03-11")
    inv.record_insight(last, "Tilrår tre team frå hausten", on="2024-03-11")
    inv.close_step(on="2024-03-15")
    inv.anchor_step("4640", body="leiargruppe", outcome="continue", on="2024-03-19")
    inv.submit("Tre heimeteneste-team med fast turnus", on="2024-04-10")
    inv.council_decision("4640", "approve", on="2024-05-02", registry_entry="24/88-1")
    return story


def run_stopped(store: sg.Store) -> Story:
    """The leader group stops the investigation at its first gate."""
    story = begin(store)
    inv = story.inv
    session = inv.hold_session("Verkstad", ["R1", "R2"], on="2024-01-22")
    inv.record_insight(session, "Turnus er låst av avtalen", topics=["T1"], on="2024-01-22")
    inv.close_step(on="2024-01-26")
    inv.anchor_step("4640", body="leiargruppe", outcome="stop", on="2024-01-30")
    return story


def main(argv: list[str] | None = None) -> int:
    """Run the story into a SQLite file and say how it ended."""
    args = sys.argv[1:] if argv is None else argv
    with sg.open_store(args[0] if args else "sogndal.db", clock=sg.FixedClock()) as store:
        story = run(store)
        print(
            f"{story.inv.key}: {story.inv.lifecycle}, established among "
            f"{', '.join(story.inv.state.established_among)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
