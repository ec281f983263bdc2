"""Shared fixtures: the Sogn region, the secretariat, a fixed clock and a scenario builder."""

from __future__ import annotations

import pytest

import stepgate as sg
from stepgate.testing import SECRETARIAT, Scenario

pytest_plugins = ["stepgate.testing.plugin"]

KO = SECRETARIAT


@pytest.fixture
def clock() -> sg.FixedClock:
    """A clock standing at 2024-01-15 09:00 UTC."""
    return sg.FixedClock()


@pytest.fixture
def store(clock: sg.FixedClock) -> sg.Store:
    """An in-memory store on the fixed clock."""
    return sg.open_store(":memory:", clock=clock)


@pytest.fixture
def run(store: sg.Store) -> Scenario:
    """A fresh barnevern investigation in draft, ready to drive."""
    return Scenario(store)
