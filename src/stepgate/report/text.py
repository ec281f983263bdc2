"""Reports as text: Markdown fit for a case document, and a readable timeline.

The Markdown report is meant to be pasted into a *saksframlegg*: status,
participants and opt-outs, every gate per municipality with body, date and
case reference, the hard topics and the step each was raised in, the
earliness score and the milestones with overdue flags.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from stepgate.api.investigation import Investigation
from stepgate.model.events import Recorded
from stepgate.model.text import label as catalogue_label
from stepgate.model.violation import Violation
from stepgate.report.data import label, report_data
from stepgate.report.safe import md, printable


class Raw(str):
    """A table cell of the report's own Markdown (e.g. emphasis), not escaped."""

    __slots__ = ()


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    """A Markdown table; every cell is escaped unless it is ``Raw``, and every column named."""

    def cell(value: Any) -> str:
        return value if isinstance(value, Raw) else md(value)

    lines = ["| " + " | ".join(md(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _access(lang: str, record: dict[str, Any]) -> str:
    if record["public"]:
        return label(lang, "public")
    return f"{label(lang, 'exempt')} ({record['exemption']})"


def recorded_by(lang: str, record: dict[str, Any]) -> str:
    """Who recorded a position: the actor, and whom it acted for."""
    by = record.get("recorded_by")
    if not by:
        return "–"
    acting = by["acting_for"]
    if acting == "secretariat":
        return f"{by['actor']} ({label(lang, 'secretariat')})"
    return by["actor"] if acting is None else f"{by['actor']} ({acting})"


def _gate_rows(lang: str, gate: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            r["name"],
            r["body"],
            label(lang, r["outcome"])
            + (f" ({label(lang, 'round')} {r['round']})" if r["round"] > 1 else ""),
            r["on"],
            r["case_ref"] or "–",
            _access(lang, r),
            recorded_by(lang, r),
        ]
        for r in gate
    ]


_GATE_HEAD = ("municipality", "body", "outcome", "date", "case_ref", "access", "recorded_by")


def _steps(lang: str, data: dict[str, Any]) -> list[str]:
    lines = [f"## {label(lang, 'steps')}", ""]
    head = [label(lang, k) for k in _GATE_HEAD]
    for step in data["steps"]:
        span = f"{step['opened_on']} – {step['closed_on'] or '…'}"
        lines += [
            f"### {label(lang, 'step')} {step['number']} ({label(lang, 'phase')} "
            f"{md(step['phase'])}, {span})",
            "",
            f"{label(lang, 'question')}: {md(step['question'])}",
            "",
        ]
        lines += _table(head, _gate_rows(lang, step["gate"])) if step["gate"] else []
    return lines


def _topics(lang: str, data: dict[str, Any]) -> list[str]:
    def raised(t: dict[str, Any]) -> str:
        first = t["first_raised"]
        return f"{label(lang, 'step')} {first}" if first else label(lang, "never")

    def registered(t: dict[str, Any]) -> str:
        reg = t["registered_step"]
        return label(lang, "before") if reg == 0 else f"{label(lang, 'step')} {reg}"

    hard = [t for t in data["topics"] if t["hard"]]
    head = [label(lang, k) for k in ("topic", "difficulty", "registered", "raised")]
    rows = [[t["title"], t["difficulty"], registered(t), raised(t)] for t in hard]
    return [
        f"## {label(lang, 'topics')} (≥ {data['hard_threshold']})",
        "",
        *(_table(head, rows) if rows else [label(lang, "none"), ""]),
        f"{label(lang, 'earliness')}: **{data['earliness']:.2f}**",
        "",
    ]


def _milestones(lang: str, data: dict[str, Any]) -> list[str]:
    rows = [
        [
            m["name"],
            m["due"],
            m["reached_on"] or "–",
            Raw(f"**{label(lang, 'overdue')}**") if m["overdue"] else "",
        ]
        for m in data["milestones"]
    ]
    head = [label(lang, k) for k in ("milestones", "due", "reached", "status")]
    return [f"## {label(lang, 'milestones')}", "", *_table(head, rows)]


def _decision(lang: str, data: dict[str, Any]) -> list[str]:
    d = data["decision"]
    lines = [f"## {label(lang, 'decision')}", ""]
    if d["cooperation_model"]:
        lines += [f"{label(lang, 'model')}: {md(d['cooperation_model'])}", ""]
    head = [label(lang, k) for k in _GATE_HEAD]
    steering = [dict(r, name=label(lang, "steering")) for r in d["steering"]]
    rows = _gate_rows(lang, steering) + _gate_rows(lang, d["councils"])
    lines += _table(head, rows) if rows else [label(lang, "none"), ""]
    if d["established_among"]:
        names = ", ".join(md(m["name"]) for m in d["established_among"])
        lines += [f"{label(lang, 'established')}: **{names}**", ""]
    return lines


def markdown_report(inv: Investigation, *, lang: str = "nn", today: Any = None) -> str:
    """The investigation as a Markdown report (Nynorsk by default)."""
    data = report_data(inv, today)
    state = data["state"][lang if lang in ("nn", "en") else "nn"]
    participants = [
        [p["name"], p["number"], label(lang, p["status"]), p["since"] or ""]
        for p in data["participants"]
    ]
    lines = [
        f"# {md(data['title'])}",
        "",
        f"- {label(lang, 'state')}: **{state}**",
        f"- {label(lang, 'service_area')}: {md(data['service_area'] or '–')}",
        f"- {label(lang, 'region')}: {md(data['region'])}",
        f"- {label(lang, 'process')}: {md(data['process'])} ({data['definition_hash']})",
        f"- {label(lang, 'mandate')}: v{data['mandate']['version']}",
        "",
        f"## {label(lang, 'participants')}",
        "",
        *_table(
            [label(lang, "municipality"), "nr.", label(lang, "status"), label(lang, "since")],
            participants,
        ),
        *_steps(lang, data),
        *_topics(lang, data),
        *_milestones(lang, data),
        *_decision(lang, data),
    ]
    if data["signals"]:
        lines += [
            f"## {label(lang, 'signals')}",
            "",
            *(f"- `{s['rule']}`: {md(s[lang if lang == 'en' else 'nn'])}" for s in data["signals"]),
            "",
        ]
    lines += [
        f"## {label(lang, 'record')}",
        "",
        f"{label(lang, 'version')} {data['version']}; {label(lang, 'head')}: `{data['head_hash']}`",
        "",
    ]
    return "\n".join(lines)


def _position(f: dict[str, Any], lang: str, what: str) -> str:
    return f"{f['who']}: {f.get('body') or 'kommunestyre'} → {label(lang, f['outcome'])}{what}"


_DESCRIBE: dict[str, Any] = {
    "mandate_anchored": lambda f, lang: _position(f, lang, f" (mandat v{f['version']})"),
    "step_anchored": lambda f, lang: _position(
        f, lang, f" ({label(lang, 'step').lower()} {f['step']})"
    ),
    "council_decided": lambda f, lang: _position(f, lang, ""),
    "opted_out": lambda f, lang: f"{f['who']}: {label(lang, 'opted_out')}",
    "invited": lambda f, lang: ", ".join(f["names"](n) for n in f["municipalities"]),
    "started": lambda f, lang: f"{label(lang, 'step')} 1 ({f['phase']}): {f['question']}",
    "step_opened": lambda f, lang: (
        f"{label(lang, 'step')} {f['step']} ({f['phase']}): {f['question']}"
    ),
    "step_closed": lambda f, lang: f"{label(lang, 'step')} {f['step']}",
    "gate_passed": lambda f, lang: f"{label(lang, 'step')} {f['step']}",
    "step_sent_back": lambda f, lang: f"{label(lang, 'step')} {f['step']} ← {f['who']}",
    "topic_registered": lambda f, lang: (
        f"{f['id']} «{f['title']}» ({label(lang, 'difficulty').lower()} {f['difficulty']})"
    ),
    "insight_recorded": lambda f, lang: f"{f['id']} → {', '.join(f['topics']) or '–'}",
    "steering_group_decided": lambda f, lang: label(lang, f["outcome"]),
    "concluded": lambda f, lang: ", ".join(f["names"](n) for n in f["established_among"]),
}


_POSITIONS = frozenset(
    {"mandate_anchored", "step_anchored", "council_decided", "opted_out", "steering_group_decided"}
)
"""Positions and decisions: the timeline says who recorded each."""


def _describe(inv: Investigation, recorded: Recorded, lang: str) -> str:
    fields: dict[str, Any] = attrs.asdict(recorded.event, recurse=False)
    fields["names"] = inv.state.name_of
    fields["who"] = inv.state.name_of(fields.get("municipality") or "")
    describe = _DESCRIBE.get(recorded.kind)
    if describe is not None:
        text = str(describe(fields, lang))
        if recorded.kind in _POSITIONS:
            actor = recorded.actor
            by = recorded_by(
                lang, {"recorded_by": {"actor": actor.id, "acting_for": actor.acting_for}}
            )
            text += f"  [{label(lang, 'recorded_by').lower()} {by}]"
        return text
    shown = [
        str(v)
        for k, v in attrs.asdict(recorded.event, recurse=False).items()
        if k != "on" and v not in (None, "", ())
    ]
    return ", ".join(shown[:3])


def timeline_text(
    inv: Investigation,
    *,
    lang: str = "nn",
    refusals: Sequence[tuple[Any, str, Sequence[Violation]]] = (),
    quiet: frozenset[str] = frozenset({"representative_registered", "fact_recorded"}),
) -> str:
    """The record as readable lines, refusals (date, action, violations) woven in by date."""
    lines: list[tuple[str, int, str]] = []
    for recorded in inv.events:
        if recorded.kind in quiet:
            continue
        kind = catalogue_label(f"kind.{recorded.kind}", lang)
        lines.append(
            (
                recorded.event.on.isoformat(),
                len(lines),
                printable(f"{recorded.event.on}  {kind:<18} {_describe(inv, recorded, lang)}"),
            )
        )
    refused = catalogue_label("report.refused", lang)
    for on, action, violations in refusals:
        for v in violations:
            text = printable(f"{on}  {refused:<18} {action}: [{v.rule}] {v.message(lang)}")
            lines.append((str(on), -1, text))
    lines.sort(key=lambda row: (row[0], row[1]))
    final = (
        f"\n{catalogue_label('report.state', lang)}: "
        f"{catalogue_label(f'state.{inv.lifecycle}', lang)}"
    )
    return "\n".join(text for _, _, text in lines) + final + "\n"
