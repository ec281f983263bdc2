"""Plain-data forms of events and states, for snapshots, the store and equality checks.

``cattrs`` does the typed round-trips; dates are ISO text and sets are sorted
lists, so the same state always gives the same JSON (``canonical_json``).
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
from collections.abc import Callable
from typing import Any

import attrs
import cattrs
import orjson

from stepgate.model import events as ev
from stepgate.model import slots as _slots
from stepgate.model.state import InvestigationState

_converter = cattrs.Converter()
_converter.register_unstructure_hook(dt.date, lambda d: d.isoformat())
_converter.register_structure_hook(dt.date, lambda v, _: dt.date.fromisoformat(v))
_converter.register_unstructure_hook(dt.datetime, lambda d: d.isoformat())
_converter.register_structure_hook(dt.datetime, lambda v, _: dt.datetime.fromisoformat(v))
_converter.register_unstructure_hook(set, sorted)
_converter.register_unstructure_hook_func(lambda t: getattr(t, "__origin__", None) is set, sorted)


_CANONICAL = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def canonical_json(data: Any) -> str:
    """JSON with sorted keys, no spaces, UTF-8: the same data always gives the same text.

    Byte for byte what ``json.dumps(data, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)`` writes for stepgate's data (no floats), only faster.
    """
    return canonical_bytes(data).decode()


def canonical_bytes(data: Any) -> bytes:
    """``canonical_json(data)`` as its UTF-8 bytes, made as bytes (what a hash covers)."""
    return orjson.dumps(data, option=_CANONICAL, default=_plain)


def _plain(value: Any) -> Any:
    """How orjson writes values it does not know: attrs instances as their fields, sets sorted."""
    if attrs.has(type(value)):
        return attrs.asdict(value, recurse=False)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


parse_json: Callable[[str | bytes], Any] = orjson.loads
"""Plain data from JSON text (orjson's parser itself: loading calls it for every event)."""


def event_to_dict(event: ev.Event) -> dict[str, Any]:
    """An event as plain data, with its kind."""
    data: dict[str, Any] = _converter.unstructure(event)
    data["kind"] = event.kind
    return data


def event_from_dict(data: dict[str, Any]) -> ev.Event:
    """The event that ``event_to_dict`` gave ``data`` for."""
    fields = dict(data)
    return event_from_data(fields.pop("kind"), fields)


class _Days(dict[str, dt.date]):
    """ISO days parsed once each: a record has few distinct days, and equal days share one date."""

    def __missing__(self, text: str) -> dt.date:
        if len(self) >= 10_000:  # a bound, not an expectation
            self.clear()
        self[text] = day = dt.date.fromisoformat(text)
        return day


_DAYS = _Days()


def _optional_day(value: str | None) -> dt.date | None:
    return None if value is None else _DAYS[value]


def _reader(hint: Any, names: dict[str, Any], name: str) -> str:
    """How the generated builder reads a value of type ``hint``: a template for its expression."""
    if hint is dt.date:
        names["_days"] = _DAYS
        return "_days[{}]"
    if hint == dt.date | None:
        names["_optional_day"] = _optional_day
        return "_optional_day({})"
    if hint == tuple[str, ...]:
        names["_tuple"] = tuple
        return "_tuple({})"
    if hint in (str, int, bool, str | None, int | None):
        return "{}"
    names[f"_structure_{name}"] = functools.partial(_converter.structure, cl=hint)
    return f"_structure_{name}({{}})"


def _event_fields(cls: type, names: dict[str, Any]) -> list[tuple[str, str]]:
    """Each field of the event class ``cls`` as an expression over the plain data ``d``."""
    hints = typing.get_type_hints(cls)
    fields = []
    for field in attrs.fields(cls):
        value = f"d[{field.name!r}]"
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            names[f"_factory_{field.name}"] = field.default.factory
            value = f"({value} if {field.name!r} in d else _factory_{field.name}())"
        elif field.default is not attrs.NOTHING:
            names[f"_default_{field.name}"] = field.default
            value = f"d.get({field.name!r}, _default_{field.name})"
        fields.append((field.name, _reader(hints[field.name], names, field.name).format(value)))
    return fields


def _builder(kind: str) -> Callable[[dict[str, Any]], ev.Event]:
    """A function that builds an event of ``kind`` from plain data ``d``.

    Loading runs it for every event, so it is generated as straight-line code,
    one statement per field, converted where the type needs it, filling the
    event's slots directly (see ``_slots``).
    """
    cls = ev.EVENT_TYPES[kind]
    names: dict[str, Any] = {}
    lines = _slots.filler(cls, _event_fields(cls, names), names)
    return _slots.generate(["def make(d):", *lines, "    return o"], names, f"{kind} builder")


class _Builders(dict[str, Callable[[dict[str, Any]], ev.Event]]):
    """Event builders by kind, each made on first use (a plain dict lookup after that)."""

    def __missing__(self, kind: str) -> Callable[[dict[str, Any]], ev.Event]:
        self[kind] = built = _builder(kind)
        return built


BUILDERS = _Builders()
"""``BUILDERS[kind](data)`` is the event of ``kind`` with the fields in ``data``."""


def event_from_data(kind: str, data: dict[str, Any]) -> ev.Event:
    """The event of ``kind`` with the fields in ``data`` (the fast path of loading)."""
    return BUILDERS[kind](data)


_states = cattrs.Converter()
"""The state's converter: dates stay dates (orjson writes them as ISO text itself, with no
Python call per date, which matters for a large state's snapshot); sets become sorted lists."""
_states.register_unstructure_hook(set, sorted)
_states.register_unstructure_hook_func(lambda t: getattr(t, "__origin__", None) is set, sorted)
_states.register_structure_hook(dt.date, lambda v, _: v if isinstance(v, dt.date) else _DAYS[v])
_states.register_structure_hook(
    dt.datetime, lambda v, _: v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(v)
)


_DIGITS = bytes.maketrans(bytes(range(10)), b"0123456789")
_VALUES = bytes.maketrans(b"0123456789", bytes(range(10)))
_states.register_unstructure_hook(bytearray, lambda b: bytes(b).translate(_DIGITS).decode())
_states.register_structure_hook(
    bytearray, lambda v, _: bytearray(v.encode().translate(_VALUES)) if isinstance(v, str) else v
)
"""Each topic's difficulty (0-9) as one digit of a text: a small state stays small on disk."""


def state_to_dict(state: InvestigationState) -> dict[str, Any]:
    """The whole state as plain data (a snapshot); its JSON is ``canonical_json`` of this."""
    data: dict[str, Any] = _states.unstructure(state)
    return data


def state_from_dict(data: dict[str, Any]) -> InvestigationState:
    """The state that ``state_to_dict`` gave ``data`` for (or its JSON, parsed)."""
    return _states.structure(data, InvestigationState)
