"""Readable case numbers `{city}-{yyyymmdd}-{seq}`: the city's local date and a daily sequence."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases.models import CaseCounter


def next_number(session: Session, *, city_code: str, timezone: str, at: datetime) -> str:
    """The next case number of the city for the local day of `at` (the counter row is locked)."""
    day: date = at.astimezone(ZoneInfo(timezone)).date()
    counter = session.scalars(
        select(CaseCounter).where(CaseCounter.city_id == city_code, CaseCounter.day == day).with_for_update()
    ).first()
    if counter is None:
        counter = CaseCounter(city_id=city_code, day=day, last=0)
        session.add(counter)
    counter.last += 1
    session.flush()
    return f"{city_code}-{day:%Y%m%d}-{counter.last:05d}"
