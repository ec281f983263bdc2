"""Felles NAV-kontor i Sogn: a NAV investigation needs the state as a partner.

A NAV office is a partnership between the state (NAV) and the municipality
(NAV-lova §§ 13-14), so an investigation of a joint NAV office adds one rule
to Sogn's process: ``state-partner`` — the start needs a representative of the
state (NAV Vestland) registered beside the municipalities' employer and union
representatives. NAV was, with child welfare, "bestemt starta opp" (S:120),
so it is a pilot and the 9 February programme rule does not hold it back.

Run it: ``python examples/sogn_nav.py [nav.db]``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import stepgate as sg
from stepgate.sogn import KO, SOGN, sogn_process


@sg.rule(
    "state-partner",
    at={"start"},
    seed="NAV-lova §§ 13-14: NAV-kontoret er eit partnarskap mellom staten og kommunen",
    nn="Eit NAV-samarbeid treng staten som partnar: registrer ein representant for NAV "
    "(staten) før start.",
    en="A NAV cooperation needs the state as a partner: register a representative of NAV "
    "(the state) before the start.",
)
def state_partner(ctx: sg.Context) -> Iterator[dict[str, Any]]:
    """The start needs a representative of the state (NAV) registered."""
    parties = {r.party for r in ctx.state.representatives.values()}
    if not any(p.startswith("NAV") for p in parties):
        yield {"objects": ("NAV",)}


def nav_process() -> sg.Process:
    """Sogn's process with the state as a required partner."""
    return sogn_process().derive("sogn-nav-2024", add=[state_partner])


def run(store: sg.Store) -> tuple[sg.Investigation, list[sg.Violation]]:
    """Set up the NAV investigation; the start is refused until NAV takes part."""
    inv = store.create(
        nav_process(),
        key="nav-2024",
        title="Felles NAV-kontor i Sogn",
        region=SOGN,
        actor=KO,
        on="2024-01-10",
        service_area="nav",
        pilot=True,
    )
    inv.set_milestone("forstudie ferdig", "2024-03-20", phase="forstudie", on="2024-01-10")
    inv.set_milestone(
        "avgjerdsgrunnlag til styringsgruppa",
        "2024-04-26",
        phase="avgjerdsgrunnlag",
        on="2024-01-10",
    )
    inv.invite(on="2024-01-15", answer_by="2024-02-01")
    for member in SOGN.members:
        if member.name in ("Vik", "Aurland"):
            inv.opt_out(member.number, on="2024-01-29", reason="Eige NAV-kontor held fram")
            continue
        inv.anchor_mandate(member.number, body="formannskap", on="2024-01-30")
        inv.register_representative(
            f"Kommunedirektør {member.name}",
            "employer",
            municipality=member.number,
            on="2024-01-30",
        )
        inv.register_representative(
            f"Tillitsvald NAV {member.name}", "union", municipality=member.number, on="2024-01-30"
        )
    refused = inv.explain("start", question="Eitt NAV-kontor for Sogn?", on="2024-02-05")
    inv.register_representative(
        "Fylkesdirektør NAV Vestland", "employer", party="NAV Vestland (staten)", on="2024-02-05"
    )
    inv.start("Eitt NAV-kontor for Sogn?", on="2024-02-05")
    return inv, refused


def main(argv: list[str] | None = None) -> int:
    """Run the NAV example into a SQLite file."""
    args = sys.argv[1:] if argv is None else argv
    with sg.open_store(args[0] if args else "sogn-nav.db", clock=sg.FixedClock()) as store:
        inv, refused = run(store)
        print(f"refused first by {sorted({v.rule for v in refused})}; now {inv.lifecycle}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
