"""Indicators of the units that handle and the places that have problems: departments and areas.

A case's *disposal* by a department D is its non-cancelled `handle` tasks of D (a return
cancels them; a rework adds one with the original due). The disposal *settles* at the last
`done_at` when all are done before `end`, on time when every one was on time; or, when one
is still open at `end` with its due passed, at that due (late). For areas the same holds over
the handle tasks of every department. A case SUSPENDED at `end` (挂账) leaves the counts.

| kind | indicator | numerator | denominator | from |
|---|---|---|---|---|
| department | dispatched (派遣数, band) | `dispatch` events in P with `data.department` = D | — | events |
| department | due (应处置数) | cases whose disposal by D settles in P, not suspended at `end` | — | tasks, events |
| department | on_time_disposal_rate (按期处置率) | due cases disposed on time | due | tasks |
| department | overdue (超期处置数) | due − on time | — | tasks |
| department | close_rate (结案率) | due cases with a `close` event before `end` | due | events |
| department | rework_rate (返工率) | due cases with a `check_fail` after D's first handle task, before `end` | due | events |
| department | extension_rate (延期率) | due cases with an `approve_extension` while with D, before `end` | due | events |
| department | avg_handling_hours (平均处置时长) | Σ (last feedback − first handle task start) | due cases disposed | tasks |
| department | evasions (推诿) | `request_return` events in P (while with D) answered by `reject_request` before `end` | — | events |
| department | evasion_rate | evasions | `request_return` events in P | events |
| area | reports, public_reports | cases created in P in the area / of public sources | — | events |
| area | public_report_rate (监督举报率, lower better) | public reports | reports | events |
| area | filed (立案数), filed_density | `file` events in P; per 10,000 m² of the area (band by area class) | — | events, areas |
| area | due, close_rate (结案率) | as for departments, over all departments | due | tasks, events |
| area | on_time_close_rate (按期结案率) | due cases closed before `end` and disposed on time | due | tasks, events |
| both | hotline_response_rate (12345 响应率) | due hotline cases whose first `sign` task was on time | due hotline cases | tasks |
| both | hotline_resolution_rate (解决率) | due hotline cases closed before `end` | due hotline cases | events |
| both | hotline_satisfaction_rate (满意率) | `callback` events in P on hotline cases rated 满意 or 基本满意 | `callback` events in P on hotline cases | events |
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from cityloop.evaluation.facts import CaseFacts, TaskRec
from cityloop.evaluation.period import Period
from cityloop.evaluation.tally import Tally, rate

AREA_LEVELS = ("grid", "community", "street", "district")
SATISFIED = frozenset({"满意", "基本满意"})


def disposal(tasks: list[TaskRec], end: datetime) -> tuple[datetime, bool] | None:
    """When the disposal settles and whether it was on time, as seen at `end` (None: not yet)."""
    if not tasks:
        return None
    pending = [t for t in tasks if not (t.status == "done" and t.done_at is not None and t.done_at < end)]
    if pending:
        dues = [t.due_at for t in pending if t.due_at is not None]
        due = min(dues) if dues else None
        return (due, False) if due is not None and due < end else None
    return max(t.done_at for t in tasks if t.done_at is not None), all(bool(t.on_time) for t in tasks)


def _department_at(case: CaseFacts, at: datetime, codes: dict[int, str]) -> str | None:
    code = None
    for event in case.events:
        if event.at > at:
            break
        if event.action == "dispatch":
            code = event.data.get("department")
        elif event.action == "approve_return":
            code = None
    return code


def collect_units(
    facts: Iterable[CaseFacts], period: Period, codes: dict[int, str], public: set[str]
) -> Tally:
    """Department figures under key `department:CODE`, area figures under `LEVEL:CODE`."""
    tally = Tally()
    for case in facts:
        suspended = case.state_at(period.end) == "SUSPENDED"
        handle = [t for t in case.tasks if t.kind == "handle" and t.status != "cancelled"]
        by_dept: dict[int, list[TaskRec]] = {}
        for task in handle:
            if task.department_id is not None:
                by_dept.setdefault(task.department_id, []).append(task)
        if not suspended:
            for dept_id, tasks in by_dept.items():
                if dept_id in codes:
                    _disposal(tally, f"department:{codes[dept_id]}", case, tasks, period, dept_id)
            areas = [f"{level}:{code}" for level, code in case.areas.items() if code]
            for key in areas:
                _disposal(tally, key, case, handle, period, None)
        _department_events(tally, case, period, codes)
        _area_events(tally, case, period, public)
    return tally


def _disposal(
    tally: Tally, key: str, case: CaseFacts, tasks: list[TaskRec], period: Period, dept_id: int | None
) -> None:
    end = period.end
    settled = disposal(tasks, end)
    if settled is None or not period.contains(settled[0]):
        return
    at, on_time = settled
    started = min(t.started_at for t in tasks)
    closed = case.has(("close",), end)
    tally.add(key, "due")
    if on_time:
        tally.add(key, "on_time")
    else:
        tally.blame(key, "on_time_disposal_rate", case.number)
    if closed:
        tally.add(key, "closed")
        if on_time:
            tally.add(key, "on_time_closed")
        else:
            tally.blame(key, "on_time_close_rate", case.number)
    else:
        tally.blame(key, "close_rate", case.number)
        tally.blame(key, "on_time_close_rate", case.number)
    if any(e.action == "check_fail" and started <= e.at < end for e in case.events):
        tally.add(key, "rework")
        tally.blame(key, "rework_rate", case.number)
    if any(e.action == "approve_extension" and started <= e.at < end for e in case.events):
        tally.add(key, "extended")
        tally.blame(key, "extension_rate", case.number)
    if all(t.status == "done" and t.done_at is not None and t.done_at < end for t in tasks):
        tally.add(key, "disposed")
        tally.add(key, "hours", (at - started).total_seconds() / 3600)
    if case.source == "hotline":
        _hotline(tally, key, case, dept_id, closed)


def _hotline(tally: Tally, key: str, case: CaseFacts, dept_id: int | None, closed: bool) -> None:
    tally.add(key, "hotline_due")
    signs = [t for t in case.tasks if t.kind == "sign" and (dept_id is None or t.department_id == dept_id)]
    if signs and signs[0].status == "done" and signs[0].on_time:
        tally.add(key, "hotline_responded")
    else:
        tally.blame(key, "hotline_response_rate", case.number)
    if closed:
        tally.add(key, "hotline_resolved")
    else:
        tally.blame(key, "hotline_resolution_rate", case.number)


def _department_events(tally: Tally, case: CaseFacts, period: Period, codes: dict[int, str]) -> None:
    for i, event in enumerate(case.events):
        if not period.contains(event.at):
            continue
        if event.action == "dispatch" and event.data.get("department"):
            tally.add(f"department:{event.data['department']}", "dispatched")
        elif event.action == "request_return":
            code = _department_at(case, event.at, codes)
            if code is None:
                continue
            key = f"department:{code}"
            tally.add(key, "return_requests")
            answer = next(
                (e for e in case.events[i + 1 :] if e.action in ("approve_return", "reject_request")), None
            )
            if answer is not None and answer.action == "reject_request" and answer.at < period.end:
                tally.add(key, "evasions")
                tally.blame(key, "evasions", case.number)
        elif event.action == "callback" and case.source == "hotline":
            keys = [f"{lv}:{c}" for lv, c in case.areas.items() if c]
            code = _department_at(case, event.at, codes)
            if code is not None:
                keys.append(f"department:{code}")
            for key in keys:
                tally.add(key, "rated")
                if event.data.get("rating") in SATISFIED:
                    tally.add(key, "satisfied")
                else:
                    tally.blame(key, "hotline_satisfaction_rate", case.number)


def _area_events(tally: Tally, case: CaseFacts, period: Period, public: set[str]) -> None:
    keys = [f"{level}:{code}" for level, code in case.areas.items() if code]
    created = case.created
    if created is not None and period.contains(created.at):
        for key in keys:
            tally.add(key, "reports")
            if case.source in public:
                tally.add(key, "public_reports")
                tally.blame(key, "public_report_rate", case.number)
    if any(e.action == "file" and period.contains(e.at) for e in case.events):
        for key in keys:
            tally.add(key, "filed")


def _common(tally: Tally, key: str) -> dict[str, float | None]:
    g = tally.get
    due, disposed = g(key, "due"), g(key, "disposed")
    return {
        "due": due, "on_time": g(key, "on_time"), "overdue": due - g(key, "on_time"),
        "closed": g(key, "closed"), "close_rate": rate(g(key, "closed"), due),
        "on_time_disposal_rate": rate(g(key, "on_time"), due),
        "rework_rate": rate(g(key, "rework"), due), "extension_rate": rate(g(key, "extended"), due),
        "avg_handling_hours": round(g(key, "hours") / disposed, 2) if disposed else None,
        "hotline_due": g(key, "hotline_due"),
        "hotline_response_rate": rate(g(key, "hotline_responded"), g(key, "hotline_due")),
        "hotline_resolution_rate": rate(g(key, "hotline_resolved"), g(key, "hotline_due")),
        "hotline_satisfaction_rate": rate(g(key, "satisfied"), g(key, "rated")),
    }  # fmt: skip


def department_indicators(tally: Tally, code: str) -> dict[str, float | None]:
    key = f"department:{code}"
    g = tally.get
    return {
        "dispatched": g(key, "dispatched"), **_common(tally, key),
        "return_requests": g(key, "return_requests"), "evasions": g(key, "evasions"),
        "evasion_rate": rate(g(key, "evasions"), g(key, "return_requests")),
    }  # fmt: skip


def area_indicators(tally: Tally, level: str, code: str, area_m2: float) -> dict[str, float | None]:
    key = f"{level}:{code}"
    g = tally.get
    filed = g(key, "filed")
    return {
        "reports": g(key, "reports"), "public_reports": g(key, "public_reports"),
        "public_report_rate": rate(g(key, "public_reports"), g(key, "reports")),
        "filed": filed, "filed_density": round(filed * 10_000 / area_m2, 3) if area_m2 > 0 else None,
        **_common(tally, key),
        "on_time_close_rate": rate(g(key, "on_time_closed"), g(key, "due")),
    }  # fmt: skip
