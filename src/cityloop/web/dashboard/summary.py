"""The command centre's figures for one city, read with SQL aggregates over cases and tasks.

Everything the dashboard shows comes from `dashboard_summary`, so the page, its JSON endpoint
and the live stream agree. Rates look back `WINDOW_DAYS`; "today" is the city's local day.
Only the traffic lights are computed in Python (they need the working calendar), over the
open timed tasks alone, which stay few even when the city has many cases.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from cityloop.cases import OPEN_STATES, Case, Task
from cityloop.cases.tasks import deadline_of
from cityloop.cities import get_city
from cityloop.deadlines import WorkingCalendar, get_calendar, light_at
from cityloop.dispatch import automation_stats
from cityloop.taxonomy import find_category

#: How far back the rates, categories, ranking, hot spots and automation figures look.
WINDOW_DAYS = 30
#: Days of the trend chart.
TREND_DAYS = 14
TOP = 10
#: The most open cases drawn as points on the map (the newest first).
MAX_POINTS = 1000
_OPEN = sorted(str(s) for s in OPEN_STATES)
_SEVERITY = {"green": 0, "yellow": 1, "red": 2}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(ZoneInfo("UTC"))


def case_fingerprint(session: Session, city_code: str) -> tuple[int, int]:
    """(number of cases, sum of their event counts): changes whenever a case is added or moves."""
    row = session.execute(
        select(func.count(Case.id), func.coalesce(func.sum(Case.last_event_seq), 0)).where(
            Case.city_id == city_code
        )
    ).one()
    return int(row[0]), int(row[1])


def _duty_time_since(calendar: WorkingCalendar, since: datetime, at: datetime) -> bool:
    """Whether any duty time lies in (since, at]: the next day is looked at first, which
    almost always answers, so a long-overdue task costs no walk over weeks of calendar."""
    soon = min(at, since + timedelta(days=1))
    if calendar.working_time_between(since, soon) > timedelta(0):
        return True
    return soon < at and calendar.working_time_between(soon, at) > timedelta(0)


def task_light(task: Task, calendar: WorkingCalendar, at: datetime) -> str | None:
    """The light of an open timed task at `at`, as `cases.queries.task_clock` gives it, sparing
    the calendar arithmetic from the start when the task is running and past its due: it is
    red as soon as any of its own time (duty time for working limits) has passed since."""
    deadline = deadline_of(task)
    if deadline is None:
        return None
    running_late = deadline.paused_at is None and at > deadline.due_at
    if running_late and (not deadline.limit.is_working or _duty_time_since(calendar, deadline.due_at, at)):
        return "red"
    return light_at(deadline, at, calendar)


def _lights(session: Session, city_code: str, at: datetime) -> dict[int, str]:
    """The worst light of each open case with a running clock, by case id."""
    calendar = get_calendar(session, city_code)
    stmt = (
        select(Task)
        .join(Case, Case.id == Task.case_id)
        .where(Task.city_id == city_code, Task.status == "open", Task.due_at.is_not(None))
        .where(Case.state.in_(_OPEN))
    )
    worst: dict[int, str] = {}
    for task in session.scalars(stmt):
        found = task_light(task, calendar, at)
        if found is not None and _SEVERITY[found] >= _SEVERITY.get(worst.get(task.case_id, ""), -1):
            worst[task.case_id] = found
    return worst


def _open_cases(session: Session, city_code: str, at: datetime) -> dict[str, Any]:
    """Traffic-light counts, per-grid counts and the points of the open cases."""
    lights = _lights(session, city_code, at)
    rows = session.execute(
        select(Case.id, Case.grid_code, Case.lon, Case.lat, Case.number)
        .where(Case.city_id == city_code, Case.state.in_(_OPEN))
        .order_by(Case.reported_at.desc(), Case.id.desc())
    ).all()
    counts: Counter[str] = Counter()
    grids: dict[str, dict[str, int]] = defaultdict(lambda: {"open": 0, "red": 0})
    points: list[dict[str, Any]] = []
    for case_id, grid, lon, lat, number in rows:
        light = lights.get(case_id, "none")
        counts[light] += 1
        if grid:
            grids[grid]["open"] += 1
            grids[grid]["red"] += light == "red"
        if lon is not None and lat is not None and len(points) < MAX_POINTS:
            points.append({"number": number, "lon": lon, "lat": lat, "light": light})
    by_grid: dict[str, dict[str, Any]] = {
        code: {**g, "overdue_share": _rate(g["red"], g["open"])} for code, g in sorted(grids.items())
    }
    hot = sorted(grids.items(), key=lambda kv: (-kv[1]["open"], kv[0]))[:TOP]
    return {
        "open": len(rows),
        "lights": {k: counts.get(k, 0) for k in ("green", "yellow", "red", "none")},
        "grids": by_grid,
        "hot_spots": [{"grid": code, **by_grid[code]} for code, _ in hot],
        "points": points,
    }


def _intake_today(session: Session, city_code: str, since: datetime) -> dict[str, int]:
    stmt = (
        select(Case.source, func.count(Case.id))
        .where(Case.city_id == city_code, Case.reported_at >= since)
        .group_by(Case.source)
        .order_by(Case.source)
    )
    return {source: int(n) for source, n in session.execute(stmt)}


def _rates(session: Session, city_code: str, since: datetime) -> dict[str, Any]:
    """Closure rate of the window's cases (void ones left out) and on-time rate of its finished tasks."""
    closed = func.sum(case((Case.state == "CLOSED", 1), else_=0))
    total, done = session.execute(
        select(func.count(Case.id), func.coalesce(closed, 0)).where(
            Case.city_id == city_code, Case.reported_at >= since, Case.state != "VOID"
        )
    ).one()
    on_time = func.sum(case((Task.on_time.is_(True), 1), else_=0))
    judged, timely = session.execute(
        select(func.count(Task.id), func.coalesce(on_time, 0)).where(
            Task.city_id == city_code, Task.done_at >= since, Task.on_time.is_not(None)
        )
    ).one()
    return {
        "cases": int(total),
        "closed": int(done),
        "closure_rate": _rate(int(done), int(total)),
        "tasks_judged": int(judged),
        "tasks_on_time": int(timely),
        "on_time_rate": _rate(int(timely), int(judged)),
    }


def _categories(session: Session, city_code: str, since: datetime, locale: str) -> list[dict[str, Any]]:
    stmt = (
        select(Case.kind, Case.category_code, func.count(Case.id).label("n"))
        .where(Case.city_id == city_code, Case.reported_at >= since)
        .group_by(Case.kind, Case.category_code)
        .order_by(func.count(Case.id).desc(), Case.category_code)
        .limit(TOP)
    )
    out = []
    for kind, code, n in session.execute(stmt):
        row = find_category(session, code=code, kind=kind, city_code=city_code)
        name = (row.name_en if locale == "en" and row.name_en else row.name) if row else code
        out.append({"code": code, "name": name, "count": int(n)})
    return out


def _trend(session: Session, city_code: str, today: date, zone: ZoneInfo) -> dict[str, Any]:
    """Cases reported and closed per local day over the last TREND_DAYS days."""
    days = [today - timedelta(days=n) for n in range(TREND_DAYS - 1, -1, -1)]
    since = local_midnight(days[0], zone)
    reported: Counter[date] = Counter()
    closed: Counter[date] = Counter()
    new = select(Case.reported_at).where(Case.city_id == city_code, Case.reported_at >= since)
    for (at,) in session.execute(new):
        reported[at.astimezone(zone).date()] += 1
    done = select(Case.closed_at).where(Case.city_id == city_code, Case.closed_at >= since)
    for (when,) in session.execute(done):
        if when is not None:
            closed[when.astimezone(zone).date()] += 1
    return {
        "days": [d.isoformat() for d in days],
        "reported": [reported[d] for d in days],
        "closed": [closed[d] for d in days],
    }


def dashboard_summary(
    session: Session, city_code: str, *, at: datetime, locale: str = "zh-CN"
) -> dict[str, Any]:
    """Every figure of the command centre for `city_code` at `at` (JSON-ready)."""
    city = get_city(session, city_code)
    zone = ZoneInfo(city.timezone)
    today = at.astimezone(zone).date()
    since = at - timedelta(days=WINDOW_DAYS)
    automation = automation_stats(session, city_code, start=since)
    count, events = case_fingerprint(session, city_code)
    return {
        "city": city_code,
        "at": at.isoformat(),
        "window_days": WINDOW_DAYS,
        "cases_total": count,
        "fingerprint": [count, events],
        **_open_cases(session, city_code, at),
        "intake_today": _intake_today(session, city_code, local_midnight(today, zone)),
        "rates": _rates(session, city_code, since),
        "categories": _categories(session, city_code, since, locale),
        "trend": _trend(session, city_code, today, zone),
        "automation": {
            key: automation[key]
            for key in (
                "dispatched",
                "automatic",
                "corrected",
                "auto_dispatch_rate",
                "auto_dispatch_accuracy",
            )
        },
    }
