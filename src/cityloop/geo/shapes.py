"""Geometry helpers shared by the importers: raw GeoJSON coordinate checks, shapely shapes,
and areas in square metres.

Raw coordinates are checked before shapely sees them, because shapely silently closes an
open ring. Areas use a local equirectangular projection (metres per degree of latitude, and
of longitude scaled by the cosine of the latitude of each piece's centroid), which is
accurate to well under 1 % at the scale of a city and needs no projection library.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import shape as _shape
from shapely.validation import explain_validity

#: Metres per degree of latitude on the mean Earth sphere (radius 6,371,008.8 m).
METRES_PER_DEGREE = math.pi / 180 * 6_371_008.8
#: Areas below this many square metres are rounding noise, not overlaps or gaps (city-pack.md).
TOLERANCE_M2 = 1.0


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def position_problem(pos: Any) -> str | None:
    """Why `pos` is not a GeoJSON position [lon, lat] (optionally with a height) in WGS 84."""
    if not isinstance(pos, list | tuple) or len(pos) not in (2, 3) or not all(_is_number(v) for v in pos):
        return f"position {pos!r} must be [longitude, latitude] numbers"
    if not (-180 <= pos[0] <= 180 and -90 <= pos[1] <= 90):
        return f"position {list(pos)!r} is outside longitude -180..180 / latitude -90..90"
    return None


def _ring_problem(ring: Any, label: str) -> tuple[str, str] | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return "geometry_coordinates", f"{label} must be a list of at least 4 positions"
    for pos in ring:
        problem = position_problem(pos)
        if problem:
            return "geometry_coordinates", f"{label}: {problem}"
    if list(ring[0]) != list(ring[-1]):
        first, last = list(ring[0]), list(ring[-1])
        return "ring_not_closed", f"{label} is not closed: first position {first} differs from last {last}"
    return None


def polygon_coordinates_problems(geometry: dict[str, Any]) -> list[tuple[str, str]]:
    """(rule, message) for every structural fault of a Polygon/MultiPolygon's raw coordinates."""
    coords = geometry.get("coordinates")
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        return [("geometry_coordinates", f"{geometry['type']} coordinates must be a non-empty list")]
    found: list[tuple[str, str]] = []
    multi = geometry["type"] == "MultiPolygon"
    for p, rings in enumerate(polygons):
        prefix = f"polygon {p} " if multi else ""
        if not isinstance(rings, list) or not rings:
            found.append(("geometry_coordinates", f"{prefix}must be a non-empty list of rings"))
            continue
        for r, ring in enumerate(rings):
            problem = _ring_problem(ring, f"{prefix}ring {r}".strip())
            if problem:
                found.append(problem)
    return found


def line_coordinates_problems(geometry: dict[str, Any]) -> list[tuple[str, str]]:
    """(rule, message) for every structural fault of a Point/LineString/MultiLineString."""
    kind, coords = geometry["type"], geometry.get("coordinates")
    if kind == "Point":
        problem = position_problem(coords)
        return [("geometry_coordinates", problem)] if problem else []
    lines = [coords] if kind == "LineString" else coords
    if not isinstance(lines, list) or not lines:
        return [("geometry_coordinates", f"{kind} coordinates must be a non-empty list")]
    found: list[tuple[str, str]] = []
    for n, line in enumerate(lines):
        label = f"line {n}" if kind == "MultiLineString" else "the line"
        if not isinstance(line, list) or len(line) < 2:
            found.append(("geometry_coordinates", f"{label} must have at least 2 positions"))
            continue
        for pos in line:
            problem = position_problem(pos)
            if problem:
                found.append(("geometry_coordinates", f"{label}: {problem}"))
                break
    return found


def to_shape(geometry: dict[str, Any]) -> Any:
    """A 2-D shapely geometry from a GeoJSON geometry whose coordinates were checked."""
    return shapely.force_2d(_shape({"type": geometry["type"], "coordinates": geometry["coordinates"]}))


def validity_problem(geom: Any) -> str | None:
    """Why a polygon is invalid (shapely's reason, e.g. `Self-intersection[120.1 30.2]`), or None."""
    if geom.is_empty:
        return "the polygon is empty"
    if geom.is_valid:
        return None
    return str(explain_validity(geom))


def areas_m2(geoms: Any) -> NDArray[np.float64]:
    """Areas in square metres of an array of lon/lat geometries (local equirectangular)."""
    arr = np.asarray(geoms, dtype=object)
    degrees = shapely.area(arr)
    lat = np.zeros(len(arr))
    solid = degrees > 0
    if solid.any():
        lat[solid] = shapely.get_y(shapely.centroid(arr[solid]))
    return np.where(solid, degrees * METRES_PER_DEGREE**2 * np.cos(np.radians(lat)), 0.0)


def area_m2(geom: Any) -> float:
    """Area in square metres of one lon/lat geometry."""
    return float(areas_m2([geom])[0])


def middle_point(geom: Any) -> tuple[float, float]:
    """A point on the geometry: the point itself, or the middle of a line along its length."""
    if geom.geom_type == "Point":
        return float(geom.x), float(geom.y)
    lines = list(getattr(geom, "geoms", [geom]))
    longest = max(lines, key=lambda line: line.length)
    mid = longest.interpolate(0.5, normalized=True)
    return float(mid.x), float(mid.y)
