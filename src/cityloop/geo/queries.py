"""Reads of areas, patrol zones and places; every query is filtered by city."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, selectinload

from cityloop.cities import get_city
from cityloop.geo.codes import LEVELS
from cityloop.geo.errors import AreaNotFound, PatrolZoneNotFound, UnknownLevel
from cityloop.geo.models import Area, PatrolZone, PatrolZoneGrid, Place


def _check_level(level: str | None) -> None:
    if level is not None and level not in LEVELS:
        raise UnknownLevel(
            f"unknown area level {level!r}; expected one of {', '.join(LEVELS)}", details={"level": level}
        )


def list_areas(
    session: Session, city_code: str, *, level: str | None = None, parent: str | None = None
) -> Select[Area]:
    """A SELECT of the city's areas (optionally of one level or one parent), ordered by code.

    Ordering by code lists a district, then its streets, communities and grids, depth first.
    The session is not used: the caller paginates or executes the statement.
    """
    _check_level(level)
    stmt = select(Area).where(Area.city_id == city_code)
    if level is not None:
        stmt = stmt.where(Area.level == level)
    if parent is not None:
        stmt = stmt.where(Area.parent_code == parent)
    return stmt.order_by(Area.code)


def get_area(session: Session, city_code: str, code: str) -> Area:
    """The area with `code` in the city; AreaNotFound otherwise."""
    area = session.scalar(select(Area).where(Area.city_id == city_code, Area.code == code))
    if area is None:
        raise AreaNotFound(f"city {city_code} has no area {code}", details={"city": city_code, "code": code})
    return area


def area_codes(session: Session, city_code: str, *, level: str | None = None) -> set[str]:
    """The codes of the city's areas (optionally of one level)."""
    _check_level(level)
    stmt = select(Area.code).where(Area.city_id == city_code)
    if level is not None:
        stmt = stmt.where(Area.level == level)
    return set(session.scalars(stmt))


def list_patrol_zones(session: Session, city_code: str) -> list[PatrolZone]:
    """The city's patrol zones ordered by code, with their grids loaded."""
    stmt = (
        select(PatrolZone)
        .where(PatrolZone.city_id == city_code)
        .options(selectinload(PatrolZone.grids))
        .order_by(PatrolZone.code)
    )
    return list(session.scalars(stmt))


def get_patrol_zone(session: Session, city_code: str, code: str) -> PatrolZone:
    """The patrol zone with `code` in the city; PatrolZoneNotFound otherwise."""
    zone = session.scalar(select(PatrolZone).where(PatrolZone.city_id == city_code, PatrolZone.code == code))
    if zone is None:
        raise PatrolZoneNotFound(
            f"city {city_code} has no patrol zone {code}", details={"city": city_code, "code": code}
        )
    return zone


def grids_of_zone(session: Session, city_code: str, zone_code: str) -> list[str]:
    """The grid codes of a patrol zone, sorted; PatrolZoneNotFound for an unknown zone."""
    zone = get_patrol_zone(session, city_code, zone_code)
    stmt = select(PatrolZoneGrid.grid_code).where(
        PatrolZoneGrid.city_id == city_code, PatrolZoneGrid.zone_id == zone.id
    )
    return sorted(session.scalars(stmt))


def zone_middles(session: Session, city_code: str) -> dict[str, tuple[float, float]]:
    """Each patrol zone's middle: the mean of its grids' centroids (one aggregate query)."""
    stmt = (
        select(PatrolZone.code, func.avg(Area.centroid_lon), func.avg(Area.centroid_lat))
        .join(PatrolZoneGrid, PatrolZoneGrid.zone_id == PatrolZone.id)
        .join(Area, and_(Area.city_id == PatrolZone.city_id, Area.code == PatrolZoneGrid.grid_code))
        .where(PatrolZone.city_id == city_code)
        .group_by(PatrolZone.code)
    )
    return {code: (float(lon), float(lat)) for code, lon, lat in session.execute(stmt) if lon is not None}


def zones_of_grid(session: Session, city_code: str, grid_code: str) -> list[str]:
    """The codes of the patrol zones that include a grid, sorted (who patrols it)."""
    stmt = (
        select(PatrolZone.code)
        .join(PatrolZoneGrid, PatrolZoneGrid.zone_id == PatrolZone.id)
        .where(PatrolZone.city_id == city_code, PatrolZoneGrid.grid_code == grid_code)
        .order_by(PatrolZone.code)
    )
    return list(session.scalars(stmt))


def list_places(session: Session, city_code: str, *, kind: str | None = None) -> list[Place]:
    """The city's named roads and POIs (optionally of one kind) in file order."""
    stmt = select(Place).where(Place.city_id == city_code)
    if kind is not None:
        stmt = stmt.where(Place.kind == kind)
    return list(session.scalars(stmt.order_by(Place.position)))


def export_patrol_zones(session: Session, city_code: str) -> list[dict[str, Any]]:
    """The city's patrol zones as the list patrol_zones.yaml holds, by code, grids sorted.

    Export → import → export gives the same list.
    """
    get_city(session, city_code)
    return [
        {"code": zone.code, "name": zone.name, "grids": sorted(g.grid_code for g in zone.grids)}
        for zone in list_patrol_zones(session, city_code)
    ]
