"""The cost model: when would this worker finish this task, how late, and at what price.

A worker first works through the queue already assigned (travelling from task to task at the
e-bike speed over haversine × road factor), then travels to the new task and handles it for
the category's expected minutes. Lateness against the task's due, load (fairness) and time
past the end of the shift add to the cost. Off-shift workers and workers without the skill
the category needs are infeasible, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cityloop.core.geodesy import EARTH_RADIUS_M, distance_m
from cityloop.dispatch.assignment.model import (
    AssignmentParams,
    CostBreakdown,
    Infeasible,
    TaskRequest,
    WorkerState,
)

EARTH_RADIUS_KM = EARTH_RADIUS_M / 1000.0


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in kilometres between two WGS 84 points given as (lon, lat)."""
    return distance_m(lon1, lat1, lon2, lat2) / 1000.0


def road_km(lon1: float, lat1: float, lon2: float, lat2: float, params: AssignmentParams) -> float:
    """Expected road distance: the straight line stretched by the city's road factor."""
    return haversine_km(lon1, lat1, lon2, lat2) * params.road_factor


@dataclass(frozen=True, slots=True)
class QueueEnd:
    """Where and when (minutes from now) a worker is free after the queue already assigned."""

    minutes: float
    lon: float
    lat: float


def queue_end(worker: WorkerState, params: AssignmentParams) -> QueueEnd:
    """Walk the worker's queue from the current position; queued tasks without a place cost no travel."""
    minutes, lon, lat = 0.0, worker.lon, worker.lat
    for queued in worker.queue:
        if queued.lon is not None and queued.lat is not None:
            minutes += params.minutes_for_km(road_km(lon, lat, queued.lon, queued.lat, params))
            lon, lat = queued.lon, queued.lat
        minutes += queued.minutes
    return QueueEnd(minutes, lon, lat)


def infeasibility(worker: WorkerState, task: TaskRequest, at: datetime) -> Infeasible | None:
    """Why the worker cannot take the task at all (off shift, missing skill); None when they can."""
    if worker.on_shift_until is None or worker.on_shift_until <= at:
        return Infeasible(worker.staff_id, worker.username, "off_shift", f"{worker.username} is not on shift")
    if task.skill is not None and task.skill not in worker.skills:
        return Infeasible(
            worker.staff_id,
            worker.username,
            "lacks_skill",
            f"{worker.username} lacks the skill {task.skill!r} that category {task.category_code} needs",
        )
    return None


def price(
    worker: WorkerState,
    task: TaskRequest,
    at: datetime,
    params: AssignmentParams,
    *,
    end: QueueEnd,
    extra_wait: float = 0.0,
    extra_load: int = 0,
) -> CostBreakdown:
    """The cost of `task` done by `worker` once free at `end` (plus `extra_wait` minutes of other new work)."""
    travel_km = road_km(end.lon, end.lat, task.lon, task.lat, params)
    travel = params.minutes_for_km(travel_km)
    handling = params.handling_for(task.category_code)
    wait = end.minutes + extra_wait
    finish = wait + travel + handling
    finish_at = at + timedelta(minutes=finish)
    late = max(0.0, (finish_at - task.due_at).total_seconds() / 60) if task.due_at is not None else 0.0
    shift_end = worker.on_shift_until
    overtime = max(0.0, (finish_at - shift_end).total_seconds() / 60) if shift_end is not None else 0.0
    load = worker.load + extra_load
    fairness = params.fairness_minutes * load
    factor = params.urgent_factor if task.urgent else 1.0
    # Travel counts twice: as time to finish, and as distance the city pays for (travel_weight).
    total = (
        factor * (finish + params.lateness_weight * late)
        + params.travel_weight * travel
        + fairness
        + params.overtime_weight * overtime
    )
    return CostBreakdown(
        staff_id=worker.staff_id,
        username=worker.username,
        direct_km=haversine_km(worker.lon, worker.lat, task.lon, task.lat),
        travel_km=travel_km,
        travel_minutes=travel,
        wait_minutes=wait,
        handling_minutes=handling,
        finish_minutes=finish,
        finish_at=finish_at,
        late_minutes=late,
        overtime_minutes=overtime,
        load=load,
        fairness=fairness,
        total=total,
    )


def expected_completion(
    worker: WorkerState, task: TaskRequest, at: datetime, params: AssignmentParams
) -> CostBreakdown | Infeasible:
    """The worker's expected finish of `task` with its cost breakdown, or why the worker cannot take it."""
    blocked = infeasibility(worker, task, at)
    if blocked is not None:
        return blocked
    return price(worker, task, at, params, end=queue_end(worker, params))
