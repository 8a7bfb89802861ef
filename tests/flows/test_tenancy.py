"""Two cities in one database: no query of one city ever returns a row of the other."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from cityloop.flows.citypack import do_import_pack
from cityloop.flows.citypack_files import CityPack
from cityloop.geo import export_patrol_zones, list_areas, list_places, locate
from cityloop.org import list_departments, list_staff
from cityloop.taxonomy import STANDARD_2026, list_categories, list_registration_conditions
from geo.factories import center_of, square_grid_collection

CITIES = {"330100": (120.10, 30.25), "110100": (116.40, 39.90)}


def _pack(city: str) -> CityPack:
    areas = square_grid_collection(city=city, origin=CITIES[city])
    grids = [f["properties"]["code"] for f in areas["features"] if f["properties"]["level"] == "grid"]
    street = grids[0][:9]
    return CityPack(
        city={"code": city, "name_zh": f"城{city}"},
        areas=areas,
        places={
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"kind": "poi", "name": f"{city}菜场", "poi_kind": "market"},
                    "geometry": {"type": "Point", "coordinates": list(center_of(areas, grids[0]))},
                }
            ],
        },
        patrol_zones=[{"code": "PZ001", "name": "一区", "grids": grids}],
        departments=[
            {
                "code": "CG",
                "name_zh": f"{city}城管",
                "kind": "professional",
                "responsibilities": [{"categories": ["09"]}],
            },
            {"code": "JD001", "name_zh": f"{city}街道", "kind": "street_office", "street": street},
        ],
        staff=[
            {
                "username": "inspector01",
                "name": f"{city}巡查员",
                "roles": ["inspector"],
                "patrol_zone": "PZ001",
            },
            {"username": "dept01", "name": f"{city}部门", "roles": ["department"], "department": "CG"},
        ],
        taxonomy_local_csv=f"kind,major_code,code,name,name_en,note\nmatter,09,09901,{city}本地事项,,\n",
    )


@pytest.fixture
def two_cities(session: Session) -> Session:
    for city in CITIES:
        do_import_pack(session, _pack(city), password="tenant-pass")
    return session


def test_every_list_stays_inside_its_city(two_cities: Session) -> None:
    session = two_cities
    for city, other in (("330100", "110100"), ("110100", "330100")):
        areas = list(session.scalars(list_areas(session, city)))
        assert areas and all(a.city_id == city for a in areas)
        assert all(not a.code.startswith(other[:4]) for a in areas)
        assert [p.name for p in list_places(session, city)] == [f"{city}菜场"]
        assert [z["code"] for z in export_patrol_zones(session, city)] == ["PZ001"]
        depts = list(session.scalars(list_departments(session, city)))
        assert sorted(d.name_zh for d in depts) == [f"{city}城管", f"{city}街道"]
        staff = list(session.scalars(list_staff(session, city)))
        assert sorted(s.name for s in staff) == [f"{city}巡查员", f"{city}部门"]
        local = [
            c.name
            for c in session.scalars(list_categories(session, standard=STANDARD_2026, city_code=city))
            if c.city_id is not None
        ]
        assert local == [f"{city}本地事项"]
        assert all(r.city_id == city for r in list_registration_conditions(session, city))


def test_a_point_of_one_city_is_not_found_in_the_other(two_cities: Session) -> None:
    hangzhou_point = (120.1015, 30.2505)
    assert locate(two_cities, "330100", *hangzhou_point) is not None
    assert locate(two_cities, "110100", *hangzhou_point) is None
