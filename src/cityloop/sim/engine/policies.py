"""How a department's desk picks a field worker when the automation named none (e.g. nobody was
on shift when the case was dispatched): the simulated person follows the run's policy.

- nearest: the worker on shift nearest to the case now (queue ignored);
- least-loaded: the worker on shift with the fewest jobs, then the nearest;
- optimised: the least expected cost counting the queue, shifts and travel: minutes travelled
  from where the worker will really be (the end of its queue), plus a little for each minute
  the case waits and much for each minute it would finish after its disposal due; in batch
  form every department's waiting cases are assigned together by
  `scipy.optimize.linear_sum_assignment`, round by round.
When nobody of the department is on shift, the candidates are those whose shift starts first.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from scipy.optimize import linear_sum_assignment

from cityloop.sim.engine.board import Board, Job, Worker

POLICIES = ("nearest", "least-loaded", "optimised")
#: Weights of the optimised cost, per minute: travelling, waiting, finishing after the due [ours].
TRAVEL_WEIGHT, WAIT_WEIGHT, LATE_WEIGHT = 1.0, 0.02, 5.0


def _candidates(board: Board, department: str, at: datetime) -> list[Worker]:
    workers = board.of_department(department)
    on = [w for w in workers if board.shift_at(w, at) is not None]
    if on:
        return on
    starts = {w.username: board.next_start(w, at) for w in workers}
    known = [s for s in starts.values() if s is not None]
    if not known:
        return []
    first = min(known)
    return [w for w in workers if starts[w.username] == first]


def cost(board: Board, worker: Worker, job: Job, at: datetime, extra: tuple[Job, ...] = ()) -> float:
    """The optimised policy's cost of giving `job` to `worker` now (see the module docstring)."""
    eta, km = board.eta(worker, (job.lon, job.lat), at, extra)
    travel = board.travel.minutes(km)
    wait = (eta - at).total_seconds() / 60 - travel
    late = 0.0
    if job.due is not None:
        late = max(0.0, (eta - job.due).total_seconds() / 60 + job.expected_minutes)
    return TRAVEL_WEIGHT * travel + WAIT_WEIGHT * wait + LATE_WEIGHT * late


def choose_worker(
    board: Board,
    department: str,
    where: tuple[float, float],
    at: datetime,
    policy: str,
    due: datetime | None = None,
) -> str | None:
    """The worker `policy` picks for a case at `where` (due at `due`), or None when the department has none."""
    candidates = _candidates(board, department, at)
    if not candidates:
        return None
    distance = {w.username: board.travel.km(board.where_now(w), where) for w in candidates}
    if policy == "nearest":
        best = min(candidates, key=lambda w: (distance[w.username], w.username))
    elif policy == "least-loaded":
        best = min(candidates, key=lambda w: (board.load(w), distance[w.username], w.username))
    elif policy == "optimised":
        job = Job("", where[0], where[1], at, due=due)
        best = min(candidates, key=lambda w: (cost(board, w, job, at), w.username))
    else:
        raise ValueError(f"unknown policy {policy!r}; expected one of {', '.join(POLICIES)}")
    return best.username


def assign_batch(board: Board, department: str, jobs: list[Job], at: datetime) -> dict[str, str]:
    """Case number → worker for all of a department's waiting jobs, minimising the optimised cost.

    Each round gives every worker at most one job (an assignment problem); the jobs a worker got
    count in its queue for the next round.
    """
    workers = board.of_department(department)
    if not workers:
        return {}
    extra: dict[str, tuple[Job, ...]] = {w.username: () for w in workers}
    found: dict[str, str] = {}
    waiting = sorted(jobs, key=lambda j: (j.released, j.number))
    while waiting:
        matrix = np.array([[cost(board, w, j, at, extra[w.username]) for w in workers] for j in waiting])
        rows, cols = linear_sum_assignment(matrix)
        for r, c in zip(rows, cols, strict=True):
            job, worker = waiting[r], workers[c]
            found[job.number] = worker.username
            extra[worker.username] = (*extra[worker.username], job)
        assigned = set(rows.tolist())
        waiting = [j for i, j in enumerate(waiting) if i not in assigned]
    return found
