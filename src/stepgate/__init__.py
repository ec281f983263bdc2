"""stepgate: stepwise public-sector investigations as an explainable state machine.

insight → next step → political anchoring gate, under the trust-reform method
of the Sogn region. See the README for a tour and ``docs/`` for the rules.

The public names (``stepgate.open_store``, ``stepgate.Actor``, …) live in
``stepgate._facade``, which is loaded the first time one of them is used:
``import stepgate`` alone, as pytest does for the plugin, costs next to nothing.
stepgate logs under the ``stepgate`` logger (``docs/embedding.md``) and prints
nothing unless the app configures logging.
"""

from __future__ import annotations

import importlib
import logging
import typing

logging.getLogger(__name__).addHandler(logging.NullHandler())

if typing.TYPE_CHECKING:
    from stepgate._facade import *  # noqa: F403
    from stepgate._facade import __all__ as __all__
    from stepgate._facade import __version__ as __version__


def __getattr__(name: str) -> typing.Any:
    """Load the public names on first use (PEP 562); anything else is no attribute."""
    if name.startswith("_") and name not in ("__all__", "__version__"):
        raise AttributeError(f"module 'stepgate' has no attribute {name!r}")
    facade = importlib.import_module("stepgate._facade")
    names = {n: getattr(facade, n) for n in (*facade.__all__, "__all__")}
    globals().update(names)
    if name not in names:
        raise AttributeError(f"module 'stepgate' has no attribute {name!r}")
    return names[name]


def __dir__() -> list[str]:
    """The public names, for dir() and completion."""
    facade = importlib.import_module("stepgate._facade")
    return sorted({*globals(), *facade.__all__})
