"""Writes of the deadlines package: importing a city's calendar file.

Actions flush but never commit; the caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cityloop.cities import get_city
from cityloop.deadlines.calendar_data import calendar_data_to_dict, parse_calendar_data
from cityloop.deadlines.errors import InvalidCalendar
from cityloop.deadlines.models import CalendarDay, StepPolicy, StoredCalendar
from cityloop.deadlines.queries import forget_cached, get_calendar_data


@dataclass(frozen=True)
class CalendarImport:
    """What an import stored."""

    city_code: str
    holidays: int
    makeup_workdays: int
    policies: int | None


def do_import_calendar(
    session: Session, *, city_code: str, data: Any, source: str = "calendar.yaml"
) -> CalendarImport:
    """Replace the city's calendar and special days with the file's (and its policies when the
    file lists any); validates everything first, so a refused file writes nothing."""
    city = get_city(session, city_code)
    try:
        parsed = parse_calendar_data(data)
    except InvalidCalendar as exc:
        raise InvalidCalendar(f"{source}: {exc.message}", details={"source": source}) from exc
    file_form = calendar_data_to_dict(parsed)
    stored = session.scalar(select(StoredCalendar).where(StoredCalendar.city_id == city.code))
    if stored is None:
        stored = StoredCalendar(city_id=city.code)
        session.add(stored)
    stored.timezone = parsed.calendar.timezone
    stored.week = file_form["week"]
    stored.makeup_periods = file_form["makeup_periods"]
    stored.source = source[:200]
    stored.note = parsed.note
    session.execute(delete(CalendarDay).where(CalendarDay.city_id == city.code))
    for kind, days in (("holiday", parsed.calendar.holidays), ("makeup", parsed.calendar.makeup_workdays)):
        for day in sorted(days):
            session.add(
                CalendarDay(city_id=city.code, day=day, kind=kind, name=parsed.day_names.get(day, ""))
            )
    if parsed.policies is not None:
        session.execute(delete(StepPolicy).where(StepPolicy.city_id == city.code))
        for policy in parsed.policies:
            session.add(
                StepPolicy(
                    city_id=city.code,
                    step=policy.step,
                    urgency=policy.urgency,
                    amount=float(policy.limit.amount),
                    unit=policy.limit.unit,
                )
            )
    session.flush()
    forget_cached(session)
    return CalendarImport(
        city_code=city.code,
        holidays=len(parsed.calendar.holidays),
        makeup_workdays=len(parsed.calendar.makeup_workdays),
        policies=None if parsed.policies is None else len(parsed.policies),
    )


def export_calendar(session: Session, city_code: str) -> dict[str, Any]:
    """The city's calendar in file form; `do_import_calendar` reads it back unchanged."""
    return calendar_data_to_dict(get_calendar_data(session, city_code))


@cache
def _packaged_text(name: str) -> str:
    return resources.files("cityloop.deadlines").joinpath(f"data/{name}.yaml").read_text("utf-8")


def packaged_calendar(name: str = "cn-2026") -> dict[str, Any]:
    """A packaged calendar file (e.g. mainland China 2026) as data, ready for `do_import_calendar`."""
    data: dict[str, Any] = yaml.safe_load(_packaged_text(name))
    return data
