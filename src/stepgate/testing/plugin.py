"""The stepgate pytest plugin: fixtures for a fixed clock, a process and a store.

Override ``stepgate_process`` in your own ``conftest.py`` to run your tests
against your own process definition.
"""

from __future__ import annotations

import pytest

import stepgate as sg


@pytest.fixture
def stepgate_clock() -> sg.FixedClock:
    """A clock standing at 2024-01-15 09:00 UTC; move it with ``set`` or ``advance``."""
    return sg.FixedClock()


@pytest.fixture
def stepgate_process() -> sg.Process:
    """The process the tests run: the built-in trust-reform process unless overridden."""
    return sg.trust_reform()


@pytest.fixture
def stepgate_store(stepgate_clock: sg.FixedClock) -> sg.Store:
    """An in-memory store on the fixed clock."""
    return sg.open_store(":memory:", clock=stepgate_clock)
