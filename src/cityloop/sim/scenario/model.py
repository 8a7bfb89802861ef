"""The scenario's records: one arrival (a report to send, with the truth about it), and the run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Arrival:
    """One report to send through the pipeline, with the truth about it."""

    index: int
    at: datetime
    channel: str
    #: The true matter code of the problem (the pipeline may classify it differently).
    code: str
    lon: float
    lat: float
    place: str | None = None
    text: str = ""
    #: A phone number (citizens, callers) or the reporting inspector's username.
    reporter: str | None = None
    urgent: bool = False
    self_handled: bool = False
    #: Citizens: a category was chosen in the app. Hotline: the order carries the point.
    chosen: bool = False
    with_point: bool = False
    device_id: str | None = None
    #: Camera algorithm class or sensor metric.
    device_class: str | None = None
    #: Sensors: the reading; cameras: the algorithm's confidence.
    value: float | None = None
    unit: str | None = None
    recovery: bool = False
    #: Ground truth: the arrival whose problem this one reports again.
    duplicate_of: int | None = None
    #: Ground truth: the device alarm this one repeats (or recovers from).
    repeat_of: int | None = None

    @property
    def problem(self) -> int:
        """The arrival that first reported this problem (itself when it is the first)."""
        return (
            self.duplicate_of
            if self.duplicate_of is not None
            else (self.repeat_of if self.repeat_of is not None else self.index)
        )


@dataclass(frozen=True)
class Scenario:
    city_code: str
    start: datetime
    days: float
    seed: int
    arrivals: list[Arrival]
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=self.days)
