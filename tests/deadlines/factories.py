"""Calendars and local-time helpers of the deadlines tests.

The 2026 holidays here are test data shaped like mainland China's published arrangement
(国庆 1–7 October with make-up Sunday 20 September and Saturday 10 October, New Year's Day
2027 on a Friday); the tests only need them to be a plausible, fixed calendar.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from cityloop.deadlines import WorkingCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")

NATIONAL_DAY = frozenset(date(2026, 10, d) for d in range(1, 8))
HOLIDAYS = NATIONAL_DAY | {date(2027, 1, 1)}
MAKEUP = frozenset({date(2026, 9, 20), date(2026, 10, 10)})

CAL = WorkingCalendar(holidays=HOLIDAYS, makeup_workdays=MAKEUP)
BERLIN_CAL = WorkingCalendar(timezone="Europe/Berlin")


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    """An aware Asia/Shanghai datetime."""
    return datetime(y, mo, d, h, mi, tzinfo=SHANGHAI)


def be(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    """An aware Europe/Berlin datetime."""
    return datetime(y, mo, d, h, mi, tzinfo=BERLIN)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)
