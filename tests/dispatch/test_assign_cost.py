"""The cost model of assignment: travel, queue, handling, lateness, overtime, fairness, feasibility."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cityloop.dispatch.assignment import (
    AssignmentParams,
    CostBreakdown,
    Infeasible,
    QueuedTask,
    TaskRequest,
    WorkerState,
    expected_completion,
    haversine_km,
    queue_end,
    road_km,
)

AT = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
#: 0.01° of latitude, straight line.
STEP_KM = 1.1119508
PARAMS = AssignmentParams(road_factor=1.5, speed_kmh=15.0, travel_weight=0.0, fairness_minutes=5.0)
#: 0.01° of latitude by road at 15 km/h: 1.668 km → 6.672 minutes.
STEP_MIN = STEP_KM * 1.5 / 15 * 60


def worker(**kwargs: object) -> WorkerState:
    values: dict[str, object] = {
        "staff_id": 1,
        "username": "w1",
        "department_code": "CG",
        "lon": 120.0,
        "lat": 30.0,
        "on_shift_until": AT + timedelta(hours=8),
    }
    values.update(kwargs)
    return WorkerState(**values)  # type: ignore[arg-type]


def task(**kwargs: object) -> TaskRequest:
    values: dict[str, object] = {
        "task_id": 10,
        "case_id": 100,
        "ref": "T10",
        "lon": 120.0,
        "lat": 30.01,
        "category_code": "09001",
    }
    values.update(kwargs)
    return TaskRequest(**values)  # type: ignore[arg-type]


def priced(w: WorkerState, t: TaskRequest, params: AssignmentParams = PARAMS) -> CostBreakdown:
    result = expected_completion(w, t, AT, params)
    assert isinstance(result, CostBreakdown), result
    return result


def test_haversine_and_road_distance() -> None:
    assert haversine_km(120.0, 30.0, 120.0, 31.0) == pytest.approx(111.19508, abs=1e-4)
    assert haversine_km(120.0, 30.0, 120.0, 30.0) == 0.0
    assert road_km(120.0, 30.0, 120.0, 30.01, PARAMS) == pytest.approx(STEP_KM * 1.5, rel=1e-6)


def test_a_free_worker_travels_then_handles() -> None:
    cost = priced(worker(), task())
    assert cost.direct_km == pytest.approx(STEP_KM, rel=1e-6)
    assert cost.travel_km == pytest.approx(STEP_KM * 1.5, rel=1e-6)
    assert cost.travel_minutes == pytest.approx(STEP_MIN, rel=1e-6)
    assert cost.wait_minutes == 0.0
    assert cost.handling_minutes == 20.0  # major 09 (street order)
    assert cost.finish_minutes == pytest.approx(STEP_MIN + 20, rel=1e-6)
    assert cost.finish_at == AT + timedelta(minutes=cost.finish_minutes)
    assert (cost.late_minutes, cost.overtime_minutes, cost.load, cost.fairness) == (0.0, 0.0, 0, 0.0)
    assert cost.total == pytest.approx(STEP_MIN + 20, rel=1e-6)


def test_the_queue_is_worked_first_and_travel_starts_where_it_ends() -> None:
    queued = (QueuedTask(7, 120.0, 30.01, 30.0), QueuedTask(8, None, None, 15.0))
    busy = worker(queue=queued)
    end = queue_end(busy, PARAMS)
    assert (end.lon, end.lat) == (120.0, 30.01)  # a queued task without a place costs no travel
    assert end.minutes == pytest.approx(STEP_MIN + 30 + 15, rel=1e-6)
    cost = priced(busy, task(lat=30.02))
    assert cost.wait_minutes == pytest.approx(STEP_MIN + 45, rel=1e-6)
    assert cost.travel_minutes == pytest.approx(STEP_MIN, rel=1e-6)
    assert cost.direct_km == pytest.approx(2 * STEP_KM, rel=1e-6)  # from where the worker is now
    assert cost.load == 2
    assert cost.fairness == 10.0
    assert cost.total == pytest.approx(2 * STEP_MIN + 45 + 20 + 10, rel=1e-6)


def test_lateness_urgency_overtime_and_load_add_to_the_cost() -> None:
    finish = STEP_MIN + 20
    late = priced(worker(), task(due_at=AT + timedelta(minutes=10)))
    assert late.late_minutes == pytest.approx(finish - 10, rel=1e-6)
    assert late.total == pytest.approx(finish + 3 * (finish - 10), rel=1e-6)

    urgent = priced(worker(), task(due_at=AT + timedelta(minutes=10), urgency="urgent"))
    assert urgent.total == pytest.approx(2 * (finish + 3 * (finish - 10)), rel=1e-6)

    in_time = priced(worker(), task(due_at=AT + timedelta(hours=2)))
    assert in_time.late_minutes == 0.0 and in_time.total == pytest.approx(finish, rel=1e-6)

    tired = priced(worker(on_shift_until=AT + timedelta(minutes=20), done_today=4), task())
    assert tired.overtime_minutes == pytest.approx(finish - 20, rel=1e-6)
    assert tired.load == 4 and tired.fairness == 20.0
    assert tired.total == pytest.approx(finish + 20 + (finish - 20), rel=1e-6)


def test_handling_minutes_and_skills_come_from_tables_with_defaults() -> None:
    params = AssignmentParams(
        handling_minutes={"06013": 90.0, "06": 30.0},
        default_handling_minutes=25.0,
        skills={"06013": "road", "06": "sanitation"},
    )
    assert params.handling_for("06013") == 90.0
    assert params.handling_for("06010") == 30.0
    assert params.handling_for("09001") == 25.0
    assert params.skill_for("06013") == "road"
    assert params.skill_for("06010") == "sanitation"
    assert params.skill_for("09001") is None
    assert AssignmentParams().handling_for("01023") == 60.0  # the default table, by major


def test_off_shift_workers_are_infeasible_with_the_reason() -> None:
    for until in (None, AT, AT - timedelta(minutes=1)):
        result = expected_completion(worker(on_shift_until=until), task(), AT, PARAMS)
        assert isinstance(result, Infeasible)
        assert (result.code, result.username, result.reason) == ("off_shift", "w1", "w1 is not on shift")


def test_a_worker_without_the_skill_is_infeasible() -> None:
    result = expected_completion(worker(skills=frozenset({"sanitation"})), task(skill="road"), AT, PARAMS)
    assert isinstance(result, Infeasible)
    assert result.code == "lacks_skill"
    assert result.reason == "w1 lacks the skill 'road' that category 09001 needs"
    assert isinstance(
        expected_completion(worker(skills=frozenset({"road"})), task(skill="road"), AT, PARAMS), CostBreakdown
    )


def test_breakdown_as_dict_is_json_ready() -> None:
    data = priced(worker(), task()).as_dict()
    assert data["worker"] == "w1"
    assert data["handling_minutes"] == 20.0
    assert data["finish_at"].startswith("2026-11-02T01:26:40")


def test_travel_weight_charges_the_distance_on_top_of_the_time() -> None:
    from dataclasses import replace

    base = priced(worker(), task())
    weighted = priced(worker(), task(), replace(PARAMS, travel_weight=2.0))
    assert weighted.total == pytest.approx(base.total + 2.0 * STEP_MIN)
    assert weighted.travel_minutes == pytest.approx(base.travel_minutes) == pytest.approx(STEP_MIN)
