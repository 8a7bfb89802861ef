"""DOMAIN.md §3 steps 10–12 and 14: checking, rework keeping the original due, closing, the citizen callback."""

from __future__ import annotations

import pytest

from cases.conftest import LoopCity
from cases.helpers import (
    act,
    drive,
    event_summary,
    last_event,
    local,
    open_task,
    snapshot,
    task_rows,
    verified_public_case,
)
from cityloop.cases import Actor, Case, do_transition
from cityloop.org import get_department


def test_10_send_check_opens_the_inspectors_check_task(loop: LoopCity) -> None:
    case = drive(loop, loop.report(), "CHECKING")  # sent at 09:30
    assert task_rows(case)[-2:] == [
        ("check_dispatch", "operator", "done", True),
        ("check", "inspector", "open", None),
    ]
    check = open_task(case, "check")
    # 核查 within 1 working hour in an urban area.
    assert (check.due_at, check.time_limit) == (local(2, 10, 30), {"amount": 1, "unit": "working_hours"})
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["from"], summary["to"], summary["actor"]) == (
        "send_check",
        "PROCESSED",
        "CHECKING",
        ("staff", "operator01", "operator"),
    )


def test_11_fixed_is_checked_ok(loop: LoopCity) -> None:
    case = drive(loop, loop.report(), "CHECKED_OK")
    assert task_rows(case)[-2:] == [
        ("check", "inspector", "done", True),
        ("close", "shift_leader", "open", None),
    ]
    assert open_task(case, "close").due_at == local(2, 10, 5)
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["to"], summary["actor"]) == (
        "check_ok",
        "CHECKED_OK",
        ("staff", "inspector01", "inspector"),
    )


def test_11_not_fixed_is_reworked_by_the_same_department_with_the_original_due(loop: LoopCity) -> None:
    case = drive(loop, loop.report(), "CHECKING")
    original_due = case.disposal_due_at
    assert original_due == local(3, 9, 20)
    act(loop, case, "check_fail", "inspector01", reason="仍有摊贩", minutes=60)  # 10:30
    assert case.state == "PROCESSING"
    handles = [t for t in case.tasks if t.kind == "handle"]
    assert [(t.status, t.on_time) for t in handles] == [("done", True), ("open", None)]
    rework = handles[1]
    assert rework.started_at == local(2, 10, 30)
    assert rework.due_at == case.disposal_due_at == original_due  # 返工 keeps the original disposal due
    assert rework.department_id == get_department(loop.session, loop.code, "CG").id
    assert task_rows(case)[-2] == ("check", "inspector", "done", True)
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["from"], summary["to"], summary["reason"]) == (
        "check_fail",
        "CHECKING",
        "PROCESSING",
        "仍有摊贩",
    )
    # The second feedback is measured against the original due.
    loop.clock.set(local(3, 10))
    act(loop, case, "feedback", "cg01", minutes=0)
    assert [(t.status, t.on_time) for t in case.tasks if t.kind == "handle"] == [
        ("done", True),
        ("done", False),
    ]


def test_12_close_closes_without_callback_when_nobody_follows(loop: LoopCity) -> None:
    case = drive(loop, loop.report(), "CLOSED")
    assert case.closed_at == local(2, 9, 40)
    assert task_rows(case)[-1] == ("close", "shift_leader", "done", True)
    assert not [t for t in case.tasks if t.status == "open"]
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["from"], summary["to"], summary["actor"]) == (
        "close",
        "CHECKED_OK",
        "CLOSED",
        ("staff", "leader01", "shift_leader"),
    )


def _closed_public_case(loop: LoopCity) -> Case:
    case = verified_public_case(loop)
    drive(loop, case, "CLOSED")  # closed at 09:50
    return case


def test_14_public_case_is_called_back_and_citizen_is_satisfied(loop: LoopCity) -> None:
    case = _closed_public_case(loop)
    callback = open_task(case, "callback")
    assert (callback.role, callback.due_at) == ("operator", local(3, 9, 50))  # 回访 the next working day
    citizen = Actor.citizen(loop.code, "citizen:1")
    loop.clock.advance(minutes=5)
    do_transition(
        loop.session,
        city_code=loop.code,
        number=case.number,
        action="callback",
        actor=citizen,
        data={"rating": "满意"},
    )
    assert (case.state, case.satisfaction) == ("CLOSED", "满意")
    assert task_rows(case)[-1] == ("callback", "operator", "done", True)
    assert event_summary(last_event(loop.session, case)) == {
        "action": "callback",
        "from": "CLOSED",
        "to": "CLOSED",
        "actor": ("citizen", "citizen:1", "citizen"),
        "reason": None,
        "data": {"rating": "满意"},
    }


def test_14_operator_callback_basically_satisfied(loop: LoopCity) -> None:
    case = _closed_public_case(loop)
    act(loop, case, "callback", "operator01", data={"rating": "基本满意"})
    assert (case.state, case.satisfaction, case.closed_at) == ("CLOSED", "基本满意", local(2, 9, 50))
    assert last_event(loop.session, case).actor_role == "operator"


def test_14_not_satisfied_reopens_with_a_new_handle_task_and_is_called_back_again(loop: LoopCity) -> None:
    case = _closed_public_case(loop)
    act(loop, case, "callback", "operator01", data={"rating": "不满意"})
    assert (case.state, case.satisfaction) == ("CLOSED", "不满意")
    act(loop, case, "reopen", "operator01", reason="市民反映摊贩又回来了", minutes=60)  # 10:55
    assert case.state == "PROCESSING" and case.closed_at is None and case.satisfaction is None
    handles = [t for t in case.tasks if t.kind == "handle"]
    assert [t.status for t in handles] == ["done", "open"]
    assert handles[1].department_id == get_department(loop.session, loop.code, "CG").id
    assert handles[1].due_at == case.disposal_due_at == local(3, 10, 55)  # a new disposal clock
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["from"], summary["to"], summary["reason"]) == (
        "reopen",
        "CLOSED",
        "PROCESSING",
        "市民反映摊贩又回来了",
    )
    for action, who in [
        ("feedback", "cg01"),
        ("send_check", "operator01"),
        ("check_ok", "inspector01"),
        ("close", "leader01"),
    ]:
        act(loop, case, action, who)
    assert case.state == "CLOSED" and open_task(case, "callback").due_at == local(3, 11, 15)
    act(loop, case, "callback", "operator01", data={"rating": "满意"})
    assert case.satisfaction == "满意"


def test_no_callback_without_a_citizen_to_call(loop: LoopCity) -> None:
    """An inspector's own report has nobody to call back: the callback is refused and nothing changes."""
    from cityloop.cases.errors import ActionNotAllowed

    case = drive(loop, loop.report(), "CLOSED")
    before = snapshot(loop.session, [case.id])
    with pytest.raises(ActionNotAllowed, match="no citizen to call back"):
        do_transition(
            loop.session, city_code=loop.code, number=case.number, action="callback",
            actor=loop.actors["operator01"], data={"rating": "满意"},
        )  # fmt: skip
    assert snapshot(loop.session, [case.id]) == before
