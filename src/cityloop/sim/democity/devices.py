"""devices.yaml of the demo city: AI cameras at markets and stations, sensors where they matter.

Each device stands at the centre of the unit grid of a point of interest (or of a grid picked
by rule), so it always lies inside the city: cameras watch street vending at the farmers'
markets and parking at the metro stations, manhole-tilt and water-level sensors sit on the
main roads, PM10 at the construction sites, noise meters in residential areas.
"""

from __future__ import annotations

import math
from typing import Any

from cityloop.sim.democity.lattice import DX, DY, NORTH, SCALE, WEST, Cell, point

# (poi kind, device id prefix, kind, device type, owner department, name suffix)
_AT_POIS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("market", "CAM-M", "camera", "fixed", "CG", "视频监控"),
    ("station", "CAM-S", "camera", "ptz", "CG", "视频监控"),
    ("construction", "PM10-", "sensor", "pm10", "CG", "扬尘监测"),
    ("residential", "NOISE-", "sensor", "noise", "CG", "噪声监测"),
)
# Manhole-tilt and water-level sensors at points of interest that sit on main roads.
_ROADSIDE: tuple[tuple[str, str, str, str], ...] = (
    ("MH-", "manhole_tilt", "GPS", "井盖倾斜监测"),
    ("WL-", "water_level", "GPS", "积水监测"),
)
_ROADSIDE_POIS = ("hospital", "mall")
PER_KIND = 3


def cell_of(lon: float, lat: float) -> Cell:
    """The lattice cell (row, column) that contains a point."""
    return math.floor((NORTH - lat * SCALE) / DY), math.floor((lon * SCALE - WEST) / DX)


def _centre(where: list[float]) -> list[float]:
    row, col = cell_of(where[0], where[1])
    return point(row + 0.5, col + 0.5)


def _item(
    device_id: str, kind: str, device_type: str, owner: str | None, name: str, where: list[float]
) -> dict[str, Any]:
    lon, lat = _centre(where)
    return {
        "device_id": device_id,
        "kind": kind,
        "device_type": device_type,
        "name": name,
        "lon": lon,
        "lat": lat,
        "owner_department": owner,
    }


def devices(places: dict[str, Any]) -> list[dict[str, Any]]:
    """devices.yaml: up to PER_KIND devices per rule, each at the centre of its POI's unit grid."""
    pois: dict[str, list[tuple[str, list[float]]]] = {}
    for feature in places["features"]:
        props = feature["properties"]
        if props.get("kind") == "poi":
            pois.setdefault(props["poi_kind"], []).append((props["name"], feature["geometry"]["coordinates"]))
    found: list[dict[str, Any]] = []
    for poi_kind, prefix, kind, device_type, owner, suffix in _AT_POIS:
        for n, (name, where) in enumerate(pois.get(poi_kind, [])[:PER_KIND], start=1):
            found.append(_item(f"{prefix}{n:03d}", kind, device_type, owner, f"{name}{suffix}", where))
    roadside = [poi for poi_kind in _ROADSIDE_POIS for poi in pois.get(poi_kind, [])]
    for prefix, device_type, owner, suffix in _ROADSIDE:
        for n, (name, where) in enumerate(roadside[:PER_KIND], start=1):
            found.append(_item(f"{prefix}{n:03d}", "sensor", device_type, owner, f"{name}{suffix}", where))
    return found
