"""The command centre's slower figures: the department ranking (综合评价) and the hot spots with
the recurrence rate, from the same queries as the API and the CLI (`evaluation.evaluate`,
`analytics.hotspots_of`, `analytics.recurrence_of`).

They read the window's cases and timelines in Python, which costs far more than the live SQL
summary, so they have an endpoint of their own (`/dashboard/insights.json`) and a cache of
INSIGHT_SECONDS per city and language: the live summary stays fast and, however many screens
watch, each city's ranking is computed at most once per INSIGHT_SECONDS.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from cityloop.analytics import hotspots_of, recurrence_of
from cityloop.cities import get_city
from cityloop.evaluation import evaluate
from cityloop.org import list_departments
from cityloop.web.dashboard.summary import TOP, WINDOW_DAYS

#: How long a city's ranking and hot spots are reused.
INSIGHT_SECONDS = 60.0


def _names_en(session: Session, city_code: str) -> dict[str, str]:
    rows = session.scalars(list_departments(session, city_code, include_inactive=True)).all()
    return {d.code: d.name_en for d in rows if d.name_en}


def department_ranking(
    session: Session, city_code: str, *, at: datetime, locale: str
) -> list[dict[str, Any]]:
    """Departments by composite over the last WINDOW_DAYS local days (best first; ungraded last)."""
    today = at.astimezone(ZoneInfo(get_city(session, city_code).timezone)).date()
    first = today - timedelta(days=WINDOW_DAYS - 1)
    rows = evaluate(session, city_code, kinds=["department"], first=first, last=today)
    english = _names_en(session, city_code) if locale == "en" else {}
    ranked = [
        {"id": r["id"], "name": english.get(r["id"], r["name"]), "composite": r["composite"],
         "grade": r["grade"], "tier": r["tier"]}
        for r in rows
    ]  # fmt: skip
    ranked.sort(key=lambda r: (r["composite"] is None, -(r["composite"] or 0), r["id"]))
    return ranked


def hot_spots(session: Session, city_code: str, *, at: datetime) -> dict[str, Any]:
    """The busiest H3 cells of the last WINDOW_DAYS days and the recurrence rate of the window."""
    start = at - timedelta(days=WINDOW_DAYS)
    spots = hotspots_of(session, city_code, start, at, top=TOP)
    again = recurrence_of(session, city_code, start, at, top=TOP)
    cells = [
        {"rank": c["rank"], "cell": c["cell"], "lat": c["lat"], "lon": c["lon"], "count": c["count"],
         "category": next(iter(c["categories"]), None), "cases": c["cases"]}
        for c in spots["cells"]
    ]  # fmt: skip
    return {
        "cases": spots["cases"],
        "cells": cells,
        "clusters": len(spots["clusters"]),
        "recurrence": {k: again[k] for k in ("closed", "recurring", "rate", "within_days")},
    }


def dashboard_insights(session: Session, city_code: str, *, at: datetime, locale: str) -> dict[str, Any]:
    """The ranking and the hot spots of `city_code` at `at` (JSON-ready)."""
    return {
        "city": city_code,
        "at": at.isoformat(),
        "window_days": WINDOW_DAYS,
        "ranking": department_ranking(session, city_code, at=at, locale=locale),
        "hot_spots": hot_spots(session, city_code, at=at),
    }


class InsightCache:
    """The newest insights of each (city, language), reused for INSIGHT_SECONDS."""

    def __init__(self, seconds: float = INSIGHT_SECONDS) -> None:
        self.seconds = seconds
        self._lock = threading.Lock()
        self._rows: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}

    def get(self, session: Session, city_code: str, locale: str, at: datetime) -> dict[str, Any]:
        now = time.monotonic()
        with self._lock:
            found = self._rows.get((city_code, locale))
        if found is not None and now - found[0] < self.seconds:
            return found[1]
        insights = dashboard_insights(session, city_code, at=at, locale=locale)
        with self._lock:
            self._rows[(city_code, locale)] = (now, insights)
        return insights

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()


INSIGHTS = InsightCache()
