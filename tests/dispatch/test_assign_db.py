"""Assignment against the database: workers and their queues, a case's request, the inspector to send.

A small city of its own: one street, two communities of 3 × 2 grids of 0.01° (about 1 km), one
patrol zone per community, and field workers of CG with different shifts. The clock stands on
Monday 2 November 2026, 09:00 in Shanghai.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case, do_create_case, do_transition
from cityloop.core.clock import FrozenClock, utc
from cityloop.dispatch.assignment import (
    assignment_params,
    greedy_assign,
    haversine_km,
    load_task_request,
    load_workers,
    pick_inspector,
)
from cityloop.flows.citypack import do_import_pack
from cityloop.flows.citypack_files import CityPack
from cityloop.org import get_staff
from geo.factories import center_of, square_grid_collection

CITY = "330100"
SHANGHAI = ZoneInfo("Asia/Shanghai")
C1, C2 = "330102001001", "330102001002"
WEEKDAYS = [1, 2, 3, 4, 5]


def local(hour: int, minute: int = 0, day: int = 2) -> datetime:
    return utc(datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI))


def _worker(
    username: str, dept: str, home: tuple[float, float], shifts: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    return {
        "username": username,
        "name": username,
        "roles": ["field_worker"],
        "department": dept,
        "worker": {"home": list(home), "shifts": shifts, **extra},
    }


def assign_pack() -> CityPack:
    areas = square_grid_collection(city=CITY, cell_deg=0.01)
    grids = [f["properties"]["code"] for f in areas["features"] if f["properties"]["level"] == "grid"]
    day = [{"weekdays": WEEKDAYS, "start": "08:30", "end": "17:30"}]
    split = [
        {"weekdays": WEEKDAYS, "start": "08:30", "end": "12:00"},
        {"weekdays": WEEKDAYS, "start": "12:00", "end": "17:30"},
    ]
    evening = [{"weekdays": WEEKDAYS, "start": "16:00", "end": "23:00"}]
    desk = [
        ("inspector01", ["inspector"], None, "PZ001"),
        ("inspector02", ["inspector"], None, "PZ002"),
        ("operator01", ["operator"], None, None),
        ("leader01", ["shift_leader"], None, None),
        ("dispatcher01", ["dispatcher"], None, None),
        ("cg01", ["department"], "CG", None),
    ]
    staff: list[dict[str, Any]] = [
        {"username": u, "name": u, "roles": r, "department": d, **({"patrol_zone": z} if z else {})}
        for u, r, d, z in desk
    ]
    staff += [
        _worker("cgworker01", "CG", center_of(areas, f"{C1}001"), day, skills=["enforcement"]),
        _worker("cgworker02", "CG", center_of(areas, f"{C2}003"), split),
        _worker("cgworker03", "CG", center_of(areas, f"{C1}004"), evening),
        _worker("hwworker01", "HW", center_of(areas, f"{C1}001"), day),
    ]
    return CityPack(
        city={"code": CITY, "name_zh": "城330100", "parameters": {"road_factor": 1.6}},
        areas=areas,
        patrol_zones=[
            {"code": "PZ001", "name": "一区", "grids": [g for g in grids if g.startswith(C1)]},
            {"code": "PZ002", "name": "二区", "grids": [g for g in grids if g.startswith(C2)]},
        ],
        departments=[
            {
                "code": "CG",
                "name_zh": "城管",
                "kind": "professional",
                "responsibilities": [{"categories": ["09"]}],
            },
            {
                "code": "HW",
                "name_zh": "环卫",
                "kind": "professional",
                "responsibilities": [{"categories": ["06"]}],
            },
        ],
        staff=staff,
    )


@dataclass
class AssignCity:
    session: Session
    clock: FrozenClock
    areas: dict[str, Any]

    def actor(self, username: str) -> Actor:
        return Actor.from_staff(get_staff(self.session, CITY, username))

    def point(self, grid: str) -> tuple[float, float]:
        return center_of(self.areas, grid)

    def report(self, grid: str) -> Case:
        lon, lat = self.point(grid)
        return do_create_case(
            self.session,
            city_code=CITY,
            actor=self.actor("inspector01"),
            source="inspector",
            category_code="09001",
            lon=lon,
            lat=lat,
            description="路边流动摊贩",
        )

    def act(self, case: Case, action: str, who: str, *, reason: str | None = None, **data: Any) -> None:
        self.clock.advance(minutes=1)
        do_transition(
            self.session,
            city_code=CITY,
            number=case.number,
            action=action,
            actor=self.actor(who),
            reason=reason,
            data=data,
        )

    def dispatch(self, grid: str, worker: str | None) -> Case:
        case = self.report(grid)
        self.act(case, "accept", "operator01")
        self.act(case, "file", "leader01")
        self.act(case, "dispatch", "dispatcher01", department="CG", **({"worker": worker} if worker else {}))
        return case


@pytest.fixture
def acity(session: Session, clock: FrozenClock) -> AssignCity:
    pack = assign_pack()
    do_import_pack(session, pack)
    assert pack.areas is not None
    return AssignCity(session, clock, pack.areas)


def test_workers_of_the_department_with_shifts_skills_and_homes(acity: AssignCity) -> None:
    at = acity.clock.now()
    assert at == local(9)
    workers = load_workers(acity.session, CITY, "CG", at)
    assert [w.username for w in workers] == ["cgworker01", "cgworker02", "cgworker03"]
    w1, w2, w3 = workers
    assert w1.on_shift_until == local(17, 30)
    assert w2.on_shift_until == local(17, 30)  # 08:30–12:00 then 12:00–17:30, back to back
    assert w3.on_shift_until is None  # the evening shift starts at 16:00
    assert (w1.lon, w1.lat) == pytest.approx(acity.point(f"{C1}001"))
    assert w1.skills == frozenset({"enforcement"}) and w2.skills == frozenset()
    assert {w.department_code for w in workers} == {"CG"}
    assert [(w.queue, w.done_today) for w in workers] == [((), 0)] * 3
    evening = load_workers(acity.session, CITY, "CG", local(20))
    assert [w.on_shift_until for w in evening] == [None, None, local(23)]


def test_the_last_reported_position_counts_while_fresh(acity: AssignCity) -> None:
    profile = get_staff(acity.session, CITY, "cgworker01").worker
    assert profile is not None
    profile.current_lon, profile.current_lat = acity.point(f"{C2}006")
    profile.located_at = local(8, 30)
    acity.session.flush()
    fresh = load_workers(acity.session, CITY, "CG", local(9))[0]
    assert (fresh.lon, fresh.lat) == pytest.approx(acity.point(f"{C2}006"))
    stale = load_workers(acity.session, CITY, "CG", local(13))[0]  # 4.5 hours later: back to the home base
    assert (stale.lon, stale.lat) == pytest.approx(acity.point(f"{C1}001"))


def test_queues_hold_the_open_tasks_given_to_each_worker(acity: AssignCity) -> None:
    first = acity.dispatch(f"{C1}002", "cgworker01")  # sign task open, the case names the worker
    second = acity.dispatch(f"{C1}003", "cgworker01")
    acity.act(second, "sign", "cg01")  # now its handle task is open: still one visit
    acity.dispatch(f"{C2}001", None)  # dispatched to the desk only: nobody's queue
    other = acity.dispatch(f"{C2}002", None)
    sign = next(t for t in other.tasks if t.status == "open")
    sign.assignee_id = get_staff(acity.session, CITY, "cgworker02").id  # assigned explicitly
    acity.session.flush()

    w1, w2, w3 = load_workers(acity.session, CITY, "CG", acity.clock.now())
    lon, lat = acity.point(f"{C1}002")
    head = w1.queue[0]  # the sign task of the first case is due first
    assert (head.lon, head.lat, head.minutes) == pytest.approx((lon, lat, 20.0))
    assert {q.task_id for q in w1.queue} == {
        next(t.id for t in first.tasks if t.status == "open"),
        next(t.id for t in second.tasks if t.status == "open" and t.kind == "handle"),
    }
    assert [q.task_id for q in w2.queue] == [sign.id]
    assert w3.queue == ()


def test_done_today_counts_the_fixes_of_the_day(acity: AssignCity) -> None:
    case = acity.dispatch(f"{C1}002", "cgworker01")
    acity.act(case, "sign", "cg01")
    acity.act(case, "feedback", "cgworker01")
    w1 = load_workers(acity.session, CITY, "CG", acity.clock.now())[0]
    assert (w1.done_today, w1.queue, w1.load) == (1, (), 1)
    tomorrow = load_workers(acity.session, CITY, "CG", local(9, day=3))[0]
    assert tomorrow.done_today == 0


def test_a_returned_case_is_not_offered_to_the_worker_who_returned_it(acity: AssignCity) -> None:
    case = acity.dispatch(f"{C1}001", "cgworker01")
    acity.act(case, "request_return", "cg01", reason="不属于本部门")
    acity.act(case, "approve_return", "dispatcher01")
    request = load_task_request(acity.session, case)
    w1_id = get_staff(acity.session, CITY, "cgworker01").id
    assert set(request.excluded) == {w1_id}
    assert request.excluded[w1_id].startswith("they returned this case on 2026-11-02 01:0")
    assert request.excluded[w1_id].endswith(": 不属于本部门")
    params = assignment_params(acity.session, CITY)
    workers = load_workers(acity.session, CITY, "CG", acity.clock.now(), params=params)
    decision = greedy_assign(request, workers, acity.clock.now(), params)
    assert decision.username == "cgworker02"  # cgworker01 lives in that grid but returned the case
    assert [(i.username, i.code) for i in decision.infeasible] == [
        ("cgworker01", "excluded"),
        ("cgworker03", "off_shift"),
    ]


def test_the_city_road_factor_reaches_the_cost_model(acity: AssignCity) -> None:
    params = assignment_params(acity.session, CITY, speed_kmh=12.0)
    assert (params.road_factor, params.speed_kmh) == (1.6, 12.0)


def test_the_patrol_inspector_of_the_grid_checks_when_on_duty(acity: AssignCity) -> None:
    lon, lat = acity.point(f"{C1}005")
    choice = pick_inspector(acity.session, CITY, f"{C1}005", lon, lat, local(9))
    assert (choice.username, choice.zone_code, choice.patrols_grid) == ("inspector01", "PZ001", True)
    assert choice.reason == (
        "inspector01 patrols zone PZ001, which covers the case's grid, and is on duty "
        "(within the city's duty hours)"
    )


def test_the_nearest_inspector_on_duty_goes_when_the_patrol_inspector_is_away(acity: AssignCity) -> None:
    lon, lat = acity.point(f"{C1}003")
    choice = pick_inspector(acity.session, CITY, f"{C1}003", lon, lat, local(9), absent={"inspector01"})
    assert (choice.username, choice.zone_code, choice.patrols_grid) == ("inspector02", "PZ002", False)
    # Grid 003 (centre 120.125, 30.265) to the middle of PZ002's six grids (120.145, 30.26), road factor 1.6.
    assert choice.distance_km == pytest.approx(haversine_km(120.125, 30.265, 120.145, 30.26) * 1.6)
    assert choice.reason.startswith(
        "the patrol inspector inspector01 (zone PZ001) is away: marked absent; "
        "inspector02 is the nearest inspector on duty: the middle of zone PZ002 is "
    )


def test_nobody_on_duty_gives_no_inspector_and_says_why(acity: AssignCity) -> None:
    lon, lat = acity.point(f"{C1}003")
    choice = pick_inspector(acity.session, CITY, f"{C1}003", lon, lat, local(20))
    assert choice.username is None and choice.staff_id is None
    assert choice.reason == (
        "no inspector on duty can be sent: the patrol inspector inspector01 (zone PZ001) is away: "
        "outside the city's duty hours"
    )


def test_a_point_outside_every_zone_gets_the_nearest_inspector_on_duty(acity: AssignCity) -> None:
    lon, lat = acity.point(f"{C2}006")
    choice = pick_inspector(acity.session, CITY, None, lon, lat, local(10))
    assert (choice.username, choice.patrols_grid) == ("inspector02", False)
    assert choice.reason.startswith("no patrol zone covers the case's grid; inspector02 is the nearest")
    assert choice.as_dict()["inspector"] == "inspector02"


def test_the_morning_break_of_the_calendar_counts(acity: AssignCity) -> None:
    lon, lat = acity.point(f"{C1}001")
    lunch = pick_inspector(acity.session, CITY, f"{C1}001", lon, lat, local(12, 30))
    assert lunch.username is None
    afternoon = pick_inspector(
        acity.session, CITY, f"{C1}001", lon, lat, local(13, 30) + timedelta(minutes=1)
    )
    assert afternoon.username == "inspector01"
