"""Reads of the loop: one case, filtered lists with cursor pagination, my tasks, a case's timeline.

Lists are ordered newest first by (reported_at, id) and paged by an opaque cursor naming the
last row shown, so that cases registered while someone pages never shift or repeat a page.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import ColumnElement, Select, and_, exists, not_, or_, select
from sqlalchemy.orm import Session, selectinload

from cityloop.cases.errors import CaseNotFound, InvalidCaseData
from cityloop.cases.models import Case, Task, TimelineEvent
from cityloop.cases.tasks import deadline_of
from cityloop.cases.workflow import DEPARTMENT_ROLES
from cityloop.core.clock import get_clock, utc
from cityloop.core.principal import Principal
from cityloop.deadlines import WorkingCalendar, get_calendar, light_at, remaining
from cityloop.org.models import Department

LightName = Literal["green", "yellow", "red"]
_SEVERITY: dict[str, int] = {"green": 0, "yellow": 1, "red": 2}

MAX_PAGE = 200
#: A light filter is computed in Python; one request looks at this many candidates at most and
#: then returns a (possibly short) page with a cursor to go on from.
MAX_LIGHT_SCAN = 2000


@dataclass(frozen=True)
class TaskClock:
    """The traffic light and the minutes left of an open timed task (both None otherwise)."""

    light: LightName | None
    remaining_minutes: int | None


def task_clock(task: Task, calendar: WorkingCalendar, at: datetime) -> TaskClock:
    """The task's light and remaining minutes at `at`, on the city's calendar (frozen while paused)."""
    deadline = deadline_of(task)
    if task.status != "open" or deadline is None:
        return TaskClock(None, None)
    left = remaining(deadline, at, calendar).total_seconds() / 60
    return TaskClock(light_at(deadline, at, calendar), math.floor(left))


def case_light(case: Case, calendar: WorkingCalendar, at: datetime) -> LightName | None:
    """The worst light among the case's open timed tasks; None when no clock is running."""
    known: list[LightName] = []
    for task in case.tasks:
        light = task_clock(task, calendar, at).light
        if light is not None:
            known.append(light)
    if not known:
        return None
    return max(known, key=_SEVERITY.__getitem__)


def is_overdue(case: Case, at: datetime) -> bool:
    """An open, running (not paused) task of the case is past its due."""
    return any(
        t.status == "open" and t.paused_at is None and t.due_at is not None and t.due_at < at
        for t in case.tasks
    )


def get_case(session: Session, city_code: str, number: str) -> Case:
    """The city's case `number` with its tasks, evidence and department; `cases.not_found` otherwise."""
    case = session.scalar(
        select(Case)
        .where(Case.city_id == city_code, Case.number == number)
        .options(selectinload(Case.tasks), selectinload(Case.evidence), selectinload(Case.department))
    )
    if case is None:
        raise CaseNotFound(f"case {number} does not exist in city {city_code}", details={"case": number})
    return case


def timeline(session: Session, case: Case) -> list[TimelineEvent]:
    """The case's events in order."""
    return list(
        session.scalars(
            select(TimelineEvent)
            .where(TimelineEvent.city_id == case.city_id, TimelineEvent.case_id == case.id)
            .order_by(TimelineEvent.seq)
        )
    )


def encode_cursor(case: Case) -> str:
    """An opaque cursor naming `case`'s place in the newest-first order."""
    raw = json.dumps([utc(case.reported_at).isoformat(), case.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The (reported_at, id) a cursor names; `cases.invalid_cursor` when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at, case_id = json.loads(raw)
        if not isinstance(case_id, int) or isinstance(case_id, bool):
            raise ValueError("id")
        return utc(datetime.fromisoformat(at)), case_id
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidCaseData(
            "the cursor is not one returned by this list",
            code="cases.invalid_cursor",
            details={"after": cursor},
        ) from exc


def _open_task_overdue(at: datetime) -> ColumnElement[bool]:
    return exists().where(
        Task.case_id == Case.id,
        Task.status == "open",
        Task.paused_at.is_(None),
        Task.due_at.is_not(None),
        Task.due_at < at,
    )


def _filtered(
    city_code: str,
    *,
    state: Sequence[str] | None,
    category: str | None,
    area: str | None,
    department: str | None,
    overdue: bool | None,
    light: str | None,
    text: str | None,
    at: datetime,
) -> Select[Case]:
    stmt = select(Case).where(Case.city_id == city_code)
    if state:
        stmt = stmt.where(Case.state.in_(list(state)))
    if category:
        stmt = stmt.where(Case.category_code.startswith(category, autoescape=True))
    if area:
        stmt = stmt.where(
            or_(
                *(
                    column.startswith(area, autoescape=True)
                    for column in (Case.grid_code, Case.community_code, Case.street_code, Case.district_code)
                )
            )
        )
    if department:
        stmt = stmt.where(
            Case.department.has(and_(Department.city_id == city_code, Department.code == department))
        )
    if overdue is not None:
        condition = _open_task_overdue(at)
        stmt = stmt.where(condition if overdue else not_(condition))
    if light:
        stmt = stmt.where(
            exists().where(Task.case_id == Case.id, Task.status == "open", Task.due_at.is_not(None))
        )
    if text:
        stmt = stmt.where(
            or_(
                Case.description.icontains(text, autoescape=True),
                Case.address.icontains(text, autoescape=True),
            )
        )
    return stmt


def list_cases(
    session: Session,
    city_code: str,
    *,
    state: Sequence[str] | None = None,
    category: str | None = None,
    area: str | None = None,
    department: str | None = None,
    overdue: bool | None = None,
    light: LightName | None = None,
    text: str | None = None,
    after: str | None = None,
    limit: int = 50,
    now: datetime | None = None,
) -> tuple[list[Case], str | None]:
    """The city's cases, newest first, matching every filter given; returns (rows, next_cursor).

    `category` and `area` match code prefixes (area: grid, community, street or district);
    `overdue` means an open running task is past its due; `light` is the worst light of the
    open timed tasks on the city's calendar; `text` is searched in description and address.
    """
    at = now or get_clock().now()
    limit = max(1, min(limit, MAX_PAGE))
    stmt = _filtered(
        city_code,
        state=state,
        category=category,
        area=area,
        department=department,
        overdue=overdue,
        light=light,
        text=text,
        at=at,
    )
    stmt = stmt.order_by(Case.reported_at.desc(), Case.id.desc()).options(
        selectinload(Case.tasks), selectinload(Case.department)
    )
    if after:
        stmt = _after(stmt, *decode_cursor(after))
    if light is None:
        rows = list(session.scalars(stmt.limit(limit + 1)))
        page = rows[:limit]
        return page, (encode_cursor(page[-1]) if len(rows) > limit else None)
    return _scan_for_light(session, stmt, city_code, light, limit, at)


def _after(stmt: Select[Case], reported_at: datetime, case_id: int) -> Select[Case]:
    return stmt.where(
        or_(Case.reported_at < reported_at, and_(Case.reported_at == reported_at, Case.id < case_id))
    )


def _scan_for_light(
    session: Session, stmt: Select[Case], city_code: str, wanted: str, limit: int, at: datetime
) -> tuple[list[Case], str | None]:
    calendar = get_calendar(session, city_code)
    batch = max(limit * 4, 100)
    found: list[Case] = []
    scanned = 0
    last: Case | None = None
    while scanned < MAX_LIGHT_SCAN:
        page = stmt if last is None else _after(stmt, last.reported_at, last.id)
        rows = list(session.scalars(page.limit(batch)))
        for case in rows:
            last = case
            scanned += 1
            if case_light(case, calendar, at) == wanted:
                found.append(case)
                if len(found) > limit:
                    return found[:limit], encode_cursor(found[limit - 1])
        if len(rows) < batch:
            return found, None
    # The scan budget ran out: hand back what was found and a cursor at the last row looked at.
    return found, (encode_cursor(last) if last is not None else None)


def my_tasks(session: Session, city_code: str, principal: Principal, *, limit: int = 200) -> list[Task]:
    """Open tasks of the city for a role the principal holds, soonest due first.

    Department tasks (sign, handle) go to the department's people only (department and
    field_worker roles act for the department alike, as the workflow allows).
    """
    roles = set(principal.roles)
    general = roles - DEPARTMENT_ROLES
    conditions: list[ColumnElement[bool]] = []
    if general:
        conditions.append(Task.role.in_(sorted(general)))
    if roles & DEPARTMENT_ROLES and principal.department_code:
        department_id = (
            select(Department.id)
            .where(Department.city_id == city_code, Department.code == principal.department_code)
            .scalar_subquery()
        )
        conditions.append(and_(Task.role.in_(sorted(DEPARTMENT_ROLES)), Task.department_id == department_id))
    if not conditions:
        return []
    stmt = (
        select(Task)
        .where(Task.city_id == city_code, Task.status == "open", or_(*conditions))
        .order_by(Task.due_at.is_(None), Task.due_at, Task.id)
        .options(selectinload(Task.case))
        .limit(max(1, min(limit, 500)))
    )
    return list(session.scalars(stmt))


def department_codes(session: Session, city_code: str) -> dict[int, str]:
    """Department ids of the city to their codes (to show tasks by department code)."""
    rows = session.execute(select(Department.id, Department.code).where(Department.city_id == city_code))
    return {row.id: row.code for row in rows}
