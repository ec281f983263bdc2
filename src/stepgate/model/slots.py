"""Constructors that fill a frozen attrs class's slots directly.

A frozen attrs class's ``__init__`` stores each field through
``object.__setattr__``; loading a long record builds hundreds of thousands of
events and state records, so for a class whose ``__init__`` only stores its
arguments (no validators, converters or init hooks) stepgate generates a
constructor that sets the slots itself: the same object, faster. Any other
class is built through its own ``__init__``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import attrs

T = TypeVar("T")


def plain(cls: type) -> bool:
    """True when ``cls.__init__`` only stores its arguments in slots."""
    return (
        "__slots__" in cls.__dict__
        and not hasattr(cls, "__attrs_post_init__")
        and not hasattr(cls, "__attrs_pre_init__")
        and all(f.validator is None and f.converter is None and f.init for f in attrs.fields(cls))
    )


def filler(cls: type, fields: list[tuple[str, str]], names: dict[str, Any]) -> list[str]:
    """Lines of generated code that make ``o``, a ``cls``, from ``(field, expression)`` pairs.

    ``names`` receives what the lines refer to.
    """
    names["_cls"], names["_new"] = cls, object.__new__
    if not plain(cls):
        return [f"    o = _cls({', '.join(f'{name}={value}' for name, value in fields)})"]
    return ["    o = _new(_cls)", *_setters(cls, fields, names, "o")]


def _setters(
    cls: type, fields: list[tuple[str, str]], names: dict[str, Any], obj: str
) -> list[str]:
    """One line per field, setting its slot on ``obj`` through the slot itself."""
    lines = []
    for name, value in fields:
        names[f"_set_{name}"] = getattr(cls, name).__set__
        lines.append(f"    _set_{name}({obj}, {value})")
    return lines


def generate(source: list[str], names: dict[str, Any], label: str) -> Callable[..., Any]:
    """Compile the function ``make`` in ``source`` with ``names`` as its globals."""
    text = "\n".join([*source, ""])
    exec(compile(text, f"<stepgate {label}>", "exec"), names)  # noqa: S102 - our own source
    return names["make"]  # type: ignore[no-any-return]


def fast_init(cls: type[T]) -> type[T]:
    """Give ``cls`` an ``__init__`` that sets its slots directly, when that is all it does.

    The new ``__init__`` takes the same arguments and makes the same object as
    the one attrs wrote; a class with validators, converters, init hooks or
    factory defaults keeps its own.
    """
    fields = attrs.fields(cast(Any, cls))
    factory = any(isinstance(f.default, attrs.Factory) for f in fields)  # type: ignore[arg-type]
    if not fields or factory or not plain(cls):
        return cls
    names: dict[str, Any] = {}
    params = ["self"]
    for field in fields:
        if field.default is attrs.NOTHING:
            params.append(field.name)
        else:
            names[f"_default_{field.name}"] = field.default
            params.append(f"{field.name}=_default_{field.name}")
    lines = _setters(cls, [(f.name, f.name) for f in fields], names, "self")
    source = [f"def make({', '.join(params)}):", *lines]
    init = generate(source, names, f"{cls.__name__}.__init__")
    init.__annotations__ = dict(cls.__init__.__annotations__)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
