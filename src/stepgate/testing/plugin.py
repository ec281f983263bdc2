"""The stepgate pytest plugin: fixtures for a fixed clock, a process and a store.

Override ``stepgate_process`` in your own ``conftest.py`` to run your tests
against your own process definition. stepgate itself is imported inside the
fixtures, so that coverage measured by the host project sees it from the start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import stepgate as sg


@pytest.fixture
def stepgate_clock() -> sg.FixedClock:
    """A clock standing at 2024-01-15 09:00 UTC; move it with ``set`` or ``advance``."""
    import stepgate as sg

    return sg.FixedClock()


@pytest.fixture
def stepgate_process() -> sg.Process:
    """The process the tests run: the built-in trust-reform process unless overridden."""
    import stepgate as sg

    return sg.trust_reform()


@pytest.fixture
def stepgate_store(stepgate_clock: sg.FixedClock) -> sg.Store:
    """An in-memory store on the fixed clock."""
    import stepgate as sg

    return sg.open_store(":memory:", clock=stepgate_clock)
