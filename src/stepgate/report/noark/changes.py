"""``endringslogg.xml``: the record's own corrections, each naming the unit and element changed.

A closed case always has one change (its saksstatus went from «Under
behandling» to «Avsluttet»), so a package's log is never empty (the schema
wants at least one).
"""

from __future__ import annotations

from typing import IO, BinaryIO

from stepgate.report.noark.mapping import Change
from stepgate.report.noark.structure import NS_XSI, element, when
from stepgate.report.noark.xml import XmlOut, copy

NS = "http://www.arkivverket.no/standarder/noark5/endringslogg"


class Log:
    """The change log, spooled as the cases are written."""

    def __init__(self, spool: IO[bytes]) -> None:
        """A log whose entries are held in ``spool`` (a temporary file) until ``finish``."""
        self._spool = spool
        self._x = XmlOut(self._spool, depth=1)

    def add(self, change: Change) -> None:
        """Write one change."""
        x = self._x
        with element(x, "endring"):
            x.leaf("referanseArkivenhet", change.unit)
            x.leaf("referanseMetadata", change.element)
            x.leaf("endretDato", when(change.at))
            x.leaf("endretAv", change.by)
            x.leaf("tidligereVerdi", change.before)
            x.leaf("nyVerdi", change.after)

    def finish(self, out: BinaryIO) -> None:
        """Write the whole log to ``out``."""
        try:
            x = XmlOut(out)
            with element(
                x,
                "endringslogg",
                xmlns=NS,
                xmlns_xsi=NS_XSI,
                xsi_schemaLocation=f"{NS} endringslogg.xsd",
            ):
                copy(self._spool, out)
        finally:
            self._spool.close()
