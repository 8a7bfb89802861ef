"""The traffic light of a running limit: green below 80 % used, yellow 80–100 %, red beyond."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from cityloop.deadlines.calculator import Deadline, used_share
from cityloop.deadlines.calendar import WorkingCalendar

Light = Literal["green", "yellow", "red"]
YELLOW_FROM = 0.8


def light(share: float) -> Light:
    """Green below 0.8 of the limit used, yellow from 0.8 to 1.0 inclusive, red above 1.0."""
    if share < YELLOW_FROM:
        return "green"
    if share <= 1.0:
        return "yellow"
    return "red"


def light_at(deadline: Deadline, at: datetime, calendar: WorkingCalendar) -> Light:
    """The light of a running deadline at `at` (frozen while it is paused)."""
    return light(used_share(deadline, at, calendar))
