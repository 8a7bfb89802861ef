"""Exact due instants of `due_at` on the Shanghai test calendar (and Berlin for DST)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cityloop.deadlines import TimeLimit, TimeUnit, WorkingCalendar, due_at
from deadlines.factories import BERLIN_CAL, CAL, be, hours, sh

# Monday 2 November 2026 is the reference week; 6 November is a Friday.
WORKING_CASES = [
    # (start, amount, unit, due, why)
    (sh(2026, 11, 2, 9), 30, "working_minutes", sh(2026, 11, 2, 9, 30), "inside a period"),
    (sh(2026, 11, 2, 11, 30), 60, "working_minutes", sh(2026, 11, 2, 14), "across lunch"),
    (sh(2026, 11, 2, 11), 60, "working_minutes", sh(2026, 11, 2, 12), "ends exactly at a period end"),
    (sh(2026, 11, 2, 12), 1, "working_minutes", sh(2026, 11, 2, 13, 31), "starts exactly at a period end"),
    (
        sh(2026, 11, 2, 13, 30),
        4,
        "working_hours",
        sh(2026, 11, 2, 17, 30),
        "starts exactly at a period start",
    ),
    (sh(2026, 11, 2, 12, 45), 30, "working_minutes", sh(2026, 11, 2, 14), "starts in the lunch break"),
    (sh(2026, 11, 2, 7), 30, "working_minutes", sh(2026, 11, 2, 9), "starts before duty"),
    (sh(2026, 11, 2, 17), 1, "working_hours", sh(2026, 11, 3, 9), "across a night"),
    (sh(2026, 11, 2, 22), 1, "working_hours", sh(2026, 11, 3, 9, 30), "starts at night"),
    (sh(2026, 11, 6, 16, 30), 4, "working_hours", sh(2026, 11, 9, 11, 30), "across a weekend"),
    (sh(2026, 11, 7, 10), 30, "working_minutes", sh(2026, 11, 9, 9), "starts on a Saturday"),
    (sh(2026, 11, 2, 9), 2.5, "working_hours", sh(2026, 11, 2, 11, 30), "fractional hours"),
    (sh(2026, 11, 2, 9), 0, "working_hours", sh(2026, 11, 2, 9), "zero is due at once"),
    (sh(2026, 11, 7, 9), 0, "working_days", sh(2026, 11, 7, 9), "zero is due at once, even off duty"),
    (sh(2026, 10, 30, 17), 2, "working_hours", sh(2026, 11, 2, 10), "month end on a Friday"),
    (sh(2026, 12, 31, 16), 4, "working_hours", sh(2027, 1, 4, 11), "year end, New Year's Day off"),
    (sh(2026, 9, 30, 16, 30), 4, "working_hours", sh(2026, 10, 8, 11, 30), "across 国庆 1–7 October"),
    (sh(2026, 10, 3, 10), 1, "working_hours", sh(2026, 10, 8, 9, 30), "starts on a holiday"),
    (sh(2026, 10, 9, 17), 1, "working_hours", sh(2026, 10, 10, 9), "into the make-up Saturday"),
    (sh(2026, 9, 19, 10), 1, "working_hours", sh(2026, 9, 20, 9, 30), "on the make-up Sunday"),
    (sh(2026, 11, 2, 9), 15, "working_hours", sh(2026, 11, 4, 9), "two whole days of duty"),
    # working days: same working offset N workdays later; from outside duty, end of duty.
    (sh(2026, 11, 2, 10), 3, "working_days", sh(2026, 11, 5, 10), "mid-morning start"),
    (sh(2026, 11, 1, 15), 3, "working_days", sh(2026, 11, 4, 17, 30), "Sunday start counts from Monday"),
    (sh(2026, 11, 2, 8), 1, "working_days", sh(2026, 11, 2, 17, 30), "before duty: end of that day"),
    (sh(2026, 11, 2, 8, 30), 1, "working_days", sh(2026, 11, 2, 17, 30), "at duty start: end of that day"),
    (sh(2026, 11, 2, 17, 30), 1, "working_days", sh(2026, 11, 3, 17, 30), "at duty end: end of next day"),
    (sh(2026, 11, 2, 18), 1, "working_days", sh(2026, 11, 3, 17, 30), "after duty: end of next day"),
    (sh(2026, 11, 2, 12, 30), 1, "working_days", sh(2026, 11, 3, 12), "lunch start keeps the morning offset"),
    (sh(2026, 11, 2, 13, 30), 1, "working_days", sh(2026, 11, 3, 12), "afternoon start = same offset"),
    (sh(2026, 11, 6, 15), 1, "working_days", sh(2026, 11, 9, 15), "Friday to Monday"),
    (sh(2026, 10, 30, 11), 1, "working_days", sh(2026, 11, 2, 11), "month end"),
    (sh(2026, 12, 31, 10), 1, "working_days", sh(2027, 1, 4, 10), "year end, New Year's Day off"),
    (sh(2026, 9, 30, 10), 2, "working_days", sh(2026, 10, 9, 10), "across 国庆"),
    (sh(2026, 9, 30, 10), 3, "working_days", sh(2026, 10, 10, 10), "onto the make-up Saturday"),
    (sh(2026, 11, 2, 9), 13, "working_days", sh(2026, 11, 19, 9), "12345 complaint: 13 working days"),
    (sh(2026, 9, 18, 16), 1, "working_days", sh(2026, 9, 20, 16), "Friday to the make-up Sunday"),
]


@pytest.mark.parametrize(
    ("start", "amount", "unit", "due", "why"), WORKING_CASES, ids=[case[-1] for case in WORKING_CASES]
)
def test_working_due(start: datetime, amount: float, unit: TimeUnit, due: datetime, why: str) -> None:
    assert due_at(start, TimeLimit(amount, unit), CAL) == due


def test_due_is_aware_utc() -> None:
    due = due_at(sh(2026, 11, 2, 9), TimeLimit(30, "working_minutes"), CAL)
    assert due.tzinfo is UTC
    assert due == datetime(2026, 11, 2, 1, 30, tzinfo=UTC)
    # Naive datetimes are taken as UTC, as everywhere in CityLoop.
    assert due_at(datetime(2026, 11, 2, 1, 0), TimeLimit(30, "working_minutes"), CAL) == due


def test_working_days_clamp_to_a_shorter_target_day() -> None:
    from datetime import time

    cal = WorkingCalendar(
        makeup_workdays=frozenset({date(2026, 10, 10)}), makeup_periods=((time(9), time(12)),)
    )
    # Friday 9 October 16:00 is 6 h into the day; the make-up Saturday has only 3 h of duty.
    assert due_at(sh(2026, 10, 9, 16), TimeLimit(1, "working_days"), cal) == sh(2026, 10, 10, 12)
    assert due_at(sh(2026, 10, 9, 10), TimeLimit(1, "working_days"), cal) == sh(2026, 10, 10, 10, 30)


CALENDAR_CASES = [
    (sh(2026, 11, 2, 10), 2, "calendar_hours", sh(2026, 11, 2, 12)),
    (sh(2026, 11, 7, 22), 90, "calendar_minutes", sh(2026, 11, 7, 23, 30)),
    (sh(2026, 11, 7, 22), 3, "calendar_days", sh(2026, 11, 10, 22)),
    (sh(2026, 9, 30, 10), 2, "calendar_days", sh(2026, 10, 2, 10)),  # holidays are ignored
    (sh(2026, 12, 31, 23), 2, "calendar_hours", sh(2027, 1, 1, 1)),
    (sh(2026, 3, 28, 10), 1, "calendar_days", sh(2026, 3, 29, 10)),  # no DST in Shanghai: 24 h
    (sh(2026, 3, 28, 10), 24, "calendar_hours", sh(2026, 3, 29, 10)),
]


@pytest.mark.parametrize(("start", "amount", "unit", "due"), CALENDAR_CASES)
def test_calendar_due(start: datetime, amount: float, unit: TimeUnit, due: datetime) -> None:
    assert due_at(start, TimeLimit(amount, unit), CAL) == due


def test_calendar_days_keep_wall_clock_across_dst() -> None:
    # Europe/Berlin: summer time starts Sunday 29 March 2026, ends Sunday 25 October 2026.
    spring = due_at(be(2026, 3, 28, 10), TimeLimit(1, "calendar_days"), BERLIN_CAL)
    assert spring == be(2026, 3, 29, 10)
    assert spring - be(2026, 3, 28, 10) == hours(23)
    autumn = due_at(be(2026, 10, 24, 10), TimeLimit(1, "calendar_days"), BERLIN_CAL)
    assert autumn == be(2026, 10, 25, 10)
    assert autumn - be(2026, 10, 24, 10) == hours(25)
    # Hours are elapsed time: 24 h after Saturday 10:00 CET is Sunday 11:00 CEST.
    assert due_at(be(2026, 3, 28, 10), TimeLimit(24, "calendar_hours"), BERLIN_CAL) == be(2026, 3, 29, 11)
    # A wall-clock time that does not exist (02:30 on 29 March) resolves to the hour after.
    assert due_at(be(2026, 3, 28, 2, 30), TimeLimit(1, "calendar_days"), BERLIN_CAL) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )


def test_working_time_across_dst() -> None:
    assert due_at(be(2026, 3, 27, 17), TimeLimit(1, "working_hours"), BERLIN_CAL) == be(2026, 3, 30, 9)
    assert due_at(be(2026, 3, 27, 17), TimeLimit(1, "working_hours"), BERLIN_CAL) == datetime(
        2026, 3, 30, 7, 0, tzinfo=UTC
    )
    assert due_at(be(2026, 3, 27, 10), TimeLimit(1, "working_days"), BERLIN_CAL) == be(2026, 3, 30, 10)
