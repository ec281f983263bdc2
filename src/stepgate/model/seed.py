"""The seed: the lines of the source presentation (Nynorsk) that the rules come from.

``[S:n]`` is line *n* of ``seed/000_7438e39fa1f3c19a.txt`` (``cat -n`` numbering),
a presentation to Sognatinget by the board chair of Sogn KO.
"""

from __future__ import annotations

QUOTES: dict[str, str] = {
    "S:29": ("God politisk og administrativ forankring av det regionale arbeidet i kvar kommune"),
    "S:33": ("Gje alle mogelegheita til å vere med, men lov til å sleppe"),
    "S:35": ("Alltid forankre mandatet heime"),
    "S:37": ("Vere open, transparent og tilgjengeleg rundt det som vert jobba med"),
    "S:45": ("Alltid følgje prinsippa og metodikken for raske utgreiingar med tidleg avklaring"),
    "S:99-100": ("Partssamarbeidet skal vere involvert frå starten i alle kommunane"),
    "S:104": ("Undersøkande metode (designmetodikk)"),
    "S:106-107": ("Likeverdig deltaking i enkeltøktene – hierarki gjeld ikkje"),
    "S:109-110": (
        "Eitt steg om gangen – hente innsikt, og bygge neste steg på den "
        "innsikten ein har fått fram"
    ),
    "S:112": ("Dei vansklegaste temaa skal løftast tidleg"),
    "S:114": ("Politisk forankring for kvart steg"),
    "S:122-127": (
        "Prosjektplan barnevern – forstudie ferdig 20/3 Prosjektplan barnevern "
        "– ferdig avgjerdsgrunnlag til vedtak i styringsgruppa 5/4"
    ),
    "S:125-127": (
        "Prosjektplan barnevern – ferdig avgjerdsgrunnlag til vedtak i styringsgruppa 5/4"
    ),
    "S:270-271": ("Sogndal kan og vil hjelpe til og dra lasset, men som likeverdige partar:"),
}


def cite(*refs: str) -> str:
    """``[S:n] «quote»`` for each reference, joined by '; '."""
    return "; ".join(f"[{ref}] «{QUOTES[ref]}»" for ref in refs)
