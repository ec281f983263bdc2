"""A process's lifecycle, compiled from what it declares, as a ``transitions`` machine.

This is the only module that imports ``transitions``. ``Lifecycle.of`` reads a
process's declaration — how its parties take part, whether its gate can hold,
whether its ending has a steering group and who decides it — and its
commands, and gives the states, the moves between them and, per command, the
states it runs in without moving. One ``Machine`` is built per lifecycle (and
shared by every process with the same one). An investigation's state is the
machine's model: ``model_override=True`` keeps it free of per-model trigger
methods, and the engine moves it through the machine's own events
(``machine.events[trigger].trigger(model)``) instead of keeping every loaded
investigation in ``machine.models`` — a shared machine that held all of them
would keep them alive for the life of the process.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from collections.abc import Callable, Iterable
from typing import Any, Literal, Protocol

import attrs
from transitions import Machine, MachineError, State

from stepgate.errors import NotInstalled
from stepgate.model.commands import Command
from stepgate.model.commands.base import EVERY_STATE
from stepgate.model.definition import ONE_BODY, Effect, Ending, Gate, JoinByMandate, Parties
from stepgate.model.text import label

if logging.getLogger("transitions").level == logging.NOTSET:
    # transitions says two INFO lines a state change; an app that set its level keeps it
    logging.getLogger("transitions").setLevel(logging.WARNING)

ALL_STATES = EVERY_STATE
"""Every lifecycle state a process can have, in the order of the method."""

TERMINAL = frozenset({"concluded", "stopped"})

STATES: dict[str, tuple[str, str]] = {
    state: (label(f"state.{state}", "nn"), label(f"state.{state}", "en")) for state in ALL_STATES
}
"""Every lifecycle state with its label in Nynorsk and English."""


class Declaration(Protocol):
    """What the lifecycle is compiled from: a process's parties, gate and ending."""

    @property
    def parties(self) -> Parties:
        """How the parties take part."""

    @property
    def gate(self) -> Gate:
        """The gate after each step."""

    @property
    def ending(self) -> Ending:
        """Who decides the result."""


Move = tuple[str, tuple[str, ...], str]


@attrs.frozen(cache_hash=True)  # a key of caches, looked up per command and load
class Lifecycle:
    """A process's states, moves (trigger, sources, destination) and where commands run."""

    states: tuple[str, ...]
    moves: tuple[Move, ...]
    internal: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def of(cls, process: Declaration, commands: Iterable[type[Command]]) -> Lifecycle:
        """The lifecycle ``process`` declares, with ``commands`` (its commands) placed in it."""
        mandate = isinstance(process.parties, JoinByMandate)
        holds = any(o.effect is Effect.HOLD for o in process.gate.outcomes)
        states = tuple(
            s for s in ALL_STATES if (s != "mandate" or mandate) and (s != "held" or holds)
        )
        live = tuple(s for s in states if s not in TERMINAL)
        gate = ("anchoring", "held") if holds else ("anchoring",)
        moves: list[Move] = []
        if mandate:
            moves.append(("invite", ("draft",), "mandate"))
        moves += [
            ("start", ("mandate",) if mandate else ("draft",), "insight"),
            ("close_step", ("insight",), "anchoring"),
            ("pass_gate", gate, "planning"),
            ("send_back", gate, "insight"),
        ]
        if holds:
            moves.append(("hold", ("anchoring",), "held"))
        moves += [("open_step", ("planning",), "insight"), ("submit", ("planning",), "decision")]
        if process.ending.steering is not None:
            moves.append(("steering_send_back", ("decision",), "planning"))
        if process.ending.decided_by is ONE_BODY:
            moves.append(("ending_send_back", ("decision",), "planning"))
        moves += [("conclude", ("decision",), "concluded"), ("stop", live, "stopped")]
        internal = tuple(
            (command.action, tuple(s for s in command.possible if s in states))
            for command in commands
            if any(s in states for s in command.possible)
        )
        return cls(states, tuple(moves), internal)

    @property
    def live(self) -> tuple[str, ...]:
        """The states that are not an end."""
        return tuple(s for s in self.states if s not in TERMINAL)


@functools.lru_cache(maxsize=64)
def machine_for(lifecycle: Lifecycle) -> Machine:
    """The one machine for ``lifecycle``."""
    transitions: list[dict[str, Any]] = [
        {"trigger": t, "source": list(s), "dest": d} for t, s, d in lifecycle.moves
    ]
    transitions += [
        {"trigger": t, "source": list(sources), "dest": None} for t, sources in lifecycle.internal
    ]
    return Machine(
        model=None,
        states=list(lifecycle.states),
        transitions=transitions,
        initial="draft",
        auto_transitions=False,
        model_attribute="lifecycle",
        model_override=True,
    )


@functools.lru_cache(maxsize=256)
def possible(lifecycle: Lifecycle, state: str) -> frozenset[str]:
    """The actions (triggers) possible in ``state``."""
    return frozenset(machine_for(lifecycle).get_triggers(state))


@functools.lru_cache(maxsize=64)
def moves_of(lifecycle: Lifecycle) -> dict[tuple[str, str], str | None]:
    """Every (trigger, state) the machine allows, with where it leads (None: it stays)."""
    table: dict[tuple[str, str], str | None] = {}
    for trigger, event in machine_for(lifecycle).events.items():
        for source, found in event.transitions.items():
            table[(trigger, source)] = found[0].dest
    return table


def retrace(moves: dict[tuple[str, str], str | None], model: Any, trigger: str) -> None:
    """Move ``model`` along ``trigger`` as the machine did when the event was recorded.

    Folding a record repeats moves the machine made already; the machine's moves,
    read once into a table (``moves_of``), repeat them without its callback
    chain: a load or an audit of 100 000 events makes thousands of moves.
    """
    try:
        dest = moves[(trigger, model.lifecycle)]
    except KeyError:  # pragma: no cover - a record's events were checked when recorded
        raise AssertionError(f"lifecycle bug: {trigger!r} from {model.lifecycle!r}") from None
    if dest is not None:
        model.lifecycle = dest


def fire(lifecycle: Lifecycle, model: Any, trigger: str) -> None:
    """Move ``model`` along ``trigger``; an impossible move is a bug, not user input."""
    try:
        machine_for(lifecycle).events[trigger].trigger(model)
    except (MachineError, KeyError) as error:  # pragma: no cover - the engine checks first
        raise AssertionError(f"lifecycle bug: {error}") from error


def diagram(
    lifecycle: Lifecycle,
    state: str | None = None,
    *,
    engine: Literal["mermaid", "graphviz"] = "mermaid",
    title: str = "",
    lang: str = "en",
    words: Callable[[str], str] | None = None,
) -> str:
    """The lifecycle drawn by transitions' own graph support, ``state`` highlighted.

    States and moves are labelled in ``lang`` (``words(key)`` gives a process's own
    word for a catalogue key, where it has one). ``engine="mermaid"`` gives mermaid
    source; ``engine="graphviz"`` gives SVG and needs the ``graphviz`` package and
    Graphviz's ``dot`` (raises RuntimeError when they are missing). Only the
    moves between states are drawn; commands that keep the state are left out.
    """
    if engine == "graphviz" and importlib.util.find_spec("graphviz") is None:
        raise NotInstalled(
            nn="eit SVG-diagram treng pakken graphviz: pip install 'stepgate[diagrams]'",
            en="an SVG diagram needs the graphviz package: pip install 'stepgate[diagrams]'",
        )
    from transitions.extensions.diagrams import GraphMachine  # noqa: PLC0415 - optional

    class _Labelled(State):
        """A state that carries its label for the drawing (the markup reads ``label``)."""

        def __init__(self, *args: Any, label: str | None = None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.label = label

    class _Drawing(GraphMachine):
        state_cls = _Labelled
        # top to bottom: the lifecycle is long and narrow, so on an A4 page (about 510 pt
        # wide) its words keep their size instead of shrinking to fit a line of nine states
        machine_attributes = {  # noqa: RUF012 - transitions reads the class's own mapping
            **GraphMachine.machine_attributes,
            "rankdir": "TB",
        }

    class _Model:
        lifecycle = "draft"

    model = _Model()
    word = words or (lambda key: label(key, lang))
    machine = _Drawing(
        model=None,
        states=[{"name": s, "label": word(f"state.{s}")} for s in lifecycle.states],
        transitions=[
            {"trigger": t, "source": list(s), "dest": d, "label": word(f"move.{t}")}
            for t, s, d in lifecycle.moves
        ],
        initial="draft",
        auto_transitions=False,
        model_attribute="lifecycle",
        graph_engine=engine,
        title=title or "stepgate",
        show_state_attributes=False,
    )
    machine.add_model(model, initial=state or "draft")
    graph = model.get_graph()  # type: ignore[attr-defined]
    if engine == "mermaid":
        return str(graph.draw(None))
    try:
        return bytes(graph.pipe(format="svg")).decode()
    except Exception as error:  # graphviz.ExecutableNotFound and friends
        raise NotInstalled(
            nn="Graphviz kunne ikkje teikne diagrammet: programmet dot manglar eller feila "
            "(Debian: apt install graphviz)",
            en="Graphviz could not draw the diagram: its program dot is missing or failed "
            "(Debian: apt install graphviz)",
            detail=str(error).splitlines()[0] if str(error) else type(error).__name__,
        ) from error
