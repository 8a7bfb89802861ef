"""Hot spots: where cases of a period and category crowd together, two ways, both ranked by count.

H3 cells (cases store their resolution-9 cell; coarser resolutions roll up to parents) answer
"which blocks"; DBSCAN on great-circle distance answers "which places", whatever the cell
borders: a cluster is `min_cases` or more cases each within `radius_m` of another.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import h3
import numpy as np
from sklearn.cluster import DBSCAN

from cityloop.analytics.data import CaseRow
from cityloop.analytics.errors import InvalidArgument

EARTH_RADIUS_M = 6_371_008.8
CASE_NUMBERS = 20


def _summary(rows: Sequence[CaseRow]) -> dict[str, Any]:
    return {
        "count": len(rows),
        "categories": dict(Counter(r.category_code for r in rows).most_common(5)),
        "cases": [r.number for r in rows[:CASE_NUMBERS]],
    }


def cell_hotspots(rows: Sequence[CaseRow], *, resolution: int = 9, top: int = 20) -> list[dict[str, Any]]:
    """The busiest H3 cells at `resolution` (≤ 9), with their centre, counts and cases."""
    if not 0 <= resolution <= 15:
        raise InvalidArgument("the H3 resolution must be 0–15")
    cells: dict[str, list[CaseRow]] = {}
    for row in rows:
        cell = row.h3_cell
        if cell is None and row.lat is not None and row.lon is not None:
            cell = h3.latlng_to_cell(row.lat, row.lon, resolution)
        if cell is None:
            continue
        if h3.get_resolution(cell) > resolution:
            cell = h3.cell_to_parent(cell, resolution)
        cells.setdefault(cell, []).append(row)
    ranked = sorted(cells.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:top]
    out = []
    for rank, (cell, members) in enumerate(ranked, start=1):
        lat, lon = h3.cell_to_latlng(cell)
        out.append({"rank": rank, "cell": cell, "lat": lat, "lon": lon, **_summary(members)})
    return out


def cluster_hotspots(
    rows: Sequence[CaseRow], *, radius_m: float = 150.0, min_cases: int = 5, top: int = 20
) -> list[dict[str, Any]]:
    """Density clusters (DBSCAN, haversine) of located cases, biggest first, with centre and extent."""
    if radius_m <= 0 or min_cases < 2:
        raise InvalidArgument("radius_m must be > 0 and min_cases ≥ 2")
    located = [r for r in rows if r.lat is not None and r.lon is not None]
    if len(located) < min_cases:
        return []
    points = np.radians(np.array([[r.lat, r.lon] for r in located], dtype=np.float64))
    labels = DBSCAN(
        eps=radius_m / EARTH_RADIUS_M, min_samples=min_cases, metric="haversine", algorithm="ball_tree"
    ).fit_predict(points)
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        if label >= 0:
            groups.setdefault(int(label), []).append(i)
    ranked = sorted(groups.values(), key=lambda idx: (-len(idx), idx[0]))[:top]
    out = []
    for rank, idx in enumerate(ranked, start=1):
        members = [located[i] for i in idx]
        lat = float(np.mean([m.lat for m in members]))
        lon = float(np.mean([m.lon for m in members]))
        extent = max(_distance_m(lat, lon, m.lat, m.lon) for m in members)  # type: ignore[arg-type]
        out.append({"rank": rank, "lat": lat, "lon": lon, "radius_m": round(extent, 1), **_summary(members)})
    return out


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
