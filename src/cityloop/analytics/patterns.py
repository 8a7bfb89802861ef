"""When cases come: hour × weekday, week by week with its trend, and emerging issues.

An emerging issue is a place × category whose count in the last window is improbably high
for its own history: with λ the mean count per window over the trailing windows (plus a
small floor, so a first-ever burst can still be judged), it is flagged when
P(X ≥ observed | Poisson(λ)) < `alpha` and the observed count is at least `min_count`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from scipy.stats import poisson

from cityloop.analytics.data import CaseRow
from cityloop.analytics.errors import InvalidArgument

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def hour_weekday(rows: Sequence[CaseRow], zone: ZoneInfo) -> list[list[int]]:
    """7 × 24 counts: row = local weekday (Monday first), column = local hour."""
    matrix = [[0] * 24 for _ in range(7)]
    for row in rows:
        local = row.reported_at.astimezone(zone)
        matrix[local.weekday()][local.hour] += 1
    return matrix


def weekly_trend(rows: Sequence[CaseRow], zone: ZoneInfo) -> dict[str, Any]:
    """Cases per local week (weeks start Monday) and the least-squares slope in cases per week."""
    weeks: Counter[str] = Counter()
    for row in rows:
        local = row.reported_at.astimezone(zone).date()
        weeks[(local - timedelta(days=local.weekday())).isoformat()] += 1
    if not weeks:
        return {"weeks": [], "slope_per_week": None}
    first = datetime.fromisoformat(min(weeks)).date()
    last = datetime.fromisoformat(max(weeks)).date()
    series = []
    day = first
    while day <= last:
        series.append({"week": day.isoformat(), "count": weeks.get(day.isoformat(), 0)})
        day += timedelta(days=7)
    slope = None
    if len(series) >= 2:
        y = np.array([s["count"] for s in series], dtype=float)
        slope = round(float(np.polyfit(np.arange(y.size), y, 1)[0]), 3)
    return {"weeks": series, "slope_per_week": slope}


def patterns(rows: Sequence[CaseRow], zone: ZoneInfo) -> dict[str, Any]:
    """Hour × weekday matrix, busiest hour and weekday, weekly counts and trend."""
    matrix = hour_weekday(rows, zone)
    by_day = [sum(r) for r in matrix]
    by_hour = [sum(matrix[d][h] for d in range(7)) for h in range(24)]
    return {
        "total": len(rows),
        "weekdays": list(WEEKDAYS),
        "hour_weekday": matrix,
        "busiest_weekday": WEEKDAYS[int(np.argmax(by_day))] if rows else None,
        "busiest_hour": int(np.argmax(by_hour)) if rows else None,
        "trend": weekly_trend(rows, zone),
    }


def emerging(
    rows: Sequence[CaseRow],
    *,
    now: datetime,
    window_days: float = 7.0,
    history_windows: int = 8,
    alpha: float = 0.01,
    min_count: int = 3,
    floor: float = 0.1,
    by: str = "grid",
) -> list[dict[str, Any]]:
    """Place × category pairs whose last window jumps beyond their history, most surprising first.

    `rows` should cover `history_windows + 1` windows before `now`; `by` is grid or street.
    """
    if window_days <= 0 or history_windows < 1 or not 0 < alpha < 1 or by not in ("grid", "street"):
        raise InvalidArgument("window_days > 0, history_windows ≥ 1, 0 < alpha < 1, by grid|street")
    window = timedelta(days=window_days)
    recent_from, history_from = now - window, now - window * (history_windows + 1)
    observed: Counter[tuple[str, str]] = Counter()
    past: Counter[tuple[str, str]] = Counter()
    cases: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        place = row.grid_code if by == "grid" else row.street_code
        if place is None or row.merged or not history_from <= row.reported_at < now:
            continue
        key = (place, row.category_code)
        if row.reported_at >= recent_from:
            observed[key] += 1
            cases.setdefault(key, []).append(row.number)
        else:
            past[key] += 1
    out: list[dict[str, Any]] = []
    for key, count in observed.items():
        expected = max(past[key] / history_windows, floor)
        p_value = float(poisson.sf(count - 1, expected))
        if count >= min_count and p_value < alpha:
            out.append(
                {
                    "place": key[0],
                    "category_code": key[1],
                    "observed": count,
                    "expected": round(expected, 3),
                    "history_count": past[key],
                    "p_value": p_value,
                    "cases": cases[key],
                }
            )
    out.sort(
        key=lambda e: (float(e["p_value"]), -int(e["observed"]), str(e["place"]), str(e["category_code"]))
    )
    return out
