"""DOMAIN.md §3 steps 1–7 and 13: reports, self-handling, verification, acceptance, filing, dispatch, void."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from cases.conftest import LoopCity
from cases.helpers import (
    act,
    drive,
    event_summary,
    events,
    last_event,
    local,
    open_task,
    public_case,
    task_rows,
)
from cityloop.cases import Actor, Case, do_transition
from cityloop.org import get_department, get_staff
from cityloop.taxonomy import list_registration_conditions


def _task(case: Case, kind: str) -> tuple[str, datetime | None, dict[str, object] | None]:
    task = open_task(case, kind)
    return task.role, task.due_at, task.time_limit


def test_1_inspector_report_is_reported_with_an_accept_task(loop: LoopCity) -> None:
    case = loop.report()
    assert case.state == "REPORTED"
    assert (case.number, case.reporter_ref, case.grid_code, case.area_class) == (
        "330100-20261102-00001",
        "inspector01",
        "330102001001001",
        "urban",
    )
    assert case.reporter_staff_id == loop.actors["inspector01"].staff_id
    assert task_rows(case) == [("accept", "operator", "open", None)]
    # 受理 within 30 working minutes of 09:00.
    assert _task(case, "accept") == ("operator", local(2, 9, 30), {"amount": 30, "unit": "working_minutes"})
    (event,) = events(loop.session, case)
    assert event.seq == 1 and event.at == local(2, 9)
    assert event_summary(event) == {
        "action": "report",
        "from": None,
        "to": "REPORTED",
        "actor": ("staff", "inspector01", "inspector"),
        "reason": None,
        "data": {"source": "inspector", "category": "matter:09001", "urgency": "normal"},
    }


def test_1a_self_handled_then_confirmed_is_closed(loop: LoopCity) -> None:
    case = loop.report(self_handled=True)
    assert case.state == "SELF_HANDLED" and case.self_handled
    # Review within 2 working hours.
    assert _task(case, "review") == ("operator", local(2, 11), {"amount": 2, "unit": "working_hours"})
    assert last_event(loop.session, case).action == "self_handle"
    act(loop, case, "confirm_self_handled", "operator01")
    assert case.state == "CLOSED" and case.closed_at == local(2, 9, 5)
    assert task_rows(case) == [("review", "operator", "done", True)]  # no follower, so no callback
    assert event_summary(last_event(loop.session, case)) == {
        "action": "confirm_self_handled",
        "from": "SELF_HANDLED",
        "to": "CLOSED",
        "actor": ("staff", "operator01", "operator"),
        "reason": None,
        "data": {},
    }


def test_1a_self_handling_rejected_goes_back_to_reported(loop: LoopCity) -> None:
    case = loop.report(self_handled=True)
    act(loop, case, "reject_self_handled", "operator01", reason="照片看不出已处理")
    assert case.state == "REPORTED" and case.closed_at is None
    assert task_rows(case) == [("review", "operator", "done", True), ("accept", "operator", "open", None)]
    assert _task(case, "accept")[1] == local(2, 9, 35)
    summary = event_summary(last_event(loop.session, case))
    assert (summary["from"], summary["to"], summary["reason"]) == (
        "SELF_HANDLED",
        "REPORTED",
        "照片看不出已处理",
    )


def test_2_public_report_waits_for_verification(loop: LoopCity) -> None:
    case = public_case(loop)
    assert case.state == "PENDING_VERIFY"
    assert [f.ref for f in case.followers] == ["citizen:1"]
    assert (case.reporter_ref, case.reporter_staff_id) == ("citizen:1", None)
    assert _task(case, "verify_dispatch") == (
        "operator",
        local(2, 9, 30),
        {"amount": 30, "unit": "working_minutes"},
    )
    assert event_summary(last_event(loop.session, case)) == {
        "action": "register",
        "from": None,
        "to": "PENDING_VERIFY",
        "actor": ("staff", "operator01", "operator"),
        "reason": None,
        "data": {"source": "citizen", "category": "matter:09001", "urgency": "normal"},
    }


def test_2_trusted_channel_is_reported_at_once(loop: LoopCity) -> None:
    case = public_case(loop, source="hotline", trusted=True)
    assert case.state == "REPORTED"
    assert task_rows(case) == [("accept", "operator", "open", None)]


def test_3_send_verify_opens_the_inspectors_verify_task(loop: LoopCity) -> None:
    case = public_case(loop)
    act(loop, case, "send_verify", "operator01")
    assert case.state == "VERIFYING"
    assert task_rows(case) == [
        ("verify_dispatch", "operator", "done", True),
        ("verify", "inspector", "open", None),
    ]
    # 核实 within 1 working hour of 09:05.
    assert _task(case, "verify") == ("inspector", local(2, 10, 5), {"amount": 1, "unit": "working_hours"})
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["from"], summary["to"], summary["actor"]) == (
        "send_verify",
        "PENDING_VERIFY",
        "VERIFYING",
        ("staff", "operator01", "operator"),
    )


def test_4_confirmed_on_site_is_reported(loop: LoopCity) -> None:
    case = public_case(loop)
    act(loop, case, "send_verify", "operator01")
    act(loop, case, "confirm", "inspector01", minutes=70)  # 10:15, after the 10:05 due
    assert case.state == "REPORTED"
    assert task_rows(case)[1:] == [
        ("verify", "inspector", "done", False),
        ("accept", "operator", "open", None),
    ]
    assert _task(case, "accept")[1] == local(2, 10, 45)
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["to"], summary["actor"]) == (
        "confirm",
        "REPORTED",
        ("staff", "inspector01", "inspector"),
    )


def test_4_not_found_on_site_is_void(loop: LoopCity) -> None:
    case = public_case(loop)
    act(loop, case, "send_verify", "operator01")
    act(loop, case, "not_found", "inspector01", reason="现场未发现")
    assert case.state == "VOID"
    assert task_rows(case) == [
        ("verify_dispatch", "operator", "done", True),
        ("verify", "inspector", "done", True),
    ]
    summary = event_summary(last_event(loop.session, case))
    assert (summary["from"], summary["to"], summary["reason"]) == ("VERIFYING", "VOID", "现场未发现")


def test_5_accept_opens_the_file_task(loop: LoopCity) -> None:
    case = loop.report()
    act(loop, case, "accept", "operator01")
    assert case.state == "ACCEPTED"
    assert task_rows(case) == [("accept", "operator", "done", True), ("file", "shift_leader", "open", None)]
    assert _task(case, "file") == ("shift_leader", local(2, 9, 35), {"amount": 30, "unit": "working_minutes"})
    assert event_summary(last_event(loop.session, case))["actor"] == ("staff", "operator01", "operator")


def test_6_file_sets_the_default_disposal_limit(loop: LoopCity) -> None:
    case = drive(loop, loop.report(), "FILED")
    assert (case.urgency, case.registration_condition_id) == ("normal", None)
    assert case.disposal_limit == {"amount": 1, "unit": "working_days"}
    assert case.disposal_due_at is None  # the disposal clock starts at signing
    assert task_rows(case)[-2:] == [
        ("file", "shift_leader", "done", True),
        ("dispatch", "dispatcher", "open", None),
    ]
    assert _task(case, "dispatch")[1] == local(2, 9, 40)
    assert event_summary(last_event(loop.session, case)) == {
        "action": "file",
        "from": "ACCEPTED",
        "to": "FILED",
        "actor": ("staff", "leader01", "shift_leader"),
        "reason": None,
        "data": {"limit": {"amount": 1, "unit": "working_days"}},
    }


def test_6_file_against_a_registration_condition_and_urgency(loop: LoopCity) -> None:
    case = loop.report(category_code="06010")  # 暴露垃圾
    (condition,) = list_registration_conditions(loop.session, loop.code, code="06010")
    act(loop, case, "accept", "operator01")
    act(loop, case, "file", "leader01", data={"condition_id": condition.id, "urgency": "urgent"})
    assert (case.urgency, case.registration_condition_id) == ("urgent", condition.id)
    assert case.disposal_limit == {"amount": 2, "unit": "working_hours"}
    # Urgent steps run on calendar time: 派遣 within 10 minutes.
    assert _task(case, "dispatch") == (
        "dispatcher",
        local(2, 9, 20),
        {"amount": 10, "unit": "calendar_minutes"},
    )
    assert last_event(loop.session, case).data == {
        "condition_id": condition.id,
        "urgency": "urgent",
        "limit": {"amount": 2, "unit": "working_hours"},
    }


def test_7_dispatch_hands_the_case_to_the_department(loop: LoopCity) -> None:
    case = drive(loop, loop.report(), "FILED")
    act(loop, case, "dispatch", "dispatcher01", data={"department": "CG", "worker": "cgworker01"})
    cg = get_department(loop.session, loop.code, "CG")
    assert case.state == "DISPATCHED"
    assert (case.department_id, case.worker_id) == (
        cg.id,
        get_staff(loop.session, loop.code, "cgworker01").id,
    )
    sign = open_task(case, "sign")
    assert (sign.role, sign.department_id, sign.due_at) == ("department", cg.id, local(2, 9, 45))
    assert task_rows(case)[-2] == ("dispatch", "dispatcher", "done", True)
    summary = event_summary(last_event(loop.session, case))
    assert (summary["to"], summary["actor"], summary["data"]) == (
        "DISPATCHED",
        ("staff", "dispatcher01", "dispatcher"),
        {"department": "CG", "worker": "cgworker01"},
    )


def test_13_void_requested_and_approved_from_reported(loop: LoopCity) -> None:
    case = loop.report()
    act(loop, case, "request_void", "operator01", reason="重复上报")
    assert case.state == "REPORTED"
    assert case.pending is not None and (case.pending["kind"], case.pending["by"]) == ("void", "operator01")
    approve = open_task(case, "approve")
    assert (approve.role, approve.due_at) == ("shift_leader", local(2, 11, 5))
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["from"], summary["to"], summary["reason"]) == (
        "request_void",
        "REPORTED",
        "REPORTED",
        "重复上报",
    )
    act(loop, case, "approve_void", "leader01")
    assert case.state == "VOID" and case.pending is None
    assert task_rows(case) == [
        ("accept", "operator", "cancelled", None),
        ("approve", "shift_leader", "done", True),
    ]
    summary = event_summary(last_event(loop.session, case))
    assert (summary["action"], summary["to"], summary["actor"]) == (
        "approve_void",
        "VOID",
        ("staff", "leader01", "shift_leader"),
    )


def test_13_void_from_accepted_and_a_rejected_void(loop: LoopCity) -> None:
    case = drive(loop, loop.report(), "ACCEPTED")
    act(loop, case, "request_void", "operator01", reason="不属于城管范围")
    act(loop, case, "reject_request", "leader01", reason="属于范围")
    assert case.state == "ACCEPTED" and case.pending is None
    assert task_rows(case)[1:] == [
        ("file", "shift_leader", "open", None),
        ("approve", "shift_leader", "done", True),
    ]
    act(loop, case, "request_void", "operator01", reason="确属重复")
    act(loop, case, "approve_void", "leader01")
    assert case.state == "VOID"
    assert not [t for t in case.tasks if t.status == "open"]


def test_case_numbers_count_per_local_day(loop: LoopCity) -> None:
    loop.report()
    second = loop.report()
    loop.clock.set(local(3, 0, 30))  # just after midnight in Shanghai (still 2 Nov in UTC)
    third = loop.report()
    numbers = loop.session.scalars(select(Case.number).where(Case.city_id == loop.code).order_by(Case.id))
    assert list(numbers) == ["330100-20261102-00001", "330100-20261102-00002", "330100-20261103-00001"]
    assert (second.number, third.number) == ("330100-20261102-00002", "330100-20261103-00001")


def test_system_actor_is_recorded_with_rule_and_confidence(loop: LoopCity) -> None:
    case = loop.report()
    robot = Actor.system(
        loop.code, rule="auto-accept: camera 0.97", roles=frozenset({"operator"}), confidence=0.97
    )
    do_transition(loop.session, city_code=loop.code, number=case.number, action="accept", actor=robot)
    event = last_event(loop.session, case)
    assert (event.actor_kind, event.actor_name, event.actor_role, event.rule, event.confidence) == (
        "system",
        "cityloop",
        "operator",
        "auto-accept: camera 0.97",
        0.97,
    )
