"""DOMAIN.md §3 steps 8, 8a, 8b, 8c and 9: signing starts the disposal clock; return, extension, suspension, feedback.

The city works 08:30–12:00 and 13:30–17:30 Monday to Friday. The clock starts on Monday
2 November 2026 at 09:00 and each action is taken 5 minutes after the one before, so a
case signed for by the department is signed at 09:20 and, with the default disposal limit of
one working day, due on Tuesday at 09:20.
"""

from __future__ import annotations

from sqlalchemy import select

from cases.conftest import LoopCity
from cases.helpers import act, drive, event_summary, last_event, local, open_task, task_rows
from cityloop.cases import Case, Task
from cityloop.org import get_department, get_staff
from cityloop.taxonomy import list_registration_conditions


def _processing(loop: LoopCity) -> Case:
    case = drive(loop, loop.report(), "PROCESSING")
    assert loop.clock.now() == local(2, 9, 20)
    return case


def test_8_sign_starts_the_default_disposal_clock(loop: LoopCity) -> None:
    case = _processing(loop)
    cg = get_department(loop.session, loop.code, "CG")
    handle = open_task(case, "handle")
    assert (handle.role, handle.department_id, handle.started_at) == ("department", cg.id, local(2, 9, 20))
    assert handle.time_limit == {"amount": 1, "unit": "working_days"}
    assert handle.due_at == case.disposal_due_at == local(3, 9, 20)
    assert task_rows(case)[-2:] == [
        ("sign", "department", "done", True),
        ("handle", "department", "open", None),
    ]
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["from"], summary["to"], summary["actor"]) == (
        "sign",
        "DISPATCHED",
        "PROCESSING",
        ("staff", "cg01", "department"),
    )


def test_8_sign_uses_the_registration_condition_chosen_at_filing(loop: LoopCity) -> None:
    case = loop.report(category_code="06010")  # 暴露垃圾: 4 working hours (normal)
    (condition,) = list_registration_conditions(loop.session, loop.code, code="06010")
    act(loop, case, "accept", "operator01")
    act(loop, case, "file", "leader01", data={"condition_id": condition.id})
    act(loop, case, "dispatch", "dispatcher01", data={"department": "HW"})
    act(loop, case, "sign", "hw01")
    handle = open_task(case, "handle")
    assert handle.time_limit == {"amount": 4, "unit": "working_hours"}
    # 09:20 + 4 working hours: 2 h 40 before the lunch break, 1 h 20 after 13:30.
    assert handle.due_at == case.disposal_due_at == local(2, 14, 50)


def test_8a_return_approved_goes_back_to_filed_for_a_new_dispatch(loop: LoopCity) -> None:
    case = _processing(loop)
    act(loop, case, "request_return", "cg01", reason="不属于本部门职责")
    assert case.state == "PROCESSING"
    assert case.pending is not None
    assert {k: case.pending[k] for k in ("kind", "by", "reason")} == {
        "kind": "return",
        "by": "cg01",
        "reason": "不属于本部门职责",
    }
    approve = open_task(case, "approve")
    assert (approve.role, approve.due_at) == ("dispatcher", local(2, 11, 25))
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["from"], summary["to"], summary["actor"], summary["reason"]) == (
        "request_return",
        "PROCESSING",
        "PROCESSING",
        ("staff", "cg01", "department"),
        "不属于本部门职责",
    )
    act(loop, case, "approve_return", "dispatcher01")
    assert case.state == "FILED" and case.pending is None
    assert (case.department_id, case.worker_id, case.disposal_due_at) == (None, None, None)
    assert task_rows(case)[3:] == [
        ("sign", "department", "done", True),
        ("handle", "department", "cancelled", None),
        ("approve", "dispatcher", "done", True),
        ("dispatch", "dispatcher", "open", None),
    ]
    assert open_task(case, "dispatch").due_at == local(2, 10, 0)
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["from"], summary["to"], summary["actor"]) == (
        "approve_return",
        "PROCESSING",
        "FILED",
        ("staff", "dispatcher01", "dispatcher"),
    )
    # Re-dispatched, the new department gets a new clock [ours].
    act(loop, case, "dispatch", "dispatcher01", data={"department": "HW"})
    act(loop, case, "sign", "hw01")
    handle = open_task(case, "handle")
    assert handle.department_id == get_department(loop.session, loop.code, "HW").id
    assert handle.due_at == case.disposal_due_at == local(3, 9, 40)


def test_8a_return_before_signing_cancels_the_sign_task(loop: LoopCity) -> None:
    case = drive(loop, loop.report(), "DISPATCHED")
    act(loop, case, "request_return", "cg01", reason="不属于本部门职责")
    act(loop, case, "approve_return", "dispatcher01")
    assert case.state == "FILED" and case.department_id is None
    assert task_rows(case)[3:] == [
        ("sign", "department", "cancelled", None),
        ("approve", "dispatcher", "done", True),
        ("dispatch", "dispatcher", "open", None),
    ]


def test_8a_return_rejected_keeps_the_department_and_its_clock(loop: LoopCity) -> None:
    case = _processing(loop)
    act(loop, case, "request_return", "cgworker01", reason="不属于本部门职责")
    act(loop, case, "reject_request", "dispatcher01", reason="属于城管职责")
    assert case.state == "PROCESSING" and case.pending is None
    assert open_task(case, "handle").due_at == local(3, 9, 20)
    assert task_rows(case)[-2:] == [
        ("handle", "department", "open", None),
        ("approve", "dispatcher", "done", True),
    ]
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["to"], summary["reason"]) == (
        "reject_request",
        "PROCESSING",
        "属于城管职责",
    )


def test_8b_extension_by_an_amount_moves_the_due(loop: LoopCity) -> None:
    case = _processing(loop)
    act(
        loop,
        case,
        "request_extension",
        "cg01",
        reason="需协调",
        data={"extra": {"amount": 2, "unit": "working_hours"}},
    )
    assert open_task(case, "handle").due_at == local(3, 9, 20)  # nothing moves before the approval
    act(loop, case, "approve_extension", "dispatcher01")
    handle = open_task(case, "handle")
    assert case.state == "PROCESSING" and case.pending is None
    assert (handle.due_at, handle.extensions, handle.extended_seconds) == (local(3, 11, 20), 1, 7200.0)
    assert case.disposal_due_at == local(3, 11, 20)
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["from"], summary["to"]) == (
        "approve_extension",
        "PROCESSING",
        "PROCESSING",
    )


def test_8b_extension_to_a_date(loop: LoopCity) -> None:
    case = _processing(loop)
    act(
        loop, case, "request_extension", "cg01", reason="需协调", data={"due_at": "2026-11-05T17:00:00+08:00"}
    )
    act(loop, case, "approve_extension", "dispatcher01")
    handle = open_task(case, "handle")
    assert handle.due_at == case.disposal_due_at == local(5, 17)
    # Tuesday 09:20–17:30 (6 h 40) + Wednesday (7 h 30) + Thursday until 17:00 (7 h) of duty time added.
    assert (handle.extensions, handle.extended_seconds) == (1, 76200.0)


def test_8c_suspension_stops_the_clock_and_resume_moves_the_due(loop: LoopCity) -> None:
    case = _processing(loop)
    act(loop, case, "request_suspension", "cg01", reason="需拆迁配合，常规周期无法解决")
    act(loop, case, "approve_suspension", "dispatcher01")
    assert case.state == "SUSPENDED" and case.pending is None
    handle = open_task(case, "handle")
    assert (handle.paused_at, handle.due_at) == (local(2, 9, 30), local(3, 9, 20))
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["from"], summary["to"]) == (
        "approve_suspension",
        "PROCESSING",
        "SUSPENDED",
    )
    loop.clock.set(local(4, 9, 25))  # Wednesday
    act(loop, case, "resume", "cg01")
    assert case.state == "PROCESSING"
    handle = open_task(case, "handle")
    # Covered: Monday 09:30–17:30 (6 h 30), Tuesday (7 h 30), Wednesday 08:30–09:30 (1 h) = 15 h,
    # so the due moves from Tuesday 09:20 by 15 working hours to Thursday 09:20.
    assert (handle.paused_at, handle.paused_seconds) == (None, 54000.0)
    assert handle.due_at == case.disposal_due_at == local(5, 9, 20)
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["from"], summary["to"], summary["actor"]) == (
        "resume",
        "SUSPENDED",
        "PROCESSING",
        ("staff", "cg01", "department"),
    )


def test_8c_dispatcher_may_resume_and_a_rejected_suspension_keeps_processing(loop: LoopCity) -> None:
    case = _processing(loop)
    act(loop, case, "request_suspension", "cg01", reason="常规周期无法解决")
    act(loop, case, "reject_request", "dispatcher01", reason="可以常规处置")
    assert case.state == "PROCESSING" and open_task(case, "handle").paused_at is None
    act(loop, case, "request_suspension", "cg01", reason="确需挂账")
    act(loop, case, "approve_suspension", "dispatcher01")
    act(loop, case, "resume", "dispatcher01", minutes=60)  # 09:45 → 10:45: one working hour
    handle = open_task(case, "handle")
    assert (case.state, handle.paused_seconds, handle.due_at) == ("PROCESSING", 3600.0, local(3, 10, 20))
    assert last_event(loop.session, case).actor_role == "dispatcher"


def test_9_feedback_before_the_due_is_on_time(loop: LoopCity) -> None:
    case = _processing(loop)
    act(loop, case, "feedback", "cgworker01")
    assert case.state == "PROCESSED"
    handle = next(t for t in case.tasks if t.kind == "handle")
    worker = get_staff(loop.session, loop.code, "cgworker01")
    assert (handle.status, handle.on_time, handle.done_at, handle.done_by_id) == (
        "done",
        True,
        local(2, 9, 25),
        worker.id,
    )
    check_dispatch = open_task(case, "check_dispatch")
    assert (check_dispatch.role, check_dispatch.due_at) == ("operator", local(2, 9, 55))
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["from"], summary["to"], summary["actor"]) == (
        "feedback",
        "PROCESSING",
        "PROCESSED",
        ("staff", "cgworker01", "field_worker"),
    )


def test_9_feedback_after_the_due_is_late(loop: LoopCity) -> None:
    case = _processing(loop)
    loop.clock.set(local(3, 9, 21))
    act(loop, case, "feedback", "cg01", minutes=0)
    handle = loop.session.scalars(select(Task).where(Task.case_id == case.id, Task.kind == "handle")).one()
    assert (handle.status, handle.on_time) == ("done", False)
