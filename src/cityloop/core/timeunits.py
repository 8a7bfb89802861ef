"""The units a time limit may be written in: the same vocabulary for registration conditions
(taxonomy) and for the deadline calculator (deadlines)."""

from __future__ import annotations

from typing import Literal, get_args

TimeUnit = Literal[
    "working_minutes",
    "working_hours",
    "working_days",
    "calendar_minutes",
    "calendar_hours",
    "calendar_days",
]
TIME_UNITS: tuple[str, ...] = get_args(TimeUnit)
