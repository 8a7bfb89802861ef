"""Point lookup: interior, edges, corners, outside, partial grids, and cache freshness."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Point, shape
from sqlalchemy.orm import Session

from cityloop.cities.errors import CityNotFound
from cityloop.cities.models import City
from cityloop.geo import (
    AreaIndex,
    AreaRef,
    Located,
    area_index,
    do_import_areas,
    get_location,
    grid_for,
    locate,
    point_in_city,
)
from cityloop.geo.errors import NotLocated
from geo.factories import center_of, corner_of, square_grid_collection

C1, C2 = "330102001001", "330102001002"


def test_interior_point(session: Session, city: City, areas: dict[str, Any]) -> None:
    lon, lat = center_of(areas, f"{C2}005")
    assert locate(session, city.code, lon, lat) == Located(
        district=AreaRef("district", "330102", "示范区", "Demo District"),
        street=AreaRef("street", "330102001", "第1街道", "Street 1"),
        community=AreaRef("community", C2, "第1-2社区", None),
        grid=AreaRef("grid", f"{C2}005", None, None),
        area_class="urban",
    )
    assert grid_for(session, city.code, lon, lat) == f"{C2}005"
    assert point_in_city(session, city.code, lon, lat) is True


def test_point_on_a_shared_edge_goes_to_the_smallest_code(
    session: Session, city: City, areas: dict[str, Any]
) -> None:
    # the east edge of grid 001, shared with grid 002
    assert grid_for(session, city.code, 120.101, 30.2515) == f"{C1}001"
    # the edge between the two communities: grid 003 of the first, grid 001 of the second
    found = locate(session, city.code, 120.103, 30.2515)
    assert found is not None and found.grid is not None and found.community is not None
    assert (found.grid.code, found.community.code) == (f"{C1}003", C1)


def test_point_on_a_corner_goes_to_the_smallest_code(
    session: Session, city: City, areas: dict[str, Any]
) -> None:
    # the corner shared by grids 001, 002, 004 and 005 of the first community
    assert corner_of(areas, f"{C1}005", 3) == (120.101, 30.251)
    assert grid_for(session, city.code, 120.101, 30.251) == f"{C1}001"
    # the south-east corner of grid 006 of the second community: the outer corner of the district
    assert grid_for(session, city.code, *corner_of(areas, f"{C2}006", 1)) == f"{C2}006"


def test_point_outside_every_area(session: Session, city: City, areas: dict[str, Any]) -> None:
    assert locate(session, city.code, 120.0999, 30.2515) is None
    assert grid_for(session, city.code, 120.0999, 30.2515) is None
    assert point_in_city(session, city.code, 121.0, 31.0) is False
    with pytest.raises(NotLocated) as err:
        get_location(session, city.code, 121.0, 31.0)
    assert (err.value.code, err.value.status) == ("geo.not_located", 404)
    assert err.value.message == "point (121.0, 31.0) lies outside every area of city 330100"


def test_city_without_areas(session: Session, city: City) -> None:
    assert area_index(session, city.code) is None
    assert locate(session, city.code, 120.1005, 30.2515) is None
    assert point_in_city(session, city.code, 120.1005, 30.2515) is False
    with pytest.raises(CityNotFound):
        get_location(session, "110100", 120.1005, 30.2515)


def test_community_without_grids_locates_to_the_community(session: Session, city: City) -> None:
    source = square_grid_collection()
    source["features"] = [f for f in source["features"] if not f["properties"]["code"].startswith(f"{C2}0")]
    do_import_areas(session, city_code=city.code, collection=source)
    found = locate(session, city.code, 120.1045, 30.2505)
    assert found is not None and found.community is not None
    assert (found.grid, found.community.code, found.lowest.code) == (None, C2, C2)
    assert found.as_dict()["grid"] is None


def test_area_class_of_the_lowest_area(session: Session, city: City) -> None:
    source = square_grid_collection()
    source["features"][0]["properties"]["area_class"] = "rural"
    do_import_areas(session, city_code=city.code, collection=source)
    found = locate(session, city.code, 120.1005, 30.2515)
    assert found is not None and found.area_class == "rural"


def test_cache_is_reused_then_rebuilt_after_an_import(
    session: Session, city: City, areas: dict[str, Any]
) -> None:
    index = area_index(session, city.code)
    assert index is not None and len(index) == 16
    assert area_index(session, city.code) is index
    assert grid_for(session, city.code, 120.1005, 30.2515) == f"{C1}001"
    # the same codes laid out 1 km further east
    do_import_areas(session, city_code=city.code, collection=square_grid_collection(origin=(120.11, 30.25)))
    fresh = area_index(session, city.code)
    assert fresh is not None and fresh is not index
    assert grid_for(session, city.code, 120.1005, 30.2515) is None
    assert grid_for(session, city.code, 120.1105, 30.2515) == f"{C1}001"


def test_as_dict(session: Session, city: City, areas: dict[str, Any]) -> None:
    found = locate(session, city.code, 120.1005, 30.2515)
    assert found is not None
    assert found.as_dict() == {
        "grid": {"code": f"{C1}001", "name": None, "name_en": None},
        "community": {"code": C1, "name": "第1-1社区", "name_en": None},
        "street": {"code": "330102001", "name": "第1街道", "name_en": "Street 1"},
        "district": {"code": "330102", "name": "示范区", "name_en": "Demo District"},
        "area_class": "urban",
    }


_LAYOUT = square_grid_collection(communities_per_street=3, grids_x=4, grids_y=3)
_INDEX = AreaIndex(
    [
        (p["level"], p["code"], p.get("name"), p.get("name_en"), "urban", f["geometry"])
        for f in _LAYOUT["features"]
        for p in [f["properties"]]
    ]
)


@given(
    x=st.integers(min_value=0, max_value=12_000),
    y=st.integers(min_value=0, max_value=3_000),
)
def test_every_point_of_the_district_resolves_to_the_smallest_covering_grid(x: int, y: int) -> None:
    # points on a lattice of 1/1000 of a cell, so that edges and corners are hit too
    lon, lat = round(120.1 + x * 1e-6, 9), round(30.25 + y * 1e-6, 9)
    found = _INDEX.locate(lon, lat)
    assert found is not None and found.grid is not None
    covering = sorted(
        f["properties"]["code"]
        for f in _LAYOUT["features"]
        if f["properties"]["level"] == "grid" and shape(f["geometry"]).covers(Point(lon, lat))
    )
    assert found.grid.code == covering[0]
    assert found.grid.code.startswith(found.community.code if found.community else "?")
