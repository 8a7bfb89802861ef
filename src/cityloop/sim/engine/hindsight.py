"""The hindsight oracle: the least field travel any schedule of this run could have needed.

Per department, every visit a field worker made (to handle, or to handle again after rework
or a reopened case) needs an inbound trip, either from a worker's home at the start of one of
their shifts in the run, or from another visit of the department that became ready no later.
Choosing those predecessors at least total distance (each source and each visit used at most
once) is an assignment problem, solved with `scipy.optimize.linear_sum_assignment` on the
whole run at once, as an oracle knowing all arrivals in advance would.

It ignores time, shifts, handling durations and deadlines, so it is a relaxation: every
schedule in which each worker serves its jobs in the order they became ready — as the
engine's queues do under every policy (the optimised one assigns all waiting jobs at each
batch, in that order) — is one feasible assignment, hence this is a lower bound on its travel.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import numpy as np
from scipy.optimize import linear_sum_assignment

from cityloop.core.geodesy import EARTH_RADIUS_M
from cityloop.sim.engine.board import Board, Visit

_FORBIDDEN = 1e9


def _km(
    lons_a: np.ndarray, lats_a: np.ndarray, lons_b: np.ndarray, lats_b: np.ndarray, factor: float
) -> np.ndarray:
    """Road km (haversine × road factor) between every a (rows) and every b (columns)."""
    la, lb = np.radians(lats_a)[:, None], np.radians(lats_b)[None, :]
    dl = np.radians(lons_b)[None, :] - np.radians(lons_a)[:, None]
    h = np.sin((lb - la) / 2) ** 2 + np.cos(la) * np.cos(lb) * np.sin(dl / 2) ** 2
    km: np.ndarray = 2 * (EARTH_RADIUS_M / 1000) * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))) * factor
    return km


def _sources(board: Board, department: str, start: datetime, stop: datetime) -> list[tuple[float, float]]:
    """One home start per shift of each of the department's workers that overlaps the run."""
    found = []
    for worker in board.of_department(department):
        shifts = board.shifts_between(worker, start, stop)
        found.extend([worker.home] * max(1, shifts))
    return found


def hindsight_km(board: Board, visits: Iterable[Visit], start: datetime, stop: datetime) -> float:
    """The oracle's total travel in km over all departments (see the module docstring)."""
    by_department: dict[str, list[Visit]] = {}
    for visit in visits:
        by_department.setdefault(visit.department, []).append(visit)
    total = 0.0
    factor = board.travel.road_factor
    for department, items in sorted(by_department.items()):
        items.sort(key=lambda v: (v.released, v.number))
        sources = _sources(board, department, start, stop)
        lons, lats = np.array([v.lon for v in items]), np.array([v.lat for v in items])
        from_sources = _km(
            np.array([s[0] for s in sources]), np.array([s[1] for s in sources]), lons, lats, factor
        )
        between = _km(lons, lats, lons, lats, factor)
        released = np.array([v.released.timestamp() for v in items])
        allowed = released[:, None] <= released[None, :]
        np.fill_diagonal(allowed, False)
        between = np.where(allowed, between, _FORBIDDEN)
        matrix = np.vstack([from_sources, between])
        rows, cols = linear_sum_assignment(matrix)
        total += float(matrix[rows, cols].sum())
    return total
