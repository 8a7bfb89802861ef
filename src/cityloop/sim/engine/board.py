"""Where the simulated people are and what they are doing: field workers and inspectors.

Positions live here, in the engine: `org` has no public function yet to record a worker's
position (`WorkerProfile.current_lon/lat`), so the engine reports each move through its
`on_move` hook (a no-op unless the caller wires one). Workers follow their weekly shifts
(city local time): a job starts only on shift, and the first job of a shift leaves from home.
Travel is the straight-line distance × the city's road factor, at e-bike speed.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from cityloop.core.geodesy import distance_m
from cityloop.org import list_staff
from cityloop.org.shifts import parse_hhmm
from cityloop.sim.scenario import PATROL_HOURS, CityMap

SPEED_KMH = 15.0


@dataclass(frozen=True)
class ShiftRule:
    weekdays: frozenset[int]
    start: int  # minutes after local midnight
    end: int


@dataclass(frozen=True)
class Job:
    number: str
    lon: float
    lat: float
    #: When the job could first be done (the case entered PROCESSING): the order of each worker's queue.
    released: datetime
    expected_minutes: float = 30.0
    #: The case's disposal due, for the optimised policy.
    due: datetime | None = None


@dataclass(frozen=True)
class Visit:
    """One trip of a field worker to a case, for the travel figures and the hindsight oracle."""

    department: str
    worker: str
    number: str
    released: datetime
    lon: float
    lat: float
    km: float
    started: datetime
    minutes: float


@dataclass
class Worker:
    username: str
    department: str
    home: tuple[float, float]
    shifts: tuple[ShiftRule, ...]
    pos: tuple[float, float]
    queue: deque[Job] = field(default_factory=deque)
    current: Job | None = None
    free_at: datetime | None = None
    #: Start of the shift in which the worker last left home.
    shift_started: datetime | None = None
    busy_s: float = 0.0


@dataclass
class Inspector:
    username: str
    pos: tuple[float, float]
    free_at: datetime | None = None
    busy_s: float = 0.0
    travel_km: float = 0.0


class Travel:
    """Road distance and time between two points for a city's road factor."""

    def __init__(self, road_factor: float, speed_kmh: float = SPEED_KMH) -> None:
        self.road_factor, self.speed_kmh = road_factor, speed_kmh

    def km(self, a: tuple[float, float], b: tuple[float, float]) -> float:
        return distance_m(a[0], a[1], b[0], b[1]) * self.road_factor / 1000

    def minutes(self, km: float) -> float:
        return km / self.speed_kmh * 60


def _instances(
    shifts: tuple[ShiftRule, ...], at: datetime, zone: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """Shift instances (start, end) from the day before `at` to eight days after, sorted."""
    local_day = at.astimezone(zone).date()
    found = []
    for offset in range(-1, 9):
        day: date = local_day + timedelta(days=offset)
        for rule in shifts:
            if day.isoweekday() not in rule.weekdays:
                continue
            begin = datetime.combine(day, time(rule.start // 60, rule.start % 60), tzinfo=zone)
            length = (rule.end - rule.start) % 1440 or 1440
            found.append(
                (begin.astimezone(at.tzinfo), (begin + timedelta(minutes=length)).astimezone(at.tzinfo))
            )
    return sorted(found)


class Board:
    """The field workers and inspectors of a city during a run."""

    def __init__(
        self, city: CityMap, travel: Travel, workers: list[Worker], inspectors: list[Inspector]
    ) -> None:
        self.city, self.travel, self.zone = city, travel, ZoneInfo(city.timezone)
        self.workers = {w.username: w for w in workers}
        self.inspectors = {i.username: i for i in inspectors}
        self.visits: list[Visit] = []

    # --- shifts -------------------------------------------------------------------------------
    def shift_at(self, worker: Worker, at: datetime) -> tuple[datetime, datetime] | None:
        """The shift instance covering `at`, if any."""
        return next(((s, e) for s, e in _instances(worker.shifts, at, self.zone) if s <= at < e), None)

    def next_start(self, worker: Worker, at: datetime) -> datetime | None:
        """`at` when on shift, else the start of the next shift (None: no shift within a week)."""
        if self.shift_at(worker, at) is not None:
            return at
        return next((s for s, _ in _instances(worker.shifts, at, self.zone) if s >= at), None)

    def shift_seconds(self, worker: Worker, start: datetime, end: datetime) -> float:
        """Seconds of `worker`'s shifts between `start` and `end`."""
        total, seen = 0.0, set()
        day = start
        while day < end + timedelta(days=1):
            for s, e in _instances(worker.shifts, day, self.zone):
                if (s, e) not in seen:
                    seen.add((s, e))
                    total += max(0.0, (min(e, end) - max(s, start)).total_seconds())
            day += timedelta(days=7)
        return total

    def shifts_between(self, worker: Worker, start: datetime, end: datetime) -> int:
        """How many of `worker`'s shifts overlap `start`–`end`."""
        seen: set[tuple[datetime, datetime]] = set()
        day = start
        while day < end + timedelta(days=1):
            seen.update((s, e) for s, e in _instances(worker.shifts, day, self.zone) if s < end and e > start)
            day += timedelta(days=7)
        return len(seen)

    def patrolling(self, at: datetime) -> bool:
        return PATROL_HOURS[0] <= at.astimezone(self.zone).hour < PATROL_HOURS[1]

    def next_patrol(self, at: datetime) -> datetime:
        if self.patrolling(at):
            return at
        local = at.astimezone(self.zone)
        day = local.date() + timedelta(days=1 if local.hour >= PATROL_HOURS[1] else 0)
        return datetime.combine(day, time(PATROL_HOURS[0]), tzinfo=self.zone).astimezone(at.tzinfo)

    # --- predictions for choosing a worker --------------------------------------------------------
    def of_department(self, department: str) -> list[Worker]:
        return [w for w in self.workers.values() if w.department == department]

    def load(self, worker: Worker) -> int:
        return len(worker.queue) + (1 if worker.current else 0)

    def eta(
        self, worker: Worker, where: tuple[float, float], at: datetime, extra: tuple[Job, ...] = ()
    ) -> tuple[datetime, float]:
        """When `worker` could reach `where` after the jobs already queued (and `extra` ones), and
        the last leg in km."""
        t = max(at, worker.free_at or at) if worker.current else at
        pos = (worker.current.lon, worker.current.lat) if worker.current else worker.pos
        for job in (*worker.queue, *extra):
            km = self.travel.km(pos, (job.lon, job.lat))
            t += timedelta(minutes=self.travel.minutes(km) + job.expected_minutes)
            pos = (job.lon, job.lat)
        start = self.next_start(worker, t)
        if start is None:
            return t + timedelta(days=30), self.travel.km(worker.home, where)
        if start > t:
            t, pos = start, worker.home
        km = self.travel.km(pos, where)
        return t + timedelta(minutes=self.travel.minutes(km)), km

    def where_now(self, worker: Worker) -> tuple[float, float]:
        return (worker.current.lon, worker.current.lat) if worker.current else worker.pos


def load_board(session: Session, city: CityMap, travel: Travel) -> Board:
    """Field workers (home, shifts) and inspectors (starting in the middle of their zone) from the database."""
    workers = []
    for staff in session.scalars(list_staff(session, city.code, role="field_worker")):
        profile = staff.worker
        if profile is None or staff.department is None:
            continue
        shifts = tuple(
            ShiftRule(frozenset(s.weekdays), parse_hhmm(s.start), parse_hhmm(s.end)) for s in profile.shifts
        )
        home = (profile.home_lon, profile.home_lat)
        workers.append(Worker(staff.username, staff.department.code, home, shifts, home))
    centres: dict[str, list[tuple[float, float]]] = {}
    for grid in city.grids:
        inspector = city.inspector_of_grid.get(grid.code)
        if inspector is not None:
            b = grid.bbox
            centres.setdefault(inspector, []).append(((b[0] + b[2]) / 2, (b[1] + b[3]) / 2))
    inspectors = [
        Inspector(name, (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)))
        for name, pts in sorted(centres.items())
    ]
    return Board(city, travel, workers, inspectors)
