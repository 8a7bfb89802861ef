"""Greedy online assignment: each task, as it comes, to the best worker under a policy.

Three policies share the feasibility rules and differ only in what they rank by:
`nearest` (straight-line distance from where the worker is now), `least-loaded` (tasks today
and queued, then distance) and `optimised` (the cost model). Ties go by username, then staff
id, so the same inputs always give the same decision.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from cityloop.dispatch.assignment.cost import QueueEnd, infeasibility, price, queue_end
from cityloop.dispatch.assignment.explain import why_lost, winner_reason
from cityloop.dispatch.assignment.model import (
    Alternative,
    Assignment,
    AssignmentParams,
    CostBreakdown,
    Infeasible,
    Method,
    Policy,
    TaskRequest,
    WorkerState,
)

FAR_FUTURE = datetime.max.replace(year=9000).isoformat()

RankKey = Callable[[CostBreakdown], tuple[float | int | str, ...]]
RANK_KEYS: dict[Policy, RankKey] = {
    "optimised": lambda c: (c.total, c.username, c.staff_id),
    "nearest": lambda c: (c.direct_km, c.username, c.staff_id),
    "least-loaded": lambda c: (c.load, c.direct_km, c.username, c.staff_id),
}


def task_order(task: TaskRequest) -> tuple[int, str, str, int]:
    """The order a sequence of tasks is decided in: urgent first, then the earliest due, then ref."""
    due = task.due_at.isoformat() if task.due_at is not None else FAR_FUTURE
    return (0 if task.urgent else 1, due, task.ref, task.task_id or 0)


def worker_order(worker: WorkerState) -> tuple[str, int]:
    return (worker.username, worker.staff_id)


@dataclass(frozen=True, slots=True)
class Candidates:
    """Workers priced for one task: who may take it, who may not (and why)."""

    able: list[CostBreakdown]
    infeasible: list[Infeasible]
    #: Everybody able had returned or failed this case before, so they are allowed back.
    despite_exclusion: bool


def candidates(
    task: TaskRequest,
    workers: Sequence[WorkerState],
    at: datetime,
    params: AssignmentParams,
    ends: Mapping[int, QueueEnd] | None = None,
) -> Candidates:
    """Price every worker; workers excluded by the case's history only count when nobody else can.

    `ends` may hold each worker's precomputed queue end, to price many tasks against one state.
    """
    able: list[CostBreakdown] = []
    held_back: list[CostBreakdown] = []
    infeasible: list[Infeasible] = []
    for worker in sorted(workers, key=worker_order):
        blocked = infeasibility(worker, task, at)
        if blocked is not None:
            infeasible.append(blocked)
            continue
        end = ends[worker.staff_id] if ends is not None else queue_end(worker, params)
        estimate = price(worker, task, at, params, end=end)
        if worker.staff_id in task.excluded:
            held_back.append(estimate)
        else:
            able.append(estimate)
    if able or not held_back:
        infeasible += [
            Infeasible(c.staff_id, c.username, "excluded", task.excluded[c.staff_id]) for c in held_back
        ]
        infeasible.sort(key=lambda i: (i.username, i.staff_id))
        return Candidates(able, infeasible, False)
    return Candidates(held_back, infeasible, True)


def decide(
    task: TaskRequest,
    workers: Sequence[WorkerState],
    found: Candidates,
    params: AssignmentParams,
    *,
    policy: Policy,
    method: Method,
) -> Assignment:
    """Pick the best of the priced candidates under `policy` and explain the choice."""
    if not found.able:
        return Assignment(
            task=task,
            worker=None,
            policy=policy,
            method=method,
            cost=None,
            reason=no_worker_reason(found.infeasible),
            infeasible=tuple(found.infeasible),
        )
    ranked = sorted(found.able, key=RANK_KEYS[policy])
    best = ranked[0]
    reason = winner_reason(policy, task, best, ranked, found.infeasible)
    if found.despite_exclusion:
        reason += f"; chosen although {task.excluded[best.staff_id]}, because nobody else can take it"
    chosen = next(w for w in workers if w.staff_id == best.staff_id)
    return Assignment(
        task=task,
        worker=chosen,
        policy=policy,
        method=method,
        cost=best,
        reason=reason,
        alternatives=tuple(
            Alternative(c, why_lost(policy, best, c)) for c in ranked[1 : 1 + params.alternatives]
        ),
        infeasible=tuple(found.infeasible),
        despite_exclusion=found.despite_exclusion,
    )


def no_worker_reason(infeasible: Sequence[Infeasible]) -> str:
    if not infeasible:
        return "no field worker of the department is known"
    return "no worker can take it: " + "; ".join(i.reason for i in infeasible)


def greedy_assign(
    task: TaskRequest,
    workers: Sequence[WorkerState],
    at: datetime,
    params: AssignmentParams | None = None,
    *,
    policy: Policy = "optimised",
) -> Assignment:
    """The best worker for one task now, with the cost breakdown, the reason and the runners-up."""
    params = params or AssignmentParams()
    found = candidates(task, workers, at, params)
    return decide(task, workers, found, params, policy=policy, method="greedy")


def greedy_sequence(
    tasks: Sequence[TaskRequest],
    workers: Sequence[WorkerState],
    at: datetime,
    params: AssignmentParams | None = None,
    *,
    policy: Policy = "optimised",
    method: Method = "greedy",
) -> tuple[list[Assignment], list[WorkerState]]:
    """Assign tasks one after another in `task_order`, each seeing the queues the earlier ones made.

    Returns the assignments in the order of `tasks` and the workers with their grown queues.
    """
    params = params or AssignmentParams()
    state = {w.staff_id: w for w in workers}
    ends = {w.staff_id: queue_end(w, params) for w in workers}
    decided: dict[int, Assignment] = {}
    for index in sorted(range(len(tasks)), key=lambda i: task_order(tasks[i])):
        task = tasks[index]
        current = list(state.values())
        found = candidates(task, current, at, params, ends)
        assignment = decide(task, current, found, params, policy=policy, method=method)
        if assignment.worker is not None and assignment.cost is not None:
            grown = state[assignment.worker.staff_id].with_task(task, assignment.cost.handling_minutes)
            state[grown.staff_id], ends[grown.staff_id] = grown, queue_end(grown, params)
        decided[index] = assignment
    return [decided[i] for i in range(len(tasks))], list(state.values())
