"""Reading an investigation: now (``Investigation``), or as the record stood (``AsOf``).

``Reading`` is what both share: the state, the record, the head hash, the
diagram, the earliness score and the signals. ``Investigation.as_of(when)``
gives an ``AsOf``: the state folded from the record up to a business date or
a version, for "what did each council have in front of it on 12 March?". It
takes no commands.

A date means the **business date** (each event's ``on``: the day a council
met, a session was held, a step was closed), not the time it was typed in.
The record is kept by a secretariat that often enters a meeting's outcome days
later, in batches; a case document speaks of what had happened by a day, and
its dates are the ones in the minutes. The recorded time stays in the record
(``Recorded.at``), and the record as it stood after any commit is
``as_of(version)``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from stepgate.engine.engine import Engine
from stepgate.engine.machine import diagram as draw
from stepgate.errors import InvalidValue
from stepgate.model import events as ev
from stepgate.model import fields as f
from stepgate.model.documents import Placed, placed
from stepgate.model.serial import state_to_dict
from stepgate.model.state import InvestigationState
from stepgate.model.violation import Signal
from stepgate.process.process import Process
from stepgate.rules.signals import signals
from stepgate.rules.topics import earliness
from stepgate.store.record import Checkpoint

if TYPE_CHECKING:
    from stepgate.store.backend import Backend


class Reading:
    """What can be read of an investigation: its state, its record, its pictures."""

    _engine: Engine
    _backend: Backend
    _history: InvestigationState | None = None

    @property
    def state(self) -> InvestigationState:
        """The state, as recorded."""
        raise NotImplementedError

    @property
    def head_hash(self) -> str:
        """The hash at the head of the chain this state stands on."""
        raise NotImplementedError

    @property
    def events(self) -> list[ev.Recorded]:
        """The record this state is folded from, in order."""
        raise NotImplementedError

    def checkpoint(self) -> Checkpoint:
        """The store's checkpoint now, for the minutes: ``stepgate verify DB --against`` it
        later proves the record still holds everything up to it."""
        return self._backend.checkpoint()

    @property
    def key(self) -> str:
        """The investigation's key."""
        return self.state.key

    @property
    def lifecycle(self) -> str:
        """The lifecycle state: draft, mandate, insight, anchoring, … concluded, stopped."""
        return self.state.lifecycle

    @property
    def version(self) -> int:
        """The sequence number of the last event."""
        return self.state.version

    @property
    def process(self) -> Process:
        """The process definition this investigation runs."""
        return self._engine.process

    @property
    def states(self) -> tuple[str, ...]:
        """The lifecycle states of its process, in order (what its diagram draws)."""
        return self._engine.lifecycle.states

    @property
    def participants(self) -> tuple[str, ...]:
        """Kommunenummer of the participants, in region order."""
        return self.state.active

    def snapshot(self) -> dict[str, Any]:
        """The whole state as plain data; two states are equal when their snapshots are."""
        return state_to_dict(self.state)

    def diagram(
        self, *, engine: Literal["mermaid", "graphviz"] = "mermaid", lang: str = "nn"
    ) -> str:
        """Its process's lifecycle drawn (mermaid source, or SVG), its state highlighted, in the
        process's own words where it has them."""
        return draw(
            self._engine.lifecycle,
            self.lifecycle,
            engine=engine,
            title=self.key,
            lang=lang,
            words=lambda key: self.process.says(key, lang),
        )

    def documents(self) -> list[Placed]:
        """Every document filed, where it belongs (which step, session, position or decision),
        in the order of the record: as of the reading's date or version for ``as_of``.

        Each is a ``Placed``: the ``FiledDocument`` (title, kind, file name, media type,
        size, SHA-256, screening, the document it replaces), the event that filed it, its
        business date and place. ``Store.open_document(sha256)`` reads the bytes.
        """
        return list(placed(self.events))

    def earliness(self) -> float:
        """How early the topics were raised, weighted by difficulty (1.0 = all in step 1)."""
        return earliness(self.history())

    def history(self) -> InvestigationState:
        """The whole history: every step, session, insight, topic and anchoring.

        The state commands work on keeps only what they need; this folds the
        record (``events``) again, keeping everything, for reports and the like.
        The result is kept until the record moves on; treat it as read-only.
        """
        if self.state.history:
            return self.state
        cached = self._history
        if cached is not None and cached.version == self.version:
            return cached
        found = self._engine.fold(None, (r.event for r in self.events), history=True)
        self._history = found
        return found

    def signals(self, today: dt.date | None = None) -> list[Signal]:
        """Soft signals (overdue milestones, slow reaction) as seen on ``today``."""
        day = f.a_day("today", today) if today is not None else self.today()
        return signals(self.state, self._engine.process.policy, day)

    def today(self) -> dt.date:
        """The day this reading is seen on (the clock's day; an ``AsOf``'s own day)."""
        raise NotImplementedError


class AsOf(Reading):
    """An investigation as its record stood at a business date or a version; read only.

    ``as_of`` is the date or version asked for; ``latest`` the version of the
    whole record when it was read. ``events`` are the events folded in.
    """

    def __init__(
        self,
        backend: Backend,
        engine: Engine,
        record: list[ev.Recorded],
        when: dt.date | int,
    ) -> None:
        self._backend = backend
        self._engine = engine
        self.as_of = when
        self.latest = len(record)
        if isinstance(when, int):
            if when > len(record):
                raise InvalidValue(
                    nn=f"journalen har versjon 1 til {len(record)}; fekk versjon {when}",
                    en=f"the record has versions 1 to {len(record)}; got version {when}",
                )
            chosen = record[:when]
        else:
            chosen = [r for r in record if r.event.on <= when]
        if not chosen:
            first = record[0].event.on
            raise InvalidValue(
                nn=f"ingenting er registrert per {when}: utgreiinga vart oppretta {first}",
                en=f"nothing is recorded as of {when}: the investigation was created on {first}",
            )
        self._events = chosen
        self._state = _fold(engine, chosen, when)
        self._head = backend.hash_at(self._state.key, chosen[-1].seq)

    def __repr__(self) -> str:
        return f"<AsOf {self.key!r} {self.as_of} {self.lifecycle} v{self.version}/{self.latest}>"

    @property
    def state(self) -> InvestigationState:
        """The state folded from the events up to the date or version."""
        return self._state

    @property
    def head_hash(self) -> str:
        """The hash of the last event folded in: the chain's head at that version."""
        return self._head

    @property
    def events(self) -> list[ev.Recorded]:
        """The events folded in, in the order they were recorded."""
        return list(self._events)

    @property
    def complete(self) -> bool:
        """True when the events folded in are the record up to ``version`` with none left out.

        False only where a later-recorded event carries an earlier business date
        than one left out (a late entry): the state is then every event dated on
        or before the day, in the order recorded.
        """
        return len(self._events) == self._events[-1].seq

    def today(self) -> dt.date:
        """The day asked for, or (for a version) the business date of its last event."""
        return self.as_of if isinstance(self.as_of, dt.date) else self._events[-1].event.on


def _fold(engine: Engine, chosen: list[ev.Recorded], when: dt.date | int) -> InvestigationState:
    """The state of ``chosen``, each event at its own place (its ``seq``) in the record."""
    state: InvestigationState | None = None
    for recorded in chosen:
        if state is not None:
            state.version = recorded.seq - 1  # anchorings remember the event that made them
        try:
            state = engine.fold(state, [recorded.event], history=True)
        except (AssertionError, KeyError, ValueError) as error:
            raise InvalidValue(
                nn=f"journalen kan ikkje visast per {when}: hending {recorded.seq} "
                f"({recorded.kind}, datert {recorded.event.on}) vart ført etter hendingar med "
                "seinare dato som ho byggjer på; vis han per versjon i staden",
                en=f"the record cannot be shown as of {when}: event {recorded.seq} "
                f"({recorded.kind}, dated {recorded.event.on}) was entered after events dated "
                "later that it follows on from; show it as of a version instead",
            ) from error
    assert state is not None  # chosen is never empty
    return state


def as_of_value(when: Any, field: str = "as_of") -> dt.date | int:
    """``when`` as a business date or a version: a date, ISO text, an int, or 'v12'.

    ``field`` is what the caller calls it (``--as-of`` on the command line).
    """
    if isinstance(when, bool):
        raise _as_of_refused(when, field)
    if isinstance(when, int):
        if when < 1:
            raise _as_of_refused(when, field)
        return when
    if isinstance(when, str) and when[:1] in ("v", "V") and when[1:].isdigit():
        return as_of_value(int(when[1:]), field)
    if isinstance(when, str) and when.isdigit():
        return as_of_value(int(when), field)
    if isinstance(when, dt.datetime):
        raise _as_of_refused(when, field)
    try:
        return f.a_day(field, when)
    except InvalidValue:
        raise _as_of_refused(when, field) from None


def _as_of_refused(when: Any, field: str) -> InvalidValue:
    shown = f.shown(when)
    return InvalidValue(
        nn=f"{field} må vere ein dato (t.d. '2024-03-12' eller '12.03.2024') eller ein versjon "
        "(eit heiltal frå 1, "
        f"eller 'v12'); fekk {shown}",
        en=f"{field} must be a business date (a date, or text like '2024-03-12' or '12.03.2024') "
        "or a version "
        f"(a whole number of 1 or more, or 'v12'); got {shown}",
    )
