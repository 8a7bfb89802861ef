"""The read model of analytics: cases as plain rows, loaded once per question.

Analytics never writes and never reads ORM objects past this module: every analysis is a pure
function over `CaseRow`s, so it is tested without a database and reused on imported data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.analytics.errors import InvalidPeriod
from cityloop.cases import Case
from cityloop.cities import get_city
from cityloop.core.clock import utc


@dataclass(frozen=True, slots=True)
class CaseRow:
    """What analytics needs of one case; `merged` is True for a duplicate merged into a master."""

    id: int
    number: str
    category_code: str
    reported_at: datetime
    closed_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    h3_cell: str | None = None
    grid_code: str | None = None
    street_code: str | None = None
    state: str = ""
    merged: bool = False

    @property
    def major(self) -> str:
        """The major category (大类): the first two digits of the code."""
        return self.category_code[:2]


def check_period(start: datetime, end: datetime) -> None:
    """Refuse a reversed or empty period."""
    if end <= start:
        raise InvalidPeriod(f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})")


def city_zone(session: Session, city_code: str) -> ZoneInfo:
    """The city's time zone, for hours of day and weekdays as people there live them."""
    return ZoneInfo(get_city(session, city_code).timezone)


def load_cases(
    session: Session, city_code: str, start: datetime, end: datetime, *, category: str | None = None
) -> list[CaseRow]:
    """Cases of a city reported in [start, end), oldest first; `category` is a code prefix (major or full)."""
    check_period(start, end)
    query = (
        select(Case)
        .where(Case.city_id == city_code, Case.reported_at >= start, Case.reported_at < end)
        .order_by(Case.reported_at, Case.id)
    )
    if category:
        query = query.where(Case.category_code.startswith(category))
    return [
        CaseRow(
            id=c.id,
            number=c.number,
            category_code=c.category_code,
            reported_at=utc(c.reported_at),
            closed_at=utc(c.closed_at) if c.closed_at is not None else None,
            lat=c.lat,
            lon=c.lon,
            h3_cell=c.h3_cell,
            grid_code=c.grid_code,
            street_code=c.street_code,
            state=c.state,
            merged=c.master_id is not None,
        )
        for c in session.scalars(query)
    ]
