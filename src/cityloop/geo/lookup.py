"""Point → unit grid → community → street → district, from an in-memory STRtree per city.

The index is built from the stored polygons and cached in-process under (city, revision
token); every import replaces the token, so the next lookup rebuilds. Rules:

- The lowest level that has an area covering the point wins: a grid if any, otherwise the
  community, street or district (a community may have no grids yet); the higher levels are
  that area's ancestors by code.
- Points on a shared edge or corner (covered by several areas of the level) resolve to the
  area with the smallest code among those that cover the point (boundary included).
- A point outside every district gives None.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cities import get_city
from cityloop.geo.codes import LEVELS
from cityloop.geo.errors import NotLocated
from cityloop.geo.models import Area, AreaSet
from cityloop.geo.shapes import to_shape

#: How many (city, revision) indexes a process keeps; older ones are dropped first.
CACHE_SIZE = 16


@dataclass(frozen=True)
class AreaRef:
    level: str
    code: str
    name: str | None
    name_en: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "name_en": self.name_en}


@dataclass(frozen=True)
class Located:
    """Where a point lies: the area at each level (None below the lowest area found)."""

    district: AreaRef
    street: AreaRef | None
    community: AreaRef | None
    grid: AreaRef | None
    #: urban or rural: the class of the lowest area found (DOMAIN.md §4 time limits).
    area_class: str

    @property
    def lowest(self) -> AreaRef:
        return self.grid or self.community or self.street or self.district

    def as_dict(self) -> dict[str, Any]:
        return {
            "grid": self.grid.as_dict() if self.grid else None,
            "community": self.community.as_dict() if self.community else None,
            "street": self.street.as_dict() if self.street else None,
            "district": self.district.as_dict(),
            "area_class": self.area_class,
        }


class AreaIndex:
    """The areas of one city at one revision, indexed for point lookups."""

    def __init__(self, rows: list[Any]) -> None:
        self._refs: dict[str, AreaRef] = {}
        self._classes: dict[str, str] = {}
        shapes: dict[str, list[Any]] = {level: [] for level in LEVELS}
        codes: dict[str, list[str]] = {level: [] for level in LEVELS}
        for level, code, name, name_en, area_class, geometry in rows:
            self._refs[code] = AreaRef(level, code, name, name_en)
            self._classes[code] = area_class
            shapes[level].append(to_shape(geometry))
            codes[level].append(code)
        self._trees = [
            (shapely.STRtree(shapes[level]), np.array(codes[level], dtype=object))
            for level in reversed(LEVELS)
            if shapes[level]
        ]

    def __len__(self) -> int:
        return len(self._refs)

    def locate(self, lon: float, lat: float) -> Located | None:
        """The areas covering (lon, lat), lowest level first; None outside every area."""
        point = shapely.Point(lon, lat)
        for tree, codes in self._trees:
            hits = tree.query(point, predicate="covered_by")
            if len(hits):
                return self._chain(min(codes[hits]))
        return None

    def _chain(self, code: str) -> Located:
        refs = self._refs
        return Located(
            district=refs[code[:6]],
            street=refs.get(code[:9]) if len(code) >= 9 else None,
            community=refs.get(code[:12]) if len(code) >= 12 else None,
            grid=refs.get(code) if len(code) == 15 else None,
            area_class=self._classes[code],
        )


_cache: OrderedDict[tuple[str, str], AreaIndex] = OrderedDict()
_lock = threading.Lock()


def area_revision(session: Session, city_code: str) -> str | None:
    """The city's current areas revision token; None before its first areas import."""
    return session.scalar(select(AreaSet.revision).where(AreaSet.city_id == city_code))


def area_index(session: Session, city_code: str) -> AreaIndex | None:
    """The city's lookup index at its current revision, built on first use; None without areas."""
    revision = area_revision(session, city_code)
    if revision is None:
        return None
    key = (city_code, revision)
    with _lock:
        index = _cache.get(key)
        if index is not None:
            _cache.move_to_end(key)
            return index
    stmt = select(Area.level, Area.code, Area.name_zh, Area.name_en, Area.area_class, Area.geometry).where(
        Area.city_id == city_code
    )
    index = AreaIndex(list(session.execute(stmt)))
    with _lock:
        _cache[key] = index
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return index


def locate(session: Session, city_code: str, lon: float, lat: float) -> Located | None:
    """Grid, community, street and district of a point in a city; None outside every area."""
    index = area_index(session, city_code)
    return index.locate(lon, lat) if index is not None else None


def grid_for(session: Session, city_code: str, lon: float, lat: float) -> str | None:
    """The code of the unit grid covering a point, or None when no grid covers it."""
    found = locate(session, city_code, lon, lat)
    return found.grid.code if found and found.grid else None


def point_in_city(session: Session, city_code: str, lon: float, lat: float) -> bool:
    """True when the point lies in one of the city's districts (False while it has no areas)."""
    return locate(session, city_code, lon, lat) is not None


def get_location(session: Session, city_code: str, lon: float, lat: float) -> Located:
    """Like `locate`, but CityNotFound for an unknown city and NotLocated outside every area."""
    get_city(session, city_code)
    found = locate(session, city_code, lon, lat)
    if found is None:
        raise NotLocated(
            f"point ({lon}, {lat}) lies outside every area of city {city_code}",
            details={"city": city_code, "lon": lon, "lat": lat},
        )
    return found
