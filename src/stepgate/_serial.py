"""Plain-data forms of events and states, for snapshots, the store and equality checks.

``cattrs`` does the typed round-trips; dates are ISO text and sets are sorted
lists, so the same state always gives the same JSON (``canonical_json``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import cattrs

from stepgate import _events as ev
from stepgate._state import InvestigationState

_converter = cattrs.Converter()
_converter.register_unstructure_hook(dt.date, lambda d: d.isoformat())
_converter.register_structure_hook(dt.date, lambda v, _: dt.date.fromisoformat(v))
_converter.register_unstructure_hook(dt.datetime, lambda d: d.isoformat())
_converter.register_structure_hook(dt.datetime, lambda v, _: dt.datetime.fromisoformat(v))
_converter.register_unstructure_hook(set, sorted)
_converter.register_unstructure_hook_func(lambda t: getattr(t, "__origin__", None) is set, sorted)


def canonical_json(data: Any) -> str:
    """JSON with sorted keys and no spaces: the same data always gives the same text."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_to_dict(event: ev.Event) -> dict[str, Any]:
    """An event as plain data, with its kind."""
    data: dict[str, Any] = _converter.unstructure(event)
    data["kind"] = event.kind
    return data


def event_from_dict(data: dict[str, Any]) -> ev.Event:
    """The event that ``event_to_dict`` gave ``data`` for."""
    fields = dict(data)
    kind = ev.EVENT_TYPES[fields.pop("kind")]
    return _converter.structure(fields, kind)


def state_to_dict(state: InvestigationState) -> dict[str, Any]:
    """The whole state as plain data (a snapshot)."""
    data: dict[str, Any] = _converter.unstructure(state)
    return data


def state_from_dict(data: dict[str, Any]) -> InvestigationState:
    """The state that ``state_to_dict`` gave ``data`` for."""
    return _converter.structure(data, InvestigationState)
