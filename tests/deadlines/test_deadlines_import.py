"""Importing, reading and exporting a city's calendar file (real database)."""

from __future__ import annotations

import copy
from datetime import date, time
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cityloop.cities.errors import CityNotFound
from cityloop.cities.models import City
from cityloop.deadlines import (
    DEFAULT_WEEK,
    Policy,
    TimeLimit,
    WorkingCalendar,
    do_import_calendar,
    due_at,
    export_calendar,
    get_calendar,
    get_calendar_data,
    get_policy,
    list_policies,
    packaged_calendar,
)
from cityloop.deadlines.errors import InvalidCalendar
from cityloop.deadlines.models import CalendarDay, StepPolicy, StoredCalendar
from deadlines.factories import sh


def small_file() -> dict[str, Any]:
    return {
        "timezone": "Asia/Shanghai",
        "week": {
            "mon": ["08:30-12:00", "13:30-17:30"],
            "tue": ["08:30-12:00", "13:30-17:30"],
            "wed": ["08:30-12:00", "13:30-17:30"],
            "thu": ["08:30-12:00", "13:30-17:30"],
            "fri": ["08:30-12:00", "13:30-17:00"],
        },
        "holidays": [{"date": date(2026, 10, d), "name": "国庆节"} for d in range(1, 8)],
        "makeup_workdays": [{"date": "2026-10-10", "name": "国庆节调休"}],
        "policies": [
            {"step": "dispatch", "urgency": "normal", "limit": {"amount": 30, "unit": "working_minutes"}},
            {"step": "dispatch", "urgency": "urgent", "limit": {"amount": 10, "unit": "calendar_minutes"}},
            {"step": "verify", "urgency": "normal", "limit": {"amount": 1.5, "unit": "working_hours"}},
        ],
        "note": "test calendar",
    }


def counts(session: Session, city_code: str) -> tuple[int, int, int]:
    def count(model: Any) -> int:
        return session.scalar(select(func.count()).select_from(model).where(model.city_id == city_code)) or 0

    return count(StoredCalendar), count(CalendarDay), count(StepPolicy)


def test_a_city_without_calendar_gets_the_default(session: Session, city: City) -> None:
    assert get_calendar(session, city.code) == WorkingCalendar(timezone=city.timezone)
    assert get_calendar(session, city.code).week == DEFAULT_WEEK
    assert get_policy(session, city.code, "dispatch", "normal") is None
    with pytest.raises(CityNotFound):
        get_calendar(session, "999999")


def test_import_stores_and_reads_back(session: Session, city: City) -> None:
    result = do_import_calendar(session, city_code=city.code, data=small_file())
    assert (result.holidays, result.makeup_workdays, result.policies) == (7, 1, 3)
    assert counts(session, city.code) == (1, 8, 3)
    cal = get_calendar(session, city.code)
    assert cal.week[5] == ((time(8, 30), time(12)), (time(13, 30), time(17)))
    assert cal.week[6] == ()
    assert cal.is_workday(date(2026, 10, 10)) and not cal.is_workday(date(2026, 10, 5))
    # Friday 9 October 16:30 + 1 working hour: 30 min on Friday (duty ends 17:00), 30 on the make-up Saturday.
    assert due_at(sh(2026, 10, 9, 16, 30), TimeLimit(1, "working_hours"), cal) == sh(2026, 10, 10, 9)
    assert get_policy(session, city.code, "verify", "normal") == TimeLimit(1.5, "working_hours")
    assert list_policies(session, city.code)[0] == Policy(
        "dispatch", "normal", TimeLimit(30, "working_minutes")
    )
    assert get_calendar_data(session, city.code).day_names[date(2026, 10, 10)] == "国庆节调休"


def test_export_round_trips(session: Session, city: City) -> None:
    do_import_calendar(session, city_code=city.code, data=small_file())
    exported = export_calendar(session, city.code)
    assert exported["week"]["fri"] == ["08:30-12:00", "13:30-17:00"]
    assert exported["week"]["sat"] == []
    assert exported["makeup_periods"] == ["08:30-12:00", "13:30-17:30"]
    assert exported["holidays"][0] == {"date": "2026-10-01", "name": "国庆节"}
    assert exported["policies"][2] == {
        "step": "verify",
        "urgency": "normal",
        "limit": {"amount": 1.5, "unit": "working_hours"},
    }
    assert exported["note"] == "test calendar"
    do_import_calendar(session, city_code=city.code, data=copy.deepcopy(exported))
    assert export_calendar(session, city.code) == exported


def test_reimport_replaces_days_and_keeps_policies_when_absent(session: Session, city: City) -> None:
    do_import_calendar(session, city_code=city.code, data=small_file())
    data = small_file()
    del data["policies"]
    data["holidays"] = [{"date": "2027-01-01", "name": "元旦"}]
    data["makeup_workdays"] = []
    result = do_import_calendar(session, city_code=city.code, data=data, source="pack/calendar.yaml")
    assert result.policies is None
    assert counts(session, city.code) == (1, 1, 3)
    assert get_calendar(session, city.code).holidays == frozenset({date(2027, 1, 1)})


def test_cities_do_not_see_each_other(session: Session, make_city: Any) -> None:
    a, b = make_city("330100"), make_city("320100", "南京市")
    do_import_calendar(session, city_code=a.code, data=small_file())
    assert counts(session, b.code) == (0, 0, 0)
    assert get_calendar(session, b.code) == WorkingCalendar()
    assert list_policies(session, b.code) == ()


def _with(**changes: Any) -> dict[str, Any]:
    data = small_file()
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_with(timezone="Mars/Olympus"), "calendar.yaml: timezone: unknown timezone 'Mars/Olympus'"),
        (_with(timezone=None), "calendar.yaml: timezone: expected a timezone name"),
        (
            _with(week={"mon": ["12:00-08:30"]}),
            "calendar.yaml: week.mon: duty period 12:00–08:30 is reversed",
        ),
        (
            _with(week={"mon": ["8h-12h"]}),
            "calendar.yaml: week.mon[0]: '8h-12h' is not a period like '08:30-12:00'",
        ),
        (
            _with(week={"mon": ["08:30-25:00"]}),
            "calendar.yaml: week.mon[0]: '08:30-25:00' holds an impossible time",
        ),
        (_with(week={"monday": []}), "calendar.yaml: week: unknown weekday(s) monday"),
        (
            _with(week={"tue": ["08:00-12:00", "11:00-14:00"]}),
            "calendar.yaml: week.tue: duty periods 08:00–12:00 and 11:00–14:00 overlap",
        ),
        (
            _with(makeup_workdays=[{"date": "2026-10-03"}]),
            "calendar.yaml: 2026-10-03: a date cannot be both a holiday and a make-up workday",
        ),
        (
            _with(holidays=[{"date": "2026-13-01"}]),
            "calendar.yaml: holidays[0].date: '2026-13-01' is not a date",
        ),
        (
            _with(holidays=[{"date": "2026-10-01"}, {"date": "2026-10-01"}]),
            "calendar.yaml: holidays[1].date: 2026-10-01 is listed twice in holidays",
        ),
        (
            _with(
                policies=[
                    {"step": "dispatch", "urgency": "soon", "limit": {"amount": 1, "unit": "working_hours"}}
                ]
            ),
            "calendar.yaml: policies[0].urgency: 'soon' is not one of urgent, normal",
        ),
        (
            _with(
                policies=[
                    {
                        "step": "Dispatch!",
                        "urgency": "normal",
                        "limit": {"amount": 1, "unit": "working_hours"},
                    }
                ]
            ),
            "calendar.yaml: policies[0].step: 'Dispatch!' is not a step name",
        ),
        (
            _with(
                policies=[{"step": "dispatch", "urgency": "normal", "limit": {"amount": 1, "unit": "weeks"}}]
            ),
            "calendar.yaml: policies[0].limit.unit: 'weeks' is not one of",
        ),
        (
            _with(
                policies=[
                    {
                        "step": "dispatch",
                        "urgency": "normal",
                        "limit": {"amount": 1, "unit": "working_hours"},
                    },
                    {
                        "step": "dispatch",
                        "urgency": "normal",
                        "limit": {"amount": 2, "unit": "working_hours"},
                    },
                ]
            ),
            "calendar.yaml: policies[1]: dispatch/normal is listed twice",
        ),
        (_with(colour="red"), "calendar.yaml: calendar: unknown key(s) colour"),
        ([], "calendar.yaml: calendar: expected a mapping at the top of the file"),
    ],
)
def test_refused_files_write_nothing(session: Session, city: City, data: Any, message: str) -> None:
    do_import_calendar(session, city_code=city.code, data=small_file())
    before = export_calendar(session, city.code)
    with pytest.raises(InvalidCalendar) as info:
        do_import_calendar(session, city_code=city.code, data=data)
    assert info.value.code == "deadlines.invalid_calendar"
    assert info.value.message.startswith(message)
    assert export_calendar(session, city.code) == before
    assert counts(session, city.code) == (1, 8, 3)


def test_import_into_an_unknown_city_is_refused(session: Session) -> None:
    with pytest.raises(CityNotFound):
        do_import_calendar(session, city_code="999999", data=small_file())
    assert counts(session, "999999") == (0, 0, 0)


def test_packaged_china_2026_calendar(session: Session, city: City) -> None:
    data = packaged_calendar("cn-2026")
    assert "State Council" in data["note"]
    result = do_import_calendar(session, city_code=city.code, data=data, source="cn-2026.yaml")
    assert (result.holidays, result.makeup_workdays) == (33, 6)
    cal = get_calendar(session, city.code)
    assert not cal.is_workday(date(2026, 10, 1))
    assert cal.is_workday(date(2026, 10, 10))
    assert not cal.is_workday(date(2026, 2, 17))
    # Every make-up workday falls on a weekend, and no holiday needed a make-up day in a working week.
    assert all(d.isoweekday() >= 6 for d in cal.makeup_workdays)
    # 4 working hours from Wednesday 30 September 16:30: 1 h that day, then 国庆 until Thursday 8 October.
    assert due_at(sh(2026, 9, 30, 16, 30), TimeLimit(4, "working_hours"), cal) == sh(2026, 10, 8, 11, 30)
