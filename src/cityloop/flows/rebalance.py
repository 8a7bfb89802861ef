"""The batch optimiser: every sweep, the dispatched but not yet signed cases of a department are
assigned together (`dispatch.assignment.batch_assign`), and a worker changes where the plan is better.

Arrivals are dispatched one by one as they come (greedy by expected completion); when several
cases wait in one department, planning them together saves travel and lateness. Only cases the
automation dispatched and nobody has signed for are re-planned; each change is a `reassign`
event by the system with the plan's reason.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case, State
from cityloop.cases.assign import do_assign
from cityloop.cities import get_parameters
from cityloop.dispatch.assignment import (
    TaskRequest,
    assignment_params,
    batch_assign,
    load_task_request,
    load_workers,
)


def _waiting(session: Session, city_code: str) -> dict[str, list[Case]]:
    stmt = (
        select(Case)
        .where(Case.city_id == city_code, Case.state == State.DISPATCHED.value, Case.lon.is_not(None))
        .order_by(Case.id)
    )
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in session.scalars(stmt):
        if case.department is not None and case.worker_id is not None:
            groups[case.department.code].append(case)
    return groups


def rebalance(session: Session, city_code: str, at: datetime) -> int:
    """Re-plan each department's waiting cases together; the number of cases given another worker."""
    params = get_parameters(session, city_code)
    if not params.auto_dispatch or params.dispatch_policy != "optimised":
        return 0
    changed = 0
    cost = assignment_params(session, city_code)
    for department, cases in _waiting(session, city_code).items():
        if len(cases) < 2:
            continue
        sign_tasks = {
            t.id: case for case in cases for t in case.tasks if t.kind == "sign" and t.status == "open"
        }
        workers = [
            replace(w, queue=tuple(q for q in w.queue if q.task_id not in sign_tasks))
            for w in load_workers(session, city_code, department, at, params=cost)
        ]
        if not workers:
            continue
        requests: list[TaskRequest] = []
        for task_id, case in sign_tasks.items():
            task = next(t for t in case.tasks if t.id == task_id)
            requests.append(load_task_request(session, case, task, params=cost))
        for plan in batch_assign(requests, workers, at, cost):
            moved = sign_tasks.get(plan.task.task_id) if plan.task.task_id is not None else None
            if moved is None or plan.worker is None or plan.worker.staff_id == moved.worker_id:
                continue
            do_assign(
                session, city_code=city_code, number=moved.number, kind="sign", username=plan.worker.username,
                actor=Actor.system(city_code, rule="auto.rebalance", roles=frozenset({"dispatcher"})),
                reason=f"planned with {len(requests)} waiting cases of {department}: {plan.reason}",
                data={"assignment": plan.as_dict()}, now=at,
            )  # fmt: skip
            changed += 1
    return changed
