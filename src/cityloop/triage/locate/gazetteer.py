"""A city's gazetteer: its named roads, road intersections, points of interest and areas, with
every name, alias and English name indexed for address matching.

A gazetteer is plain data (constructible in tests from a few roads and POIs) or read from `geo`
with `Gazetteer.from_session`, cached in-process per (city, areas revision, places revision):
each import replaces a revision token, so the next lookup rebuilds (as `geo.lookup` does).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.ops import nearest_points
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cities.models import City
from cityloop.geo.models import Area, AreaSet, Place
from cityloop.geo.shapes import to_shape
from cityloop.triage.locate.parse import canonical, road_short_names

#: How many (city, revisions) gazetteers a process keeps; older ones are dropped first.
CACHE_SIZE = 16
#: Roads that come closer than this (degrees, about 20 m) meet at an intersection even if the
#: drawn lines miss each other by a little.
MEET_TOLERANCE = 0.0002
#: Area levels that carry names people write in addresses (unit grids have none).
NAMED_LEVELS = ("district", "street", "community")

_AREA_SUFFIXES = ("社区居委会", "社区", "街道办事处", "街道")
_AREA_SUFFIXES_EN = (" community", " subdistrict")


@dataclass(frozen=True)
class RoadEntry:
    """A named road; `numbers` is its (first, last) house number when the data has a range."""

    name: str
    coords: tuple[tuple[float, float], ...]
    name_en: str | None = None
    aliases: tuple[str, ...] = ()
    numbers: tuple[int, int] | None = None


@dataclass(frozen=True)
class PoiEntry:
    """A point of interest (market, school, metro station, residential compound...)."""

    name: str
    lon: float
    lat: float
    name_en: str | None = None
    aliases: tuple[str, ...] = ()
    poi_kind: str | None = None


@dataclass(frozen=True)
class AreaEntry:
    """A district, street or community, located at a point inside its polygon."""

    level: str
    code: str
    name: str
    lon: float
    lat: float
    name_en: str | None = None


@dataclass(frozen=True)
class Entry:
    """One indexed name: what it names (kind and index into the gazetteer's lists) and how."""

    kind: str  # road | poi | community | street | district
    index: int
    #: name | alias | name_en | short (a name without its generic suffix, such as 路 or 社区)
    via: str


@dataclass
class Gazetteer:
    """Everything a city's addresses can name, indexed by normalised key (see `parse.canonical`)."""

    roads: Sequence[RoadEntry] = ()
    pois: Sequence[PoiEntry] = ()
    areas: Sequence[AreaEntry] = ()
    #: The city's own names (示范市, Demo City): prefixes that say nothing about the place.
    city_names: Sequence[str] = ()
    city_code: str | None = None
    keys: dict[str, list[Entry]] = field(init=False, repr=False)
    intersections: dict[tuple[int, int], tuple[float, float]] = field(init=False, repr=False)
    pattern: re.Pattern[str] = field(init=False, repr=False)
    #: Keys long enough to be looked for misspelt: Chinese of 3+ characters, Latin of 5+.
    fuzzy_keys_zh: tuple[str, ...] = field(init=False, repr=False)
    fuzzy_keys_en: tuple[str, ...] = field(init=False, repr=False)
    _lines: list[Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.roads = tuple(self.roads)
        self.pois = tuple(self.pois)
        self.areas = tuple(self.areas)
        self.city_names = tuple(canonical(n) for n in self.city_names if n)
        self._lines = [shapely.LineString(road.coords) for road in self.roads]
        self.keys = {}
        self._index()
        self.intersections = _intersections(self._lines)
        self.pattern = _key_pattern(self.keys)
        self.fuzzy_keys_zh = tuple(k for k in self.keys if not k.isascii() and len(k) >= 3)
        self.fuzzy_keys_en = tuple(k for k in self.keys if k.isascii() and len(k) >= 5)

    def _add(self, key: str, entry: Entry) -> None:
        key = canonical(key)
        if len(key) < 2 or key in self.city_names:
            return
        entries = self.keys.setdefault(key, [])
        if all((e.kind, e.index) != (entry.kind, entry.index) for e in entries):
            entries.append(entry)

    def _index(self) -> None:
        for i, road in enumerate(self.roads):
            self._add(road.name, Entry("road", i, "name"))
            for alias in road.aliases:
                self._add(alias, Entry("road", i, "alias"))
            if road.name_en:
                self._add(road.name_en, Entry("road", i, "name_en"))
            for short in road_short_names(road.name, road.name_en):
                self._add(short, Entry("road", i, "short"))
        for i, poi in enumerate(self.pois):
            self._add(poi.name, Entry("poi", i, "name"))
            for alias in poi.aliases:
                self._add(alias, Entry("poi", i, "alias"))
            if poi.name_en:
                self._add(poi.name_en, Entry("poi", i, "name_en"))
        for i, area in enumerate(self.areas):
            self._add(area.name, Entry(area.level, i, "name"))
            if area.name_en:
                self._add(area.name_en, Entry(area.level, i, "name_en"))
            for short in _area_short_names(area):
                self._add(short, Entry(area.level, i, "short"))

    def name_of(self, entry: Entry) -> str:
        """The gazetteer name (Chinese) of an indexed entry."""
        if entry.kind == "road":
            return self.roads[entry.index].name
        if entry.kind == "poi":
            return self.pois[entry.index].name
        return self.areas[entry.index].name

    def point_of(self, entry: Entry) -> tuple[float, float]:
        """Where an entry lies: the POI, the middle of a road, a point inside an area."""
        if entry.kind == "road":
            return self.road_point(entry.index, None)
        if entry.kind == "poi":
            poi = self.pois[entry.index]
            return (poi.lon, poi.lat)
        area = self.areas[entry.index]
        return (area.lon, area.lat)

    def road_point(self, index: int, fraction: float | None) -> tuple[float, float]:
        """The point at `fraction` (0 = first vertex, 1 = last) along a road; None: its middle."""
        line = self._lines[index]
        where = line.interpolate(0.5 if fraction is None else min(max(fraction, 0.0), 1.0), normalized=True)
        return (round(where.x, 7), round(where.y, 7))

    def crossing(self, a: int, b: int) -> tuple[float, float] | None:
        """Where roads `a` and `b` meet, or None when they do not."""
        return self.intersections.get((min(a, b), max(a, b)))

    @classmethod
    def from_session(cls, session: Session, city_code: str) -> Gazetteer:
        """The city's gazetteer at its current geo revisions, read from `geo` on first use."""
        revisions = session.execute(
            select(AreaSet.revision, AreaSet.places_revision).where(AreaSet.city_id == city_code)
        ).first()
        key = (city_code, revisions[0] if revisions else None, revisions[1] if revisions else None)
        with _lock:
            found = _cache.get(key)
            if found is not None:
                _cache.move_to_end(key)
                return found
        gazetteer = _read(session, city_code)
        with _lock:
            _cache[key] = gazetteer
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        return gazetteer


_cache: OrderedDict[tuple[str, str | None, str | None], Gazetteer] = OrderedDict()
_lock = threading.Lock()


def _read(session: Session, city_code: str) -> Gazetteer:
    roads: list[RoadEntry] = []
    pois: list[PoiEntry] = []
    places = session.scalars(select(Place).where(Place.city_id == city_code).order_by(Place.position))
    for place in places:
        aliases = tuple(place.aliases or ())
        if place.kind == "road":
            roads.append(
                RoadEntry(
                    place.name, _line_coords(place.geometry), place.name_en, aliases, _numbers(place.extra)
                )
            )
        elif place.kind == "poi":
            pois.append(PoiEntry(place.name, place.lon, place.lat, place.name_en, aliases, place.poi_kind))
    stmt = (
        select(
            Area.level,
            Area.code,
            Area.name_zh,
            Area.name_en,
            Area.geometry,
            Area.centroid_lon,
            Area.centroid_lat,
        )
        .where(Area.city_id == city_code, Area.level.in_(NAMED_LEVELS))
        .order_by(Area.code)
    )
    areas = [
        AreaEntry(level, code, name, *_inside(geometry, lon, lat), name_en)
        for level, code, name, name_en, geometry, lon, lat in session.execute(stmt)
        if name
    ]
    city = session.get(City, city_code)
    names = [city.name_zh, city.name_en or ""] if city is not None else []
    return Gazetteer(roads, pois, areas, city_names=names, city_code=city_code)


def _line_coords(geometry: dict[str, Any]) -> tuple[tuple[float, float], ...]:
    """A road's vertices; of a MultiLineString that does not merge into one line, the longest part."""
    shape = (
        shapely.line_merge(to_shape(geometry))
        if geometry["type"] == "MultiLineString"
        else to_shape(geometry)
    )
    if shape.geom_type == "MultiLineString":
        shape = max(shape.geoms, key=lambda part: part.length)
    return tuple((float(x), float(y)) for x, y, *_ in shape.coords)


def _numbers(extra: dict[str, Any] | None) -> tuple[int, int] | None:
    """The road's house-number range from the place's `house_numbers: [first, last]`, if present."""
    value = (extra or {}).get("house_numbers")
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) for v in value)
        and value[0] != value[1]
    ):
        return (value[0], value[1])
    return None


def _inside(geometry: dict[str, Any], lon: float, lat: float) -> tuple[float, float]:
    """The stored centroid when it lies in the area, otherwise a point on its surface."""
    shape = to_shape(geometry)
    if shape.covers(shapely.Point(lon, lat)):
        return (lon, lat)
    where = shape.point_on_surface()
    return (round(where.x, 7), round(where.y, 7))


def _area_short_names(area: AreaEntry) -> Iterable[str]:
    if area.level == "district":
        return
    for suffix in _AREA_SUFFIXES:
        if area.name.endswith(suffix) and len(area.name) - len(suffix) >= 2:
            yield area.name.removesuffix(suffix)
            break
    english = (area.name_en or "").lower()
    for suffix in _AREA_SUFFIXES_EN:
        if english.endswith(suffix):
            yield english.removesuffix(suffix)


def _intersections(lines: list[Any]) -> dict[tuple[int, int], tuple[float, float]]:
    """Where each pair of roads crosses, touches, or passes within MEET_TOLERANCE of each other."""
    found: dict[tuple[int, int], tuple[float, float]] = {}
    if not lines:
        return found
    tree = shapely.STRtree(lines)
    for i, line in enumerate(lines):
        for j in sorted(int(j) for j in tree.query(line, predicate="dwithin", distance=MEET_TOLERANCE)):
            if j <= i:
                continue
            meet = line.intersection(lines[j])
            if meet.is_empty or meet.geom_type not in ("Point", "MultiPoint"):
                a, b = nearest_points(line, lines[j])
                where = (float((a.x + b.x) / 2), float((a.y + b.y) / 2))
            else:
                first = meet if meet.geom_type == "Point" else min(meet.geoms, key=lambda p: (p.x, p.y))
                where = (float(first.x), float(first.y))
            found[(i, j)] = (round(where[0], 7), round(where[1], 7))
    return found


def _key_pattern(keys: dict[str, list[Entry]]) -> re.Pattern[str]:
    """One regex finding every key, longest first at each position; Latin keys match whole words."""
    parts = []
    for key in sorted(keys, key=lambda k: (-len(k), k)):
        escaped = re.escape(key)
        parts.append(f"(?<![a-z0-9]){escaped}(?![a-z0-9])" if key.isascii() else escaped)
    return re.compile("|".join(parts) if parts else r"(?!x)x")
