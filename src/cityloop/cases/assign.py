"""Naming the person who does an open task: the worker who fixes, the inspector who verifies or checks.

The state does not change; the task gets its assignee and the timeline says who chose whom
and why (`assign`, or `reassign` when someone else had it). For the department's own tasks
(sign, handle) the case's worker changes with it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from cityloop.cases.actors import Actor
from cityloop.cases.errors import ActionNotAllowed, InvalidCaseData
from cityloop.cases.models import Case, Task
from cityloop.cases.tasks import open_tasks
from cityloop.cases.timeline import append_event
from cityloop.cases.transition import get_case_for_update
from cityloop.core.clock import get_clock
from cityloop.org import get_staff
from cityloop.org.errors import StaffNotFound

#: Who may name the assignee of each kind of task.
ASSIGNERS: dict[str, frozenset[str]] = {
    "verify": frozenset({"operator"}),
    "check": frozenset({"operator"}),
    "sign": frozenset({"dispatcher", "department"}),
    "handle": frozenset({"dispatcher", "department"}),
}
#: The role the assignee must hold.
ASSIGNEE_ROLES = {
    "verify": "inspector",
    "check": "inspector",
    "sign": "field_worker",
    "handle": "field_worker",
}


def do_assign(
    session: Session,
    *,
    city_code: str,
    number: str,
    kind: str,
    username: str,
    actor: Actor,
    reason: str,
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Task:
    """Give the open `kind` task of case `number` to staff `username`; raises, changing nothing, when
    the task is not open, the actor may not assign it, or the person cannot do it."""
    at = now or get_clock().now()
    if kind not in ASSIGNERS:
        raise InvalidCaseData(
            f"tasks of kind {kind!r} are not assigned to a person", details={"known": sorted(ASSIGNERS)}
        )
    actor.check_city(city_code)
    roles = ASSIGNERS[kind] & actor.roles
    if not roles:
        raise ActionNotAllowed(
            f"assigning a {kind} task needs one of the roles {', '.join(sorted(ASSIGNERS[kind]))}",
            details={"held": sorted(actor.roles)},
        )
    case = get_case_for_update(session, city_code, number)
    tasks = open_tasks(case, kind)
    if not tasks:
        raise ActionNotAllowed(f"case {number} has no open {kind} task", details={"state": case.state})
    try:
        staff = get_staff(session, city_code, username)
    except StaffNotFound as exc:
        raise InvalidCaseData(exc.message, details={"field": "worker"}) from exc
    needed = ASSIGNEE_ROLES[kind]
    if needed not in staff.roles or not staff.active:
        raise InvalidCaseData(
            f"{username} is not an active {needed}", details={"field": "worker", "roles": staff.roles}
        )
    if kind in ("sign", "handle") and staff.department_id != case.department_id:
        raise InvalidCaseData(
            f"{username} does not belong to the case's department", details={"field": "worker"}
        )
    task = tasks[0]
    previous = task.assignee_id
    if previous is None and kind in ("sign", "handle"):
        previous = case.worker_id  # named at dispatch
    task.assignee_id = staff.id
    if kind in ("sign", "handle"):
        _set_worker(case, staff.id)
    action = "reassign" if previous not in (None, staff.id) else "assign"
    append_event(
        session, case=case, action=action, actor=actor.acting_as(sorted(roles)[0]), at=at,
        from_state=case.state, to_state=case.state, reason=reason,
        data={"task": kind, "worker": username, "worker_id": staff.id, **(data or {})},
    )  # fmt: skip
    return task


def _set_worker(case: Case, staff_id: int) -> None:
    case.worker_id = staff_id
    for task in open_tasks(case):
        if task.kind in ("sign", "handle"):
            task.assignee_id = staff_id
