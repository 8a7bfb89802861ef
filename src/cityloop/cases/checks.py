"""Checks of an action before anything changes: who may take it, on which case, with which data.

`check_action` enforces the table's roles, department ownership, reasons and pending requests;
`parse_action_data` validates each action's data and returns what the action applies;
`check_evidence` makes sure cited files were uploaded to the case.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases.actors import Actor
from cityloop.cases.errors import ActionNotAllowed, InvalidCaseData, ReasonRequired, WrongDepartment
from cityloop.cases.models import Case, Evidence
from cityloop.cases.workflow import APPROVERS, DEPARTMENT_ROLES, SATISFACTION, URGENCIES, Action
from cityloop.core.clock import utc
from cityloop.core.errors import CityLoopError
from cityloop.core.principal import ForbiddenRole
from cityloop.deadlines import TimeLimit
from cityloop.deadlines.policies import disposal_limit
from cityloop.org import get_department, get_staff
from cityloop.org.errors import DepartmentNotFound, StaffNotFound
from cityloop.taxonomy import list_registration_conditions

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def role_for(act: Action, case: Case, actor: Actor) -> str:
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


def check_action(act: Action, case: Case, actor: Actor, role: str, reason: str | None) -> None:
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
    if act.name == "callback" and not case.followers:
        raise ActionNotAllowed(f"case {case.number} has no citizen to call back (no reporter or follower)")


def _dept_code(case: Case) -> str | None:
    return case.department.code if case.department is not None else None


def parse_action_data(
    session: Session, act: Action, case: Case, data: dict[str, Any], at: datetime
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
            try:
                dept = get_department(session, case.city_id, code)
            except DepartmentNotFound as exc:
                raise InvalidCaseData(exc.message, details={"field": "department"}) from exc
            if not dept.active:
                raise InvalidCaseData(f"department {code} is not active", details={"field": "department"})
            try:
                worker = get_staff(session, case.city_id, data["worker"]) if data.get("worker") else None
            except StaffNotFound as exc:
                raise InvalidCaseData(exc.message, details={"field": "worker"}) from exc
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


def check_evidence(session: Session, case: Case, evidence: Sequence[str]) -> None:
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
