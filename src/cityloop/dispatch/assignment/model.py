"""The values assignment works on: workers, tasks, parameters, cost breakdowns and decisions.

Everything here is plain, frozen data, so the cost model, greedy and batch assignment are pure
functions that tests and the simulator call without a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal

Policy = Literal["nearest", "least-loaded", "optimised"]
POLICIES: tuple[Policy, ...] = ("nearest", "least-loaded", "optimised")
Method = Literal["greedy", "batch", "fallback"]


def _frozen(data: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(data))


#: Expected minutes on site per major (2 digits) of GB/T 47678.5 [ours: configurable guesses,
#: to be replaced by a city's measured handling times]. Components (01–05) need repairs; street
#: order (09) is mostly talking a vendor or a parked car away.
DEFAULT_HANDLING_MINUTES: Mapping[str, float] = _frozen(
    {
        "01": 60.0,
        "02": 60.0,
        "03": 40.0,
        "04": 45.0,
        "05": 45.0,
        "06": 30.0,
        "07": 30.0,
        "08": 45.0,
        "09": 20.0,
        "10": 45.0,
    }
)


@dataclass(frozen=True, slots=True)
class QueuedTask:
    """An open task already assigned to a worker: where it is and how long it will still take."""

    task_id: int | None
    lon: float | None
    lat: float | None
    minutes: float


@dataclass(frozen=True, slots=True)
class WorkerState:
    """What assignment knows about one field worker at one moment.

    `on_shift_until` is None when the worker is not on shift now. `queue` is worked in order,
    starting from (lon, lat). `done_today` counts the fixes already finished today.
    """

    staff_id: int
    username: str
    department_code: str
    lon: float
    lat: float
    skills: frozenset[str] = frozenset()
    on_shift_until: datetime | None = None
    queue: tuple[QueuedTask, ...] = ()
    done_today: int = 0

    @property
    def load(self) -> int:
        """Tasks finished today plus tasks waiting: what fairness evens out across workers."""
        return self.done_today + len(self.queue)

    def with_task(self, task: TaskRequest, minutes: float) -> WorkerState:
        """The same worker with `task` appended to the queue (for the next decision of a sequence)."""
        queued = QueuedTask(task.task_id, task.lon, task.lat, minutes)
        return replace(self, queue=(*self.queue, queued))


@dataclass(frozen=True, slots=True)
class TaskRequest:
    """One task to assign: where, what, how urgent, by when, and who must not get it again.

    `excluded` maps staff ids to the reason (a return or a failed fix of this case); they are
    chosen only when nobody else can do the task.
    """

    task_id: int | None
    case_id: int | None
    ref: str
    lon: float
    lat: float
    category_code: str
    urgency: str = "normal"
    due_at: datetime | None = None
    skill: str | None = None
    excluded: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def urgent(self) -> bool:
        return self.urgency == "urgent"


@dataclass(frozen=True, slots=True)
class AssignmentParams:
    """The knobs of the cost model, in minutes of cost; every default is a configurable choice [ours].

    Cost = urgency factor × (minutes to finish + lateness weight × minutes late)
           + travel weight × travel minutes + fairness minutes × load
           + overtime weight × minutes past the shift's end.
    """

    #: Road distance ÷ straight-line distance (city parameter `road_factor`).
    road_factor: float = 1.3
    #: An e-bike in city traffic.
    speed_kmh: float = 15.0
    handling_minutes: Mapping[str, float] = field(default_factory=lambda: DEFAULT_HANDLING_MINUTES)
    default_handling_minutes: float = 30.0
    #: Category code or major → the skill a worker needs; categories not listed need none.
    skills: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    lateness_weight: float = 3.0
    #: Extra weight on travel minutes beyond their share of the finishing time: distance costs.
    travel_weight: float = 6.0
    urgent_factor: float = 2.0
    fairness_minutes: float = 2.0
    overtime_weight: float = 1.0
    #: Batch: at most this many new tasks per worker in one optimisation round.
    max_slots: int = 4
    #: How many runners-up a decision explains.
    alternatives: int = 3

    def handling_for(self, category_code: str) -> float:
        """Expected minutes on site: the code's entry, else its major's, else the default."""
        table = self.handling_minutes
        if category_code in table:
            return table[category_code]
        return table.get(category_code[:2], self.default_handling_minutes)

    def skill_for(self, category_code: str) -> str | None:
        """The skill the category needs (exact code before major), None when any worker will do."""
        return self.skills.get(category_code) or self.skills.get(category_code[:2])

    def minutes_for_km(self, km: float) -> float:
        """Travel minutes for a road distance at the e-bike speed."""
        return km / self.speed_kmh * 60.0


@dataclass(frozen=True, slots=True)
class CostBreakdown:
    """Why a worker would cost what it costs for one task; all durations in minutes from `at`."""

    staff_id: int
    username: str
    #: Straight-line distance from where the worker is now (what the `nearest` policy looks at).
    direct_km: float
    #: Road distance from where the worker will be after the queue.
    travel_km: float
    travel_minutes: float
    wait_minutes: float
    handling_minutes: float
    finish_minutes: float
    finish_at: datetime
    late_minutes: float
    overtime_minutes: float
    load: int
    fairness: float
    total: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "worker": self.username,
            "direct_km": round(self.direct_km, 3),
            "travel_km": round(self.travel_km, 3),
            "travel_minutes": round(self.travel_minutes, 1),
            "wait_minutes": round(self.wait_minutes, 1),
            "handling_minutes": round(self.handling_minutes, 1),
            "finish_minutes": round(self.finish_minutes, 1),
            "finish_at": self.finish_at.isoformat(),
            "late_minutes": round(self.late_minutes, 1),
            "overtime_minutes": round(self.overtime_minutes, 1),
            "load": self.load,
            "fairness": round(self.fairness, 1),
            "total": round(self.total, 2),
        }


@dataclass(frozen=True, slots=True)
class Infeasible:
    """A worker who cannot take the task, with a stable code and the reason in words."""

    staff_id: int
    username: str
    code: Literal["off_shift", "lacks_skill", "excluded"]
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"worker": self.username, "code": self.code, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Alternative:
    """A runner-up: what it would have cost and why it lost."""

    cost: CostBreakdown
    why: str

    def as_dict(self) -> dict[str, Any]:
        return {"worker": self.cost.username, "total": round(self.cost.total, 2), "why": self.why}


@dataclass(frozen=True, slots=True)
class Assignment:
    """The decision for one task: the worker (None when nobody can), the cost and the reasons."""

    task: TaskRequest
    worker: WorkerState | None
    policy: Policy
    method: Method
    cost: CostBreakdown | None
    reason: str
    alternatives: tuple[Alternative, ...] = ()
    infeasible: tuple[Infeasible, ...] = ()
    #: The worker had returned or failed this case before and was chosen because nobody else could.
    despite_exclusion: bool = False

    @property
    def username(self) -> str | None:
        return self.worker.username if self.worker is not None else None

    def as_dict(self) -> dict[str, Any]:
        """The decision as JSON-ready data, e.g. for the `data` of a timeline event."""
        return {
            "task": self.task.ref,
            "worker": self.username,
            "policy": self.policy,
            "method": self.method,
            "reason": self.reason,
            "cost": self.cost.as_dict() if self.cost is not None else None,
            "alternatives": [a.as_dict() for a in self.alternatives],
            "infeasible": [i.as_dict() for i in self.infeasible],
            "despite_exclusion": self.despite_exclusion,
        }
