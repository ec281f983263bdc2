"""Soft signals: reported to the case worker, never blocking.

``milestone-overdue`` — a milestone's due date passed and it is not reached.
``react-quickly`` — the invitation went out later than the policy's reaction
days after the political order was received (S:39).
"""

from __future__ import annotations

import datetime as dt

from stepgate.model.context import Policy
from stepgate.model.state import InvestigationState
from stepgate.model.text import day
from stepgate.model.violation import Signal


def signals(state: InvestigationState, policy: Policy, today: dt.date) -> list[Signal]:
    """Every soft signal for ``state`` as seen on ``today``."""
    live = state.lifecycle not in ("concluded", "stopped")
    found = [
        Signal(
            "milestone-overdue",
            f"Milepælen «{m.name}» skulle vore nådd {day(m.due)} og er ikkje nådd.",
            f"Milestone '{m.name}' was due {m.due} and is not reached.",
            (m.name,),
        )
        for m in state.milestones.values()
        if live and m.reached_on is None and m.due < today
    ]
    invited = min(state.invited.values(), default=None)
    if state.ordered_on is not None:
        latest = state.ordered_on + dt.timedelta(days=policy.reaction_days)
        late = invited > latest if invited is not None else today > latest
        if late:
            found.append(
                Signal(
                    "react-quickly",
                    "Reager kjapt på politiske bestillingar: bestillinga kom "
                    f"{day(state.ordered_on)}, invitasjonen skulle gått ut innan {day(latest)}.",
                    f"React quickly to political orders: the order came {state.ordered_on}; the "
                    f"invitation was due by {latest}.",
                    ("invitation",),
                )
            )
    return found
