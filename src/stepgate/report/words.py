"""The words a report puts around the record, in one language: labels, dates, numbers.

``Words(lang, process)`` is what every face (Markdown, HTML, the timeline,
the command line) asks for a word: a report label, a state, an outcome, a
body, a role, a phase (a process's own labels first, then the catalogue),
and dates and numbers as the language writes them (``12.03.2024`` and
``0,89`` in Nynorsk).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from stepgate.model.text import CATALOGUE, LANGUAGES
from stepgate.model.text import count as _count
from stepgate.model.text import day as _day
from stepgate.model.text import label as _label
from stepgate.model.text import number as _number
from stepgate.process.process import Process

MONTHS = {
    "nn": ("jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


@attrs.frozen
class Words:
    """The report's words in ``lang`` ("nn", the default, or "en"), for ``process``."""

    lang: str = attrs.field(default="nn", validator=attrs.validators.in_(LANGUAGES))
    process: Process | None = None

    def said(self, key: str) -> str:
        """The word for catalogue ``key``: the process's own first, then a one-party process's
        (no cooperation is spoken of), then the catalogue's."""
        if self.process is None:
            return _label(key, self.lang)
        return self.process.says(key, self.lang)

    @property
    def sides(self) -> bool:
        """True when sessions have an employer side and a union side to show apart: a
        cooperation of several parties (trust-reform's partssamarbeid), or no process known."""
        return self.process is None or "several" in self.process.features

    def t(self, key: str) -> str:
        """A report word (``report.<key>``), or a state, outcome, body or role by its key."""
        for space in ("report", "outcome", "state", "body", "role"):
            if f"{space}.{key}" in CATALOGUE:
                return self.said(f"{space}.{key}")
        return key

    def state(self, name: str) -> str:
        """A lifecycle state."""
        return self.said(f"state.{name}")

    def outcome(self, name: str) -> str:
        """An outcome: the process's own label for it where it gives one."""
        if self.process is not None:
            for outcome in self.process.gate.outcomes:
                if outcome.name == name and outcome.label is not None:
                    return outcome.label.in_(self.lang)
        return self.said(f"outcome.{name}")

    def body(self, name: str) -> str:
        """A body (``formannskap`` → "formannskapet"); a body of a process's own as it says
        (its ``bodies``), else as written."""
        return self.said(f"body.{name}") if name else "–"

    def role(self, name: str) -> str:
        """A representative's role."""
        return self.said(f"role.{name}")

    def phase(self, name: str) -> str:
        """A phase: the process's label for it, or its name."""
        if self.process is not None:
            for phase in self.process.phases:
                if phase.name == name and phase.label is not None:
                    return phase.label.in_(self.lang)
        return name

    def kind(self, name: str) -> str:
        """An event kind (the timeline's column)."""
        return self.said(f"kind.{name}")

    def date(self, value: dt.date | None) -> str:
        """A date as the language writes it; "–" for none."""
        return "–" if value is None else _day(value, self.lang)

    def month(self, value: dt.date) -> str:
        """A month and year, for a time axis (``mar 2024``)."""
        return f"{MONTHS[self.lang][value.month - 1]} {value.year}"

    def document_kind(self, kind: str) -> str:
        """A document's kind (``saksframlegg`` → "Saksframlegg" / "Case presentation")."""
        return self.said(f"document.{kind}")

    def count(self, value: int) -> str:
        """A whole number as the language writes it (``100 000`` / ``100,000``)."""
        return _count(value, self.lang)

    def number(self, value: float, digits: int = 2) -> str:
        """A decimal number as the language writes it."""
        return _number(value, self.lang, digits)

    def stop_reason(self, reason: str) -> str:
        """Why it stopped, as the log says it: at the gate, by the steering group, or a rule."""
        if reason == "gate":
            return self.t("stopped_at_the_gate")
        if reason == "steering-group":
            return self.t("stopped_by_steering")
        return reason

    def stopped(self, decision: Any) -> str:
        """Why it stopped: the gate outcome that stopped it (as the process names it), the
        steering group, or the rule that stopped it (its id)."""
        by = decision.stopped_by
        if by is not None:
            return self.t("stopped_at_gate").format(
                outcome=self.outcome(by.outcome),
                step=decision.stopped_at_step,
                body=self.body(by.body),
                party=by.name or self.t("steering"),
            )
        return self.stop_reason(str(decision.stop_reason or ""))

    def recorded_by(self, actor: str, acting_for: str | None) -> str:
        """Who recorded a position: the actor, and whom it acted for."""
        if acting_for == "secretariat":
            return f"{actor} ({self.t('secretariat')})"
        return actor if acting_for is None else f"{actor} ({acting_for})"
