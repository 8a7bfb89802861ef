"""The automatic steps on the demo city: verify, accept, file, dispatch and check, each explained."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case, TimelineEvent, do_transition, verify_city
from cityloop.cities import do_set_parameters
from cityloop.core.clock import FrozenClock
from cityloop.flows.automation import advance, plan_dispatch
from cityloop.flows.citypack import do_import_pack
from cityloop.flows.process_report import process_report
from cityloop.geo import locate
from cityloop.org import get_staff
from cityloop.sim.democity import build_demo_pack
from geo.factories import center_of

CITY = "330100"


@pytest.fixture(scope="module")
def demo_pack():  # type: ignore[no-untyped-def]
    return build_demo_pack(CITY)


@pytest.fixture
def demo(session: Session, clock: FrozenClock, demo_pack) -> Iterator[tuple[float, float]]:  # type: ignore[no-untyped-def]
    do_import_pack(session, demo_pack.to_city_pack(), password="demo-password")
    grid = next(f for f in demo_pack.areas["features"] if f["properties"]["level"] == "grid")
    yield center_of(demo_pack.areas, grid["properties"]["code"])


def events(session: Session, case: Case) -> list[TimelineEvent]:
    stmt = select(TimelineEvent).where(TimelineEvent.case_id == case.id).order_by(TimelineEvent.seq)
    return list(session.scalars(stmt))


def staff_actor(session: Session, username: str) -> Actor:
    return Actor.from_staff(get_staff(session, CITY, username))


def inspector_report(session: Session, point: tuple[float, float], code: str, text: str) -> Case:
    located = locate(session, CITY, *point)
    assert located is not None and located.grid is not None
    username = "inspector01"
    body = {"category_code": code, "description": text, "lon": point[0], "lat": point[1]}
    result = process_report(
        session, city_code=CITY, channel="inspector", payload=body, actor=staff_actor(session, username)
    )
    assert result.case is not None
    return result.case


def test_an_inspector_report_is_accepted_filed_and_dispatched_by_the_system(
    session: Session, demo: tuple[float, float]
) -> None:
    case = inspector_report(session, demo, "09006", "店家在人行道上摆摊卖水果")
    assert case.state == "DISPATCHED"
    assert case.department is not None and case.department.code == "CG"
    trail = events(session, case)
    assert [(e.action, e.actor_kind, e.rule) for e in trail] == [
        ("report", "staff", None),
        ("accept", "system", "auto.accept"),
        ("file", "system", "auto.file"),
        ("dispatch", "system", "auto.dispatch.rule"),
    ]
    dispatch = trail[-1]
    assert dispatch.data["routing"]["rule"]["name"] == "占道经营与流动摊贩"
    assert dispatch.reason and "占道经营与流动摊贩" in dispatch.reason
    worker = dispatch.data.get("worker")
    if worker is not None:  # a CG worker on shift on Monday 09:00
        assert case.worker_id == get_staff(session, CITY, worker).id
        assert dispatch.data["assignment"]["policy"] == "optimised"
    assert verify_city(session, CITY).ok


def test_a_citizen_report_goes_to_the_grid_inspector_then_on_by_itself(
    session: Session, demo: tuple[float, float], clock: FrozenClock
) -> None:
    body = {"category_code": "06010", "description": "路边有一堆暴露垃圾", "lon": demo[0], "lat": demo[1],
            "phone": "13800001111"}  # fmt: skip
    result = process_report(session, city_code=CITY, channel="citizen", payload=body)
    case = result.case
    assert case is not None and case.state == "VERIFYING"
    verify = next(t for t in case.tasks if t.kind == "verify" and t.status == "open")
    assert verify.assignee_id is not None
    inspector = session.get(type(get_staff(session, CITY, "inspector01")), verify.assignee_id)
    assert inspector is not None and "inspector" in inspector.roles
    assert [e.action for e in events(session, case)][-2:] == ["send_verify", "assign"]
    clock.advance(timedelta(minutes=30))
    do_transition(session, city_code=CITY, number=case.number, action="confirm",
                  actor=staff_actor(session, inspector.username))  # fmt: skip
    assert advance(session, case, clock.now()) == ["accept", "file", "dispatch"]
    assert case.state == "DISPATCHED" and case.department is not None and case.department.code == "HW"


def test_what_the_parameters_do_not_allow_waits_for_a_person(
    session: Session, demo: tuple[float, float]
) -> None:
    do_set_parameters(session, CITY, {"auto_dispatch_excluded": ["09"]})
    case = inspector_report(session, demo, "09006", "占道经营")
    assert case.state == "FILED"
    do_set_parameters(session, CITY, {"auto_dispatch_excluded": [], "auto_file": False})
    other = inspector_report(session, demo, "06010", "暴露垃圾")
    assert other.state == "ACCEPTED"
    do_set_parameters(session, CITY, {"auto_accept_sources": []})
    third = inspector_report(session, demo, "06012", "道路不洁")
    assert third.state == "REPORTED"


def test_low_classification_confidence_keeps_the_dispatcher(
    session: Session, demo: tuple[float, float]
) -> None:
    do_set_parameters(session, CITY, {"auto_accept_confidence": 0.0, "auto_dispatch_confidence": 1.0})
    do_set_parameters(session, CITY, {"trusted_sources": ["hotline"]})
    body = {"order_no": "GD-1", "request_type": "投诉", "content": "路口有流动摊贩在卖水果",
            "lon": demo[0], "lat": demo[1]}  # fmt: skip
    result = process_report(session, city_code=CITY, channel="hotline", payload=body)
    assert result.case is not None and result.case.category_code == "09001"
    assert result.case.state == "FILED", result.report.decision
    plan = plan_dispatch(session, result.case, result.case.reported_at)
    assert plan.department == "CG"  # what the automation would have done, for the dispatcher to see


def test_a_handled_case_is_sent_for_checking(
    session: Session, demo: tuple[float, float], clock: FrozenClock
) -> None:
    case = inspector_report(session, demo, "06010", "暴露垃圾")
    assert case.state == "DISPATCHED" and case.department is not None
    dept_actor = staff_actor(session, f"dept_{case.department.code.lower()}")
    for action in ("sign", "feedback"):
        clock.advance(timedelta(minutes=20))
        do_transition(session, city_code=CITY, number=case.number, action=action, actor=dept_actor)
    assert advance(session, case, clock.now()) == ["send_check"]
    assert case.state == "CHECKING"
    check = next(t for t in case.tasks if t.kind == "check" and t.status == "open")
    assert check.assignee_id is not None


def test_returns_and_people_count_against_the_automation(
    session: Session, demo: tuple[float, float], clock: FrozenClock
) -> None:
    from cityloop.dispatch import automation_stats

    kept = inspector_report(session, demo, "06010", "暴露垃圾")
    returned = inspector_report(session, demo, "09006", "占道经营")
    do_set_parameters(session, CITY, {"auto_dispatch": False})
    by_hand = inspector_report(session, demo, "06012", "道路不洁")
    assert (kept.state, returned.state, by_hand.state) == ("DISPATCHED", "DISPATCHED", "FILED")
    do_transition(session, city_code=CITY, number=by_hand.number, action="dispatch",
                  actor=staff_actor(session, "dispatcher01"), data={"department": "HW"})  # fmt: skip
    assert returned.department is not None
    dept = staff_actor(session, f"dept_{returned.department.code.lower()}")
    clock.advance(timedelta(minutes=10))
    do_transition(session, city_code=CITY, number=returned.number, action="request_return", actor=dept,
                  reason="不属于我们")  # fmt: skip
    do_transition(session, city_code=CITY, number=returned.number, action="approve_return",
                  actor=staff_actor(session, "dispatcher01"))  # fmt: skip
    stats = automation_stats(session, CITY)
    assert (stats["dispatched"], stats["automatic"], stats["corrected"]) == (3, 2, 1)
    assert (stats["auto_dispatch_rate"], stats["auto_dispatch_accuracy"]) == (0.6667, 0.5)
    assert stats["by_category"]["09006"]["auto_dispatch_accuracy"] == 0.0
    assert stats["by_category"]["06012"]["automatic"] == 0
    later = automation_stats(session, CITY, start=clock.now())
    assert later["dispatched"] == 0


def test_the_batch_optimiser_replans_waiting_cases_and_says_why(
    session: Session,
    demo: tuple[float, float],
    demo_pack,
    clock: FrozenClock,  # type: ignore[no-untyped-def]
) -> None:
    from cityloop.flows.rebalance import rebalance

    grids = [f for f in demo_pack.areas["features"] if f["properties"]["level"] == "grid"]
    cases = [
        inspector_report(session, center_of(demo_pack.areas, g["properties"]["code"]), "06010", "暴露垃圾")
        for g in grids[:: max(1, len(grids) // 6)][:6]
    ]
    assert all(c.state == "DISPATCHED" for c in cases)
    moved = rebalance(session, CITY, clock.now())
    reassigned = [e for c in cases for e in events(session, c) if e.action == "reassign"]
    assert len(reassigned) == moved
    for case in cases:
        assert case.worker_id is not None and case.department is not None
        worker = session.get(type(get_staff(session, CITY, "inspector01")), case.worker_id)
        assert worker is not None and worker.department_id == case.department_id
        for event in events(session, case):
            if event.action == "reassign":
                assert (event.actor_kind, event.rule) == ("system", "auto.rebalance")
                assert event.reason and "waiting cases" in event.reason
    assert rebalance(session, CITY, clock.now()) == 0  # the plan is stable
    do_set_parameters(session, CITY, {"dispatch_policy": "nearest"})
    assert rebalance(session, CITY, clock.now()) == 0
    assert verify_city(session, CITY).ok
