"""Testing helpers for apps that embed stepgate.

``Scenario`` drives an investigation through the method in a few lines;
``SOGN`` and ``SECRETARIAT`` are the example's region and secretariat. The
pytest plugin (``stepgate.testing.plugin``, registered through the ``pytest11``
entry point) gives fixtures, and with the ``testing`` extra the Gherkin step
library, to any project that has stepgate installed; ``docs/steps.md`` lists
every phrase. The names here are loaded on first use, so that loading the
plugin imports nothing of stepgate.
"""

from __future__ import annotations

import importlib
import typing

if typing.TYPE_CHECKING:
    from stepgate.sogn import SOGN as SOGN
    from stepgate.testing._scenario import SECRETARIAT as SECRETARIAT
    from stepgate.testing._scenario import START as START
    from stepgate.testing._scenario import Scenario as Scenario

__all__ = ["SECRETARIAT", "SOGN", "START", "Scenario"]


def __getattr__(name: str) -> typing.Any:
    """Load the helpers on first use (PEP 562)."""
    if name not in __all__:
        raise AttributeError(f"module 'stepgate.testing' has no attribute {name!r}")
    home = "stepgate.sogn" if name == "SOGN" else "stepgate.testing._scenario"
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
