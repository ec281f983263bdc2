"""The lifecycle of DOMAIN.md §3 as a ``transitions`` machine.

This is the only module that imports ``transitions``. One ``Machine`` is
compiled per process definition (cached by its hash). An investigation's
state is the machine's model: ``model_override=True`` keeps it free of
per-model trigger methods, and the engine moves it through the machine's own
events (``machine.events[trigger].trigger(model)``) instead of keeping every
loaded investigation in ``machine.models`` — a shared machine that held all of
them would keep them alive for the life of the process. Commands that do not
move the lifecycle are internal transitions, so the machine is the single
place that says which action is possible in which state.
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from transitions import Machine, MachineError

STATES: dict[str, tuple[str, str]] = {
    "draft": ("utkast", "draft"),
    "mandate": ("mandat", "mandate"),
    "insight": ("innsikt", "insight"),
    "anchoring": ("forankring", "anchoring"),
    "planning": ("planlegging", "planning"),
    "decision": ("avgjerd", "decision"),
    "concluded": ("avslutta", "concluded"),
    "stopped": ("stoppa", "stopped"),
}
"""Every lifecycle state with its label in Nynorsk and English."""

TERMINAL = frozenset({"concluded", "stopped"})
LIVE = tuple(s for s in STATES if s not in TERMINAL)

_MOVES: tuple[tuple[str, str | list[str], str], ...] = (
    ("invite", "draft", "mandate"),
    ("start", "mandate", "insight"),
    ("close_step", "insight", "anchoring"),
    ("pass_gate", "anchoring", "planning"),
    ("send_back", "anchoring", "insight"),
    ("open_step", "planning", "insight"),
    ("submit", "planning", "decision"),
    ("steering_send_back", "decision", "planning"),
    ("conclude", "decision", "concluded"),
    ("stop", list(LIVE), "stopped"),
)
"""Transitions that move the lifecycle: (trigger, source(s), destination)."""

_BEFORE_DECISION = ["draft", "mandate", "insight", "anchoring", "planning"]
_INTERNAL: dict[str, list[str]] = {
    "set_milestone": list(LIVE),
    "reach_milestone": list(LIVE),
    "revise_mandate": _BEFORE_DECISION,
    "invite": ["mandate"],
    "anchor_mandate": ["mandate", "insight", "anchoring", "planning", "decision"],
    "opt_out": list(LIVE),
    "register_representative": list(LIVE),
    "record_fact": list(LIVE),
    "register_topic": _BEFORE_DECISION,
    "rate_topic": _BEFORE_DECISION,
    "record_consensus": ["insight"],
    "hold_session": ["insight"],
    "record_insight": ["insight"],
    "record_consultation": ["insight"],
    "anchor_step": ["anchoring"],
    "steering_decision": ["decision"],
    "council_decision": ["decision"],
}
"""Commands that keep the lifecycle where it is, and the states they are possible in."""


@functools.lru_cache(maxsize=64)
def machine_for(definition_hash: str) -> Machine:
    """The one machine for a process definition (keyed by its hash)."""
    transitions: list[dict[str, Any]] = [
        {"trigger": t, "source": s, "dest": d} for t, s, d in _MOVES
    ]
    transitions += [
        {"trigger": t, "source": sources, "dest": None} for t, sources in _INTERNAL.items()
    ]
    return Machine(
        model=None,
        states=list(STATES),
        transitions=transitions,
        initial="draft",
        auto_transitions=False,
        model_attribute="lifecycle",
        model_override=True,
        name=definition_hash,
    )


@functools.lru_cache(maxsize=64)
def possible(definition_hash: str, lifecycle: str) -> frozenset[str]:
    """The actions (triggers) possible in ``lifecycle``."""
    return frozenset(machine_for(definition_hash).get_triggers(lifecycle))


def fire(definition_hash: str, model: Any, trigger: str) -> None:
    """Move ``model`` along ``trigger``; an impossible move is a bug, not user input."""
    try:
        machine_for(definition_hash).events[trigger].trigger(model)
    except MachineError as error:  # pragma: no cover - the engine checks first
        raise AssertionError(f"lifecycle bug: {error}") from error


def diagram(
    lifecycle: str | None = None,
    *,
    engine: Literal["mermaid", "graphviz"] = "mermaid",
    title: str = "",
) -> str:
    """The lifecycle drawn by transitions' own graph support, ``lifecycle`` highlighted.

    ``engine="mermaid"`` gives mermaid source; ``engine="graphviz"`` gives SVG and
    needs the ``graphviz`` package and Graphviz's ``dot`` (raises RuntimeError
    when they are missing). Only the moves between states are drawn; the
    commands that keep the state are left out to keep the picture readable.
    """
    from transitions.extensions.diagrams import GraphMachine  # noqa: PLC0415 - optional

    class _Model:
        lifecycle = "draft"

    model = _Model()
    machine = GraphMachine(
        model=None,
        states=list(STATES),
        transitions=[{"trigger": t, "source": s, "dest": d} for t, s, d in _MOVES],
        initial="draft",
        auto_transitions=False,
        model_attribute="lifecycle",
        graph_engine=engine,
        title=title or "stepgate",
        show_state_attributes=False,
    )
    machine.add_model(model, initial=lifecycle or "draft")
    graph = model.get_graph()  # type: ignore[attr-defined]
    if engine == "mermaid":
        return str(graph.draw(None))
    try:
        return bytes(graph.pipe(format="svg")).decode()
    except Exception as error:  # graphviz.ExecutableNotFound and friends
        raise RuntimeError(f"Graphviz could not draw the diagram: {error}") from error
