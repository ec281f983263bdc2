"""Sogn's process: the trust-reform process with two rules of the region's own.

- ``programme-start`` — the seed's "Oppstart av dei andre utgreiingane 9/2
  dersom arbeidforma er avklara" (S:129-130): investigations other than the
  pilots may not start before 9 February 2024, nor before the region records
  that the working method is clarified;
- ``host-municipality-model`` — a child-welfare cooperation must use the
  host-municipality model (vertskommune, kommunelova ch. 20), because child
  welfare exercises public authority.

The rules are written in plain Python, as a process author writes their own
(``docs/processes.md``). The process is registered as ``sogn-2024`` in the
``stepgate.processes`` entry-point group, so the command line finds it for any
record made with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
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

KO = sg.Actor("sogn-ko", secretariat=True)
"""Sogn KO, the secretariat that runs the investigations."""

PROGRAMME_DAY = dt.date(2024, 2, 9)


@sg.rule(
    "programme-start",
    at={"start"},
    seed="[S:129-130] «Oppstart av dei andre utgreiingane 9/2 dersom arbeidforma er avklara»",
    nn="Dei andre utgreiingane startar 9/2 dersom arbeidsforma er avklara: {detail}.",
    en="The other investigations start on 9 February if the working method is clarified: {detail}.",
)
def programme_start(ctx: sg.Context) -> Iterator[dict[str, Any]]:
    """Non-pilot investigations start on or after 9/2, once the working method is clarified."""
    if ctx.state.pilot:
        return
    if ctx.command.on < PROGRAMME_DAY:
        yield {
            "detail": sg.Text(
                f"tidlegast {PROGRAMME_DAY} (ikkje {ctx.command.on})",
                f"not before {PROGRAMME_DAY} (asked for {ctx.command.on})",
            ),
        }
    if ctx.state.facts.get("working-method-clarified") != "yes":
        yield {
            "detail": sg.Text(
                "Sognarådet har ikkje registrert at arbeidsforma er avklara",
                "the region has not recorded the working method as clarified "
                "(record_fact('working-method-clarified'))",
            ),
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
