"""Batch assignment: all pending tasks of a department at once, by linear_sum_assignment.

Each worker offers `k` slots; slot j prices a task as the worker's (j+1)-th new task, i.e.
after the queue already assigned and j earlier new tasks of typical length (the mean handling
time plus the mean travel between the pending tasks). The optimiser minimises the sum of the
cost model over tasks. The plan is then re-priced exactly, task after task in slot order, and
compared with assigning the same tasks greedily one by one: the cheaper plan wins, so the
batch never does worse than greedy on its own objective. Tasks left without a slot fall back
to greedy on the queues the batch made. Inputs are sorted first (tasks by `task_order`,
workers by username), so the result does not depend on the order they came in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from cityloop.dispatch.assignment.cost import EARTH_RADIUS_KM, QueueEnd, price, queue_end
from cityloop.dispatch.assignment.explain import due_phrase, finish_phrase, why_lost
from cityloop.dispatch.assignment.greedy import (
    Candidates,
    candidates,
    greedy_sequence,
    task_order,
    worker_order,
)
from cityloop.dispatch.assignment.model import (
    Alternative,
    Assignment,
    AssignmentParams,
    CostBreakdown,
    TaskRequest,
    WorkerState,
)

#: The cost of a pair that must not be chosen (infeasible, or excluded while others can).
BLOCKED = 1e12

Matrix = NDArray[np.float64]


def _haversine_matrix(lon1: Matrix, lat1: Matrix, lon2: Matrix, lat2: Matrix) -> Matrix:
    """Great-circle km between every point of set 1 (rows) and set 2 (columns)."""
    p1, p2 = np.radians(lat1)[:, None], np.radians(lat2)[None, :]
    dl = np.radians(lon2)[None, :] - np.radians(lon1)[:, None]
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    result: Matrix = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    return result


def _typical_minutes(tasks: Sequence[TaskRequest], params: AssignmentParams) -> float:
    """Mean handling time plus mean travel between two pending tasks: the length of one earlier slot."""
    handling = sum(params.handling_for(t.category_code) for t in tasks) / len(tasks)
    if len(tasks) < 2:
        return handling
    lon = np.array([t.lon for t in tasks])
    lat = np.array([t.lat for t in tasks])
    km = _haversine_matrix(lon, lat, lon, lat)
    n = len(tasks)
    mean_km = float(km.sum()) / (n * (n - 1)) * params.road_factor
    return handling + params.minutes_for_km(mean_km)


def _slot_costs(
    tasks: Sequence[TaskRequest],
    workers: Sequence[WorkerState],
    ends: Sequence[QueueEnd],
    allowed: NDArray[np.bool_],
    at: datetime,
    params: AssignmentParams,
    slots: int,
) -> Matrix:
    """The (tasks × workers·slots) cost matrix, column w·slots + j = worker w's slot j."""
    n, m = len(tasks), len(workers)
    travel = (
        _haversine_matrix(
            np.array([t.lon for t in tasks]),
            np.array([t.lat for t in tasks]),
            np.array([e.lon for e in ends]),
            np.array([e.lat for e in ends]),
        )
        * params.road_factor
        / params.speed_kmh
        * 60.0
    )
    handling = np.array([params.handling_for(t.category_code) for t in tasks])[:, None]
    due = np.array([(t.due_at - at).total_seconds() / 60 if t.due_at else np.inf for t in tasks])[:, None]
    factor = np.array([params.urgent_factor if t.urgent else 1.0 for t in tasks])[:, None]
    wait = np.array([e.minutes for e in ends])[None, :]
    shift = np.array(
        [(w.on_shift_until - at).total_seconds() / 60 if w.on_shift_until else np.inf for w in workers]
    )[None, :]
    load = np.array([w.load for w in workers], dtype=float)[None, :]
    typical = _typical_minutes(tasks, params)
    matrix = np.empty((n, m, slots))
    for j in range(slots):
        finish = wait + j * typical + travel + handling
        late = np.maximum(0.0, finish - due)
        over = np.maximum(0.0, finish - shift)
        cost = (
            factor * (finish + params.lateness_weight * late)
            + params.fairness_minutes * (load + j)
            + params.overtime_weight * over
        )
        matrix[:, :, j] = np.where(allowed, cost, BLOCKED)
    return matrix.reshape(n, m * slots)


def _allowed(found: Sequence[Candidates], workers: Sequence[WorkerState]) -> NDArray[np.bool_]:
    column = {w.staff_id: i for i, w in enumerate(workers)}
    allowed = np.zeros((len(found), len(workers)), dtype=bool)
    for t, options in enumerate(found):
        for cost in options.able:
            allowed[t, column[cost.staff_id]] = True
    return allowed


def _plan(
    tasks: Sequence[TaskRequest],
    workers: Sequence[WorkerState],
    found: Sequence[Candidates],
    ends: Sequence[QueueEnd],
    at: datetime,
    params: AssignmentParams,
) -> dict[int, list[int]]:
    """Worker index → task indexes in slot order, as linear_sum_assignment places them."""
    allowed = _allowed(found, workers)
    able_workers = int(allowed.any(axis=0).sum())
    if able_workers == 0:
        return {}
    slots = max(1, min(params.max_slots, math.ceil(len(tasks) / able_workers) + 1))
    matrix = _slot_costs(tasks, workers, ends, allowed, at, params, slots)
    # Tasks nobody may take stay out of the optimisation, so they cannot hold a slot others need.
    open_rows = np.flatnonzero(allowed.any(axis=1))
    rows, cols = linear_sum_assignment(matrix[open_rows])
    placed: dict[int, list[tuple[int, int]]] = {}
    for row, col in zip(open_rows[rows].tolist(), cols.tolist(), strict=True):
        if matrix[row, col] < BLOCKED:
            placed.setdefault(col // slots, []).append((col % slots, row))
    return {w: [t for _, t in sorted(pairs)] for w, pairs in sorted(placed.items())}


def _explain(
    task: TaskRequest,
    exact: CostBreakdown,
    options: Candidates,
    given: dict[int, list[str]],
    position: tuple[int, int],
    params: AssignmentParams,
) -> tuple[str, tuple[Alternative, ...]]:
    """The batch reason of one task and its runners-up, priced as if each took the task alone."""
    alone = {c.staff_id: c for c in options.able}
    mine = alone[exact.staff_id]
    nth, count = position
    reason = (
        f"{exact.username} takes it as new task {nth} of {count} in the batch; "
        f"{finish_phrase(exact)}, {due_phrase(exact, task)}"
    )
    if options.despite_exclusion:
        reason += f"; chosen although {task.excluded[exact.staff_id]}, because nobody else can take it"
    others = sorted(
        (c for c in options.able if c.staff_id != exact.staff_id), key=lambda c: (c.total, c.username)
    )
    alternatives = []
    for other in others[: params.alternatives]:
        if other.total < mine.total:
            theirs = given.get(other.staff_id)
            busy = (
                f"the batch gives {other.username} {', '.join(theirs)}"
                if theirs
                else "the batch total is lower"
            )
            why = f"cheaper for this task alone ({other.total:.1f} vs {mine.total:.1f}), but {busy}"
        else:
            why = why_lost("optimised", mine, other)
        alternatives.append(Alternative(other, why))
    return reason, tuple(alternatives)


def batch_assign(
    tasks: Sequence[TaskRequest],
    workers: Sequence[WorkerState],
    at: datetime,
    params: AssignmentParams | None = None,
) -> list[Assignment]:
    """Assign all pending tasks of one department together; the assignments come in the order of `tasks`."""
    params = params or AssignmentParams()
    if not tasks:
        return []
    order = sorted(range(len(tasks)), key=lambda i: task_order(tasks[i]))
    ordered = [tasks[i] for i in order]
    staff = sorted(workers, key=worker_order)
    ends = [queue_end(w, params) for w in staff]
    by_id = {w.staff_id: e for w, e in zip(staff, ends, strict=True)}
    found = [candidates(t, staff, at, params, by_id) for t in ordered]
    plan = _plan(ordered, staff, found, ends, at, params)

    state = {w.staff_id: w for w in staff}
    exact: dict[int, tuple[WorkerState, CostBreakdown, tuple[int, int]]] = {}
    given: dict[int, list[str]] = {}
    for w, sequence in plan.items():
        worker = staff[w]
        given[worker.staff_id] = [ordered[t].ref for t in sequence]
        for nth, t in enumerate(sequence, start=1):
            current = state[worker.staff_id]
            cost = price(current, ordered[t], at, params, end=queue_end(current, params))
            exact[t] = (current, cost, (nth, len(sequence)))
            state[worker.staff_id] = current.with_task(ordered[t], cost.handling_minutes)

    decided: dict[int, Assignment] = {}
    for t, (worker, cost, position) in exact.items():
        reason, alternatives = _explain(ordered[t], cost, found[t], given, position, params)
        decided[t] = Assignment(
            task=ordered[t],
            worker=worker,
            policy="optimised",
            method="batch",
            cost=cost,
            reason=reason,
            alternatives=alternatives,
            infeasible=tuple(found[t].infeasible),
            despite_exclusion=found[t].despite_exclusion,
        )
    leftovers = [t for t in range(len(ordered)) if t not in decided]
    if leftovers:
        rest, _ = greedy_sequence(
            [ordered[t] for t in leftovers], list(state.values()), at, params, method="fallback"
        )
        decided.update(zip(leftovers, rest, strict=True))

    batch = [decided[t] for t in range(len(ordered))]
    greedy, _ = greedy_sequence(ordered, staff, at, params)
    chosen = _cheaper(batch, greedy)
    result: list[Assignment | None] = [None] * len(tasks)
    for rank, original in enumerate(order):
        result[original] = chosen[rank]
    return [a for a in result if a is not None]


def plan_total(assignments: Sequence[Assignment]) -> float:
    """The summed cost of the assigned tasks of a plan (tasks nobody can take add nothing)."""
    return sum(a.cost.total for a in assignments if a.cost is not None)


def _cheaper(batch: list[Assignment], greedy: list[Assignment]) -> list[Assignment]:
    """Keep the batch plan unless assigning one by one costs less; say which and by how much."""
    batch_total, greedy_total = plan_total(batch), plan_total(greedy)
    if greedy_total < batch_total - 1e-6:
        note = f" (one by one: plan total {greedy_total:.1f}, less than {batch_total:.1f} for the batch)"
        return [_annotated(a, note) for a in greedy]
    note = f" (batch plan total {batch_total:.1f} vs {greedy_total:.1f} one by one)"
    return [_annotated(a, note) for a in batch]


def _annotated(assignment: Assignment, note: str) -> Assignment:
    if assignment.worker is None:
        return assignment
    return replace(assignment, reason=assignment.reason + note)
