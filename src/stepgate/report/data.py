"""What a report says, as plain data: the JSON report, and the source of the others.

Everything here is read from the state and the record; nothing is written.
Labels come from the catalogue, in Nynorsk (the default for reports) and English.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from stepgate.api.investigation import Investigation
from stepgate.model.state import Anchoring, InvestigationState
from stepgate.model.text import CATALOGUE
from stepgate.model.text import label as catalogue_label
from stepgate.model.values import Actor


def label(lang: str, key: str) -> str:
    """The report's word for ``key`` in ``lang``: a report word, an outcome or a state.

    Every word comes from the one catalogue (``stepgate.CATALOGUE``); an unknown
    key (a process's own outcome name) shows as itself.
    """
    for space in ("report", "outcome", "state"):
        if f"{space}.{key}" in CATALOGUE:
            return catalogue_label(f"{space}.{key}", lang)
    return key


def _record(state: InvestigationState, a: Anchoring, by: dict[int, Actor]) -> dict[str, Any]:
    actor = by.get(a.seq)
    return {
        "municipality": a.municipality,
        "name": state.name_of(a.municipality) if a.municipality else "",
        "body": a.body,
        "outcome": a.outcome,
        "on": a.on.isoformat(),
        "case_ref": a.case_ref,
        "public": a.public,
        "exemption": a.exemption,
        "round": a.round,
        "recorded_by": None
        if actor is None
        else {"actor": actor.id, "acting_for": actor.acting_for},
    }


def _status(state: InvestigationState, number: str) -> tuple[str, str | None]:
    if number in state.participants:
        return "participant", None
    if number in state.opted_out:
        return "opted_out", state.opted_out[number].isoformat()
    if number in state.invited:
        return "invited", state.invited[number].isoformat()
    return "not_invited", None


def _participants(state: InvestigationState) -> list[dict[str, Any]]:
    rows = []
    for member in state.region.members:
        status, since = _status(state, member.id)
        rows.append({"number": member.id, "name": member.name, "status": status, "since": since})
    return rows


def _steps(state: InvestigationState, by: dict[int, Actor]) -> list[dict[str, Any]]:
    gates: dict[int, list[dict[str, Any]]] = {}
    for a in state.anchorings:
        if a.subject.startswith("step "):
            gates.setdefault(int(a.subject.split()[1]), []).append(_record(state, a, by))
    return [
        {
            "number": s.number,
            "phase": s.phase,
            "question": s.question,
            "opened_on": s.opened_on.isoformat(),
            "closed_on": s.closed_on.isoformat() if s.closed_on else None,
            "passed_on": s.passed_on.isoformat() if s.passed_on else None,
            "rounds": s.round,
            "insights": s.insights,
            "builds_on": list(s.builds_on),
            "gate": gates.get(s.number, []),
        }
        for s in state.steps
    ]


def _topics(state: InvestigationState, threshold: int) -> list[dict[str, Any]]:
    return [
        {
            "id": t.id,
            "title": t.title,
            "difficulty": t.difficulty,
            "hard": t.difficulty >= threshold,
            "registered_step": t.registered_step,
            "first_raised": t.first_raised,
        }
        for t in sorted(state.topics.values(), key=lambda t: (-t.difficulty, t.id))
    ]


def _milestones(state: InvestigationState, today: dt.date) -> list[dict[str, Any]]:
    rows = []
    for m in sorted(state.milestones.values(), key=lambda m: m.due):
        done = m.reached_on
        overdue = (done is not None and done > m.due) or (done is None and today > m.due)
        rows.append(
            {
                "name": m.name,
                "phase": m.phase,
                "due": m.due.isoformat(),
                "reached_on": done.isoformat() if done else None,
                "overdue": overdue,
            }
        )
    return rows


def report_data(inv: Investigation, today: dt.date | None = None) -> dict[str, Any]:
    """Everything a report shows, as JSON-ready data."""
    state = inv.state
    by = {recorded.seq: recorded.actor for recorded in inv.events}
    day = today or (state.last_active or state.created_on)
    policy = inv.process.policy
    nn, en = (catalogue_label(f"state.{state.lifecycle}", lang) for lang in ("nn", "en"))
    return {
        "key": state.key,
        "title": state.title,
        "service_area": state.service_area,
        "region": state.region.name,
        "process": state.process,
        "definition_hash": state.definition_hash,
        "state": {"id": state.lifecycle, "nn": nn, "en": en},
        "version": state.version,
        "head_hash": inv.head_hash,
        "mandate": {
            "version": state.mandate_version,
            "text": state.mandates[state.mandate_version],
        },
        "participants": _participants(state),
        "steps": _steps(state, by),
        "hard_threshold": policy.hard_threshold,
        "topics": _topics(state, policy.hard_threshold),
        "earliness": round(inv.earliness(), 3),
        "milestones": _milestones(state, day),
        "decision": {
            "basis": state.decision_basis,
            "cooperation_model": state.cooperation_model,
            "steering": [_record(state, a, by) for a in state.steering],
            "councils": [_record(state, a, by) for a in state.anchorings if a.subject == "council"],
            "established_among": [
                {"number": n, "name": state.name_of(n)} for n in state.established_among
            ],
            "stop_reason": state.stop_reason,
        },
        "signals": [{"rule": s.rule, "nn": s.nn, "en": s.en} for s in inv.signals(day)],
        "as_of": day.isoformat(),
    }
