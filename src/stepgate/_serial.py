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

from stepgate import _events as ev
from stepgate._state import InvestigationState

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
    return orjson.dumps(data, option=_CANONICAL, default=_plain).decode()


def _plain(value: Any) -> Any:
    """How orjson writes values it does not know: attrs instances as their fields."""
    if attrs.has(type(value)):
        return attrs.asdict(value, recurse=False)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def parse_json(text: str | bytes) -> Any:
    """Plain data from JSON text."""
    return orjson.loads(text)


def event_to_dict(event: ev.Event) -> dict[str, Any]:
    """An event as plain data, with its kind."""
    data: dict[str, Any] = _converter.unstructure(event)
    data["kind"] = event.kind
    return data


def event_from_dict(data: dict[str, Any]) -> ev.Event:
    """The event that ``event_to_dict`` gave ``data`` for."""
    fields = dict(data)
    return event_from_data(fields.pop("kind"), fields)


def _optional_date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _converter_for(hint: Any) -> Callable[[Any], Any] | None:
    if hint is dt.date:
        return dt.date.fromisoformat
    if hint == dt.date | None:
        return _optional_date
    if hint == tuple[str, ...]:
        return tuple
    if hint in (str, int, bool, str | None, int | None):
        return None
    return lambda value: _converter.structure(value, hint)


@functools.cache
def _builder(kind: str) -> Callable[[dict[str, Any]], ev.Event]:
    """A function that builds an event of ``kind`` from plain data, made once per kind.

    Loading runs it for every event, so it is generated as straight-line code:
    one keyword argument per field, converted where the type needs it.
    """
    cls = ev.EVENT_TYPES[kind]
    hints = typing.get_type_hints(cls)
    names: dict[str, Any] = {"cls": cls}
    args = []
    for field in attrs.fields(cls):
        convert = _converter_for(hints[field.name])
        value = f"d[{field.name!r}]"
        if field.default is not attrs.NOTHING:
            value = f"d.get({field.name!r}, _default_{field.name})"
            names[f"_default_{field.name}"] = field.default
        if convert is not None:
            names[f"_convert_{field.name}"] = convert
            value = f"_convert_{field.name}({value})"
        args.append(f"{field.name}={value}")
    source = f"def build(d):\n    return cls({', '.join(args)})\n"
    exec(compile(source, f"<stepgate event builder {kind}>", "exec"), names)  # noqa: S102
    return names["build"]  # type: ignore[no-any-return]


def event_from_data(kind: str, data: dict[str, Any]) -> ev.Event:
    """The event of ``kind`` with the fields in ``data`` (the fast path of loading)."""
    return _builder(kind)(data)


def state_to_dict(state: InvestigationState) -> dict[str, Any]:
    """The whole state as plain data (a snapshot)."""
    data: dict[str, Any] = _converter.unstructure(state)
    return data


def state_from_dict(data: dict[str, Any]) -> InvestigationState:
    """The state that ``state_to_dict`` gave ``data`` for."""
    return _converter.structure(data, InvestigationState)
