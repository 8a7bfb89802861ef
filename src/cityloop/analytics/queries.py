"""Database questions for the API and the CLI: load the rows of a period, run one analysis."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from cityloop.analytics.data import CaseRow, check_period, city_zone, load_cases
from cityloop.analytics.forecast import (
    HOURS_PER_WEEK,
    SeasonalModel,
    hourly_matrix,
    hours_of_week,
    seasonal_forecast,
)
from cityloop.analytics.hotspots import cell_hotspots, cluster_hotspots
from cityloop.analytics.patterns import emerging, patterns
from cityloop.analytics.recurrence import recurrence

HORIZON_HOURS = 48


def hotspots_of(
    session: Session,
    city_code: str,
    start: datetime,
    end: datetime,
    *,
    category: str | None = None,
    radius_m: float = 150.0,
    min_cases: int = 5,
    resolution: int = 9,
    top: int = 20,
) -> dict[str, Any]:
    """H3 cells and density clusters of the period's cases (duplicates left out), ranked by count."""
    rows = [r for r in load_cases(session, city_code, start, end, category=category) if not r.merged]
    return {
        "cases": len(rows),
        "cells": cell_hotspots(rows, resolution=resolution, top=top),
        "clusters": cluster_hotspots(rows, radius_m=radius_m, min_cases=min_cases, top=top),
    }


def recurrence_of(
    session: Session,
    city_code: str,
    start: datetime,
    end: datetime,
    *,
    category: str | None = None,
    within_days: float = 30.0,
    place: str = "cell",
    top: int = 20,
) -> dict[str, Any]:
    """Recurrence of the cases reported in the period, watching `within_days` past its end."""
    check_period(start, end)
    rows = load_cases(session, city_code, start, end + timedelta(days=within_days), category=category)
    return recurrence(rows, within_days=within_days, place=place, top=top, period_end=end)


def patterns_of(
    session: Session, city_code: str, start: datetime, end: datetime, *, category: str | None = None
) -> dict[str, Any]:
    """Hour × weekday (city time) and weekly trend of the period."""
    rows = load_cases(session, city_code, start, end, category=category)
    return patterns([r for r in rows if not r.merged], city_zone(session, city_code))


def emerging_of(
    session: Session,
    city_code: str,
    now: datetime,
    *,
    window_days: float = 7.0,
    history_windows: int = 8,
    alpha: float = 0.01,
    min_count: int = 3,
    by: str = "grid",
) -> list[dict[str, Any]]:
    """Emerging place × category pairs in the window ending `now`."""
    start = now - timedelta(days=window_days * (history_windows + 1))
    rows = load_cases(session, city_code, start, now)
    return emerging(
        rows,
        now=now,
        window_days=window_days,
        history_windows=history_windows,
        alpha=alpha,
        min_count=min_count,
        by=by,
    )


def forecast_rows(
    rows: Sequence[CaseRow], now: datetime, zone: Any, *, weeks: int, model: SeasonalModel | None = None
) -> list[dict[str, Any]]:
    """Next 48 hours per street × major category from `weeks` of rows before `now`, busiest first."""
    start = (now - timedelta(hours=weeks * HOURS_PER_WEEK)).replace(minute=0, second=0, microsecond=0)
    hours = int((now - start).total_seconds() // 3600)
    used = [r for r in rows if r.street_code and not r.merged]
    keys = sorted({(r.street_code or "", r.major) for r in used})
    if not keys:
        return []
    row_of = {k: i for i, k in enumerate(keys)}
    majors = sorted({k[1] for k in keys})
    groups = np.array([majors.index(k[1]) for k in keys], dtype=np.int64)
    counts = hourly_matrix(
        [row_of[(r.street_code or "", r.major)] for r in used],
        [r.reported_at for r in used],
        start,
        hours,
        len(keys),
    )
    how = hours_of_week(start, hours + HORIZON_HOURS, zone)
    predicted = seasonal_forecast(counts, how[:hours], how[hours:], groups=groups, model=model)
    begin = start + timedelta(hours=hours)
    out: list[dict[str, Any]] = [
        {
            "street_code": key[0],
            "major": key[1],
            "expected": round(float(predicted[i].sum()), 2),
            "hourly": [round(float(v), 3) for v in predicted[i]],
        }
        for i, key in enumerate(keys)
    ]
    out.sort(key=lambda f: (-float(f["expected"]), str(f["street_code"]), str(f["major"])))
    for item in out:
        item["from"] = begin.isoformat()
    return out


def forecast_of(session: Session, city_code: str, now: datetime, *, weeks: int = 12) -> dict[str, Any]:
    """The next 48 hours of expected cases per street × major category of a city."""
    start = now - timedelta(hours=weeks * HOURS_PER_WEEK + 1)
    rows = load_cases(session, city_code, start, now)
    items = forecast_rows(rows, now, city_zone(session, city_code), weeks=weeks)
    return {"horizon_hours": HORIZON_HOURS, "history_weeks": weeks, "series": items}
