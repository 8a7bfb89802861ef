"""Reads of the deadlines package: a city's calendar, its file form and its step limits."""

from __future__ import annotations

from typing import cast

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from cityloop.cities import get_city
from cityloop.core.timeunits import TimeUnit
from cityloop.deadlines.calendar import WorkingCalendar
from cityloop.deadlines.calendar_data import CalendarData, Policy, parse_calendar_data
from cityloop.deadlines.limits import TimeLimit
from cityloop.deadlines.models import CalendarDay, StepPolicy, StoredCalendar


def _limit(row: StepPolicy) -> TimeLimit:
    amount = int(row.amount) if row.amount == int(row.amount) else row.amount
    return TimeLimit(amount, cast(TimeUnit, row.unit))


def list_policies(session: Session, city_code: str) -> tuple[Policy, ...]:
    """The city's step limits, by step then urgency."""
    rows = session.scalars(
        select(StepPolicy)
        .where(StepPolicy.city_id == city_code)
        .order_by(StepPolicy.step, StepPolicy.urgency)
    )
    return tuple(Policy(step=row.step, urgency=row.urgency, limit=_limit(row)) for row in rows)


def get_policy(session: Session, city_code: str, step: str, urgency: str) -> TimeLimit | None:
    """The city's limit for a step at an urgency, or None when it stored none."""
    row = session.scalar(
        select(StepPolicy).where(
            StepPolicy.city_id == city_code, StepPolicy.step == step, StepPolicy.urgency == urgency
        )
    )
    return None if row is None else _limit(row)


def get_calendar_data(session: Session, city_code: str) -> CalendarData:
    """The city's stored calendar with day names and policies; the default one (in the city's
    timezone, no holidays) when it stored none. Raises `cities.not_found` for an unknown city."""
    city = get_city(session, city_code)
    stored = session.scalar(select(StoredCalendar).where(StoredCalendar.city_id == city_code))
    policies = list_policies(session, city_code)
    if stored is None:
        return CalendarData(calendar=WorkingCalendar(timezone=city.timezone), day_names={}, policies=policies)
    days = session.scalars(
        select(CalendarDay).where(CalendarDay.city_id == city_code).order_by(CalendarDay.day)
    )
    holidays: list[dict[str, object]] = []
    makeup: list[dict[str, object]] = []
    for day in days:
        entry = {"date": day.day, "name": day.name}
        (holidays if day.kind == "holiday" else makeup).append(entry)
    return parse_calendar_data(
        {
            "timezone": stored.timezone,
            "week": stored.week,
            "makeup_periods": stored.makeup_periods,
            "holidays": holidays,
            "makeup_workdays": makeup,
            "policies": [
                {"step": p.step, "urgency": p.urgency, "limit": p.limit.to_dict()} for p in policies
            ],
            "note": stored.note,
        }
    )


_CACHE_KEY = "cityloop.deadlines"


def _session_cache(session: Session) -> dict[tuple[str, str], object]:
    """Per-session memo: a calendar read once serves the whole transaction (imports clear it)."""
    cache: dict[tuple[str, str], object] = session.info.setdefault(_CACHE_KEY, {})
    return cache


def forget_cached(session: Session) -> None:
    """Drop the session's memo of calendars and policies (after an import changed them)."""
    session.info.pop(_CACHE_KEY, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, _previous: SessionTransaction) -> None:
    """A calendar read after an import that is rolled back (even to a savepoint) is read again."""
    forget_cached(session)


def get_calendar(session: Session, city_code: str) -> WorkingCalendar:
    """The city's working calendar (the default calendar in its timezone when it stored none)."""
    cache = _session_cache(session)
    calendar = cache.get(("calendar", city_code))
    if not isinstance(calendar, WorkingCalendar):
        calendar = get_calendar_data(session, city_code).calendar
        cache[("calendar", city_code)] = calendar
    return calendar


def step_policy(session: Session, city_code: str, step: str, urgency: str) -> TimeLimit | None:
    """Like `get_policy`, read once per session for all steps of the city."""
    cache = _session_cache(session)
    policies = cache.get(("policies", city_code))
    if not isinstance(policies, dict):
        policies = {(p.step, p.urgency): p.limit for p in list_policies(session, city_code)}
        cache[("policies", city_code)] = policies
    found = policies.get((step, urgency))
    return found if isinstance(found, TimeLimit) else None
