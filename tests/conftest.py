"""Shared fixtures: the Sogn region, the secretariat, a fixed clock and a scenario builder."""

from __future__ import annotations

import pathlib
import sys
from collections.abc import Iterator

import pytest

import stepgate as sg
from stepgate.testing import SECRETARIAT, Scenario
from tests._db import BACKENDS, fresh_schema_url

pytest_plugins = ["stepgate.testing.plugin"]

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"
if str(EXAMPLES) not in sys.path:  # the example processes, for the feature files that run them
    sys.path.insert(0, str(EXAMPLES))

KO = SECRETARIAT


@pytest.fixture
def clock(stepgate_clock: sg.FixedClock) -> sg.FixedClock:
    """The plugin's clock, standing at 2024-01-15 09:00 UTC."""
    return stepgate_clock


@pytest.fixture
def store(stepgate_store: sg.Store) -> sg.Store:
    """The plugin's in-memory store on that clock."""
    return stepgate_store


@pytest.fixture
def run(store: sg.Store) -> Scenario:
    """A fresh barnevern investigation in draft, ready to drive."""
    return Scenario(store)


@pytest.fixture(params=BACKENDS)
def location(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> Iterator[str]:
    """A new, empty record on each backend: an SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield str(tmp_path / "record.db")
        return
    yield from fresh_schema_url()
