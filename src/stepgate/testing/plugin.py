"""The stepgate pytest plugin: fixtures, and the Gherkin step library where pytest-bdd is.

Registered through the ``pytest11`` entry point. Loading it costs nothing: it
imports neither stepgate nor pytest-bdd. The step library
(``stepgate.testing.steps``) comes with the ``testing`` extra (``pip install
"stepgate[testing]"``, which brings pytest-bdd) and is registered only when
the collected tests include a pytest-bdd scenario or ask for ``stepgate_world``;
without the extra only the fixtures are there, and nothing breaks.
``-p no:stepgate`` turns the plugin off. Fixtures:

- ``stepgate_clock`` — a fixed clock at 2024-01-15 09:00 UTC;
- ``stepgate_process`` — the process scenarios run (``trust_reform()``);
  override it in your ``conftest.py`` to run your own definition;
- ``stepgate_store`` — an in-memory store on the fixed clock;
- ``stepgate_world`` — what one scenario works on (see ``stepgate.testing.steps``).
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import stepgate as sg

STEPS = "stepgate.testing.steps"


NEEDS_STEPS = frozenset({"_pytest_bdd_example", "stepgate_world"})
"""Fixtures that show a test needs the step library (every pytest-bdd scenario asks the first)."""


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Register the step library once the collected tests are seen to need it."""
    if config.pluginmanager.has_plugin(STEPS) or importlib.util.find_spec("pytest_bdd") is None:
        return
    if any(NEEDS_STEPS & set(getattr(item, "fixturenames", ())) for item in items):
        config.pluginmanager.import_plugin(STEPS)


@pytest.fixture
def stepgate_clock() -> sg.FixedClock:
    """A clock standing at 2024-01-15 09:00 UTC; move it with ``set`` or ``advance``."""
    import stepgate as sg  # noqa: PLC0415 - loading the plugin must not import stepgate

    return sg.FixedClock()


@pytest.fixture
def stepgate_process() -> sg.Process:
    """The process the scenarios run: the built-in trust-reform process unless overridden."""
    import stepgate as sg  # noqa: PLC0415 - loading the plugin must not import stepgate

    return sg.trust_reform()


@pytest.fixture
def stepgate_store(stepgate_clock: sg.FixedClock) -> sg.Store:
    """An in-memory store on the fixed clock."""
    import stepgate as sg  # noqa: PLC0415 - loading the plugin must not import stepgate

    return sg.open_store(":memory:", clock=stepgate_clock)
