from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from cityloop.deadlines import DEFAULT_DAY, WorkingCalendar
from cityloop.deadlines.errors import InvalidCalendar
from deadlines.factories import BERLIN_CAL, CAL, be, hours, sh


def test_default_calendar_is_shanghai_monday_to_friday() -> None:
    cal = WorkingCalendar()
    assert cal.timezone == "Asia/Shanghai"
    assert [cal.week[iso] for iso in range(1, 8)] == [DEFAULT_DAY] * 5 + [(), ()]
    assert cal.makeup_periods == DEFAULT_DAY
    assert cal.local_periods_on(date(2026, 11, 2)) == ((time(8, 30), time(12)), (time(13, 30), time(17, 30)))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 2), True),  # Monday
        (date(2026, 11, 7), False),  # Saturday
        (date(2026, 11, 8), False),  # Sunday
        (date(2026, 10, 1), False),  # 国庆, a Thursday
        (date(2026, 10, 5), False),  # 国庆, a Monday
        (date(2026, 10, 8), True),  # first day back
        (date(2026, 10, 10), True),  # make-up Saturday
        (date(2026, 9, 20), True),  # make-up Sunday
        (date(2027, 1, 1), False),  # New Year's Day, a Friday
    ],
)
def test_is_workday(day: date, expected: bool) -> None:
    assert CAL.is_workday(day) is expected


def test_periods_on_are_utc_instants() -> None:
    assert CAL.periods_on(date(2026, 11, 2)) == [
        (datetime(2026, 11, 2, 0, 30, tzinfo=UTC), datetime(2026, 11, 2, 4, 0, tzinfo=UTC)),
        (datetime(2026, 11, 2, 5, 30, tzinfo=UTC), datetime(2026, 11, 2, 9, 30, tzinfo=UTC)),
    ]
    assert CAL.periods_on(date(2026, 11, 7)) == []
    assert CAL.periods_on(date(2026, 10, 3)) == []
    assert CAL.periods_on(date(2026, 10, 10))[0] == (sh(2026, 10, 10, 8, 30), sh(2026, 10, 10, 12))


def test_periods_follow_dst_per_day() -> None:
    # Europe/Berlin moves to summer time on Sunday 29 March 2026.
    assert BERLIN_CAL.periods_on(date(2026, 3, 27))[0][0] == datetime(2026, 3, 27, 7, 30, tzinfo=UTC)
    assert BERLIN_CAL.periods_on(date(2026, 3, 30))[0][0] == datetime(2026, 3, 30, 6, 30, tzinfo=UTC)
    assert BERLIN_CAL.periods_on(date(2026, 10, 26))[0][0] == datetime(2026, 10, 26, 7, 30, tzinfo=UTC)


def test_makeup_periods_can_differ() -> None:
    cal = WorkingCalendar(
        makeup_workdays=frozenset({date(2026, 10, 10)}), makeup_periods=((time(9), time(12)),)
    )
    assert cal.periods_on(date(2026, 10, 10)) == [(sh(2026, 10, 10, 9), sh(2026, 10, 10, 12))]
    assert cal.day_length(date(2026, 10, 10)) == hours(3)
    assert cal.day_length(date(2026, 10, 9)) == hours(7.5)


def test_next_workday_skips_weekend_and_holidays() -> None:
    assert CAL.next_workday(date(2026, 11, 6)) == date(2026, 11, 9)
    assert CAL.next_workday(date(2026, 9, 30)) == date(2026, 10, 8)
    assert CAL.next_workday(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert CAL.next_workday(date(2026, 11, 6), 0) == date(2026, 11, 6)


@pytest.mark.parametrize(
    ("a", "b", "minutes"),
    [
        (sh(2026, 11, 2, 9), sh(2026, 11, 2, 10), 60),
        (sh(2026, 11, 2, 11), sh(2026, 11, 2, 14), 90),  # across lunch
        (sh(2026, 11, 2, 12), sh(2026, 11, 2, 13, 30), 0),  # the lunch break itself
        (sh(2026, 11, 2, 17), sh(2026, 11, 3, 9), 60),  # across a night
        (sh(2026, 11, 6, 17), sh(2026, 11, 9, 9), 60),  # across a weekend
        (sh(2026, 11, 7, 0), sh(2026, 11, 8, 23, 59), 0),  # a weekend
        (sh(2026, 9, 30, 17), sh(2026, 10, 8, 9), 60),  # across 国庆
        (sh(2026, 10, 9, 17), sh(2026, 10, 10, 9), 60),  # into the make-up Saturday
        (sh(2026, 11, 2), sh(2026, 11, 9), 5 * 450),  # a whole week
        (sh(2026, 11, 2, 10), sh(2026, 11, 2, 9), -60),  # reversed: negative
        (sh(2026, 11, 2, 10), sh(2026, 11, 2, 10), 0),
    ],
)
def test_working_minutes_between(a: datetime, b: datetime, minutes: int) -> None:
    assert CAL.working_minutes_between(a, b) == minutes


def test_working_time_across_dst_counts_duty_not_wall_clock() -> None:
    assert BERLIN_CAL.working_time_between(be(2026, 3, 27, 8, 30), be(2026, 3, 30, 17, 30)) == hours(15)
    assert BERLIN_CAL.working_time_between(be(2026, 3, 27, 17), be(2026, 3, 30, 9)) == hours(1)


def test_add_working_time_lands_on_period_end_not_next_start() -> None:
    assert CAL.add_working_time(sh(2026, 11, 2, 11), hours(1)) == sh(2026, 11, 2, 12)
    assert CAL.add_working_time(sh(2026, 11, 2, 17), hours(0.5)) == sh(2026, 11, 2, 17, 30)
    assert CAL.add_working_time(sh(2026, 11, 2, 17), timedelta(0)) == sh(2026, 11, 2, 17)
    with pytest.raises(ValueError):
        CAL.add_working_time(sh(2026, 11, 2, 17), -hours(1))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timezone": "Asia/Nowhere"}, "timezone: unknown timezone 'Asia/Nowhere'"),
        ({"week": {1: ((time(12), time(8)),)}}, "week.mon: duty period 12:00–08:00 is reversed or empty"),
        ({"week": {2: ((time(9), time(9)),)}}, "week.tue: duty period 09:00–09:00 is reversed or empty"),
        (
            {"week": {3: ((time(8), time(12)), (time(11), time(14)))}},
            "week.wed: duty periods 08:00–12:00 and 11:00–14:00 overlap",
        ),
        ({"week": {8: DEFAULT_DAY}}, "week: weekdays are ISO numbers 1 (Monday) to 7 (Sunday), got [8]"),
        ({"week": {6: ()}}, "week: at least one weekday needs duty periods"),
        (
            {"holidays": frozenset({date(2026, 10, 10)}), "makeup_workdays": frozenset({date(2026, 10, 10)})},
            "2026-10-10: a date cannot be both a holiday and a make-up workday",
        ),
        ({"makeup_periods": ((time(9), time(8)),)}, "makeup_periods: duty period 09:00–08:00 is reversed"),
        (
            {"week": {2: DEFAULT_DAY}, "makeup_workdays": frozenset({date(2026, 10, 10)})},
            "makeup_periods: make-up workdays need duty periods",
        ),
    ],
)
def test_invalid_calendars_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidCalendar) as info:
        WorkingCalendar(**kwargs)  # type: ignore[arg-type]
    assert info.value.code == "deadlines.invalid_calendar"
    assert info.value.message.startswith(message)


def test_touching_periods_are_allowed_and_sorted() -> None:
    cal = WorkingCalendar(week={1: ((time(13), time(17)), (time(9), time(13)))})
    assert cal.week[1] == ((time(9), time(13)), (time(13), time(17)))
    assert cal.week[2] == ()


def test_calendar_is_immutable_and_hashable() -> None:
    week = {1: DEFAULT_DAY}
    cal = WorkingCalendar(week=week)
    week[2] = DEFAULT_DAY
    assert cal.week[2] == ()
    assert hash(cal) == hash(WorkingCalendar(week={1: DEFAULT_DAY}))
    assert cal == WorkingCalendar(week={1: DEFAULT_DAY})
