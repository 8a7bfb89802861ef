"""What the evaluation reads: each case with its timeline events and tasks, as plain records.

Everything is read from `case_events` and `case_tasks` (who did what, when, against which
due), never from figures stored elsewhere, so every indicator can be recomputed from the
timeline. Cases are loaded once per evaluation; each indicator module walks them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from cityloop.cases import Case, Task, TimelineEvent
from cityloop.core.clock import utc
from cityloop.evaluation.period import Period

#: Cases reported this long before the period and closed (or voided) before it cannot matter.
LOOKBACK = timedelta(days=400)
CHUNK = 500
CREATE_ACTIONS = frozenset({"report", "self_handle", "register"})


@dataclass(frozen=True)
class Event:
    at: datetime
    action: str
    actor_id: int | None
    to_state: str
    data: dict[str, Any]


@dataclass(frozen=True)
class TaskRec:
    kind: str
    status: str
    started_at: datetime
    due_at: datetime | None
    done_at: datetime | None
    done_by_id: int | None
    assignee_id: int | None
    department_id: int | None
    on_time: bool | None


@dataclass
class CaseFacts:
    id: int
    number: str
    source: str
    self_handled: bool
    areas: dict[str, str | None]
    events: list[Event] = field(default_factory=list)
    tasks: list[TaskRec] = field(default_factory=list)

    def state_at(self, at: datetime) -> str | None:
        """The state after the last event before `at` (None when the case did not exist yet)."""
        state = None
        for event in self.events:
            if event.at >= at:
                break
            state = event.to_state
        return state

    def first(self, actions: Iterable[str], before: datetime) -> Event | None:
        wanted = frozenset(actions)
        return next((e for e in self.events if e.action in wanted and e.at < before), None)

    def has(self, actions: Iterable[str], before: datetime) -> bool:
        return self.first(actions, before) is not None

    @property
    def created(self) -> Event | None:
        return self.events[0] if self.events and self.events[0].action in CREATE_ACTIONS else None


def settled_task(task: TaskRec, period: Period) -> bool | None:
    """Whether a task falls due in `period`, and then whether it was on time (None: it does not).

    A task done in the period counts with its recorded on-time flag; a task not done by the end
    of the period whose due passed inside it counts as late. Cancelled tasks and tasks without
    a due never count.
    """
    if task.status == "cancelled" or task.due_at is None:
        return None
    done = task.status == "done" and task.done_at is not None and task.done_at < period.end
    if done:
        return bool(task.on_time) if period.contains(task.done_at) else None
    return False if period.contains(task.due_at) else None


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def load_facts(session: Session, city_code: str, period: Period) -> list[CaseFacts]:
    """The city's cases that can touch `period`, with their events (in order) and tasks."""
    stmt = select(
        Case.id, Case.number, Case.source, Case.self_handled, Case.grid_code, Case.community_code,
        Case.street_code, Case.district_code,
    ).where(
        Case.city_id == city_code,
        Case.reported_at < period.end,
        or_(Case.reported_at >= period.start - LOOKBACK, Case.closed_at.is_(None), Case.closed_at >= period.start),
    ).order_by(Case.id)  # fmt: skip
    facts: dict[int, CaseFacts] = {}
    for row in session.execute(stmt):
        facts[row.id] = CaseFacts(
            id=row.id, number=row.number, source=row.source, self_handled=row.self_handled,
            areas={"grid": row.grid_code, "community": row.community_code, "street": row.street_code,
                   "district": row.district_code},
        )  # fmt: skip
    for ids in _chunks(list(facts)):
        _load_events(session, facts, ids)
        _load_tasks(session, facts, ids)
    return list(facts.values())


def _load_events(session: Session, facts: dict[int, CaseFacts], ids: list[int]) -> None:
    stmt = (
        select(
            TimelineEvent.case_id, TimelineEvent.at, TimelineEvent.action, TimelineEvent.actor_id,
            TimelineEvent.actor_kind, TimelineEvent.to_state, TimelineEvent.data,
        )
        .where(TimelineEvent.case_id.in_(ids))
        .order_by(TimelineEvent.case_id, TimelineEvent.seq)
    )  # fmt: skip
    for row in session.execute(stmt):
        actor = row.actor_id if row.actor_kind == "staff" else None
        facts[row.case_id].events.append(
            Event(utc(row.at), row.action, actor, row.to_state, dict(row.data or {}))
        )


def _opt(value: datetime | None) -> datetime | None:
    return utc(value) if value is not None else None


def _load_tasks(session: Session, facts: dict[int, CaseFacts], ids: list[int]) -> None:
    stmt = select(
        Task.case_id, Task.kind, Task.status, Task.started_at, Task.due_at, Task.done_at, Task.done_by_id,
        Task.assignee_id, Task.department_id, Task.on_time,
    ).where(Task.case_id.in_(ids)).order_by(Task.case_id, Task.id)  # fmt: skip
    for row in session.execute(stmt):
        facts[row.case_id].tasks.append(
            TaskRec(
                row.kind, row.status, utc(row.started_at), _opt(row.due_at), _opt(row.done_at),
                row.done_by_id, row.assignee_id, row.department_id, row.on_time,
            )
        )  # fmt: skip
