"""Clocks: time comes in from outside, so runs are replayable and testable."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

import attrs


class Clock(Protocol):
    """Anything that tells the time (aware UTC datetimes)."""

    def now(self) -> dt.datetime:
        """The current time."""
        ...  # pragma: no cover - protocol


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> dt.datetime:
        """The current time in UTC."""
        return dt.datetime.now(dt.UTC)


@attrs.define
class FixedClock:
    """A clock that stands still until you move it (for tests and examples)."""

    at: dt.datetime = dt.datetime(2024, 1, 15, 9, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        """The time the clock stands at."""
        return self.at

    def set(self, when: dt.date | dt.datetime) -> None:
        """Move the clock to ``when`` (a date means 09:00 UTC that day)."""
        if not isinstance(when, dt.datetime):
            when = dt.datetime(when.year, when.month, when.day, 9, 0, tzinfo=dt.UTC)
        self.at = when

    def advance(self, **delta: float) -> None:
        """Move the clock forward, e.g. ``advance(days=1)``."""
        self.at += dt.timedelta(**delta)
