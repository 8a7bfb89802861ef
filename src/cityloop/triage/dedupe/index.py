"""An in-memory index of recent reports by (category, H3 cell) and (category, address)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import lru_cache

from cityloop.geo.h3cells import cell_for, disk
from cityloop.triage.dedupe.model import Report
from cityloop.triage.dedupe.scoring import normalise_address

#: Smallest H3 hexagon edge (m) per resolution, with a margin under the average edge length.
_MIN_EDGE_M = {7: 1000.0, 8: 400.0, 9: 150.0, 10: 57.0, 11: 21.0, 12: 8.0}


def rings_for(radius_m: float, resolution: int) -> int:
    """How many H3 rings around a cell surely hold every point within `radius_m` of it."""
    edge = _MIN_EDGE_M.get(resolution)
    if edge is None:
        raise ValueError(f"H3 resolution {resolution} not supported for de-duplication (7..12)")
    return math.ceil(radius_m / (1.5 * edge)) + 1


@lru_cache(maxsize=65536)
def _disk(cell: str, k: int) -> frozenset[str]:
    return frozenset(disk(cell, k))


class RecentIndex:
    """Reports kept while they may still be a master; forgotten after `horizon`."""

    def __init__(self, resolution: int, horizon: timedelta) -> None:
        self.resolution = resolution
        self.horizon = horizon
        self._by_cell: dict[tuple[str, str], list[Report]] = defaultdict(list)
        self._by_address: dict[tuple[str, str], list[Report]] = defaultdict(list)
        self._added = 0

    def cell_of(self, report: Report) -> str | None:
        """The report's H3 cell, or None without coordinates."""
        if report.lat is None or report.lon is None:
            return None
        return cell_for(report.lon, report.lat, self.resolution)

    def add(self, report: Report) -> None:
        """Remember `report` as a possible master for later reports."""
        category = report.category.lower()
        cell = self.cell_of(report)
        if cell is not None:
            self._by_cell[(category, cell)].append(report)
        address = normalise_address(report.address)
        if address:
            self._by_address[(category, address)].append(report)
        self._added += 1
        if self._added % 5000 == 0:
            self.prune(report.opened_at)

    def prune(self, now: datetime) -> None:
        """Forget reports opened before now − horizon."""
        cutoff = now - self.horizon
        for table in (self._by_cell, self._by_address):
            for key in list(table):
                kept = [r for r in table[key] if r.opened_at >= cutoff]
                if kept:
                    table[key] = kept
                else:
                    del table[key]

    def near(self, report: Report, categories: frozenset[str], radius_m: float) -> Iterator[Report]:
        """Earlier reports of `categories` in the H3 disk covering `radius_m`, or at the same address.

        A report may come twice (cell and address); callers de-duplicate by id.
        """
        cell = self.cell_of(report)
        address = normalise_address(report.address)
        for category in categories:
            if cell is not None:
                for other in _disk(cell, rings_for(radius_m, self.resolution)):
                    yield from self._by_cell.get((category, other), ())
            if address:
                yield from self._by_address.get((category, address), ())
