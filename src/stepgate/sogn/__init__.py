"""The Sogn example the demo runs: the region, its process and its 2024 child-welfare story.

It ships inside the package so that ``stepgate demo`` and every command on the
demo's record work from a plain install; it is also the worked example of the
domain contract (DOMAIN.md §6). ``examples/`` in the source tree builds more
investigations on the same region and process.
"""

from __future__ import annotations

from stepgate.sogn.barnevern import KEY, TOPICS_BEFORE, Story, run
from stepgate.sogn.process import (
    KO,
    PROGRAMME_DAY,
    SOGN,
    host_municipality_model,
    programme_start,
    sogn_process,
)

__all__ = [
    "KEY",
    "KO",
    "PROGRAMME_DAY",
    "SOGN",
    "TOPICS_BEFORE",
    "Story",
    "host_municipality_model",
    "programme_start",
    "run",
    "sogn_process",
]
