"""Writes of the geo package: imports that replace a city's areas, places or patrol zones.

Each import validates the whole input first and writes nothing when any rule is broken
(the error lists every problem). Rows are matched by code, so areas and patrol zones
that survive a re-import keep their ids. Actions flush but never commit.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cityloop.cities import get_city, get_parameters, plugin_for
from cityloop.core.ids import new_ulid
from cityloop.geo.codes import LEVELS
from cityloop.geo.features import AreaFeature
from cityloop.geo.geojson import check_areas
from cityloop.geo.lookup import area_index
from cityloop.geo.models import Area, AreaSet, PatrolZone, PatrolZoneGrid, Place
from cityloop.geo.places import check_places
from cityloop.geo.problems import ImportSummary, Problem
from cityloop.geo.queries import area_codes, list_patrol_zones
from cityloop.geo.zones import check_patrol_zones


def _area_set(session: Session, city_code: str) -> AreaSet:
    row = session.get(AreaSet, city_code)
    if row is None:
        row = AreaSet(city_id=city_code)
        session.add(row)
    return row


def _fill_area(row: Area, f: AreaFeature) -> None:
    min_lon, min_lat, max_lon, max_lat = f.shape.bounds
    centroid = f.shape.centroid
    row.level = str(f.level)
    row.parent_code = f.parent_code
    row.name_zh = f.name
    row.name_en = f.name_en
    row.area_class = f.area_class or "urban"
    row.geometry = f.geometry or {}
    row.min_lon, row.min_lat, row.max_lon, row.max_lat = min_lon, min_lat, max_lon, max_lat
    row.centroid_lon, row.centroid_lat = float(centroid.x), float(centroid.y)
    row.area_m2 = f.area_m2
    row.extra = f.extra


def _summarise(source: str, codes: list[str], rule: str, message: str) -> Problem:
    sample = ", ".join(codes[:10]) + (f" and {len(codes) - 10} more" if len(codes) > 10 else "")
    return Problem(source, None, None, rule, f"{message}: {sample}")


def _zones_losing_grids(session: Session, city_code: str, grids: set[str], source: str) -> list[Problem]:
    stmt = (
        select(PatrolZone.code, PatrolZoneGrid.grid_code)
        .join(PatrolZoneGrid, PatrolZoneGrid.zone_id == PatrolZone.id)
        .where(PatrolZone.city_id == city_code)
        .order_by(PatrolZone.code, PatrolZoneGrid.grid_code)
    )
    lost: dict[str, list[str]] = defaultdict(list)
    for zone, grid in session.execute(stmt):
        if grid not in grids:
            lost[zone].append(grid)
    return [
        _summarise(source, codes, "patrol_zone_grid_missing", f"patrol zone {zone} lists grids that are gone")
        for zone, codes in lost.items()
    ]


def do_import_areas(
    session: Session, *, city_code: str, collection: Any, source: str = "areas.geojson"
) -> ImportSummary:
    """Replace the city's districts, streets, communities and unit grids with a FeatureCollection.

    Raises AreaImportFailed (every problem listed) and writes nothing when any rule is broken.
    """
    get_city(session, city_code)
    check = check_areas(
        collection,
        city_code=city_code,
        source=source,
        rules=plugin_for(city_code).area_rules,
        grid_target_area_m2=get_parameters(session, city_code).grid_target_area_m2,
    )
    existing = {row.code: row for row in session.scalars(select(Area).where(Area.city_id == city_code))}
    for f in check.features:
        row = existing.pop(str(f.code), None)
        if row is None:
            row = Area(city_id=city_code, code=f.code)
            session.add(row)
        _fill_area(row, f)
    for row in existing.values():
        session.delete(row)
    area_set = _area_set(session, city_code)
    area_set.revision = new_ulid()
    session.flush()
    grids = {str(f.code) for f in check.features if f.level == "grid"}
    warnings = check.warnings + _zones_losing_grids(session, city_code, grids, source)
    counts = Counter(f.level for f in check.features)
    return ImportSummary(
        source=source,
        counts={level: counts.get(level, 0) for level in LEVELS},
        warnings=[w.as_dict() for w in warnings],
        revision=area_set.revision,
    )


def do_import_places(
    session: Session, *, city_code: str, collection: Any, source: str = "places.geojson"
) -> ImportSummary:
    """Replace the city's named roads and POIs; PlaceImportFailed (all problems) writes nothing."""
    get_city(session, city_code)
    places = check_places(collection, source=source)
    session.execute(delete(Place).where(Place.city_id == city_code))
    session.add_all(
        Place(
            city_id=city_code,
            position=p.index,
            kind=p.kind,
            name=p.name,
            name_en=p.name_en,
            aliases=p.aliases,
            poi_kind=p.poi_kind,
            geometry=p.geometry,
            lon=p.lon,
            lat=p.lat,
            extra=p.extra,
        )
        for p in places
    )
    area_set = _area_set(session, city_code)
    area_set.places_revision = new_ulid()
    session.flush()
    warnings: list[Problem] = []
    index = area_index(session, city_code)
    if index is not None:
        outside = [p.name for p in places if index.locate(p.lon, p.lat) is None]
        if outside:
            message = f"{len(outside)} place(s) lie outside every district of city {city_code}"
            warnings.append(_summarise(source, outside, "place_outside_city", message))
    counts = Counter(p.kind for p in places)
    return ImportSummary(
        source=source,
        counts={"road": counts.get("road", 0), "poi": counts.get("poi", 0)},
        warnings=[w.as_dict() for w in warnings],
        revision=area_set.places_revision,
    )


def do_import_patrol_zones(
    session: Session, *, city_code: str, zones: Any, source: str = "patrol_zones.yaml"
) -> ImportSummary:
    """Replace the city's patrol zones (matched by code); every grid must be a grid of the city.

    Raises PatrolZoneImportFailed (every problem listed) and writes nothing on any problem.
    """
    get_city(session, city_code)
    grid_codes = area_codes(session, city_code, level="grid")
    entries = check_patrol_zones(zones, grid_codes=grid_codes, source=source)
    existing = {zone.code: zone for zone in list_patrol_zones(session, city_code)}
    for entry in entries:
        zone = existing.pop(entry.code, None)
        if zone is None:
            zone = PatrolZone(city_id=city_code, code=entry.code)
            session.add(zone)
        zone.name = entry.name
        kept = {g.grid_code: g for g in zone.grids}
        zone.grids = [
            kept.get(code) or PatrolZoneGrid(city_id=city_code, grid_code=code) for code in entry.grids
        ]
    for zone in existing.values():
        session.delete(zone)
    session.flush()
    covered = {code for entry in entries for code in entry.grids}
    idle = sorted(grid_codes - covered)
    warnings = []
    if idle and entries:
        message = f"{len(idle)} grid(s) are in no patrol zone, so no inspector patrols them"
        warnings.append(_summarise(source, idle, "grid_without_zone", message).as_dict())
    return ImportSummary(
        source=source,
        counts={"zones": len(entries), "zone_grids": sum(len(e.grids) for e in entries)},
        warnings=warnings,
    )
