"""A case's history decides who must not get it again: returns, failed checks, reopenings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cityloop.cases import Case, Task
from cityloop.dispatch.assignment import AssignmentParams, CaseNotLocated, exclusions, task_request

AT = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
IDS = {"w7": 7, "w8": 8}


@dataclass
class Event:
    action: str
    actor_id: int | None = None
    actor_role: str | None = None
    reason: str | None = None
    at: datetime = AT
    data: dict[str, Any] = field(default_factory=dict)


def dispatched(worker: str | None) -> Event:
    return Event(
        "dispatch", 3, "dispatcher", data={"department": "CG", **({"worker": worker} if worker else {})}
    )


def test_a_worker_who_returned_the_case_is_excluded_with_the_return_reason() -> None:
    history = [
        dispatched("w7"),
        Event("sign", 2, "department"),
        Event("request_return", 7, "field_worker", reason="不属于本部门"),
        Event("approve_return", 3, "dispatcher", at=AT + timedelta(hours=1)),
    ]
    assert exclusions(history, IDS) == {7: "they returned this case on 2026-11-01 03:00 UTC: 不属于本部门"}


def test_a_desk_return_excludes_the_worker_the_case_was_dispatched_to() -> None:
    history = [
        dispatched("w8"),
        Event("request_return", 2, "department"),
        Event("approve_return", 3, "dispatcher"),
    ]
    assert exclusions(history, IDS) == {8: "they returned this case on 2026-11-01 02:00 UTC"}


def test_a_rejected_return_excludes_nobody() -> None:
    history = [
        dispatched("w7"),
        Event("request_return", 7, "field_worker", reason="太远"),
        Event("reject_request", 3, "dispatcher", reason="就是你们的"),
    ]
    assert exclusions(history, IDS) == {}


def test_the_worker_whose_fix_failed_the_check_or_the_citizen_is_excluded() -> None:
    history = [
        dispatched("w7"),
        Event("feedback", 7, "field_worker"),
        Event("check_fail", 1, "inspector", reason="摊贩仍在"),
        Event("feedback", 8, "field_worker"),
        Event("check_ok", 1, "inspector"),
        Event("close", 4, "shift_leader"),
        Event("callback", None, "citizen", data={"rating": "不满意"}),
        Event("reopen", 5, "operator", reason="市民不满意"),
    ]
    assert exclusions(history, IDS) == {
        7: "their fix failed the check on 2026-11-01 02:00 UTC: 摊贩仍在",
        8: "the citizen was not satisfied with their fix (reopened 2026-11-01 02:00 UTC)",
    }


def test_workers_named_by_id_and_unknown_usernames() -> None:
    by_id = [
        Event("dispatch", 3, "dispatcher", data={"worker_id": 9}),
        Event("approve_return", 3, "dispatcher"),
    ]
    assert exclusions(by_id) == {9: "they returned this case on 2026-11-01 02:00 UTC"}
    unknown = [dispatched("nobody"), Event("approve_return", 3, "dispatcher")]
    assert exclusions(unknown, IDS) == {}
    desk_only = [dispatched("w7"), Event("approve_return", 3, "dispatcher"), dispatched(None)]
    desk_only += [Event("approve_return", 3, "dispatcher")]
    assert exclusions(desk_only, IDS) == {7: "they returned this case on 2026-11-01 02:00 UTC"}


def _case(**fields: Any) -> Case:
    values: dict[str, Any] = {
        "id": 41,
        "city_id": "330100",
        "number": "330100-20261101-00041",
        "category_code": "06013",
        "urgency": "urgent",
        "lon": 120.1,
        "lat": 30.25,
        "disposal_due_at": AT + timedelta(hours=4),
    }
    values.update(fields)
    return Case(**values)


def test_task_request_reads_the_case_the_task_and_the_history() -> None:
    params = AssignmentParams(skills={"06": "sanitation", "06013": "road"})
    history = [dispatched("w7"), Event("approve_return", 3, "dispatcher")]
    request = task_request(_case(), None, history, params=params, worker_ids=IDS)
    assert (request.task_id, request.case_id, request.ref) == (None, 41, "330100-20261101-00041")
    assert (request.lon, request.lat, request.category_code, request.urgency) == (
        120.1,
        30.25,
        "06013",
        "urgent",
    )
    assert request.due_at == AT + timedelta(hours=4)  # the case's disposal due
    assert request.skill == "road"
    assert dict(request.excluded) == {7: "they returned this case on 2026-11-01 02:00 UTC"}

    handle = Task(id=5, kind="handle", due_at=AT + timedelta(hours=2))
    assert task_request(_case(), handle, [], params=params).due_at == AT + timedelta(hours=2)
    given = AT + timedelta(hours=1)
    assert task_request(_case(), handle, [], due_at=given).due_at == given
    assert task_request(_case(), handle, []).task_id == 5


def test_a_case_without_a_place_cannot_be_assigned_by_travel() -> None:
    with pytest.raises(CaseNotLocated) as raised:
        task_request(_case(lon=None, lat=None), None, [])
    assert raised.value.code == "dispatch.assignment.case_not_located"
