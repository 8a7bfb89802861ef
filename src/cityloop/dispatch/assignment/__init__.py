"""Assignment: which field worker does a task, and which inspector verifies or checks on site.

The core is pure (no database): `expected_completion` prices a worker for a task, `greedy_assign`
picks one worker for one task, `batch_assign` assigns all pending tasks of a department together
(scipy's linear_sum_assignment), and `assign` runs one of the policies the simulator compares.
`load_workers`, `load_task_request` and `pick_inspector` read what the core needs from the database.
"""

from cityloop.dispatch.assignment.batch import batch_assign, plan_total
from cityloop.dispatch.assignment.cost import expected_completion, haversine_km, queue_end, road_km
from cityloop.dispatch.assignment.errors import CaseNotLocated, UnknownPolicy
from cityloop.dispatch.assignment.greedy import greedy_assign, greedy_sequence
from cityloop.dispatch.assignment.history import exclusions, task_request
from cityloop.dispatch.assignment.inspectors import (
    InspectorChoice,
    InspectorState,
    choose_inspector,
    load_inspectors,
    pick_inspector,
)
from cityloop.dispatch.assignment.model import (
    DEFAULT_HANDLING_MINUTES,
    POLICIES,
    Alternative,
    Assignment,
    AssignmentParams,
    CostBreakdown,
    Infeasible,
    Policy,
    QueuedTask,
    TaskRequest,
    WorkerState,
)
from cityloop.dispatch.assignment.policies import assign, check_policy
from cityloop.dispatch.assignment.workers import assignment_params, load_task_request, load_workers, shift_end

__all__ = [
    "DEFAULT_HANDLING_MINUTES",
    "POLICIES",
    "Alternative",
    "Assignment",
    "AssignmentParams",
    "CaseNotLocated",
    "CostBreakdown",
    "Infeasible",
    "InspectorChoice",
    "InspectorState",
    "Policy",
    "QueuedTask",
    "TaskRequest",
    "UnknownPolicy",
    "WorkerState",
    "assign",
    "assignment_params",
    "batch_assign",
    "check_policy",
    "choose_inspector",
    "exclusions",
    "expected_completion",
    "greedy_assign",
    "greedy_sequence",
    "haversine_km",
    "load_inspectors",
    "load_task_request",
    "load_workers",
    "pick_inspector",
    "plan_total",
    "queue_end",
    "road_km",
    "shift_end",
    "task_request",
]
