"""Testing helpers for apps that embed stepgate.

``Scenario`` drives an investigation through the method in a few lines;
``SOGN`` and ``SECRETARIAT`` are the example's region and secretariat. The
pytest plugin (``stepgate.testing.plugin``, registered through the ``pytest11``
entry point) gives fixtures and the Gherkin step library to any project that
has stepgate installed; ``docs/steps.md`` lists every phrase.
"""

from __future__ import annotations

from stepgate.testing._scenario import SECRETARIAT, SOGN, START, Scenario

__all__ = ["SECRETARIAT", "SOGN", "START", "Scenario"]
