"""Time limits: an amount and a unit, in working time or in calendar time.

Units (the names `cityloop.taxonomy` registration conditions already use):

- `working_minutes`, `working_hours`: that much duty time of the city's calendar.
- `working_days`: whole working days. Definition chosen for CityLoop: a limit of N working
  days started at an instant that falls into the duty of workday D, after `o` of that day's
  duty time has passed, is due on the N-th workday after D once `o` of *its* duty time has
  passed (clamped to the end of that day's duty when it is shorter). A start at or before
  the first duty of a workday (o = 0), or outside duty on a non-workday or after the day's
  last duty (counting starts on the next workday, o = 0) is due at the end of duty of the
  N-th workday counting D as the first — the same working instant as o = 0 on the next one.
  So "3 working days" from Monday 10:00 is Thursday 10:00; from Sunday it is Wednesday 17:30.
- `calendar_minutes`, `calendar_hours`: elapsed time, ignoring the calendar.
- `calendar_days`: the same local wall-clock time N days later in the city's timezone (so
  across a DST change a calendar day lasts 23 or 25 hours).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cityloop.core.timeunits import TIME_UNITS, TimeUnit
from cityloop.deadlines.errors import InvalidLimit

_MINUTES_PER: dict[str, int] = {
    "working_minutes": 1,
    "working_hours": 60,
    "calendar_minutes": 1,
    "calendar_hours": 60,
}


@dataclass(frozen=True)
class TimeLimit:
    """How long a step may take: `amount` (>= 0) of `unit`; working days are whole numbers."""

    amount: int | float
    unit: TimeUnit

    def __post_init__(self) -> None:
        if self.unit not in TIME_UNITS:
            raise InvalidLimit(f"unit: {self.unit!r} is not one of {', '.join(TIME_UNITS)}")
        amount = self.amount
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            raise InvalidLimit(f"amount: {amount!r} is not a number")
        if not math.isfinite(amount) or amount < 0:
            raise InvalidLimit(f"amount: {amount!r} must be a finite number of at least 0")
        if self.unit in ("working_days", "calendar_days") and amount != int(amount):
            raise InvalidLimit(
                f"amount: {self.unit} take a whole number, got {amount!r} (use hours for a part of a day)"
            )

    @classmethod
    def parse(cls, data: Mapping[str, Any], *, where: str = "limit") -> TimeLimit:
        """Read `{"amount": 4, "unit": "working_hours"}`; errors name `where` and the field."""
        if not isinstance(data, Mapping):
            raise InvalidLimit(f"{where}: expected a mapping with amount and unit, got {data!r}")
        missing = [key for key in ("amount", "unit") if key not in data]
        if missing:
            raise InvalidLimit(f"{where}: missing {' and '.join(missing)}")
        extra = sorted(set(data) - {"amount", "unit"})
        if extra:
            raise InvalidLimit(f"{where}: unknown field(s) {', '.join(map(str, extra))}")
        try:
            return cls(amount=data["amount"], unit=data["unit"])
        except InvalidLimit as exc:
            raise InvalidLimit(f"{where}.{exc.message}") from exc

    def to_dict(self) -> dict[str, Any]:
        """The `{"amount", "unit"}` form `parse` reads."""
        return {"amount": self.amount, "unit": self.unit}

    @property
    def is_working(self) -> bool:
        """Whether the limit runs on the working calendar (else on calendar time)."""
        return self.unit.startswith("working_")

    def as_timedelta(self) -> timedelta:
        """The limit as a duration, for minute and hour units (working or calendar)."""
        if self.unit not in _MINUTES_PER:
            raise InvalidLimit(f"unit: {self.unit} has no fixed duration")
        return timedelta(minutes=self.amount * _MINUTES_PER[self.unit])

    def __str__(self) -> str:
        amount = int(self.amount) if self.amount == int(self.amount) else self.amount
        return f"{amount} {self.unit.replace('_', ' ')}"
