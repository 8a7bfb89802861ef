"""The one transition function: validate role, city and state, apply, update tasks and clocks, append one event.

Everything is checked before anything is changed, so a refused action leaves the case, its
tasks and its timeline exactly as they were.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases.actors import Actor
from cityloop.cases.checks import check_action, check_evidence, parse_action_data, role_for
from cityloop.cases.errors import (
    ActionNotAllowed,
    CaseNotFound,
    UnknownAction,
)
from cityloop.cases.models import Case
from cityloop.cases.tasks import (
    cancel_open,
    complete_open,
    extend_task,
    open_state_task,
    open_task,
    open_tasks,
    pause_task,
    resume_task,
)
from cityloop.cases.timeline import append_event
from cityloop.cases.workflow import (
    ACTIONS,
    APPROVE_STEP,
    APPROVERS,
    STATE_TASKS,
    Action,
    State,
)
from cityloop.core.clock import get_clock, utc
from cityloop.deadlines import TimeLimit, WorkingCalendar
from cityloop.deadlines.policies import disposal_limit
from cityloop.deadlines.queries import get_calendar

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def get_case_for_update(session: Session, city_code: str, number: str) -> Case:
    case = session.scalars(
        select(Case).where(Case.city_id == city_code, Case.number == number).with_for_update(of=Case)
    ).first()
    if case is None:
        raise CaseNotFound(f"case {number} does not exist in city {city_code}", details={"case": number})
    return case


def do_transition(
    session: Session,
    *,
    city_code: str,
    number: str,
    action: str,
    actor: Actor,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
    evidence: Sequence[str] = (),
    now: datetime | None = None,
) -> Case:
    """Take `action` on case `number`; raises (changing nothing) when the table does not allow it."""
    at = utc(now or get_clock().now())
    act = ACTIONS.get(action)
    if act is None:
        raise UnknownAction(f"unknown action {action!r}", details={"known": sorted(ACTIONS)})
    actor.check_city(city_code)
    case = get_case_for_update(session, city_code, number)
    old = State(case.state)
    if old not in act.sources:
        allowed = sorted(a.name for a in ACTIONS.values() if old in a.sources)
        raise ActionNotAllowed(
            f"{action} is not allowed while case {number} is {old.value}",
            details={"state": old.value, "allowed": allowed},
        )
    role = role_for(act, case, actor)
    check_action(act, case, actor, role, reason)
    check_evidence(session, case, evidence)
    data = dict(data or {})
    calendar = get_calendar(session, city_code)
    parsed = parse_action_data(session, act, case, data, at)
    new = act.target or old
    _apply(session, act, case, actor, parsed, data, reason, old, new, at, calendar)
    case.state = new.value
    event_data = {k: v for k, v in data.items()}
    if act.name == "file":
        event_data["limit"] = parsed["limit"].to_dict()
    append_event(
        session,
        case=case,
        action=act.name,
        actor=actor.acting_as(role),
        at=at,
        from_state=old.value,
        to_state=new.value,
        reason=reason,
        data=event_data,
        evidence=evidence,
    )
    return case


def _apply(
    session: Session,
    act: Action,
    case: Case,
    actor: Actor,
    parsed: dict[str, Any],
    data: dict[str, Any],
    reason: str | None,
    old: State,
    new: State,
    at: datetime,
    calendar: WorkingCalendar,
) -> None:
    by = actor.staff_id
    name = act.name
    if act.opens_pending:
        kind = act.opens_pending
        case.pending = {
            "kind": kind,
            "by": actor.name,
            "reason": reason,
            "data": {**data, **parsed},
            "at": at.isoformat(),
        }
        open_task(session, case, APPROVE_STEP, at=at, calendar=calendar, role=APPROVERS[kind])
        return
    if act.needs_pending:
        request = case.pending or {}
        complete_open(case, {"approve"}, at=at, by=by)
        case.pending = None
        if name == "reject_request":
            return
        if name == "approve_extension":
            by_value = request["data"]["by"]
            limit_or_due = (
                TimeLimit.parse(by_value)
                if isinstance(by_value, dict)
                else utc(datetime.fromisoformat(by_value))
            )
            for task in open_tasks(case, "handle"):
                extend_task(task, by=limit_or_due, calendar=calendar)
                case.disposal_due_at = task.due_at
            return
    if name == "file":
        case.urgency = parsed["urgency"]
        case.registration_condition_id = parsed["condition_id"]
        case.disposal_limit = parsed["limit"].to_dict()
    elif name == "dispatch":
        case.department_id = parsed["department"].id
        case.department = parsed["department"]
        case.worker_id = parsed["worker"].id if parsed["worker"] else None
    elif name == "approve_return":
        cancel_open(case, at=at, kinds={"sign", "handle"})
        case.department_id, case.department, case.worker_id, case.disposal_due_at = None, None, None, None
    elif name == "callback":
        case.satisfaction = parsed["rating"]
    elif name == "reopen":
        case.satisfaction = None  # the 不满意 rating stays on the timeline; the next close is rated anew
    if new == old:
        complete_open(case, {STATE_TASKS[old].kind} if old in STATE_TASKS else set(), at=at, by=by)
        return
    # Leave the old state: its task is done (or paused, or cancelled when the case is void).
    if new == State.VOID:
        if name == "not_found":  # the inspector did verify: that task is done
            complete_open(case, {STATE_TASKS[old].kind} if old in STATE_TASKS else set(), at=at, by=by)
        cancel_open(case, at=at)  # an approved void leaves the waiting step undone, not done on time
    elif name == "approve_suspension":
        for task in open_tasks(case, "handle"):
            pause_task(task, at=at)
    elif old in STATE_TASKS and name != "approve_return":
        complete_open(case, {STATE_TASKS[old].kind}, at=at, by=by)
    # Enter the new state.
    if new == State.PROCESSING:
        _enter_processing(session, act, case, at, calendar)
    else:
        open_state_task(session, case, new, at=at, calendar=calendar)
    if new in (State.CLOSED,) and case.closed_at is None:
        case.closed_at = at


def _enter_processing(
    session: Session, act: Action, case: Case, at: datetime, calendar: WorkingCalendar
) -> None:
    step = STATE_TASKS[State.PROCESSING]
    limit = TimeLimit.parse(case.disposal_limit) if case.disposal_limit else disposal_limit(case.urgency)
    if act.clock == "resume":
        for task in open_tasks(case, "handle"):
            resume_task(task, at=at, calendar=calendar)
            case.disposal_due_at = task.due_at
        return
    if act.clock == "rework":  # 返工 keeps the original disposal due
        open_task(
            session,
            case,
            step,
            at=at,
            calendar=calendar,
            limit=limit,
            due_at=case.disposal_due_at,
            department_id=case.department_id,
        )
        return
    if act.clock == "restart":
        case.closed_at = None
    task = open_task(
        session, case, step, at=at, calendar=calendar, limit=limit, department_id=case.department_id
    )
    case.disposal_due_at = task.due_at
