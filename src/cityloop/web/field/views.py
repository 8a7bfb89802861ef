"""What a field page shows of each task: the case, its place, the traffic light and the actions left.

The choice of what is shown, and which actions each task offers, is made here rather than in
the template, so that the page and its form handler agree on it (`FIELD_ACTIONS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from cityloop.cases import Case, Task
from cityloop.cases.queries import my_tasks, task_clock
from cityloop.cases.workflow import ACTIONS, STATE_LABELS, STATE_TASKS, State
from cityloop.core.principal import Principal
from cityloop.deadlines import get_calendar
from cityloop.taxonomy import find_category

#: The roles the field page serves.
FIELD_ROLES = frozenset({"field_worker", "inspector", "department"})

#: The actions each kind of task offers on the page ("photo" stores a photo without a step).
FIELD_ACTIONS: dict[str, tuple[str, ...]] = {
    "sign": ("sign", "request_return"),
    "handle": ("photo", "feedback", "request_extension", "request_return"),
    "verify": ("confirm", "not_found"),
    "check": ("check_ok", "check_fail"),
}

#: The phase a photo sent with an action is kept in: what the problem looked like, or the fix.
PHOTO_PHASE: dict[str, str] = {
    "confirm": "before",
    "not_found": "before",
    "feedback": "after",
    "check_ok": "after",
    "check_fail": "after",
}

#: Tasks waiting at a department: they belong to the worker the case was dispatched to, if any.
DISPATCHED_KINDS = frozenset({"sign", "handle"})

#: The most tasks one page lists (the soonest due).
MAX_TASKS = 200


@dataclass(frozen=True)
class Photo:
    sha256: str
    phase: str


@dataclass(frozen=True)
class TaskCard:
    """One open task as the field page shows it."""

    task_id: int
    kind: str
    kind_label: str
    number: str
    state_label: str
    category: str
    address: str | None
    description: str
    lon: float | None
    lat: float | None
    due_at: datetime | None
    light: str | None
    remaining_minutes: int | None
    paused: bool
    mine: bool
    pending: str | None
    actions: tuple[str, ...]
    action_labels: dict[str, str] = field(default_factory=dict)
    photos: tuple[Photo, ...] = ()

    @property
    def overdue(self) -> bool:
        return self.remaining_minutes is not None and self.remaining_minutes < 0

    @property
    def hours_minutes(self) -> tuple[int, int]:
        """The time left (or overdue), in whole working hours and minutes."""
        return divmod(abs(self.remaining_minutes or 0), 60)


def task_owner(task: Task) -> int | None:
    """The staff member a task is for: its assignee, or for department steps the dispatched worker."""
    if task.assignee_id is not None:
        return task.assignee_id
    return task.case.worker_id if task.kind in DISPATCHED_KINDS else None


def visible_tasks(session: Session, city_code: str, principal: Principal) -> list[Task]:
    """The principal's open tasks, soonest due first, leaving out those meant for a colleague.

    A department's desk (role `department`) sees every task of the department; a worker or an
    inspector sees the tasks meant for them and those meant for nobody in particular.
    """
    tasks = my_tasks(session, city_code, principal, limit=MAX_TASKS)
    if "department" in principal.roles:
        desk = [t for t in tasks if t.kind in DISPATCHED_KINDS]
        others = [
            t for t in tasks if t.kind not in DISPATCHED_KINDS and task_owner(t) in (None, principal.staff_id)
        ]
        return sorted(desk + others, key=tasks.index)
    return [t for t in tasks if task_owner(t) in (None, principal.staff_id)]


def find_my_task(session: Session, city_code: str, principal: Principal, number: str) -> Task | None:
    """The principal's open task on case `number` that the page offers actions for."""
    for task in visible_tasks(session, city_code, principal):
        if task.case.number == number and task.kind in FIELD_ACTIONS:
            return task
    return None


def _category_name(session: Session, case: Case, locale: str, cache: dict[tuple[str, str], str]) -> str:
    key = (case.kind, case.category_code)
    if key not in cache:
        row = find_category(session, code=case.category_code, kind=case.kind, city_code=case.city_id)
        name = (row.name_en if locale == "en" and row.name_en else row.name) if row else case.category_code
        cache[key] = name
    return cache[key]


def task_cards(
    session: Session, city_code: str, principal: Principal, locale: str, at: datetime
) -> list[TaskCard]:
    """The page's cards: the principal's tasks with their clocks, soonest due first."""
    calendar = get_calendar(session, city_code)
    names: dict[tuple[str, str], str] = {}
    cards = []
    for task in visible_tasks(session, city_code, principal):
        case = task.case
        clock = task_clock(task, calendar, at)
        step = STATE_TASKS.get(State(case.state))
        actions = FIELD_ACTIONS.get(task.kind, ())
        if case.pending is not None:  # a request waits for approval: only photos until then
            actions = tuple(a for a in actions if a == "photo")
        cards.append(
            TaskCard(
                task_id=task.id,
                kind=task.kind,
                kind_label=step.label.get(locale) if step and step.kind == task.kind else task.kind,
                number=case.number,
                state_label=STATE_LABELS[State(case.state)].get(locale),
                category=_category_name(session, case, locale, names),
                address=case.address,
                description=case.description,
                lon=case.lon,
                lat=case.lat,
                due_at=task.due_at,
                light=clock.light,
                remaining_minutes=clock.remaining_minutes,
                paused=task.paused_at is not None,
                mine=task_owner(task) == principal.staff_id and principal.staff_id is not None,
                pending=case.pending["kind"] if case.pending else None,
                actions=actions,
                action_labels={a: ACTIONS[a].label.get(locale) for a in actions if a in ACTIONS},
                photos=tuple(
                    Photo(e.sha256, e.phase)
                    for e in case.evidence
                    if e.phase in ("before", "after") and e.content_type.startswith("image/")
                ),
            )
        )
    return cards
