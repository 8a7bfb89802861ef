"""The demo city's lattice: every unit grid is one cell of a single regular lattice.

Coordinates are kept as integers in units of 1e-7 degree and converted to floats in one
place, so every corner shared by two cells, or by a cell and its parent area, is the same
float bit for bit, and rounding to 7 decimals changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import shapely
from shapely.geometry import Polygon, box
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

Cell = tuple[int, int]  # (row from the north, column from the west)

SCALE = 10**7  # integer coordinates are in 1e-7 degree
DX = 10383  # ~100 m of longitude at 30.26 N
DY = 8993  # ~100 m of latitude
ROWS = 48
COLS = 64
# The cell (ANCHOR_ROW, ANCHOR_COL) has the point 120.13 E 30.26 N strictly inside it, half a cell from its edges.
ANCHOR_LON = 120.13
ANCHOR_LAT = 30.26
ANCHOR_ROW = 38
ANCHOR_COL = 40
WEST = round(ANCHOR_LON * SCALE) - ANCHOR_COL * DX - DX // 2
NORTH = round(ANCHOR_LAT * SCALE) + ANCHOR_ROW * DY + DY // 2


def lon(col: float) -> float:
    """Longitude of the lattice line `col` (fractions allowed for points inside cells)."""
    return round((WEST + col * DX) / SCALE, 7)


def lat(row: float) -> float:
    """Latitude of the lattice line `row`, counted from the north edge."""
    return round((NORTH - row * DY) / SCALE, 7)


def point(row: float, col: float) -> list[float]:
    """A GeoJSON [lon, lat] position at fractional lattice coordinates."""
    return [lon(col), lat(row)]


def _removed(row: int, col: int) -> bool:
    """Cells outside the city: notches that make the outline irregular (wetland, river, a hill)."""
    return (
        (row < 3 and col < 5)
        or (row < 5 and col < 3)
        or (col + (ROWS - 1 - row) < 8)
        or (row >= 44 and col >= 57)
        or (row >= 41 and col >= 61)
        or (row >= 46 and 30 <= col < 37)
        or (col < 2 and 20 <= row < 30)
    )


def city_cells() -> frozenset[Cell]:
    """Every lattice cell that is a unit grid of the demo city."""
    return frozenset((r, c) for r in range(ROWS) for c in range(COLS) if not _removed(r, c))


def cell_ring(cell: Cell) -> list[list[float]]:
    """The closed, counter-clockwise exterior ring of a cell."""
    r, c = cell
    return [point(r, c), point(r + 1, c), point(r + 1, c + 1), point(r, c + 1), point(r, c)]


def cell_geometry(cell: Cell) -> dict[str, Any]:
    """A cell as a GeoJSON Polygon."""
    return {"type": "Polygon", "coordinates": [cell_ring(cell)]}


def union_geometry(cells: Iterable[Cell]) -> dict[str, Any]:
    """The union of cells as one GeoJSON Polygon; refuses anything that is not one polygon without holes.

    The union is computed on integer lattice coordinates (exact in floating point) and only then
    mapped to degrees, so its vertices are exactly cell corners.
    """
    boxes = [box(c, -r - 1, c + 1, -r) for r, c in sorted(cells)]
    merged = shapely.simplify(unary_union(boxes), 0)
    if not isinstance(merged, Polygon):
        raise ValueError(f"cells do not form one polygon: {merged.geom_type}")
    if merged.interiors or not merged.is_valid:
        raise ValueError("cells form a polygon with a hole or a pinch")
    shell = orient(merged, sign=1.0).exterior.coords
    ring = [point(-round(v), round(u)) for u, v in shell]
    return {"type": "Polygon", "coordinates": [ring]}


def neighbours(cell: Cell) -> tuple[Cell, Cell, Cell, Cell]:
    """The four cells sharing an edge with `cell` (north, south, west, east)."""
    r, c = cell
    return ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1))


def centroid(cells: Iterable[Cell]) -> tuple[float, float]:
    """The mean (row, column) of the cell centres."""
    rows = cols = 0.0
    count = 0
    for r, c in cells:
        rows += r + 0.5
        cols += c + 0.5
        count += 1
    return rows / count, cols / count
