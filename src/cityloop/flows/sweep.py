"""The deadline sweep: mark open tasks whose time limit has passed and escalate them.

A task that is overdue is marked once (`overdue_at`), handed up to the role that supervises
whoever should have done it (`escalated_to`), and recorded on its case's timeline by the
system, so the miss is visible to the supervisor and cannot be quietly undone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case, Task, append_event
from cityloop.cities import get_city

SWEEP_RULE = "deadline sweep"

#: Who an overdue task is escalated to, by task kind.
#:
#: The supervisor is the role one level above whoever must do the task (DOMAIN.md §3): a
#: department that has not signed for or handled its case is chased by the dispatcher who
#: sent it there; the centre's own desk and field steps (verify and check on site, accept,
#: sending out for verification or checking, calling back, reviewing self-handling) answer to
#: the shift leader; the shift leader's and dispatcher's own steps (file, dispatch, close,
#: approve a request) can only be chased by the leadership.
ESCALATION: dict[str, str] = {
    "sign": "dispatcher",
    "handle": "dispatcher",
    "verify": "shift_leader",
    "check": "shift_leader",
    "accept": "shift_leader",
    "verify_dispatch": "shift_leader",
    "check_dispatch": "shift_leader",
    "callback": "shift_leader",
    "review": "shift_leader",
    "file": "leader",
    "dispatch": "leader",
    "close": "leader",
    "approve": "leader",
}
#: A task kind missing from the table goes to the top rather than to nobody.
DEFAULT_ESCALATION = "leader"


def escalation_for(kind: str) -> str:
    """The role that supervises a task of `kind` when it is overdue."""
    return ESCALATION.get(kind, DEFAULT_ESCALATION)


@dataclass(frozen=True)
class SweepResult:
    """What one sweep of one city marked: the number of overdue tasks per task kind."""

    city: str
    at: datetime
    marked: dict[str, int] = field(default_factory=dict)
    cases: int = 0

    @property
    def total(self) -> int:
        return sum(self.marked.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "city": self.city,
            "at": self.at.isoformat(),
            "marked": dict(sorted(self.marked.items())),
            "total": self.total,
            "cases": self.cases,
        }


def _overdue(city_code: str, now: datetime) -> Any:
    return (
        Task.city_id == city_code,
        Task.status == "open",
        Task.due_at.is_not(None),
        Task.due_at < now,
        Task.paused_at.is_(None),
        Task.overdue_at.is_(None),
    )


def do_sweep(session: Session, *, city_code: str, now: datetime) -> SweepResult:
    """Mark the city's open, running tasks that are past due at `now`, escalate and record each once.

    The cases concerned are locked (in id order, before the city's chain head) like a
    transition locks its case, so a sweep and a concurrent action never interleave on a case.
    Idempotent: a task already marked is never marked again. Flushes, never commits.
    """
    get_city(session, city_code)
    conditions = _overdue(city_code, now)
    case_ids = sorted(set(session.scalars(select(Task.case_id).where(*conditions))))
    if not case_ids:
        return SweepResult(city=city_code, at=now)
    cases = {
        case.id: case
        for case in session.scalars(
            select(Case)
            .where(Case.city_id == city_code, Case.id.in_(case_ids))
            .order_by(Case.id)
            .with_for_update(of=Case)
            .execution_options(populate_existing=True)
        )
    }
    # Read the tasks again under the locks: an action may have finished one meanwhile.
    tasks = session.scalars(
        select(Task)
        .where(*conditions, Task.case_id.in_(case_ids))
        .order_by(Task.case_id, Task.id)
        .execution_options(populate_existing=True)
    ).all()
    actor = Actor.system(city_code, rule=SWEEP_RULE, roles=frozenset())
    marked: Counter[str] = Counter()
    touched: set[int] = set()
    for task in tasks:
        case = cases[task.case_id]
        escalated_to = escalation_for(task.kind)
        task.overdue_at, task.escalated_to = now, escalated_to
        append_event(
            session,
            case=case,
            action="overdue",
            actor=actor,
            at=now,
            from_state=case.state,
            to_state=case.state,
            data={
                "task": task.kind,
                "due_at": task.due_at.isoformat() if task.due_at else None,
                "escalated_to": escalated_to,
            },
        )
        marked[task.kind] += 1
        touched.add(case.id)
    session.flush()
    return SweepResult(city=city_code, at=now, marked=dict(marked), cases=len(touched))
