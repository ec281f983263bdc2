"""Testing helpers for apps that embed stepgate: a fixed clock and an in-memory store.

The pytest plugin (``stepgate.testing.plugin``, registered through the
``pytest11`` entry point) gives these as fixtures to any project that has
stepgate installed.
"""

from __future__ import annotations

from stepgate.testing.plugin import stepgate_clock, stepgate_process, stepgate_store

__all__ = ["stepgate_clock", "stepgate_process", "stepgate_store"]
