"""One entry point for the three policies the simulator compares.

`nearest` and `least-loaded` are the baselines a dispatcher would use by hand: each task in
turn, to the closest or the least busy worker. `optimised` is the cost model: one task alone is
assigned greedily, several waiting tasks of a department are assigned together in a batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cityloop.dispatch.assignment.batch import batch_assign
from cityloop.dispatch.assignment.errors import UnknownPolicy
from cityloop.dispatch.assignment.greedy import greedy_assign, greedy_sequence
from cityloop.dispatch.assignment.model import (
    POLICIES,
    Assignment,
    AssignmentParams,
    Policy,
    TaskRequest,
    WorkerState,
)


def check_policy(name: str) -> Policy:
    """`name` as a policy; UnknownPolicy naming the known ones otherwise."""
    for policy in POLICIES:
        if policy == name:
            return policy
    raise UnknownPolicy(
        f"unknown assignment policy {name!r}; use one of {', '.join(POLICIES)}",
        details={"policy": name, "known": list(POLICIES)},
    )


def assign(
    tasks: Sequence[TaskRequest],
    workers: Sequence[WorkerState],
    at: datetime,
    params: AssignmentParams | None = None,
    *,
    policy: Policy | str = "optimised",
) -> list[Assignment]:
    """Assign the pending tasks of one department under `policy`; results in the order of `tasks`."""
    chosen = check_policy(policy)
    params = params or AssignmentParams()
    if chosen == "optimised":
        if len(tasks) == 1:
            return [greedy_assign(tasks[0], workers, at, params)]
        return batch_assign(tasks, workers, at, params)
    assignments, _ = greedy_sequence(tasks, workers, at, params, policy=chosen)
    return assignments
