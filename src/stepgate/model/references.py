"""References to the archive, as values: case numbers, registry entries, meeting items.

The archive (a Noark 5 case system) keeps a **case** (saksmappe) by its case
number, ``saksår/sekvensnummer`` (``24/112`` or ``2024/112``); each document
registered in it is a **registry entry** (journalpost), ``24/112-3``; a
political decision is an item of a body's **meeting**, ``PS 15/24`` in the
formannskap on 29.2.2024. Each is checked where it is made and written the
same way always (a two-digit year is the 2000s). Screening grounds (offentleglova)
are in ``exemptions``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs

from stepgate.errors import InvalidValue
from stepgate.model import fields as f
from stepgate.model.exemptions import citation
from stepgate.model.values import Body

__all__ = ["CaseNumber", "MeetingItem", "RegistryEntry", "citation"]

_CASE = re.compile(r"\s*([0-9]{2}|[0-9]{4})/([0-9]{1,7})\s*", re.ASCII)
_ENTRY = re.compile(r"\s*([0-9]{2}|[0-9]{4})/([0-9]{1,7})-([0-9]{1,5})\s*", re.ASCII)
_ITEM = re.compile(r"\s*([A-Za-z]{2})\s?([0-9]{1,4})/([0-9]{2}|[0-9]{4})\s*", re.ASCII)
_ITEM_KINDS = {
    "PS": "politisk sak",
    "RS": "referatsak",
    "DS": "delegert sak",
    "FS": "formannskapssak",
    "KS": "kommunestyresak",
    "US": "utvalssak",
    "OS": "orienteringssak",
}
"""The prefixes of a meeting item's number that municipalities use."""


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _whole(field: str, low: int, high: int) -> Any:
    def check(_instance: Any, _attribute: Any, value: Any) -> None:
        f.whole(field, value, low, high)

    return check


def _refused(field: str, example: str, value: Any) -> InvalidValue:
    return f.refuse(field, value, nn=f"skriven som {example!r}", en=f"written like {example!r}")


@attrs.frozen(init=False)
class CaseNumber:
    """The archive's case number: ``saksår/sekvensnummer`` (``CaseNumber("24/112")``)."""

    year: int = attrs.field(validator=_whole("year", 1900, 2999))
    sequence: int = attrs.field(validator=_whole("sequence", 1, 9_999_999))

    def __init__(self, year: int | str, sequence: int | None = None) -> None:
        if sequence is None or not isinstance(year, int):
            found = _CASE.fullmatch(year) if isinstance(year, str) else None
            if found is None:
                raise _refused("case_number", "24/112", year)
            year, sequence = _year(found[1]), int(found[2])
        self.__attrs_init__(year, sequence)

    def __str__(self) -> str:
        return f"{self.year}/{self.sequence}"


@attrs.frozen(init=False)
class RegistryEntry:
    """A registry entry (journalpost) in a case: ``saksår/sekvensnummer-dokumentnummer``."""

    year: int = attrs.field(validator=_whole("year", 1900, 2999))
    sequence: int = attrs.field(validator=_whole("sequence", 1, 9_999_999))
    number: int = attrs.field(validator=_whole("number", 1, 99_999))

    def __init__(
        self, year: int | str, sequence: int | None = None, number: int | None = None
    ) -> None:
        if sequence is None or number is None or not isinstance(year, int):
            found = _ENTRY.fullmatch(year) if isinstance(year, str) else None
            if found is None:
                raise _refused("registry_entry", "24/112-3", year)
            year, sequence, number = _year(found[1]), int(found[2]), int(found[3])
        self.__attrs_init__(year, sequence, number)

    @property
    def case(self) -> CaseNumber:
        """The case the entry is registered in."""
        return CaseNumber(self.year, self.sequence)

    def __str__(self) -> str:
        return f"{self.year}/{self.sequence}-{self.number}"


def _item(value: Any) -> str:
    found = _ITEM.fullmatch(value) if isinstance(value, str) else None
    if found is None or found[1].upper() not in _ITEM_KINDS:
        raise f.refuse(
            "item",
            value,
            nn=f"ei møtesak som 'PS 15/24' ({', '.join(_ITEM_KINDS)} + nummer/år)",
            en=f"a meeting item such as 'PS 15/24' ({', '.join(_ITEM_KINDS)} + number/year)",
        )
    return f"{found[1].upper()} {int(found[2])}/{found[3]}"


def _body(value: Any) -> Body:
    return Body.of(value)


def _on(value: Any) -> dt.date:
    return f.a_day("on", value)


@attrs.frozen
class MeetingItem:
    """An item of a body's meeting: ``MeetingItem(body="formannskap", on="2024-02-29",
    item="PS 15/24")``."""

    body: Body = attrs.field(converter=_body)
    on: dt.date = attrs.field(converter=_on)
    item: str = attrs.field(converter=_item)

    def __str__(self) -> str:
        return f"{self.item} ({self.body.value} {self.on.isoformat()})"


def case_number(value: Any) -> CaseNumber | None:
    """A field that takes a case number: None, a ``CaseNumber``, or its text."""
    if value is None or isinstance(value, CaseNumber):
        return value
    return CaseNumber(value)


def registry_entry(value: Any) -> RegistryEntry | None:
    """A field that takes a registry entry: None, a ``RegistryEntry``, or its text."""
    if value is None or isinstance(value, RegistryEntry):
        return value
    return RegistryEntry(value)


def meeting(value: Any) -> MeetingItem | None:
    """A field that takes a meeting item: None or a ``MeetingItem``."""
    if value is None or isinstance(value, MeetingItem):
        return value
    raise f.refuse(
        "meeting",
        value,
        nn="eit stepgate.MeetingItem(body=…, on=…, item='PS 15/24')",
        en="a stepgate.MeetingItem(body=…, on=…, item='PS 15/24')",
    )
