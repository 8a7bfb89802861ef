"""The calendar file of a city pack (`calendar.yaml`) as plain data: parse and serialise.

Shape (every key but `timezone` optional; `week` defaults to `DEFAULT_WEEK`)::

    timezone: Asia/Shanghai
    week: {mon: ["08:30-12:00", "13:30-17:30"], ..., sat: [], sun: []}
    makeup_periods: ["08:30-12:00", "13:30-17:30"]   # default: Monday's
    holidays: [{date: 2026-10-01, name: 国庆节}]
    makeup_workdays: [{date: 2026-10-10, name: 国庆节调休}]
    policies: [{step: dispatch, urgency: normal, limit: {amount: 30, unit: working_minutes}}]
    note: free text

Pure: no database. Errors name the field, the entry and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from cityloop.deadlines.calendar import DEFAULT_WEEK, WEEKDAYS, Period, WorkingCalendar
from cityloop.deadlines.errors import InvalidCalendar, InvalidLimit
from cityloop.deadlines.limits import TimeLimit
from cityloop.deadlines.policies import STEP_DEFAULTS

URGENCIES = ("urgent", "normal")
_PERIOD = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
_STEP = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_KEYS = {"timezone", "week", "makeup_periods", "holidays", "makeup_workdays", "policies", "note"}


@dataclass(frozen=True)
class Policy:
    """The time limit of one workflow step at one urgency."""

    step: str
    urgency: str
    limit: TimeLimit


@dataclass(frozen=True)
class CalendarData:
    """A parsed calendar file: the calendar, the names of its special days, and the policies."""

    calendar: WorkingCalendar
    day_names: Mapping[date, str]
    policies: tuple[Policy, ...] | None
    note: str | None = None


def parse_period(text: Any, where: str) -> Period:
    """Read `"08:30-12:00"` as a pair of local times."""
    match = _PERIOD.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise InvalidCalendar(f"{where}: {text!r} is not a period like '08:30-12:00'")
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    try:
        return time(h1, m1), time(h2, m2)
    except ValueError as exc:
        raise InvalidCalendar(f"{where}: {text!r} holds an impossible time") from exc


def format_period(period: Period) -> str:
    return f"{period[0]:%H:%M}-{period[1]:%H:%M}"


def _periods(value: Any, where: str) -> tuple[Period, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidCalendar(f"{where}: expected a list of periods like ['08:30-12:00'], got {value!r}")
    return tuple(parse_period(item, f"{where}[{i}]") for i, item in enumerate(value))


def _week(value: Any) -> Mapping[int, tuple[Period, ...]]:
    if value is None:
        return DEFAULT_WEEK
    if not isinstance(value, Mapping):
        raise InvalidCalendar(f"week: expected a mapping of weekdays ({', '.join(WEEKDAYS)}), got {value!r}")
    unknown = sorted(str(key) for key in value if key not in WEEKDAYS)
    if unknown:
        raise InvalidCalendar(f"week: unknown weekday(s) {', '.join(unknown)}; use {', '.join(WEEKDAYS)}")
    return {i + 1: _periods(value.get(name), f"week.{name}") for i, name in enumerate(WEEKDAYS)}


def _days(value: Any, field: str, names: dict[date, str]) -> frozenset[date]:
    if value is None:
        return frozenset()
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidCalendar(f"{field}: expected a list of {{date, name}} entries")
    days: set[date] = set()
    for i, entry in enumerate(value):
        where = f"{field}[{i}]"
        raw = entry.get("date") if isinstance(entry, Mapping) else entry
        try:
            day = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
        except ValueError as exc:
            raise InvalidCalendar(f"{where}.date: {raw!r} is not a date like 2026-10-01") from exc
        if day in days:
            raise InvalidCalendar(f"{where}.date: {day.isoformat()} is listed twice in {field}")
        name = entry.get("name") if isinstance(entry, Mapping) else None
        if name is not None and (not isinstance(name, str) or len(name) > 100):
            raise InvalidCalendar(f"{where}.name: expected a text of at most 100 characters")
        days.add(day)
        if name:
            names[day] = name
    return frozenset(days)


def _policies(value: Any) -> tuple[Policy, ...] | None:
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidCalendar("policies: expected a list of {step, urgency, limit} entries")
    seen: set[tuple[str, str]] = set()
    policies = []
    for i, entry in enumerate(value):
        where = f"policies[{i}]"
        if not isinstance(entry, Mapping):
            raise InvalidCalendar(f"{where}: expected a mapping with step, urgency and limit")
        step, urgency = entry.get("step"), entry.get("urgency")
        if not isinstance(step, str) or not _STEP.match(step):
            raise InvalidCalendar(f"{where}.step: {step!r} is not a step name like 'dispatch'")
        if step not in STEP_DEFAULTS:
            raise InvalidCalendar(
                f"{where}.step: unknown step {step!r}; steps are {', '.join(sorted(STEP_DEFAULTS))}"
            )
        if urgency not in URGENCIES:
            raise InvalidCalendar(f"{where}.urgency: {urgency!r} is not one of {', '.join(URGENCIES)}")
        if (step, urgency) in seen:
            raise InvalidCalendar(f"{where}: {step}/{urgency} is listed twice")
        seen.add((step, urgency))
        try:
            limit = TimeLimit.parse(entry.get("limit"), where=f"{where}.limit")  # type: ignore[arg-type]
        except InvalidLimit as exc:
            raise InvalidCalendar(exc.message) from exc
        policies.append(Policy(step=step, urgency=urgency, limit=limit))
    return tuple(policies)


def parse_calendar_data(data: Any) -> CalendarData:
    """Validate a calendar file's content; raise `InvalidCalendar` naming the first fault."""
    if not isinstance(data, Mapping):
        raise InvalidCalendar("calendar: expected a mapping at the top of the file")
    unknown = sorted(str(key) for key in set(data) - _KEYS)
    if unknown:
        raise InvalidCalendar(f"calendar: unknown key(s) {', '.join(unknown)}")
    timezone = data.get("timezone")
    if not isinstance(timezone, str):
        raise InvalidCalendar(f"timezone: expected a timezone name like Asia/Shanghai, got {timezone!r}")
    note = data.get("note")
    if note is not None and not isinstance(note, str):
        raise InvalidCalendar("note: expected a text")
    names: dict[date, str] = {}
    makeup_raw = data.get("makeup_periods")
    calendar = WorkingCalendar(
        timezone=timezone,
        week=_week(data.get("week")),
        holidays=_days(data.get("holidays"), "holidays", names),
        makeup_workdays=_days(data.get("makeup_workdays"), "makeup_workdays", names),
        makeup_periods=None if makeup_raw is None else _periods(makeup_raw, "makeup_periods"),
    )
    return CalendarData(
        calendar=calendar, day_names=names, policies=_policies(data.get("policies")), note=note
    )


def _day_entries(days: frozenset[date], names: Mapping[date, str]) -> list[dict[str, Any]]:
    return [{"date": d.isoformat(), "name": names.get(d, "")} for d in sorted(days)]


def calendar_data_to_dict(data: CalendarData) -> dict[str, Any]:
    """The file form of a calendar, which `parse_calendar_data` reads back to an equal value."""
    cal = data.calendar
    body: dict[str, Any] = {
        "timezone": cal.timezone,
        "week": {name: [format_period(p) for p in cal.week[i + 1]] for i, name in enumerate(WEEKDAYS)},
        "makeup_periods": [format_period(p) for p in cal.makeup_periods or ()],
        "holidays": _day_entries(cal.holidays, data.day_names),
        "makeup_workdays": _day_entries(cal.makeup_workdays, data.day_names),
    }
    if data.policies is not None:
        body["policies"] = [
            {"step": p.step, "urgency": p.urgency, "limit": p.limit.to_dict()} for p in data.policies
        ]
    if data.note is not None:
        body["note"] = data.note
    return body
