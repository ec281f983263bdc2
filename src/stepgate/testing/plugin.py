"""The stepgate pytest plugin: fixtures and the Gherkin step library.

Registered through the ``pytest11`` entry point, so a project with stepgate
installed can write feature files with no glue. Fixtures:

- ``stepgate_clock`` — a fixed clock at 2024-01-15 09:00 UTC;
- ``stepgate_process`` — the process scenarios run (``trust_reform()``);
  override it in your ``conftest.py`` to run your own definition;
- ``stepgate_store`` — an in-memory store on the fixed clock;
- ``stepgate_world`` — what one scenario works on (see ``stepgate.testing.steps``).
"""

from __future__ import annotations

import pytest

import stepgate as sg

pytest_plugins = ["stepgate.testing.steps"]


@pytest.fixture
def stepgate_clock() -> sg.FixedClock:
    """A clock standing at 2024-01-15 09:00 UTC; move it with ``set`` or ``advance``."""
    return sg.FixedClock()


@pytest.fixture
def stepgate_process() -> sg.Process:
    """The process the scenarios run: the built-in trust-reform process unless overridden."""
    return sg.trust_reform()


@pytest.fixture
def stepgate_store(stepgate_clock: sg.FixedClock) -> sg.Store:
    """An in-memory store on the fixed clock."""
    return sg.open_store(":memory:", clock=stepgate_clock)
