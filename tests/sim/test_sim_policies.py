"""Assignment policies and the hindsight oracle on a board of two workers (no database)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cityloop.core.geodesy import distance_m
from cityloop.sim.engine.board import Board, Job, ShiftRule, Travel, Visit, Worker
from cityloop.sim.engine.hindsight import hindsight_km
from cityloop.sim.engine.policies import assign_batch, choose_worker
from cityloop.sim.scenario import CityMap

ZONE = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 11, 2, 9, 0, tzinfo=ZONE)  # Monday 09:00, on shift
DAY = (ShiftRule(frozenset({1, 2, 3, 4, 5}), 8 * 60, 17 * 60),)
A_HOME, B_HOME = (120.100, 30.250), (120.120, 30.250)


def board() -> Board:
    city = CityMap("330100", "Asia/Shanghai", [], [], [], [], {})
    workers = [Worker("a", "HW", A_HOME, DAY, A_HOME), Worker("b", "HW", B_HOME, DAY, B_HOME)]
    return Board(city, Travel(road_factor=1.3), workers, [])


def test_nearest_least_loaded_and_optimised_choose_differently() -> None:
    b = board()
    queued = [Job(f"q{i}", 120.100, 30.251 + i / 1000, AT, expected_minutes=60) for i in range(3)]
    b.workers["a"].queue.extend(queued)  # a is near but has three hours of work waiting
    near_a = (120.101, 30.250)
    assert choose_worker(b, "HW", near_a, AT, "nearest") == "a"
    assert choose_worker(b, "HW", near_a, AT, "least-loaded") == "b"
    # Without a due, travel decides; with a due within the hour, a's queue would make it late.
    assert choose_worker(b, "HW", near_a, AT, "optimised") == "a"
    assert choose_worker(b, "HW", near_a, AT, "optimised", due=AT + timedelta(hours=1)) == "b"
    assert choose_worker(b, "YL", near_a, AT, "nearest") is None
    with pytest.raises(ValueError, match="unknown policy"):
        choose_worker(b, "HW", near_a, AT, "fastest")


def test_off_shift_the_first_to_start_is_chosen_from_home() -> None:
    b = board()
    night = AT.replace(hour=22)
    eta, km = b.eta(b.workers["a"], (120.101, 30.250), night)
    assert eta.astimezone(ZONE).hour == 8  # tomorrow's shift, leaving from home
    assert km == pytest.approx(b.travel.km(A_HOME, (120.101, 30.250)))
    assert choose_worker(b, "HW", (120.119, 30.250), night, "nearest") == "b"


def test_batch_assigns_every_job_once() -> None:
    b = board()
    jobs = [Job(f"c{i}", 120.100 + i / 200, 30.250, AT + timedelta(minutes=i)) for i in range(5)]
    found = assign_batch(b, "HW", jobs, AT)
    assert set(found) == {job.number for job in jobs} and set(found.values()) <= {"a", "b"}
    assert found["c0"] == "a" and found["c4"] == "b"  # each end of the line to the worker there
    assert assign_batch(b, "YL", jobs, AT) == {}


def test_hindsight_is_the_cheapest_chain_in_release_order() -> None:
    b = board()
    stop = AT + timedelta(hours=3)  # one shift each in the window
    points = [(120.102, 30.250), (120.104, 30.250), (120.118, 30.250)]
    visits = [
        Visit("HW", "a", f"c{i}", AT + timedelta(minutes=i), lon, lat, 9.9, AT, 30.0)
        for i, (lon, lat) in enumerate(points)
    ]

    def km(p: tuple[float, float], q: tuple[float, float]) -> float:
        return distance_m(p[0], p[1], q[0], q[1]) * 1.3 / 1000

    # Best: a leaves home for the first two, b leaves home for the third.
    expected = km(A_HOME, points[0]) + km(points[0], points[1]) + km(B_HOME, points[2])
    assert hindsight_km(b, visits, AT, stop) == pytest.approx(expected)
    # A visit may only follow one that became ready no later: reversing the order costs more.
    late_first = [
        Visit(v.department, v.worker, v.number, AT + timedelta(minutes=10 - i), v.lon, v.lat, v.km, AT, 30.0)
        for i, v in enumerate(visits)
    ]
    assert hindsight_km(b, late_first, AT, stop) >= expected
    assert hindsight_km(b, [], AT, stop) == 0.0
