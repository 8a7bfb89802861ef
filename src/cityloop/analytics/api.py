"""HTTP routes of analytics (mounted under /api/v1), read-only: hot spots, recurrence, patterns,
emerging issues and the 48-hour forecast of one city, for its leaders, admins, shift leaders and
dispatchers. Periods default to the last 30 days before now.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from cityloop.analytics.queries import emerging_of, forecast_of, hotspots_of, patterns_of, recurrence_of
from cityloop.core.clock import get_clock, utc
from cityloop.core.principal import Principal
from cityloop.db.deps import SESSION, require_roles
from cityloop.org.roles import StaffRole

router = APIRouter(tags=["analytics"])

READERS = require_roles(StaffRole.LEADER, StaffRole.ADMIN, StaffRole.SHIFT_LEADER, StaffRole.DISPATCHER)
_BASE = "/cities/{city_code}/analytics"

From = Annotated[datetime | None, Query(alias="from", description="Start (default: 30 days before `to`).")]
To = Annotated[datetime | None, Query(alias="to", description="End, exclusive (default: now).")]
Category = Annotated[str | None, Query(max_length=10, description="Category code or prefix (major).")]


def _period(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    stop = utc(end) if end is not None else get_clock().now()
    return (utc(start) if start is not None else stop - timedelta(days=30)), stop


@router.get(_BASE + "/hotspots")
def get_hotspots(
    city_code: str,
    start: From = None,
    end: To = None,
    category: Category = None,
    radius_m: Annotated[float, Query(gt=0, le=5000)] = 150.0,
    min_cases: Annotated[int, Query(ge=2, le=1000)] = 5,
    resolution: Annotated[int, Query(ge=0, le=9)] = 9,
    top: Annotated[int, Query(ge=1, le=200)] = 20,
    session: Session = SESSION,
    _principal: Principal = Depends(READERS),
) -> dict[str, Any]:
    """The busiest H3 cells and density clusters of the period, each with its case numbers."""
    a, b = _period(start, end)
    return hotspots_of(
        session,
        city_code,
        a,
        b,
        category=category,
        radius_m=radius_m,
        min_cases=min_cases,
        resolution=resolution,
        top=top,
    )


@router.get(_BASE + "/recurrence")
def get_recurrence(
    city_code: str,
    start: From = None,
    end: To = None,
    category: Category = None,
    within_days: Annotated[float, Query(gt=0, le=365)] = 30.0,
    place: Annotated[str, Query(pattern="^(cell|grid)$")] = "cell",
    top: Annotated[int, Query(ge=1, le=200)] = 20,
    session: Session = SESSION,
    _principal: Principal = Depends(READERS),
) -> dict[str, Any]:
    """The recurrence rate (重复投诉率) of the period's closed cases and the problem spots behind it."""
    a, b = _period(start, end)
    return recurrence_of(
        session, city_code, a, b, category=category, within_days=within_days, place=place, top=top
    )


@router.get(_BASE + "/patterns")
def get_patterns(
    city_code: str,
    start: From = None,
    end: To = None,
    category: Category = None,
    session: Session = SESSION,
    _principal: Principal = Depends(READERS),
) -> dict[str, Any]:
    """Hour × weekday counts in the city's time, and cases per week with the trend."""
    a, b = _period(start, end)
    return patterns_of(session, city_code, a, b, category=category)


@router.get(_BASE + "/emerging")
def get_emerging(
    city_code: str,
    end: To = None,
    window_days: Annotated[float, Query(gt=0, le=90)] = 7.0,
    history_windows: Annotated[int, Query(ge=1, le=52)] = 8,
    alpha: Annotated[float, Query(gt=0, lt=1)] = 0.01,
    min_count: Annotated[int, Query(ge=1)] = 3,
    by: Annotated[str, Query(pattern="^(grid|street)$")] = "grid",
    session: Session = SESSION,
    _principal: Principal = Depends(READERS),
) -> list[dict[str, Any]]:
    """Place × category pairs whose last window is improbably high for their history."""
    now = utc(end) if end is not None else get_clock().now()
    return emerging_of(
        session,
        city_code,
        now,
        window_days=window_days,
        history_windows=history_windows,
        alpha=alpha,
        min_count=min_count,
        by=by,
    )


@router.get(_BASE + "/forecast")
def get_forecast(
    city_code: str,
    weeks: Annotated[int, Query(ge=1, le=52)] = 12,
    session: Session = SESSION,
    _principal: Principal = Depends(READERS),
) -> dict[str, Any]:
    """Expected cases in the next 48 hours per street × major category, from `weeks` of history."""
    return forecast_of(session, city_code, get_clock().now(), weeks=weeks)
