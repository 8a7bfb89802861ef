"""The city as the simulator sees it: unit grids, points of interest, crossings, devices, inspectors.

Read once from the database through the public queries of `geo`, `org` and `intake`, then
used without it: the scenario is a pure function of this map, the calibration and a seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from shapely import STRtree
from shapely.geometry import LineString, Point, shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cities import get_city
from cityloop.core.geodesy import EARTH_RADIUS_M, distance_m
from cityloop.geo import list_areas, list_patrol_zones, list_places
from cityloop.intake import Device
from cityloop.org import list_staff

EARTH_M = EARTH_RADIUS_M


def offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    """The point `east_m` east and `north_m` north of (lon, lat)."""
    dlat = math.degrees(north_m / EARTH_M)
    dlon = math.degrees(east_m / (EARTH_M * math.cos(math.radians(lat))))
    return lon + dlon, lat + dlat


@dataclass(frozen=True)
class Grid:
    code: str
    bbox: tuple[float, float, float, float]
    area_m2: float
    geometry: dict[str, Any]


@dataclass(frozen=True)
class Poi:
    name: str
    kind: str
    lon: float
    lat: float


@dataclass(frozen=True)
class DeviceSpot:
    device_id: str
    kind: str  # camera | sensor
    device_type: str
    name: str
    lon: float
    lat: float


@dataclass
class CityMap:
    """Everything about a city the scenario and the engine need, without a database."""

    code: str
    timezone: str
    grids: list[Grid]
    pois: list[Poi]
    #: Named road crossings ("文三路与学院路交叉口", lon, lat), as a caller names a place.
    crossings: list[tuple[str, float, float]]
    devices: list[DeviceSpot]
    #: Grid code → the username of the inspector whose patrol zone holds it.
    inspector_of_grid: dict[str, str]
    inspectors: list[str] = field(default_factory=list)

    @cached_property
    def _tree(self) -> tuple[STRtree, list[Any]]:
        shapes = [shape(grid.geometry) for grid in self.grids]
        return STRtree(shapes), shapes

    def grid_at(self, lon: float, lat: float) -> Grid | None:
        """The grid containing the point, or None outside the city."""
        tree, _ = self._tree
        hits = tree.query(Point(lon, lat), predicate="intersects")
        return self.grids[int(min(hits))] if len(hits) else None

    def grid_shape(self, index: int) -> Any:
        return self._tree[1][index]

    def pois_of(self, kind: str) -> list[Poi]:
        return [poi for poi in self.pois if poi.kind == kind]

    def place_name(self, lon: float, lat: float, within_m: float = 350.0) -> str | None:
        """How a caller names the spot: the nearest POI within `within_m`, else the nearest crossing."""
        best = min(self.pois, key=lambda p: distance_m(lon, lat, p.lon, p.lat), default=None)
        if best is not None and distance_m(lon, lat, best.lon, best.lat) <= within_m:
            return best.name
        crossing = min(self.crossings, key=lambda c: distance_m(lon, lat, c[1], c[2]), default=None)
        return crossing[0] if crossing is not None else None

    def inspector_at(self, lon: float, lat: float) -> str | None:
        grid = self.grid_at(lon, lat)
        return self.inspector_of_grid.get(grid.code) if grid is not None else None


def _crossings(roads: list[tuple[str, Any]]) -> list[tuple[str, float, float]]:
    found: list[tuple[str, float, float]] = []
    for i, (name_a, line_a) in enumerate(roads):
        for name_b, line_b in roads[i + 1 :]:
            where = line_a.intersection(line_b)
            if where.is_empty or where.geom_type != "Point":
                continue
            found.append((f"{name_a}与{name_b}交叉口", float(where.x), float(where.y)))
    return found


def load_city_map(session: Session, city_code: str) -> CityMap:
    """The city map of `city_code` from the database (CityNotFound when the city does not exist)."""
    city = get_city(session, city_code)
    grids = [
        Grid(area.code, (area.min_lon, area.min_lat, area.max_lon, area.max_lat), area.area_m2, area.geometry)
        for area in session.scalars(list_areas(session, city_code, level="grid"))
    ]
    places = list_places(session, city_code)
    pois = [Poi(p.name, p.poi_kind or "other", p.lon, p.lat) for p in places if p.kind == "poi"]
    roads = [
        (p.name, LineString(p.geometry["coordinates"]))
        for p in places
        if p.kind == "road" and p.geometry.get("type") == "LineString"
    ]
    devices = [
        DeviceSpot(d.device_id, d.kind, d.device_type or "", d.name or d.device_id, d.lon, d.lat)
        for d in session.scalars(
            select(Device)
            .where(Device.city_id == city_code, Device.active.is_(True))
            .order_by(Device.device_id)
        )
    ]
    inspector_of_zone: dict[str, str] = {}
    for staff in session.scalars(list_staff(session, city_code, role="inspector")):
        if staff.patrol_zone_code and staff.patrol_zone_code not in inspector_of_zone:
            inspector_of_zone[staff.patrol_zone_code] = staff.username
    inspector_of_grid = {
        grid.grid_code: inspector_of_zone[zone.code]
        for zone in list_patrol_zones(session, city_code)
        if zone.code in inspector_of_zone
        for grid in zone.grids
    }
    return CityMap(
        code=city_code,
        timezone=city.timezone,
        grids=grids,
        pois=pois,
        crossings=_crossings(roads),
        devices=devices,
        inspector_of_grid=inspector_of_grid,
        inspectors=sorted(set(inspector_of_zone.values())),
    )
