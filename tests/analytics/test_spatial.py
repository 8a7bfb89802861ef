"""Hot spots find a planted cluster; recurrence counts a planted repeat and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import h3

from cityloop.analytics import CaseRow
from cityloop.analytics.hotspots import cell_hotspots, cluster_hotspots
from cityloop.analytics.recurrence import recurrence

T0 = datetime(2026, 10, 1, 8, tzinfo=UTC)
CENTRE = (30.25, 120.10)


def row(i: int, lat: float, lon: float, **kw: object) -> CaseRow:
    options: dict[str, object] = {
        "id": i,
        "number": f"N{i:03d}",
        "category_code": "09001",
        "reported_at": T0 + timedelta(hours=i),
        "lat": lat,
        "lon": lon,
        "h3_cell": h3.latlng_to_cell(lat, lon, 9),
    }
    options.update(kw)
    return CaseRow(**options)  # type: ignore[arg-type]


def planted() -> list[CaseRow]:
    # 8 cases within ~30 m of the centre, 12 spread on a 2 km lattice around it.
    near = [row(i, CENTRE[0] + 0.0002 * (i % 3), CENTRE[1] + 0.0002 * (i // 3)) for i in range(8)]
    far = [row(100 + k, CENTRE[0] + 0.02 * (k % 4 + 1), CENTRE[1] - 0.02 * (k // 4 + 1)) for k in range(12)]
    return near + far


def test_dbscan_finds_the_planted_cluster_only() -> None:
    clusters = cluster_hotspots(planted(), radius_m=100, min_cases=5)
    assert len(clusters) == 1
    top = clusters[0]
    assert top["count"] == 8 and sorted(top["cases"]) == [f"N{i:03d}" for i in range(8)]
    assert abs(top["lat"] - CENTRE[0]) < 0.001 and top["radius_m"] < 60


def test_h3_cells_rank_the_planted_block_first() -> None:
    cells = cell_hotspots(planted(), resolution=8)
    assert cells[0]["rank"] == 1 and cells[0]["count"] == 8
    assert all(c["count"] == 1 for c in cells[1:])


def test_recurrence_counts_the_planted_repeat() -> None:
    lat, lon = CENTRE
    rows = [
        # closed on day 2, same category back on day 12 at the same place: one recurrence
        row(1, lat, lon, closed_at=T0 + timedelta(days=2)),
        row(2, lat, lon, reported_at=T0 + timedelta(days=12), closed_at=T0 + timedelta(days=13)),
        # another category at the same place does not count
        row(3, lat, lon, category_code="06001", reported_at=T0 + timedelta(days=3)),
        # the same category far away does not count
        row(4, lat + 0.05, lon, reported_at=T0 + timedelta(days=14)),
        # a merged duplicate is not a case of its own
        row(5, lat, lon, reported_at=T0 + timedelta(days=14), merged=True),
    ]
    result = recurrence(rows, within_days=30)
    assert (result["closed"], result["recurring"], result["rate"]) == (2, 1, 0.5)
    [spot] = result["spots"]
    assert spot["category_code"] == "09001" and spot["recurrences"] == 1
    assert spot["pairs"][0]["closed"] == "N001" and spot["pairs"][0]["again"] == "N002"
    assert recurrence(rows, within_days=5)["recurring"] == 0
