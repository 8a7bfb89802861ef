"""Tasks and their clocks: open the task a state asks for, complete it, pause, resume, extend."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from cityloop.cases.models import Case, Task
from cityloop.cases.workflow import STATE_TASKS, State, Step
from cityloop.deadlines import Deadline, TimeLimit, WorkingCalendar, extend, pause, resume, start
from cityloop.deadlines.policies import step_limit
from cityloop.deadlines.queries import step_policy


def open_tasks(case: Case, kind: str | None = None) -> list[Task]:
    return [t for t in case.tasks if t.status == "open" and (kind is None or t.kind == kind)]


def deadline_of(task: Task) -> Deadline | None:
    if task.time_limit is None or task.due_at is None:
        return None
    return Deadline(
        started_at=task.started_at,
        limit=TimeLimit.parse(task.time_limit),
        due_at=task.due_at,
        paused_at=task.paused_at,
        paused=timedelta(seconds=task.paused_seconds),
        extended_by=timedelta(seconds=task.extended_seconds),
    )


def _store(task: Task, deadline: Deadline) -> None:
    task.due_at, task.paused_at = deadline.due_at, deadline.paused_at
    task.paused_seconds = deadline.paused.total_seconds()
    task.extended_seconds = deadline.extended_by.total_seconds()


def open_task(
    session: Session,
    case: Case,
    step: Step,
    *,
    at: datetime,
    calendar: WorkingCalendar,
    limit: TimeLimit | None = None,
    due_at: datetime | None = None,
    department_id: int | None = None,
    role: str | None = None,
) -> Task:
    """Open a task for `step`; its limit is `limit`, else the step's policy for the case's urgency."""
    if limit is None:
        limit = step_policy(session, case.city_id, step.kind, case.urgency) or step_limit(
            step.kind, case.urgency, area_class=case.area_class
        )
    task = Task(
        city_id=case.city_id,
        case=case,
        kind=step.kind,
        role=role or step.role,
        department_id=department_id,
        status="open",
        started_at=at,
    )
    if limit is not None:
        deadline = start(at, limit, calendar)
        task.time_limit = limit.to_dict()
        _store(task, deadline)
        if due_at is not None:  # a rework keeps the original due
            task.due_at = due_at
    session.add(task)
    return task


def open_state_task(
    session: Session, case: Case, state: State, *, at: datetime, calendar: WorkingCalendar
) -> None:
    step = STATE_TASKS.get(state)
    if step is None or state == State.PROCESSING:
        return
    if state == State.CLOSED and not case.followers:
        return  # nobody to call back
    department_id = case.department_id if step.role == "department" else None
    open_task(session, case, step, at=at, calendar=calendar, department_id=department_id)


def complete(task: Task, *, at: datetime, by: int | None) -> None:
    task.status, task.done_at, task.done_by_id = "done", at, by
    task.on_time = None if task.due_at is None else at <= task.due_at


def complete_open(case: Case, kinds: set[str], *, at: datetime, by: int | None) -> None:
    for task in open_tasks(case):
        if task.kind in kinds:
            complete(task, at=at, by=by)


def cancel_open(case: Case, *, at: datetime, kinds: set[str] | None = None) -> None:
    for task in open_tasks(case):
        if kinds is None or task.kind in kinds:
            task.status, task.done_at = "cancelled", at


def pause_task(task: Task, *, at: datetime) -> None:
    deadline = deadline_of(task)
    if deadline is not None:
        _store(task, pause(deadline, at))


def resume_task(task: Task, *, at: datetime, calendar: WorkingCalendar) -> None:
    deadline = deadline_of(task)
    if deadline is not None:
        _store(task, resume(deadline, at, calendar))


def extend_task(task: Task, *, by: TimeLimit | datetime, calendar: WorkingCalendar) -> None:
    deadline = deadline_of(task)
    if deadline is not None:
        _store(task, extend(deadline, by, calendar))
        task.extensions += 1
