"""H3 cells for proximity queries (duplicates, hot spots) that work on any database: a case
stores its cell, and "near" becomes "in the k-ring of" (h3 4.x API)."""

from __future__ import annotations

import h3

from cityloop.geo.errors import InvalidH3Cell


def cell_for(lon: float, lat: float, resolution: int) -> str:
    """The H3 cell (hex string) containing (lon, lat) at `resolution` (0-15)."""
    if not 0 <= resolution <= 15:
        raise InvalidH3Cell(f"H3 resolution {resolution} must be between 0 and 15")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidH3Cell(f"position ({lon}, {lat}) is outside longitude -180..180 / latitude -90..90")
    return str(h3.latlng_to_cell(lat, lon, resolution))


def _checked(cell: str) -> str:
    if not isinstance(cell, str) or not h3.is_valid_cell(cell):
        raise InvalidH3Cell(f"{cell!r} is not an H3 cell", details={"cell": cell})
    return cell


def disk(cell: str, k: int) -> set[str]:
    """The cells within `k` steps of `cell`, itself included (k = 0 gives just the cell)."""
    if k < 0:
        raise InvalidH3Cell(f"disk radius k={k} must not be negative")
    return {str(c) for c in h3.grid_disk(_checked(cell), k)}


def cell_distance(a: str, b: str) -> int:
    """Grid steps between two cells of the same resolution; InvalidH3Cell if H3 cannot tell."""
    try:
        return int(h3.grid_distance(_checked(a), _checked(b)))
    except h3.H3BaseException as exc:
        raise InvalidH3Cell(f"no H3 grid distance between {a} and {b}: {exc}") from exc
