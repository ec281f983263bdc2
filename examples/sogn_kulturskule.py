"""Felles kulturskule i Sogn: a non-pilot investigation under the 9 February rule.

The seed says "Oppstart av dei andre utgreiingane 9/2 dersom arbeidforma er
avklara" (S:129-130). The kulturskule investigation is not a pilot: its start
on 5 February is refused by ``programme-start`` (too early, and the working
method is not recorded as clarified); once Sognarådet records that it is, the
investigation starts on 12 February.

Run it: ``python examples/sogn_kulturskule.py [kulturskule.db]``.
"""

from __future__ import annotations

import sys

import stepgate as sg
from stepgate.sogn import KO, SOGN, sogn_process


def run(store: sg.Store) -> tuple[sg.Investigation, list[sg.Violation]]:
    """Refused before 9/2 and before the working method is clarified; started after."""
    inv = store.create(
        sogn_process(),
        key="kulturskule-2024",
        title="Felles kulturskule i Sogn",
        region=SOGN,
        actor=KO,
        on="2024-01-20",
        service_area="kulturskule",
    )
    inv.set_milestone("forstudie ferdig", "2024-04-19", phase="forstudie", on="2024-01-20")
    inv.set_milestone(
        "avgjerdsgrunnlag til styringsgruppa",
        "2024-05-24",
        phase="avgjerdsgrunnlag",
        on="2024-01-20",
    )
    inv.invite(on="2024-01-22", answer_by="2024-02-02")
    for member in SOGN.members:
        inv.anchor_mandate(member.number, body="formannskap", on="2024-02-01")
        inv.register_representative(
            f"Rektor kulturskulen {member.name}",
            "employer",
            municipality=member.number,
            on="2024-02-01",
        )
        inv.register_representative(
            f"Tillitsvald {member.name}", "union", municipality=member.number, on="2024-02-01"
        )
    refused = inv.explain("start", question="Éin kulturskule for Sogn?", on="2024-02-05")
    inv.record_fact("working-method-clarified", on="2024-02-09")
    inv.start("Éin kulturskule for Sogn?", on="2024-02-12")
    return inv, refused


def main(argv: list[str] | None = None) -> int:
    """Run the kulturskule example into a SQLite file."""
    args = sys.argv[1:] if argv is None else argv
    with sg.open_store(args[0] if args else "sogn-kulturskule.db", clock=sg.FixedClock()) as store:
        inv, refused = run(store)
        print(f"5/2 refused: {[v.en for v in refused]}\n12/2: {inv.lifecycle}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
