"""Finding a process: by a registered name, or from code the person running stepgate names.

A record names the process it was made with (``sogn-2024``). A record is
data, and whoever can write the database can write that name, so a name read
from a record is only ever **looked up**: among the processes a host app gives
its store (``open_store(..., processes=[...])``) and those registered in the
``stepgate.processes`` entry-point group of installed packages::

    [project.entry-points."stepgate.processes"]
    kommune-utgreiing = "sogndal.utgreiing:kommune_process"

It is never imported: ``evil.py:f`` or ``os:abort`` in a record is an unknown
process, and nothing runs. Code is imported only when the person running a
command names it (``--process module:factory`` on the command line,
``import_process("module:factory")`` in Python). The entry point names a
factory (a function returning the ``Process``) or a ``Process`` itself; the
registered name must be the process's own name, so a record never runs with
the wrong definition. stepgate registers its own (``trust-reform``,
``sogn-2024``) the same way.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import pathlib
import sys
from collections.abc import Iterable
from typing import Any

from stepgate.errors import InvalidDefinition, ProcessNotFound
from stepgate.process.process import Process

GROUP = "stepgate.processes"
"""The entry-point group host apps register their processes in."""


def registered() -> dict[str, str]:
    """Every registered process name, with the ``module:factory`` it points at."""
    found = importlib.metadata.entry_points(group=GROUP)
    return {point.name: point.value for point in sorted(found, key=lambda p: p.name)}


def find_process(name: str, *, among: Iterable[Process] = ()) -> Process:
    """The process registered as ``name``: one of ``among`` (a host app's own) or an entry point.

    ``name`` is looked up, never imported: a record's process name may have
    been written by anyone who can write the database. ``ProcessNotFound``
    (one line) names what was looked for and what is known.
    """
    _check_name(name)
    for process in among:
        if process.name == name:
            return process
    points = {point.name: point for point in importlib.metadata.entry_points(group=GROUP)}
    if name in points:
        return _registered(points[name].name, points[name].value)
    listed = ", ".join(sorted({p.name for p in among} | set(points))) or "none"
    raise ProcessNotFound(
        nn=f"ingen prosess {name!r} er registrert (kjende: {listed}); registrer han som "
        f"inngangspunkt i {GROUP}, eller gje han: --process modul:fabrikk "
        "(i Python: processes=[…])",
        en=f"no process {name!r} is registered (known: {listed}); register it as a {GROUP} "
        "entry point, or give it: --process module:factory (in Python, processes=[…])",
    )


def import_process(spec: str) -> Process:
    """The process made by ``module:factory`` or ``path/to/file.py:factory``, imported.

    This runs the code ``spec`` names: call it only with what the person running
    stepgate gave (a command-line option, a setting of the host app), never with
    a name read from a record. ``ProcessNotFound`` says in one line why not.
    """
    _check_name(spec)
    module, _, attribute = spec.rpartition(":")
    if not module or not attribute:
        raise ProcessNotFound(
            nn=f"{spec!r} er ikkje modul:fabrikk", en=f"{spec!r} is not module:factory"
        )
    return _imported(spec)


def given_process(text: str) -> Process:
    """What a person gave as ``--process``: a registered name, or ``module:factory`` to import."""
    _check_name(text)
    if text in registered() or ":" not in text:
        return find_process(text)
    return import_process(text)


def _check_name(name: object) -> None:
    if not isinstance(name, str) or not name.strip():
        raise ProcessNotFound(
            nn=f"ein prosess vert gjeven med registrert namn eller modul:fabrikk; fekk {name!r}",
            en=f"a process is named by a registered name or module:factory; got {name!r}",
        )


@functools.lru_cache(maxsize=64)
def _registered(name: str, value: str) -> Process:
    """The process behind an installed entry point (made once per Python process)."""
    point = importlib.metadata.EntryPoint(name, value, GROUP)
    made = _made(point.load, value, name)
    if made.name != name:
        raise ProcessNotFound(
            nn=f"prosessen registrert som {name!r} ({value}) heiter {made.name!r}; "
            "registrer han under sitt eige namn",
            en=f"the process registered as {name!r} ({value}) is named {made.name!r}; "
            "register it under its own name",
        )
    return made


@functools.lru_cache(maxsize=64)
def _imported(spec: str) -> Process:
    """The process ``module:factory`` makes (made once per Python process)."""
    module, _, attribute = spec.rpartition(":")
    return _made(lambda: getattr(_import(module), attribute), spec, spec)


def _made(load: Any, spec: str, name: str) -> Process:
    """Load a factory or a process and make the process, or say in one line why not."""
    try:
        made: Any = load()
        if callable(made) and not isinstance(made, Process):
            made = made()
    except (ProcessNotFound, InvalidDefinition):
        raise  # a definition's problems say themselves, every one, in both languages
    except Exception as error:  # any other failure in a host's module becomes one sentence
        first = str(error).splitlines()[0] if str(error) else ""
        kind = type(error).__name__
        raise ProcessNotFound(
            nn=f"prosessen {name!r} kan ikkje lagast frå {spec!r} ({kind})",
            en=f"the process {name!r} cannot be made from {spec!r} ({kind})",
            detail=first or None,
        ) from error
    if not isinstance(made, Process):
        raise ProcessNotFound(
            nn=f"{spec!r} gjev {type(made).__name__}, ikkje ein stepgate.Process",
            en=f"{spec!r} gives {type(made).__name__}, not a stepgate.Process",
        )
    return made


def _import(module: str) -> Any:
    """A module by dotted name, or a Python file by path (its folder joins ``sys.path``)."""
    if module.endswith(".py"):
        path = pathlib.Path(module).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"no file {module}")
        if str(path.parent) not in sys.path:
            sys.path.insert(0, str(path.parent))
        module = path.stem
    return importlib.import_module(module)
