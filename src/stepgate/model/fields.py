"""Checks for every field that enters stepgate: one home for "what may this be".

Each check takes the field's name and the value a caller gave, and returns
the value in its one stored form or raises ``InvalidValue`` naming the field,
what was expected and what was given:

    topics must be an id or a list of ids such as ['T1']; got None (NoneType)

Text must be a ``str`` that is valid Unicode (a lone surrogate cannot be
stored or hashed); numbers are ``int`` and never ``bool``; dates are dates or
ISO text ``YYYY-MM-DD`` (never a number like 20240213); flags are ``bool``;
keys are NFC-normalised, so two spellings of the same letters are one key.
Text is otherwise kept verbatim: what a person typed is what the record holds.

The ``is_*`` factories make attrs validators that name the attribute they check.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from stepgate.errors import InvalidValue

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_PRINTED_DAY = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})", re.ASCII)
"""A date as Nynorsk prints it: day, month, year (``11.03.2024``)."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

Validator = Callable[[Any, Any, Any], None]


def shown(value: Any) -> str:
    """``value`` as an error message shows it: its repr (cut short) and its type."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


FIELDS_NN = {
    "actor id": "id-en til aktøren",
    "decision basis summary": "samandraget av avgjerdsgrunnlaget",
    "each member": "kvart medlem",
    "fact name": "namnet på faktumet",
    "fact value": "verdien av faktumet",
    "insight text": "teksten i innsikta",
    "investigation key": "nøkkelen til utgreiinga",
    "mandate text": "mandatteksten",
    "migration note": "merknaden til migreringa",
    "milestone name": "namnet på milepælen",
    "municipality name": "namnet på kommunen",
    "organisation id": "id-en til organisasjonen",
    "organisation name": "namnet på organisasjonen",
    "phase name": "namnet på fasen",
    "region name": "namnet på regionen",
    "representative name": "namnet på representanten",
    "session title": "tittelen på økta",
    "step question": "spørsmålet til steget",
    "the store clock's time": "tida som klokka til lageret viser",
    "topic title": "tittelen på temaet",
}
"""Fields named in English words, named in Nynorsk; other fields go by their (code) name."""


def refuse(field: str, value: Any, *, nn: str, en: str, felt: str | None = None) -> InvalidValue:
    """The error for ``field``: what was expected (``nn``, ``en``) and what was given.

    ``felt`` is the field's Nynorsk name (by default its name in ``FIELDS_NN``, or the
    field's own name).
    """
    felt = felt or FIELDS_NN.get(field, field)
    return InvalidValue(
        nn=f"{felt} må vere {nn}; fekk {shown(value)}",
        en=f"{field} must be {en}; got {shown(value)}",
    )


def instance(field: str, value: Any, kind: type | tuple[type, ...], *, nn: str, en: str) -> Any:
    """``value`` if it is a ``kind``; else the refusal of ``field`` saying what was expected."""
    if not isinstance(value, kind):
        raise refuse(field, value, nn=nn, en=en)
    return value


def text(field: str, value: Any, *, required: bool = False) -> str:
    """``value`` if it is a ``str`` of valid Unicode without NUL (with visible characters if
    ``required``)."""
    if not isinstance(value, str):
        raise refuse(field, value, nn="ein tekst (str)", en="a text (str)")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise refuse(
            field,
            value,
            nn="gyldig Unicode-tekst (han har eit einsleg surrogat)",
            en="valid Unicode text (it holds a lone surrogate)",
        ) from None
    if "\x00" in value:  # PostgreSQL keeps no NUL in text: a record must read the same anywhere
        raise refuse(
            field,
            value,
            nn="ein tekst utan NUL-teikn (U+0000)",
            en="a text without NUL characters (U+0000)",
        )
    if required and not value.strip():
        raise refuse(field, value, nn="ein tekst som ikkje er tom", en="a non-empty text")
    return value


def optional_text(field: str, value: Any, *, required: bool = True) -> str | None:
    """None, or a text (see ``text``)."""
    return None if value is None else text(field, value, required=required)


def whole(field: str, value: Any, low: int, high: int | None = None) -> int:
    """``value`` if it is an ``int`` (never a ``bool``) from ``low`` to ``high``."""
    span = f"from {low} to {high}" if high is not None else f"of {low} or more"
    spenn = f"frå {low} til {high}" if high is not None else f"på {low} eller meir"
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < low
        or (high is not None and value > high)
    ):
        raise refuse(field, value, nn=f"eit heiltal {spenn}", en=f"a whole number {span}")
    return value


def flag(field: str, value: Any) -> bool:
    """``value`` if it is ``True`` or ``False`` (``"no"`` is not False)."""
    if not isinstance(value, bool):
        raise refuse(field, value, nn="True eller False", en="True or False")
    return value


def a_day(field: str, value: Any) -> dt.date:
    """``value`` as a date: a date, a datetime (its date), ISO text ``YYYY-MM-DD``, or the
    date as Nynorsk prints it, ``DD.MM.YYYY`` (day first, as in Norway)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        given = value.strip()
        printed = _PRINTED_DAY.fullmatch(given)
        with contextlib.suppress(ValueError):
            if _ISO_DAY.fullmatch(given):
                return dt.date.fromisoformat(given)
            if printed:
                return dt.date(int(printed[3]), int(printed[2]), int(printed[1]))
    raise refuse(
        field,
        value,
        nn="ein dato, t.d. '2024-02-05' eller '05.02.2024'",
        en="a date, or text like '2024-02-05' or '05.02.2024'",
    )


def optional_day(field: str, value: Any) -> dt.date | None:
    """None, or a date (see ``a_day``)."""
    return None if value is None else a_day(field, value)


def ids(field: str, value: Any, example: str) -> tuple[str, ...]:
    """One id as a text, or a list (tuple, set) of ids, as a tuple of texts."""
    if isinstance(value, str):
        return (text(field, value),)
    if not isinstance(value, list | tuple | set | frozenset):
        raise refuse(
            field,
            value,
            nn=f"ein id eller ei liste av id-ar, t.d. [{example!r}]",
            en=f"an id or a list of ids such as [{example!r}]",
        )
    items = sorted(value) if isinstance(value, set | frozenset) else value
    for item in items:
        if not isinstance(item, str):
            raise refuse(
                f"each of {field}",
                item,
                nn=f"ein id som tekst, t.d. {example!r}",
                en=f"an id as a text such as {example!r}",
                felt=f"kvar av {field}",
            )
        text(field, item)
    return tuple(items)


def key(value: Any, field: str = "investigation key") -> str:
    """A key: visible text without control characters, NFC-normalised.

    NFC makes the two ways of writing "Årdal" (one code point, or A plus a ring)
    one key, so look-alike keys never become two investigations.
    """
    if not (isinstance(value, str) and _CONTROL.search(value)):
        text(field, value)
    normal = unicodedata.normalize("NFC", value.strip())
    if not normal or _CONTROL.search(normal):
        raise refuse(
            field,
            value,
            nn="ein tekst som ikkje er tom og utan kontrollteikn",
            en="a non-empty text without control characters",
        )
    return normal


# --- attrs validators: the field's name is the attribute's ----------------------------


def _name(attribute: Any, what: str | None) -> str:
    return what or str(getattr(attribute, "name", "value"))


def is_text(*, required: bool = False, what: str | None = None) -> Validator:
    """A validator: a text (see ``text``)."""

    def check(_instance: Any, attribute: Any, value: Any) -> None:
        text(_name(attribute, what), value, required=required)

    return check


def is_optional_text(*, required: bool = True, what: str | None = None) -> Validator:
    """A validator: None, or a text."""

    def check(_instance: Any, attribute: Any, value: Any) -> None:
        optional_text(_name(attribute, what), value, required=required)

    return check


def is_flag() -> Validator:
    """A validator: ``True`` or ``False``."""

    def check(_instance: Any, attribute: Any, value: Any) -> None:
        flag(_name(attribute, None), value)

    return check


def is_whole(low: int, high: int | None = None, *, optional: bool = False) -> Validator:
    """A validator: an ``int`` from ``low`` to ``high`` (or None when ``optional``)."""

    def check(_instance: Any, attribute: Any, value: Any) -> None:
        if not (optional and value is None):
            whole(_name(attribute, None), value, low, high)

    return check
