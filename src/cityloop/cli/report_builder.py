"""The figures of a city's monthly report, read with SQL aggregates over cases, tasks and timelines.

A month is the city's local calendar month. Cases are counted in the month they were reported;
closures, finished tasks and dispatches in the month they happened; so one case may count in
the intake of one month and the closures of the next, as a monthly statement reads. Every table
is a `ReportTable` so that the HTML page and its CSV files show the same rows.

Grades (departments, streets) come from `cityloop.evaluation` and problem spots and density
clusters from `cityloop.analytics`, so the report agrees with `cityloop evaluate` and the
analytics API; the rest are plain aggregates read here. Every `*_rate` is a fraction 0–1.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from cityloop.analytics import hotspots_of, recurrence_of
from cityloop.cases import Case, Task
from cityloop.cities import get_city
from cityloop.core.clock import get_clock
from cityloop.core.errors import ValidationFailed
from cityloop.dispatch import automation_stats
from cityloop.evaluation import evaluate
from cityloop.geo.models import Area
from cityloop.taxonomy import find_category

TOP = 10
SOURCE_LABELS = {
    "inspector": "巡查上报", "citizen": "群众上报", "hotline": "热线转办", "camera": "视频发现",
    "sensor": "物联感知", "drone": "无人机巡查", "sms": "短信", "open311": "Open311",
}  # fmt: skip


class InvalidMonth(ValidationFailed):
    default_code = "report.invalid_month"


@dataclass
class ReportTable:
    """One table of the report: its CSV name, title, columns (key, label) and rows."""

    name: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]]


@dataclass
class MonthlyReport:
    city_code: str
    city_name: str
    timezone: str
    month: str
    start: datetime
    end: datetime
    generated_at: datetime
    headline: dict[str, Any]
    tables: dict[str, ReportTable]


def month_bounds(month: str, timezone: str) -> tuple[date, datetime, datetime]:
    """The first local day of `month` (YYYY-MM) and its [start, end) in UTC; `report.invalid_month`."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", month)
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1970:
        raise InvalidMonth(f"month must be YYYY-MM (e.g. 2026-11), not {month!r}", details={"month": month})
    first = date(int(match.group(1)), int(match.group(2)), 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    zone = ZoneInfo(timezone)
    start, end = (datetime.combine(d, time(0), tzinfo=zone).astimezone(UTC) for d in (first, following))
    return first, start, end


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _hours(seconds: list[float]) -> tuple[float | None, float | None]:
    if not seconds:
        return None, None
    return round(sum(seconds) / len(seconds) / 3600, 2), round(median(seconds) / 3600, 2)


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they are UTC by the project's rule."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def build_monthly_report(session: Session, *, city_code: str, month: str) -> MonthlyReport:
    """Every figure and table of `city_code`'s report for `month`; raises on an unknown city or bad month."""
    city = get_city(session, city_code)
    first, start, end = month_bounds(month, city.timezone)
    now = get_clock().now()
    if start > now:
        raise InvalidMonth(f"month {month} has not begun yet", details={"month": month})
    cutoff = min(end, now)
    zone = ZoneInfo(city.timezone)
    report = MonthlyReport(
        city_code=city_code, city_name=city.name_zh, timezone=city.timezone, month=month, start=start, end=end,
        generated_at=now, headline={}, tables={},
    )  # fmt: skip
    window = (city_code, start, end)
    evaluated = _evaluation(session, city_code, first, end, zone)
    by_source = _sources(session, *window)
    report.headline = _headline(session, *window, cutoff=cutoff, reported=sum(r["cases"] for r in by_source))
    tables = [
        ReportTable(
            "sources", "案件来源", [("source", "来源"), ("label", "名称"), ("cases", "案件数")], by_source
        ),
        _daily(session, *window, first=first, zone=zone),
        _categories(session, *window),
        _streets(session, *window, grades=evaluated["street"]),
        _departments(evaluated["department"]),
        _hot_grids(session, *window, cutoff=cutoff),
        _clusters(session, *window),
    ]
    recurrence, found = _recurrence(session, *window)
    tables.append(recurrence)
    report.headline.update(
        recurrence_closed=found["closed"], recurrences=found["recurring"], recurrence_rate=found["rate"]
    )
    report.tables = {t.name: t for t in tables}
    return report


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _in_month(column: Any, start: datetime, end: datetime) -> Any:
    return (column >= start) & (column < end)


def _sources(session: Session, city_code: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
    stmt = (
        select(Case.source, func.count(Case.id))
        .where(Case.city_id == city_code, _in_month(Case.reported_at, start, end))
        .group_by(Case.source)
        .order_by(func.count(Case.id).desc(), Case.source)
    )
    return [
        {"source": s, "label": SOURCE_LABELS.get(s, s), "cases": int(n)} for s, n in session.execute(stmt)
    ]


def _headline(
    session: Session, city_code: str, start: datetime, end: datetime, *, cutoff: datetime, reported: int
) -> dict[str, Any]:
    """The figures at the top of the report (rates as fractions 0–1, durations in hours)."""
    void, duplicates, closed_of_month = session.execute(
        select(
            _count_if(Case.state == "VOID"),
            _count_if(Case.master_id.is_not(None)),
            _count_if(Case.state == "CLOSED"),
        ).where(Case.city_id == city_code, _in_month(Case.reported_at, start, end))
    ).one()
    closures = session.execute(
        select(Case.reported_at, Case.closed_at).where(
            Case.city_id == city_code, Case.state == "CLOSED", _in_month(Case.closed_at, start, end)
        )
    ).all()
    durations = [(_utc(c) - _utc(r)).total_seconds() for r, c in closures if c is not None]
    mean_h, median_h = _hours(durations)
    judged, timely = _on_time(session, city_code, start, end)
    valid = reported - int(void)
    automation = automation_stats(session, city_code, start=start, end=end)
    overdue = session.scalar(select(func.count(Task.id)).where(_overdue(city_code, start, cutoff))) or 0
    return {
        "reported": reported, "void": int(void), "duplicates": int(duplicates), "valid": valid,
        "closed_of_month": int(closed_of_month), "closure_rate": _rate(int(closed_of_month), valid),
        "closed": len(closures), "mean_closure_hours": mean_h, "median_closure_hours": median_h,
        "handled": judged, "handled_on_time": timely, "on_time_rate": _rate(timely, judged),
        "overdue": int(overdue), "dispatched": automation["dispatched"],
        "auto_dispatched": automation["automatic"], "auto_dispatch_rate": automation["auto_dispatch_rate"],
        "auto_dispatch_accuracy": automation["auto_dispatch_accuracy"],
    }  # fmt: skip


def _on_time(session: Session, city_code: str, start: datetime, end: datetime) -> tuple[int, int]:
    """Disposal (handle) tasks finished in the month with a time limit, and those on time (按期处置)."""
    timely = _count_if(Task.on_time.is_(True))
    judged, on_time = session.execute(
        select(func.count(Task.id), timely).where(
            Task.city_id == city_code,
            Task.kind == "handle",
            Task.status == "done",
            Task.on_time.is_not(None),
            _in_month(Task.done_at, start, end),
        )
    ).one()
    return int(judged), int(on_time)


def _overdue(city_code: str, start: datetime, cutoff: datetime) -> Any:
    """Disposal tasks due in [start, cutoff) and not finished by their due (paused ones left out): 超期处置."""
    return (
        (Task.city_id == city_code)
        & (Task.kind == "handle")
        & (Task.status != "cancelled")
        & Task.paused_at.is_(None)
        & _in_month(Task.due_at, start, cutoff)
        & (Task.done_at.is_(None) | (Task.done_at > Task.due_at))
    )


def _daily(
    session: Session, city_code: str, start: datetime, end: datetime, *, first: date, zone: ZoneInfo
) -> ReportTable:
    """Cases reported and closed per local day (timestamps bucketed in Python: no dialect date SQL)."""
    reported: Counter[date] = Counter()
    closed: Counter[date] = Counter()
    for (at,) in session.execute(
        select(Case.reported_at).where(Case.city_id == city_code, _in_month(Case.reported_at, start, end))
    ):
        reported[_utc(at).astimezone(zone).date()] += 1
    for (closed_at,) in session.execute(
        select(Case.closed_at).where(
            Case.city_id == city_code, Case.state == "CLOSED", _in_month(Case.closed_at, start, end)
        )
    ):
        if closed_at is not None:
            closed[_utc(closed_at).astimezone(zone).date()] += 1
    rows = []
    day = first
    while day.month == first.month:
        rows.append({"day": day.isoformat(), "reported": reported[day], "closed": closed[day]})
        day += timedelta(days=1)
    return ReportTable("daily", "每日趋势", [("day", "日期"), ("reported", "上报"), ("closed", "结案")], rows)


def _categories(session: Session, city_code: str, start: datetime, end: datetime) -> ReportTable:
    closed = _count_if(Case.state == "CLOSED")
    stmt = (
        select(Case.kind, Case.category_code, Case.standard, func.count(Case.id), closed)
        .where(Case.city_id == city_code, _in_month(Case.reported_at, start, end))
        .group_by(Case.kind, Case.category_code, Case.standard)
        .order_by(func.count(Case.id).desc(), Case.category_code)
        .limit(TOP)
    )
    rows = []
    for kind, code, standard, n, done in session.execute(stmt):
        found = find_category(session, code=code, kind=kind, standard=standard, city_code=city_code)
        rows.append(
            {"code": code, "name": found.name if found else code, "cases": int(n), "closed": int(done)}
        )
    columns = [("code", "代码"), ("name", "类别"), ("cases", "案件数"), ("closed", "已结案")]
    return ReportTable("categories", "类别前十", columns, rows)


def _area_names(session: Session, city_code: str, codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    stmt = select(Area.code, Area.name_zh).where(Area.city_id == city_code, Area.code.in_(sorted(codes)))
    return {code: name or code for code, name in session.execute(stmt)}


def _streets(
    session: Session, city_code: str, start: datetime, end: datetime, *, grades: list[dict[str, Any]]
) -> ReportTable:
    """Per district × street: cases reported, valid, closed (of the month's cases), closure rate, and
    the street's composite and grade from the evaluation."""
    graded = {row["id"]: row for row in grades}
    void = _count_if(Case.state == "VOID")
    closed = _count_if(Case.state == "CLOSED")
    stmt = (
        select(Case.district_code, Case.street_code, func.count(Case.id), void, closed)
        .where(Case.city_id == city_code, _in_month(Case.reported_at, start, end))
        .group_by(Case.district_code, Case.street_code)
        .order_by(func.count(Case.id).desc(), Case.street_code)
    )
    found = session.execute(stmt).all()
    names = _area_names(session, city_code, {c for row in found for c in row[:2] if c})
    rows = []
    for district, street, n, n_void, n_closed in found:
        valid = int(n) - int(n_void)
        grade = graded.get(street or "", {})
        rows.append({
            "district": names.get(district or "", district or "-"), "street_code": street or "-",
            "street": names.get(street or "", street or "-"), "cases": int(n), "valid": valid,
            "closed": int(n_closed), "closure_rate": _rate(int(n_closed), valid),
            "composite": grade.get("composite"), "grade": grade.get("grade"),
        })  # fmt: skip
    columns = [
        ("district", "区"), ("street_code", "街道代码"), ("street", "街道"), ("cases", "案件数"),
        ("valid", "有效"), ("closed", "已结案"), ("closure_rate", "结案率"), ("composite", "综合得分"),
        ("grade", "等级"),
    ]  # fmt: skip
    return ReportTable("streets", "区与街道", columns, rows)


def _evaluation(
    session: Session, city_code: str, first: date, end: datetime, zone: ZoneInfo
) -> dict[str, list[dict[str, Any]]]:
    """`cityloop.evaluation`'s department and street rows for the month's local days, by kind."""
    last = (end.astimezone(zone) - timedelta(days=1)).date()
    rows = evaluate(session, city_code, kinds=["department", "street"], first=first, last=last)
    return {kind: [r for r in rows if r["kind"] == kind] for kind in ("department", "street")}


def _fraction(value: float | None) -> float | None:
    """Evaluation gives rates in percent; the report's `*_rate` columns are fractions 0–1."""
    return None if value is None else round(value / 100, 4)


def _departments(evaluated: list[dict[str, Any]]) -> ReportTable:
    """Departments with work in the month, ranked by the evaluation's composite (DOMAIN.md §7)."""
    rows = []
    for row in evaluated:
        ind = row["indicators"]
        if not (ind["dispatched"] or ind["due"]):
            continue
        rows.append({
            "code": row["id"], "name": row["name"], "dispatched": ind["dispatched"], "due": ind["due"],
            "on_time_disposal_rate": _fraction(ind["on_time_disposal_rate"]), "overdue": ind["overdue"],
            "close_rate": _fraction(ind["close_rate"]), "rework_rate": _fraction(ind["rework_rate"]),
            "avg_handling_hours": ind["avg_handling_hours"], "composite": row["composite"],
            "grade": row["grade"], "tier": row["tier"],
        })  # fmt: skip
    rows.sort(key=lambda r: (-(r["composite"] or 0), r["code"]))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    columns = [
        ("rank", "名次"), ("code", "代码"), ("name", "部门"), ("dispatched", "派遣"), ("due", "应处置"),
        ("on_time_disposal_rate", "按期处置率"), ("overdue", "超期"), ("close_rate", "结案率"),
        ("rework_rate", "返工率"), ("avg_handling_hours", "平均处置时长(h)"), ("composite", "综合得分"),
        ("grade", "等级"),
    ]  # fmt: skip
    return ReportTable("departments", "部门排名", columns, rows)


def _hot_grids(
    session: Session, city_code: str, start: datetime, end: datetime, *, cutoff: datetime
) -> ReportTable:
    """The grids with most cases reported in the month, with their closures and overdue disposals."""
    closed = _count_if(Case.state == "CLOSED")
    stmt = (
        select(Case.grid_code, func.count(Case.id), closed)
        .where(
            Case.city_id == city_code, Case.grid_code.is_not(None), _in_month(Case.reported_at, start, end)
        )
        .group_by(Case.grid_code)
        .order_by(func.count(Case.id).desc(), Case.grid_code)
        .limit(TOP)
    )
    found = session.execute(stmt).all()
    overdue = dict(
        session.execute(
            select(Case.grid_code, func.count(Task.id))
            .join(Case, Case.id == Task.case_id)
            .where(_overdue(city_code, start, cutoff), Case.grid_code.in_([g for g, _, _ in found]))
            .group_by(Case.grid_code)
        ).all()
    )
    rows = [
        {"rank": i, "grid": g, "cases": int(n), "closed": int(c), "overdue": int(overdue.get(g, 0))}
        for i, (g, n, c) in enumerate(found, 1)
    ]  # fmt: skip
    columns = [
        ("rank", "名次"), ("grid", "单元网格"), ("cases", "案件数"), ("closed", "已结案"),
        ("overdue", "超期处置"),
    ]  # fmt: skip
    return ReportTable("hot_grids", "热点网格", columns, rows)


def _recurrence(
    session: Session, city_code: str, start: datetime, end: datetime
) -> tuple[ReportTable, dict[str, Any]]:
    """Problem spots from `cityloop.analytics`: grid × category where a closed case came back within
    30 days (重复发生), with the month's recurrence rate over its closed cases."""
    found = recurrence_of(session, city_code, start, end, place="grid", top=TOP)
    rows = [
        {"grid": s["place"], "category": s["category_code"], "cases": s["cases"], "recurrences": s["recurrences"]}
        for s in found["spots"]
    ]  # fmt: skip
    columns = [("grid", "单元网格"), ("category", "类别"), ("cases", "案件数"), ("recurrences", "结案后再发")]
    return ReportTable("recurrence", "重复发生点位", columns, rows), found


def _clusters(session: Session, city_code: str, start: datetime, end: datetime) -> ReportTable:
    """Density clusters of the month's cases from `cityloop.analytics` (DBSCAN, 150 m, ≥ 5 cases)."""
    found = hotspots_of(session, city_code, start, end, top=TOP)
    rows = [
        {"rank": c["rank"], "cases": c["count"], "lat": round(c["lat"], 5), "lon": round(c["lon"], 5),
         "radius_m": c["radius_m"], "categories": " ".join(f"{k}×{n}" for k, n in c["categories"].items())}
        for c in found["clusters"]
    ]  # fmt: skip
    columns = [
        ("rank", "名次"), ("cases", "案件数"), ("lat", "纬度"), ("lon", "经度"), ("radius_m", "半径(m)"),
        ("categories", "主要类别"),
    ]  # fmt: skip
    return ReportTable("clusters", "热点聚集区", columns, rows)
