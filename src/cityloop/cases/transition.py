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
from cityloop.cases.errors import (
    ActionNotAllowed,
    CaseNotFound,
    InvalidCaseData,
    ReasonRequired,
    UnknownAction,
    WrongDepartment,
)
from cityloop.cases.models import Case, Evidence
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
    DEPARTMENT_ROLES,
    SATISFACTION,
    STATE_TASKS,
    URGENCIES,
    Action,
    State,
)
from cityloop.core.clock import get_clock, utc
from cityloop.core.errors import CityLoopError
from cityloop.core.principal import ForbiddenCity, ForbiddenRole
from cityloop.deadlines import TimeLimit, WorkingCalendar
from cityloop.deadlines.policies import disposal_limit
from cityloop.deadlines.queries import get_calendar
from cityloop.org import get_department, get_staff
from cityloop.taxonomy import list_registration_conditions

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def get_case_for_update(session: Session, city_code: str, number: str) -> Case:
    case = session.scalars(
        select(Case).where(Case.city_id == city_code, Case.number == number).with_for_update(of=Case)
    ).first()
    if case is None:
        raise CaseNotFound(f"case {number} does not exist in city {city_code}", details={"case": number})
    return case


def _role_for(act: Action, case: Case, actor: Actor) -> str:
    roles = set(act.roles)
    if act.needs_pending and case.pending:  # approvals are for the approver of that kind of request
        roles = {APPROVERS[case.pending["kind"]]}
    held = sorted(roles & actor.roles)
    if not held:
        raise ForbiddenRole(
            f"{act.name} needs one of the roles {', '.join(sorted(roles))}",
            details={"required": sorted(roles), "held": sorted(actor.roles)},
        )
    return held[0]


def _check(act: Action, case: Case, actor: Actor, role: str, reason: str | None) -> None:
    if act.own_department and role in DEPARTMENT_ROLES:
        dept = case.department_id
        if actor.department_code is None or dept is None or _dept_code(case) != actor.department_code:
            raise WrongDepartment(
                f"case {case.number} is with another department",
                details={"yours": actor.department_code, "case": _dept_code(case)},
            )
    if act.reason_required and not (reason or "").strip():
        raise ReasonRequired(f"{act.name} needs a reason", details={"action": act.name})
    if act.needs_pending:
        pending = case.pending
        if pending is None or (act.needs_pending != "*" and pending["kind"] != act.needs_pending):
            raise ActionNotAllowed(
                f"{act.name}: case {case.number} has no pending {act.needs_pending if act.needs_pending != '*' else ''} request".replace(
                    "  ", " "
                ),
                details={"pending": pending["kind"] if pending else None},
            )
    if act.opens_pending and case.pending is not None:
        raise ActionNotAllowed(
            f"case {case.number} already has a pending {case.pending['kind']} request",
            details={"pending": case.pending["kind"]},
        )
    if case.pending is not None and not act.needs_pending and act.target is not None:
        # A waiting request would be left behind in a state where it can be neither approved nor rejected.
        raise ActionNotAllowed(
            f"{act.name}: case {case.number} has a pending {case.pending['kind']} request; approve or reject it first",
            details={"pending": case.pending["kind"]},
        )
    if role == "citizen" and actor.name not in {f.ref for f in case.followers}:
        raise ForbiddenRole(
            f"{act.name}: only the reporter or a follower of case {case.number} may rate it",
            details={"required": ["follower"], "held": sorted(actor.roles)},
        )
    if act.name == "reopen" and case.satisfaction != "不满意":
        raise ActionNotAllowed("only a case the citizen was not satisfied with (不满意) may be reopened")
    if act.name == "reopen" and case.department_id is None:
        raise ActionNotAllowed(
            f"case {case.number} was never dispatched (self-handled), so no department can handle it again"
        )
    if act.name == "callback" and case.satisfaction is not None:
        raise ActionNotAllowed(f"case {case.number} was already called back")


def _dept_code(case: Case) -> str | None:
    return case.department.code if case.department is not None else None


def _parse(
    session: Session, act: Action, case: Case, data: dict[str, Any], at: datetime, calendar: WorkingCalendar
) -> dict[str, Any]:
    """Validate the action's data; return what the action applies (nothing is written here)."""
    out: dict[str, Any] = {}
    try:
        if act.name == "file":
            urgency = data.get("urgency", case.urgency)
            if urgency not in URGENCIES:
                raise InvalidCaseData(
                    f"urgency must be normal or urgent, got {urgency!r}", details={"field": "urgency"}
                )
            limits = None
            if data.get("condition_id") is not None:
                matches = [
                    c
                    for c in list_registration_conditions(
                        session, case.city_id, code=case.category_code, kind=case.kind, standard=case.standard
                    )
                    if c.id == data["condition_id"]
                ]
                if not matches:
                    raise InvalidCaseData(
                        f"registration condition {data['condition_id']!r} is not one of category "
                        f"{case.kind}:{case.category_code} in city {case.city_id}",
                        details={"field": "condition_id"},
                    )
                limits = matches[0].limits
            out = {
                "urgency": urgency,
                "condition_id": data.get("condition_id"),
                "limit": disposal_limit(urgency, limits),
            }
        elif act.name == "dispatch":
            code = data.get("department")
            if not isinstance(code, str) or not code:
                raise InvalidCaseData(
                    "dispatch needs data.department (a department code)", details={"field": "department"}
                )
            dept = get_department(session, case.city_id, code)
            if not dept.active:
                raise InvalidCaseData(f"department {code} is not active", details={"field": "department"})
            worker = get_staff(session, case.city_id, data["worker"]) if data.get("worker") else None
            if worker is not None and worker.department_id != dept.id:
                raise InvalidCaseData(
                    f"worker {worker.username} does not belong to department {code}",
                    details={"field": "worker"},
                )
            out = {"department": dept, "worker": worker}
        elif act.name == "request_extension":
            if data.get("due_at"):
                due = utc(datetime.fromisoformat(str(data["due_at"])))
                if due <= at:
                    raise InvalidCaseData(
                        f"the new due {due.isoformat()} is in the past",
                        code="cases.due_in_past",
                        details={"field": "due_at"},
                    )
                current = case.disposal_due_at
                if current is not None and due <= current:
                    raise InvalidCaseData(
                        f"the new due {due.isoformat()} is not after the current due {current.isoformat()}",
                        details={"field": "due_at"},
                    )
                out = {"by": due.isoformat()}
            elif data.get("extra"):
                out = {"by": TimeLimit.parse(data["extra"], where="extra").to_dict()}
            else:
                raise InvalidCaseData(
                    "request_extension needs data.extra {amount, unit} or data.due_at",
                    details={"field": "extra"},
                )
        elif act.name == "callback":
            rating = data.get("rating")
            if rating not in SATISFACTION:
                raise InvalidCaseData(
                    f"rating must be one of {', '.join(SATISFACTION)}", details={"field": "rating"}
                )
            out = {"rating": rating}
    except CityLoopError:
        raise
    except (ValueError, TypeError) as exc:
        raise InvalidCaseData(f"{act.name}: {exc}", details={"data": data}) from exc
    return out


def _check_evidence(session: Session, case: Case, evidence: Sequence[str]) -> None:
    if not evidence:
        return
    bad = [h for h in evidence if not SHA256.match(h)]
    if bad:
        raise InvalidCaseData(
            "evidence must be sha256 hashes (64 hex digits)",
            code="cases.invalid_evidence",
            details={"bad": bad},
        )
    known = set(session.scalars(select(Evidence.sha256).where(Evidence.case_id == case.id)))
    missing = sorted(set(evidence) - known)
    if missing:
        raise InvalidCaseData(
            "evidence not uploaded to this case", code="cases.unknown_evidence", details={"missing": missing}
        )


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
    at = now or get_clock().now()
    act = ACTIONS.get(action)
    if act is None:
        raise UnknownAction(f"unknown action {action!r}", details={"known": sorted(ACTIONS)})
    if actor.city_code != city_code:
        raise ForbiddenCity(
            f"your credential belongs to city {actor.city_code}, not to city {city_code}",
            details={"yours": actor.city_code, "requested": city_code},
        )
    case = get_case_for_update(session, city_code, number)
    old = State(case.state)
    if old not in act.sources:
        allowed = sorted(a.name for a in ACTIONS.values() if old in a.sources)
        raise ActionNotAllowed(
            f"{action} is not allowed while case {number} is {old.value}",
            details={"state": old.value, "allowed": allowed},
        )
    role = _role_for(act, case, actor)
    _check(act, case, actor, role, reason)
    _check_evidence(session, case, evidence)
    data = dict(data or {})
    calendar = get_calendar(session, city_code)
    parsed = _parse(session, act, case, data, at, calendar)
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
        complete_open(case, {STATE_TASKS[old].kind} if old in STATE_TASKS else set(), at=at, by=by)
        cancel_open(case, at=at)
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
