"""What the working state keeps of a history: the comparison the working-state tests make."""

from __future__ import annotations

from typing import Any

from stepgate.model.serial import state_to_dict
from stepgate.model.state import InvestigationState


def working_part(history: InvestigationState) -> dict[str, Any]:
    """A history state as plain data, narrowed to what the working state keeps."""
    data = state_to_dict(history)
    open_step = history.steps[-1].number if history.steps else None
    data["history"] = False
    data["steps"] = data["steps"][-1:]
    data["sessions"] = {k: s for k, s in data["sessions"].items() if s["step"] == open_step}
    data["insights"] = {}
    data["anchorings"] = []
    data["topics"] = {k: v for k, v in data["topics"].items() if k in history.unraised}
    return data
