"""Progress on a terminal: one line on stderr, written over in place, cleared at the end.

Nothing is written when stderr is not a terminal (a pipe, a file, a cron job's
mail), so the output of a command stays what it was.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import TextIO

from stepgate.report.words import Words


class Meter:
    """Told ``(stage, done, total)``, shows ``Verifying the record  42 %`` on ``stream``."""

    def __init__(
        self,
        lang: str,
        stream: TextIO | None = None,
        *,
        every: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.words = Words(lang)
        self.stream = sys.stderr if stream is None else stream
        self.live = _is_terminal(self.stream)
        self.every, self.clock = every, clock
        self._last = float("-inf")
        self._width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Show how far ``stage`` has come, at most every ``every`` seconds (and at its end)."""
        now = self.clock()
        if not self.live or (now - self._last < self.every and done < total):
            return
        self._last = now
        share = 100 if total <= 0 else min(100, 100 * done // total)
        line = f"{self.words.t(f'progress_{stage}')} {share:3d} %"
        self._width = max(self._width, len(line))
        self.stream.write(f"\r{line:<{self._width}}")
        self.stream.flush()

    def record(self, done: int, total: int) -> None:
        """The verify of the record, as ``Store.verify`` tells it."""
        self("record", done, total)

    def close(self) -> None:
        """Clear the line, so what the command prints next starts clean."""
        if self.live and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0


@contextlib.contextmanager
def meter(lang: str) -> Iterator[Meter]:
    """A progress meter on stderr for the length of the block (silent when it is no terminal)."""
    shown = Meter(lang)
    try:
        yield shown
    finally:
        shown.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream: no terminal
        return False
