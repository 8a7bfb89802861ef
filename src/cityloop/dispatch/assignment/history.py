"""A case's history as assignment sees it: which workers returned it or failed to fix it.

Walking the timeline in order, the case's current holder is the worker named by a dispatch
(`data.worker`, a username, or `data.worker_id`) or the field worker who last acted on it
(signed, reported the fix). When a return is approved, the holder returned it; when a check
fails or a dissatisfied citizen has it reopened, the holder's fix failed. Those workers are
excluded from the next decision for this case unless nobody else can take it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, Protocol

from cityloop.cases import Case, Task
from cityloop.dispatch.assignment.errors import CaseNotLocated
from cityloop.dispatch.assignment.model import AssignmentParams, TaskRequest

#: Actions that name the worker who gets the case in their data.
ASSIGNING_ACTIONS = frozenset({"dispatch", "assign", "reassign"})


class HistoryEvent(Protocol):
    """The parts of a timeline event (`cases.TimelineEvent`) that history reads."""

    @property
    def action(self) -> str: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def actor_role(self) -> str | None: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def at(self) -> datetime: ...
    @property
    def data(self) -> dict[str, Any]: ...


def _named_worker(data: Mapping[str, Any], worker_ids: Mapping[str, int]) -> int | None:
    worker_id = data.get("worker_id")
    if isinstance(worker_id, int):
        return worker_id
    username = data.get("worker")
    if isinstance(username, str):
        return worker_ids.get(username)
    return None


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


def exclusions(
    history: Iterable[HistoryEvent], worker_ids: Mapping[str, int] | None = None
) -> dict[int, str]:
    """Staff id → why that worker should not get this case again (the latest reason wins)."""
    ids = worker_ids or {}
    holder: int | None = None
    return_reason: str | None = None
    excluded: dict[int, str] = {}
    for event in history:
        if event.action in ASSIGNING_ACTIONS:
            named = _named_worker(event.data or {}, ids)
            if named is not None or event.action == "dispatch":  # a dispatch to the desk only has no holder
                holder = named
        elif event.actor_role == "field_worker" and event.actor_id is not None:
            holder = event.actor_id
        if event.action == "request_return":
            return_reason = event.reason
        elif event.action == "approve_return":
            if holder is not None:
                why = f": {return_reason}" if return_reason else ""
                excluded[holder] = f"they returned this case on {_when(event.at)}{why}"
            holder, return_reason = None, None
        elif event.action == "check_fail" and holder is not None:
            why = f": {event.reason}" if event.reason else ""
            excluded[holder] = f"their fix failed the check on {_when(event.at)}{why}"
        elif event.action == "reopen" and holder is not None:
            excluded[holder] = f"the citizen was not satisfied with their fix (reopened {_when(event.at)})"
    return excluded


def task_request(
    case: Case,
    task: Task | None,
    history: Iterable[HistoryEvent],
    *,
    params: AssignmentParams | None = None,
    due_at: datetime | None = None,
    worker_ids: Mapping[str, int] | None = None,
) -> TaskRequest:
    """The request to assign `task` (or the case's coming handle task when None) from the case.

    The due is `due_at` when given, else the task's, else the case's disposal due; the skill
    comes from the category (`params.skills`); workers who returned or failed the case before
    are excluded (see `exclusions`). `worker_ids` resolves usernames named by dispatch events.
    """
    params = params or AssignmentParams()
    if case.lon is None or case.lat is None:
        raise CaseNotLocated(
            f"case {case.number} has no location, so no worker can be chosen by travel",
            details={"case": case.number},
        )
    due = due_at or (task.due_at if task is not None else None) or case.disposal_due_at
    return TaskRequest(
        task_id=task.id if task is not None else None,
        case_id=case.id,
        ref=case.number,
        lon=case.lon,
        lat=case.lat,
        category_code=case.category_code,
        urgency=case.urgency,
        due_at=due,
        skill=params.skill_for(case.category_code),
        excluded=MappingProxyType(exclusions(history, worker_ids)),
    )
