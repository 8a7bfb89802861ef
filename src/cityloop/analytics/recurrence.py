"""Recurrence (重复投诉率): the same category coming back at the same place after a case was closed.

A closed case "recurs" when a later case of the same category is reported at the same place
(H3 cell or grid) within `within_days` after its closing. The rate is recurring closed cases
over all closed cases of the period; a problem spot is a place × category with recurrences,
listed with the case numbers behind each. Duplicates merged into a master are not cases of
their own and are left out.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import h3

from cityloop.analytics.data import CaseRow
from cityloop.analytics.errors import InvalidArgument

PLACES = ("cell", "grid")


def _place(row: CaseRow, place: str, resolution: int) -> str | None:
    if place == "grid":
        return row.grid_code
    cell = row.h3_cell
    if cell is None and row.lat is not None and row.lon is not None:
        cell = h3.latlng_to_cell(row.lat, row.lon, resolution)
    if cell is not None and h3.get_resolution(cell) > resolution:
        cell = h3.cell_to_parent(cell, resolution)
    return cell


def recurrence(
    rows: Sequence[CaseRow],
    *,
    within_days: float = 30.0,
    place: str = "cell",
    resolution: int = 9,
    top: int = 20,
    period_end: datetime | None = None,
) -> dict[str, Any]:
    """The recurrence rate of the closed cases in `rows` and the worst problem spots.

    `rows` should reach `within_days` past the period, so late recurrences are seen; only cases
    reported before `period_end` (when given) count as the period's closed cases.
    """
    if place not in PLACES or within_days <= 0:
        raise InvalidArgument(f"place must be one of {', '.join(PLACES)} and within_days > 0")
    by_key: dict[tuple[str, str], list[CaseRow]] = {}
    for row in rows:
        key = _place(row, place, resolution)
        if key is not None and not row.merged:
            by_key.setdefault((key, row.category_code), []).append(row)
    window = timedelta(days=within_days)
    closed = recurring = 0
    spots: list[dict[str, Any]] = []
    for (where, category), cases in by_key.items():
        cases.sort(key=lambda r: (r.reported_at, r.id))
        times = [c.reported_at for c in cases]
        pairs = []
        for case in cases:
            if case.closed_at is None or (period_end is not None and case.reported_at >= period_end):
                continue
            closed += 1
            nxt = bisect_right(times, case.closed_at)
            if nxt < len(cases) and times[nxt] <= case.closed_at + window:
                recurring += 1
                pairs.append({"closed": case.number, "closed_at": case.closed_at, "again": cases[nxt].number})
        if pairs:
            spots.append(
                {
                    "place": where,
                    "category_code": category,
                    "recurrences": len(pairs),
                    "cases": len(cases),
                    "pairs": pairs,
                }
            )
    spots.sort(key=lambda s: (-s["recurrences"], -s["cases"], s["place"], s["category_code"]))
    return {
        "place": place,
        "within_days": within_days,
        "closed": closed,
        "recurring": recurring,
        "rate": round(recurring / closed, 4) if closed else None,
        "spots": spots[:top],
    }
