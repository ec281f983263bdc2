"""Finding a process by name: the ``stepgate.processes`` entry points, or ``module:factory``.

A record names the process it was made with (``sogn-2024``). A host app makes
its processes findable by that name by registering each in its own package
metadata::

    [project.entry-points."stepgate.processes"]
    kommune-utgreiing = "sogndal.utgreiing:kommune_process"

The entry point names a factory (a function returning the ``Process``) or a
``Process`` itself. The registered name must be the process's own name, so a
record never runs with the wrong definition. Where nothing is registered, a
process can be given as ``module:factory`` or ``path/to/file.py:factory``.
stepgate registers its own (``trust-reform``, ``sogn-2024``) the same way.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import pathlib
import sys
from typing import Any

from stepgate.errors import ProcessNotFound
from stepgate.process.process import Process

GROUP = "stepgate.processes"
"""The entry-point group host apps register their processes in."""


def registered() -> dict[str, str]:
    """Every registered process name, with the ``module:factory`` it points at."""
    found = importlib.metadata.entry_points(group=GROUP)
    return {point.name: point.value for point in sorted(found, key=lambda p: p.name)}


def find_process(name: str) -> Process:
    """The process registered as ``name``, or made by ``module:factory`` (``file.py:factory``).

    Raises ``ProcessNotFound`` with one line naming what was looked for and what
    is known; it never leaves an import error's traceback to the caller.
    """
    if not isinstance(name, str) or not name.strip():
        raise ProcessNotFound(
            f"a process is named by a registered name or module:factory; got {name!r}",
            nn=f"ein prosess vert gjeven med registrert namn eller modul:fabrikk; fekk {name!r}",
        )
    known = registered()
    if name in known:
        made = _make(known[name], name)
        if made.name != name:
            raise ProcessNotFound(
                f"the process registered as {name!r} ({known[name]}) is named {made.name!r}; "
                "register it under its own name",
                nn=f"prosessen registrert som {name!r} ({known[name]}) heiter {made.name!r}; "
                "registrer han under sitt eige namn",
            )
        return made
    if ":" in name:
        return _make(name, name)
    listed = ", ".join(known) or "none"
    raise ProcessNotFound(
        f"no process {name!r} is registered (known: {listed}); give --process module:factory",
        nn=f"ingen prosess {name!r} er registrert (kjende: {listed}); gje --process modul:fabrikk",
    )


@functools.lru_cache(maxsize=64)
def _make(spec: str, name: str) -> Process:
    """Import ``module:factory`` and make the process, or say in one line why not.

    Made once per Python process: a process is an immutable value.
    """
    module, _, attribute = spec.partition(":")
    if not module or not attribute:
        raise ProcessNotFound(
            f"{spec!r} is not module:factory",
            nn=f"{spec!r} er ikkje modul:fabrikk",
        )
    try:
        made: Any = getattr(_import(module), attribute)
        if callable(made) and not isinstance(made, Process):
            made = made()
    except ProcessNotFound:
        raise
    except Exception as error:  # any failure in a host's module becomes one line
        first = str(error).splitlines()[0] if str(error) else ""
        why = f"{type(error).__name__}: {first}" if first else type(error).__name__
        raise ProcessNotFound(
            f"the process {name!r} cannot be made from {spec!r} ({why})",
            nn=f"prosessen {name!r} kan ikkje lagast frå {spec!r} ({why})",
        ) from error
    if not isinstance(made, Process):
        raise ProcessNotFound(
            f"{spec!r} gives {type(made).__name__}, not a stepgate.Process",
            nn=f"{spec!r} gjev {type(made).__name__}, ikkje ein stepgate.Process",
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
