"""The record as readable lines (``stepgate log``), and as data for ``log --json``.

Each event is one line: its business date, its kind and what it says, in the
chosen language; positions and decisions say who recorded them. Refusals met
on the way (the demo keeps them) are woven in by date with their rule ids.
Control characters in people's text are shown, never obeyed (``safe.printable``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import attrs

from stepgate.api.reading import Reading
from stepgate.model import events as ev
from stepgate.model.violation import Violation
from stepgate.report.safe import printable
from stepgate.report.words import Words

Describe = Callable[[Any, Words, Callable[[str], str]], str]


def _position(e: Any, w: Words, name: Callable[[str], str], what: str) -> str:
    body = w.body(getattr(e, "body", None) or "kommunestyre")
    return f"{name(e.municipality)}: {body} → {w.outcome(e.outcome)}{what}"


_DESCRIBE: dict[str, Describe] = {
    "mandate_anchored": lambda e, w, n: _position(e, w, n, f" ({w.t('mandate')} v{e.version})"),
    "step_anchored": lambda e, w, n: _position(e, w, n, f" ({w.t('step').lower()} {e.step})"),
    "council_decided": lambda e, w, n: _position(e, w, n, ""),
    "opted_out": lambda e, w, n: f"{n(e.municipality)}: {w.t('opted_out')}",
    "invited": lambda e, w, n: ", ".join(n(m) for m in e.municipalities),
    "started": lambda e, w, n: f"{w.t('step')} 1 ({w.phase(e.phase)}): {e.question}",
    "step_opened": lambda e, w, n: f"{w.t('step')} {e.step} ({w.phase(e.phase)}): {e.question}",
    "step_closed": lambda e, w, n: f"{w.t('step')} {e.step}",
    "gate_passed": lambda e, w, n: f"{w.t('step')} {e.step}",
    "step_sent_back": lambda e, w, n: f"{w.t('step')} {e.step} ← {n(e.municipality)}",
    "topic_registered": lambda e, w, n: (
        f"{e.id} «{e.title}» ({w.t('difficulty').lower()} {e.difficulty})"
    ),
    "insight_recorded": lambda e, w, n: f"{e.id} → {', '.join(e.topics) or '–'}",
    "session_held": lambda e, w, n: f"{e.id} «{e.title}» ({len(e.attendees)})",
    "steering_group_decided": lambda e, w, n: w.outcome(e.outcome),
    "decision_basis_submitted": lambda e, w, n: e.summary,
    "concluded": lambda e, w, n: ", ".join(n(m) for m in e.established_among),
    "milestone_set": lambda e, w, n: f"{e.name}: {w.date(e.due)}",
    "milestone_reached": lambda e, w, n: e.name,
    "stopped": lambda e, w, n: w.stop_reason(e.reason),
}

_POSITIONS = frozenset(
    {"mandate_anchored", "step_anchored", "council_decided", "opted_out", "steering_group_decided"}
)
"""Positions and decisions: the timeline says who recorded each."""

QUIET = frozenset({"representative_registered", "fact_recorded"})
"""Kinds the text timeline leaves out (``--json`` has every event)."""


def describe(
    reading: Reading, recorded: ev.Recorded, words: Words, before: ev.StepAnchored | None = None
) -> str:
    """What one event says, in one line of ``words``' language; a stop at the gate says the
    outcome that stopped it (``before``: the last position at the gate before it)."""
    name = reading.state.name_of
    event = recorded.event
    if isinstance(event, ev.Stopped) and event.reason == "gate" and before is not None:
        return words.t("stopped_at_gate").format(
            outcome=words.outcome(before.outcome),
            step=before.step,
            body=words.body(before.body),
            party=name(before.municipality),
        )
    found = _DESCRIBE.get(recorded.kind)
    if found is None:
        fields = attrs.asdict(recorded.event, recurse=False)
        shown = [str(v) for k, v in fields.items() if k != "on" and v not in (None, "", ())]
        return ", ".join(shown[:3])
    text = found(recorded.event, words, name)
    if recorded.kind in _POSITIONS:
        by = words.recorded_by(recorded.actor.id, recorded.actor.acting_for)
        text += f"  [{words.t('recorded_by').lower()} {by}]"
    return text


def _at_the_gate(
    events: Iterable[ev.Recorded],
) -> Iterator[tuple[ev.Recorded, ev.StepAnchored | None]]:
    """Each event with the last position taken at the gate before it (what a stop names)."""
    before: ev.StepAnchored | None = None
    for recorded in events:
        if isinstance(recorded.event, ev.StepAnchored):
            before = recorded.event
        yield recorded, before


def timeline_text(
    reading: Reading,
    *,
    lang: str = "nn",
    refusals: Sequence[tuple[Any, str, Sequence[Violation]]] = (),
    quiet: frozenset[str] = QUIET,
) -> str:
    """The record as readable lines, refusals (date, action, violations) woven in by date."""
    words = Words(lang, reading.process)
    lines: list[tuple[str, int, str]] = []
    for recorded, before in _at_the_gate(reading.events):
        if recorded.kind in quiet:
            continue
        on = recorded.event.on
        said = describe(reading, recorded, words, before)
        text = f"{words.date(on)}  {words.kind(recorded.kind):<18} {said}"
        lines.append((on.isoformat(), len(lines), printable(text)))
    refused = words.t("refused")
    for on, action, violations in refusals:
        for v in violations:
            text = f"{words.date(on)}  {refused:<18} {action}: [{v.rule}] {v.message(lang)}"
            lines.append((str(on), -1, printable(text)))
    lines.sort(key=lambda row: (row[0], row[1]))
    final = f"\n{words.t('state')}: {words.state(reading.lifecycle)}"
    return "\n".join(text for _, _, text in lines) + final + "\n"


def timeline_data(reading: Reading, lang: str = "nn") -> list[dict[str, Any]]:
    """Every event of the record as data: place, kind, dates, who, its fields and one line."""
    words = Words(lang, reading.process)
    rows = []
    for recorded, before in _at_the_gate(reading.events):
        fields = {
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in attrs.asdict(recorded.event, recurse=False).items()
        }
        fields.pop("on", None)
        rows.append(
            {
                "seq": recorded.seq,
                "kind": recorded.kind,
                "on": recorded.event.on.isoformat(),
                "at": recorded.at.isoformat(),
                "actor": recorded.actor.id,
                "acting_for": recorded.actor.acting_for,
                "fields": _plain(fields),
                "text": describe(reading, recorded, words, before),
            }
        )
    return rows


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if attrs.has(type(value)):
        return _plain(attrs.asdict(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):  # an enum
        return value.value
    return value
