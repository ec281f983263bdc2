"""Every command has one ``Investigation`` method, and the method cannot drift from its command."""

from __future__ import annotations

import datetime as dt
import inspect
import typing
from typing import Any

import attrs
import pytest
from typing_extensions import Unpack

import stepgate as sg
from stepgate.api import investigation as api
from stepgate.model import commands as cmd

REQUIRED_HERE = {("add_document", "documents")}
"""Fields a method asks for though its command has a default: filing no document is no filing."""

DAY = dt.date | str | None
"""How every method takes a date: a ``date`` or ISO text; ``on`` defaults to the store's day."""


def _fields(kind: type[cmd.Command]) -> dict[str, attrs.Attribute]:  # type: ignore[type-arg]
    return {a.name: a for a in attrs.fields(kind)}


def _parameters(action: str) -> dict[str, inspect.Parameter]:
    """A method's parameters, with the keywords its ``**given: Unpack[…]`` names as keyword-only
    parameters: required ones without a default, the others ``SHARED`` (left out, the command's
    own default applies)."""
    method = getattr(sg.Investigation, action)
    found: dict[str, inspect.Parameter] = {}
    for name, parameter in inspect.signature(method).parameters.items():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            shared = typing.get_args(_hints(action)[name])[0]
            keys = typing.get_type_hints(shared, dict(vars(api)), include_extras=True)
            for key, hint in keys.items():
                default = inspect.Parameter.empty if _required(hint) else SHARED
                found[key] = inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, default=default)
        elif name != "self":
            found[name] = parameter
    return found


def _required(hint: Any) -> bool:
    """A keyword a ``TypedDict`` marks ``Required`` (read from its hint: ``__required_keys__``
    misses it under ``from __future__ import annotations``)."""
    return typing.get_origin(hint) is typing.Required


SHARED = object()
"""The default of a keyword a method shares through ``Unpack``: the command's own."""


def _hints(action: str) -> dict[str, Any]:
    method = getattr(sg.Investigation, action)
    return typing.get_type_hints(method, dict(vars(api)), include_extras=True)


@pytest.mark.parametrize("action", sorted(cmd.COMMANDS))
def test_every_command_has_its_method(action: str) -> None:
    """``Investigation`` has a method named as each command's action."""
    assert callable(getattr(sg.Investigation, action, None)), action


@pytest.mark.parametrize("action", sorted(cmd.COMMANDS))
def test_a_method_takes_exactly_its_commands_fields(action: str) -> None:
    """A method's parameters are its command's fields, plus ``actor``: none missing, none more."""
    given = set(_parameters(action)) - {"actor"}
    assert given == set(_fields(cmd.COMMANDS[action])), action


@pytest.mark.parametrize("action", sorted(cmd.COMMANDS))
def test_a_methods_defaults_are_its_commands(action: str) -> None:
    """A field with a default has the same default in the method; a required field has none
    (``on`` defaults to the store's day)."""
    parameters = _parameters(action)
    for name, field in _fields(cmd.COMMANDS[action]).items():
        parameter = parameters[name]
        if name == "on":
            assert parameter.default in (None, SHARED), action
        elif field.default is attrs.NOTHING or (action, name) in REQUIRED_HERE:
            assert parameter.default is inspect.Parameter.empty, (action, name)
        elif parameter.default is not SHARED:  # shared keywords take the command's own
            assert parameter.default == field.default, (action, name)
    assert parameters["actor"].default in (None, SHARED)
    assert parameters["actor"].kind is inspect.Parameter.KEYWORD_ONLY


@pytest.mark.parametrize("action", sorted(cmd.COMMANDS))
def test_dates_are_typed_as_dates(action: str) -> None:
    """Every date a method takes is typed ``date | str`` (None where it may be left out)."""
    hints = _hints(action)
    for kind in [h for h in hints.values() if typing.get_origin(h) is Unpack]:
        hints |= typing.get_type_hints(typing.get_args(kind)[0], dict(vars(api)))
    for name in ("on", "answer_by", "due"):
        if name in hints:
            wanted = DAY if name != "due" else dt.date | str
            assert hints[name] == wanted, (action, name, hints[name])


@pytest.mark.parametrize("action", sorted(cmd.COMMANDS))
def test_a_method_and_its_command_say_the_same(action: str) -> None:
    """A method has a one-line docstring of its own, like the command it issues."""
    method = getattr(sg.Investigation, action)
    assert (method.__doc__ or "").strip(), action
    assert (cmd.COMMANDS[action].__doc__ or "").strip(), action
