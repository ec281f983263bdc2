"""Violations and soft signals: what a rule found, in Nynorsk and English."""

from __future__ import annotations

import attrs


@attrs.frozen
class Violation:
    """A rule blocks an action: the rule id, the message in nn and en, the objects."""

    rule: str
    nn: str
    en: str
    objects: tuple[str, ...] = ()

    def message(self, lang: str = "nn") -> str:
        """The message in ``lang`` ("nn" or "en")."""
        return self.en if lang == "en" else self.nn

    def __str__(self) -> str:
        return f"{self.rule}: {self.en}"


@attrs.frozen
class Signal:
    """A soft signal: reported, never blocking (e.g. ``milestone-overdue``)."""

    rule: str
    nn: str
    en: str
    objects: tuple[str, ...] = ()

    def message(self, lang: str = "nn") -> str:
        """The message in ``lang`` ("nn" or "en")."""
        return self.en if lang == "en" else self.nn
