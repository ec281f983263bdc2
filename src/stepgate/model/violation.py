"""What a rule finds, in Nynorsk and English: a violation blocks, a signal is only reported.

Both are one shape, ``Found``: the rule's id, the sentence in each language and
the things involved. They are distinct classes, so a signal is never taken for a
refusal (a ``Violation`` never equals a ``Signal``).
"""

from __future__ import annotations

import attrs

from stepgate.model.text import Text


@attrs.frozen
class Found:
    """What a rule found: its id, the sentence in nn and en, the objects involved."""

    rule: str
    nn: str
    en: str
    objects: tuple[str, ...] = ()

    def message(self, lang: str = "nn") -> str:
        """The sentence in ``lang`` ("nn" or "en")."""
        return self.en if lang == "en" else self.nn

    @property
    def said(self) -> Text:
        """The sentence in both languages, as every other text of stepgate is."""
        return Text(self.nn, self.en)

    def __str__(self) -> str:
        return f"{self.rule}: {self.en}"


@attrs.frozen
class Violation(Found):
    """A rule blocks an action: the rule id, the message in nn and en, the objects."""


@attrs.frozen
class Signal(Found):
    """A soft signal: reported, never blocking (e.g. ``milestone-overdue``)."""
