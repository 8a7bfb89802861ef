"""Read what assignment needs from the database: workers, their queues and a case's request.

`load_workers` turns the department's field workers (org) and the open tasks already given to
them (cases) into `WorkerState`s; it reads and never writes. A task counts as given to a worker
when its `assignee_id` names them, or, for the sign and handle tasks that carry no assignee,
when its case was dispatched to them (`Case.worker_id`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from types import MappingProxyType
from typing import Any, Protocol

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from cityloop.cases import Case, Task, TimelineEvent
from cityloop.cities import get_city, get_parameters
from cityloop.dispatch.assignment.history import task_request
from cityloop.dispatch.assignment.model import (
    DEFAULT_HANDLING_MINUTES,
    AssignmentParams,
    QueuedTask,
    TaskRequest,
    WorkerState,
)
from cityloop.org import StaffRole, list_staff
from cityloop.org.models import Staff, WorkerProfile
from cityloop.org.shifts import local_time, parse_hhmm, shift_covers

#: A position reported longer ago than this is stale: the worker is taken to be at the home base.
POSITION_MAX_AGE = timedelta(hours=4)
#: Tasks without an assignee that belong to the worker the case was dispatched to.
DISPATCHED_KINDS = ("sign", "handle")


class ShiftLike(Protocol):
    @property
    def weekdays(self) -> list[int]: ...
    @property
    def start(self) -> str: ...
    @property
    def end(self) -> str: ...


def assignment_params(session: Session, city_code: str, **overrides: Any) -> AssignmentParams:
    """The cost model's parameters for a city: road factor, speed, handling minutes and skills."""
    params = get_parameters(session, city_code)
    base = AssignmentParams(
        road_factor=params.road_factor,
        speed_kmh=params.dispatch_speed_kmh,
        handling_minutes=MappingProxyType({**DEFAULT_HANDLING_MINUTES, **params.dispatch_handling_minutes}),
        skills=MappingProxyType(dict(params.dispatch_skills)),
    )
    return replace(base, **overrides)


def _covering_end(shift: ShiftLike, local: datetime) -> datetime:
    """The local end of `shift`, which covers the local moment `local`."""
    begin, finish = parse_hhmm(shift.start), parse_hhmm(shift.end)
    day = local.date()
    if begin > finish and local.hour * 60 + local.minute >= begin:
        day += timedelta(days=1)  # an overnight shift that started today ends tomorrow
    return datetime.combine(day, time(finish // 60, finish % 60), tzinfo=local.tzinfo)


def shift_end(shifts: Sequence[ShiftLike], at: datetime, tz: str) -> datetime | None:
    """When the worker's shift covering `at` ends (UTC), following back-to-back shifts; None when off shift."""
    end: datetime | None = None
    moment = at
    for _ in range(8):  # a chain of back-to-back shifts is at most a week long
        local = local_time(moment, tz)
        ends = [_covering_end(s, local) for s in shifts if shift_covers(s.weekdays, s.start, s.end, local)]
        if not ends:
            break
        latest = max(ends).astimezone(UTC)
        if end is not None and latest <= end:
            break
        end = moment = latest
    return end


def _position(profile: WorkerProfile, at: datetime, max_age: timedelta) -> tuple[float, float]:
    fresh = profile.located_at is None or at - profile.located_at <= max_age
    if profile.current_lon is not None and profile.current_lat is not None and fresh:
        return profile.current_lon, profile.current_lat
    return profile.home_lon, profile.home_lat


def _queues(
    session: Session, city_code: str, ids: list[int], params: AssignmentParams
) -> dict[int, list[QueuedTask]]:
    """Open, running tasks given to each worker, in the order they are likely worked: due first."""
    rows = session.execute(
        select(Task, Case.id, Case.worker_id, Case.lon, Case.lat, Case.category_code)
        .join(Case, Task.case_id == Case.id)
        .where(
            Task.city_id == city_code,
            Task.status == "open",
            Task.paused_at.is_(None),
            or_(
                Task.assignee_id.in_(ids),
                and_(Task.assignee_id.is_(None), Task.kind.in_(DISPATCHED_KINDS), Case.worker_id.in_(ids)),
            ),
        )
        .order_by(Task.due_at.is_(None), Task.due_at, Task.started_at, Task.id)
    )
    queues: dict[int, list[QueuedTask]] = {}
    seen: set[tuple[int, int]] = set()
    for task, case_id, case_worker, lon, lat, category in rows:
        owner = task.assignee_id if task.assignee_id is not None else case_worker
        if owner is None or (owner, case_id) in seen:
            continue  # one visit per case, however many of its tasks are open
        seen.add((owner, case_id))
        queues.setdefault(owner, []).append(QueuedTask(task.id, lon, lat, params.handling_for(category)))
    return queues


def _done_today(session: Session, city_code: str, ids: list[int], at: datetime, tz: str) -> dict[int, int]:
    """Handle tasks each worker finished since the city's local midnight."""
    midnight = local_time(at, tz).replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
    rows = session.execute(
        select(Task.done_by_id, func.count())
        .where(
            Task.city_id == city_code,
            Task.status == "done",
            Task.kind == "handle",
            Task.done_by_id.in_(ids),
            Task.done_at >= midnight,
            Task.done_at <= at,
        )
        .group_by(Task.done_by_id)
    )
    return {staff_id: count for staff_id, count in rows if staff_id is not None}


def load_workers(
    session: Session,
    city_code: str,
    department_code: str,
    at: datetime,
    *,
    params: AssignmentParams | None = None,
    position_max_age: timedelta = POSITION_MAX_AGE,
) -> list[WorkerState]:
    """The department's active field workers with a worker profile, on shift or not, by username.

    Off-shift workers are included (with `on_shift_until` None) so that decisions can say why
    they were not chosen. The position is the last reported one while fresh, else the home base.
    """
    params = params or assignment_params(session, city_code)
    tz = get_city(session, city_code).timezone
    staff = list(
        session.scalars(
            list_staff(session, city_code, role=StaffRole.FIELD_WORKER, department=department_code).options(
                selectinload(Staff.worker).selectinload(WorkerProfile.shifts)
            )
        )
    )
    placed = [s for s in staff if s.worker is not None]
    ids = [s.id for s in placed]
    queues = _queues(session, city_code, ids, params) if ids else {}
    done = _done_today(session, city_code, ids, at, tz) if ids else {}
    workers = []
    for member in placed:
        profile = member.worker
        assert profile is not None  # filtered above
        lon, lat = _position(profile, at, position_max_age)
        workers.append(
            WorkerState(
                staff_id=member.id,
                username=member.username,
                department_code=department_code,
                lon=lon,
                lat=lat,
                skills=frozenset(profile.skills),
                on_shift_until=shift_end(profile.shifts, at, tz),
                queue=tuple(queues.get(member.id, ())),
                done_today=done.get(member.id, 0),
            )
        )
    return workers


def load_task_request(
    session: Session,
    case: Case,
    task: Task | None = None,
    *,
    params: AssignmentParams | None = None,
    due_at: datetime | None = None,
) -> TaskRequest:
    """`task_request` for a stored case: its timeline is the history, usernames resolved in its city."""
    params = params or assignment_params(session, case.city_id)
    history = session.scalars(
        select(TimelineEvent).where(TimelineEvent.case_id == case.id).order_by(TimelineEvent.seq)
    )
    worker_ids = {
        s.username: s.id
        for s in session.scalars(
            list_staff(session, case.city_id, role=StaffRole.FIELD_WORKER, include_inactive=True)
        )
    }
    return task_request(case, task, list(history), params=params, due_at=due_at, worker_ids=worker_ids)
