"""De-duplication inside the pipeline: merge, suggest or new, with the reasons on the timeline."""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import select

from cityloop.cases import TimelineEvent, verify_city
from cityloop.cases.merge import do_merge
from cityloop.cases.models import Case
from cityloop.cities import do_set_parameters
from cityloop.core.clock import FrozenClock
from cityloop.flows.duplicates import similar_open_cases
from cityloop.flows.process_report import process_report
from cityloop.flows.report_result import ProcessResult
from loopcity import LoopCity


def east(point: tuple[float, float], metres: float) -> tuple[float, float]:
    lon, lat = point
    return lon + metres / (111_320 * math.cos(math.radians(lat))), lat


def report(
    loop: LoopCity, text: str, code: str, *, at: tuple[float, float] | None = None, phone: str = "13800001111"
) -> ProcessResult:
    lon, lat = at or loop.point
    body = {"description": text, "lon": lon, "lat": lat, "phone": phone, "category_code": code}
    return process_report(loop.session, city_code=loop.code, channel="citizen", payload=body)


def events(loop: LoopCity, case: Case) -> list[TimelineEvent]:
    stmt = select(TimelineEvent).where(TimelineEvent.case_id == case.id).order_by(TimelineEvent.seq)
    return list(loop.session.scalars(stmt))


def test_a_repeat_report_is_merged_and_its_reporter_follows_the_master(
    loop: LoopCity, clock: FrozenClock
) -> None:
    first = report(loop, "人行道上的井盖不见了，很危险", "01023")
    clock.advance(timedelta(minutes=20))
    second = report(
        loop, "人行道上的井盖不见了，太危险了", "01023", at=east(loop.point, 3), phone="13900002222"
    )
    assert first.case is not None and second.case is not None
    assert (first.status, second.status) == ("registered", "duplicate")
    assert second.master is not None and second.master.id == first.case.id
    assert (second.case.state, second.case.master_id) == ("VOID", first.case.id)
    assert not [t for t in second.case.tasks if t.status == "open"]
    verdict = second.report.decision["duplicates"]
    assert verdict["verdict"] == "merge" and verdict["master"] == first.case.number
    assert verdict["score"] >= 0.9 and "3 m" in verdict["reason"]
    merged = events(loop, second.case)[-1]
    assert (merged.action, merged.to_state, merged.actor_kind, merged.rule) == (
        "merge",
        "VOID",
        "system",
        "dedupe",
    )
    assert merged.reason is not None and merged.reason.startswith("重复上报")
    linked = events(loop, first.case)[-1]
    assert linked.action == "duplicate_linked" and linked.data["duplicate"] == second.case.number
    loop.session.refresh(first.case)
    assert {f.ref for f in first.case.followers} == {first.case.reporter_ref, second.case.reporter_ref}
    assert verify_city(loop.session, loop.code).ok


def test_two_potholes_thirty_metres_apart_are_two_cases(loop: LoopCity, clock: FrozenClock) -> None:
    first = report(loop, "路面有个坑", "06013")
    clock.advance(timedelta(minutes=10))
    second = report(loop, "路面有个坑", "06013", at=east(loop.point, 28))
    assert (first.status, second.status) == ("registered", "registered")
    assert second.report.decision["duplicates"]["verdict"] in ("new", "suggest")


def test_another_category_or_a_stale_window_is_no_candidate(loop: LoopCity, clock: FrozenClock) -> None:
    report(loop, "路口有流动摊贩", "09001")
    clock.advance(timedelta(minutes=5))
    other = report(loop, "路口有流动摊贩", "06010")
    assert other.report.decision["duplicates"]["verdict"] == "new"
    clock.advance(timedelta(hours=7))  # 09001's window is 6 hours: the vendor has moved on
    later = report(loop, "路口有流动摊贩", "09001")
    assert later.status == "registered"
    assert later.report.decision["duplicates"]["reason"] == "no earlier report nearby in the window"


def test_between_the_thresholds_the_operator_gets_suggestions(loop: LoopCity, clock: FrozenClock) -> None:
    do_set_parameters(
        loop.session, loop.code, {"duplicate_suggest_threshold": 0.3, "duplicate_merge_threshold": 0.99}
    )
    first = report(loop, "小区门口堆了很多建筑垃圾", "06036")
    clock.advance(timedelta(hours=2))
    second = report(loop, "门口杂物", "06036", at=east(loop.point, 40))
    assert first.case is not None and second.case is not None and second.status == "registered"
    verdict = second.report.decision["duplicates"]
    assert verdict["verdict"] == "suggest"
    assert [s["case"] for s in verdict["suggestions"]] == [first.case.number]
    created = events(loop, second.case)[0]
    assert created.data["decision"]["duplicates"] == verdict
    # The operator agrees: a manual merge, with the operator on the timeline.
    operator = loop.actors["operator01"]
    do_merge(loop.session, city_code=loop.code, number=second.case.number, master_number=first.case.number,
             actor=operator, reason="same heap, seen on the map")  # fmt: skip
    assert (second.case.state, second.case.master_id) == ("VOID", first.case.id)
    assert events(loop, second.case)[-1].actor_name == operator.name
    assert verify_city(loop.session, loop.code).ok


def test_the_citizen_sees_open_cases_nearby_before_reporting(loop: LoopCity, clock: FrozenClock) -> None:
    lamp = report(loop, "路灯不亮", "01037")
    stall = report(loop, "有人摆摊", "09006", at=east(loop.point, 30))
    far = report(loop, "路灯坏了", "01037", at=east(loop.point, 300))
    assert lamp.case and stall.case and far.case
    clock.advance(timedelta(hours=1))
    at = clock.now()
    found = similar_open_cases(loop.session, loop.code, lon=loop.point[0], lat=loop.point[1], category_code="01037", text="路灯不亮了", at=at)  # fmt: skip
    assert [c.case.number for c in found] == [lamp.case.number]
    anything = similar_open_cases(loop.session, loop.code, lon=loop.point[0], lat=loop.point[1], category_code=None, text="", at=at)  # fmt: skip
    assert {c.case.number for c in anything} == {lamp.case.number, stall.case.number}
    assert all(0 <= c.score <= 1 and c.reason for c in anything)
