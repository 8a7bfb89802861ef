"""HTTP routes of the geo package (mounted under /api/v1): areas, their GeoJSON, and lookup."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from cityloop.cities import get_city
from cityloop.core.pagination import Page, PageParams, page_of
from cityloop.db.deps import SESSION, public_or_city_principal
from cityloop.db.pagination import paginate
from cityloop.geo.geojson import export_areas
from cityloop.geo.lookup import get_location
from cityloop.geo.queries import get_area, list_areas
from cityloop.geo.schemas import AreaDetail, AreaOut, LocatedOut

# Areas are public reference data; a signed-in caller must still belong to the route's city.
router = APIRouter(tags=["geo"], dependencies=[Depends(public_or_city_principal)])


@router.get("/cities/{city_code}/areas", response_model=Page[AreaOut])
def list_city_areas(
    city_code: str,
    params: Annotated[PageParams, Query()],
    level: Annotated[str | None, Query(description="district, street, community or grid")] = None,
    parent: Annotated[str | None, Query(description="code of the parent area")] = None,
    session: Session = SESSION,
) -> dict[str, Any]:
    """The city's areas ordered by code, without geometry, one page at a time."""
    get_city(session, city_code)
    stmt = list_areas(session, city_code, level=level, parent=parent)
    rows, total = paginate(session, stmt, params)
    return page_of([AreaOut.of(row) for row in rows], total, params)


@router.get("/cities/{city_code}/areas.geojson", response_class=JSONResponse)
def city_areas_geojson(
    city_code: str,
    level: Annotated[str | None, Query(description="district, street, community or grid")] = None,
    session: Session = SESSION,
) -> JSONResponse:
    """The city's areas (or one level of them) as a GeoJSON FeatureCollection, as areas.geojson."""
    return JSONResponse(export_areas(session, city_code, level=level), media_type="application/geo+json")


@router.get("/cities/{city_code}/areas/{code}", response_model=AreaDetail)
def get_city_area(city_code: str, code: str, session: Session = SESSION) -> AreaDetail:
    """One area with its GeoJSON geometry."""
    get_city(session, city_code)
    return AreaDetail.of(get_area(session, city_code, code))


@router.get("/cities/{city_code}/locate", response_model=LocatedOut)
def locate_point(
    city_code: str,
    lon: Annotated[float, Query(ge=-180, le=180)],
    lat: Annotated[float, Query(ge=-90, le=90)],
    session: Session = SESSION,
) -> LocatedOut:
    """The grid, community, street and district of a point; 404 geo.not_located outside the city."""
    return LocatedOut.of(get_location(session, city_code, lon, lat))
