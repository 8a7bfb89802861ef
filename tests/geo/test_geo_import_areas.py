"""Importing and exporting areas.geojson: what is stored, round trips, re-imports, warnings."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cityloop.cities.errors import CityNotFound
from cityloop.cities.models import City
from cityloop.geo import do_import_areas, do_import_patrol_zones, export_areas, get_area
from cityloop.geo.models import Area, AreaSet
from geo.factories import find, square_grid_collection

GRID_M2 = 10_680.6  # 0.001° × 0.001° at latitude 30.25°


def _areas(session: Session, city: str) -> dict[str, Area]:
    return {a.code: a for a in session.scalars(select(Area).where(Area.city_id == city))}


def test_import_stores_every_level(session: Session, city: City) -> None:
    summary = do_import_areas(session, city_code=city.code, collection=square_grid_collection())
    assert summary.counts == {"district": 1, "street": 1, "community": 2, "grid": 12}
    assert summary.warnings == []
    assert summary.source == "areas.geojson"
    assert summary.revision is not None and len(summary.revision) == 26
    assert session.get(AreaSet, city.code).revision == summary.revision  # type: ignore[union-attr]
    rows = _areas(session, city.code)
    assert sorted(rows) == [
        "330102",
        "330102001",
        "330102001001",
        *(f"330102001001{n:03d}" for n in range(1, 7)),
        "330102001002",
        *(f"330102001002{n:03d}" for n in range(1, 7)),
    ]
    grid = rows["330102001001001"]
    assert (grid.level, grid.parent_code, grid.name_zh, grid.name_en, grid.area_class) == (
        "grid",
        "330102001001",
        None,
        None,
        "urban",
    )
    assert (grid.min_lon, grid.min_lat, grid.max_lon, grid.max_lat) == (120.1, 30.251, 120.101, 30.252)
    assert grid.centroid_lon == pytest.approx(120.1005, abs=1e-9)
    assert grid.centroid_lat == pytest.approx(30.2515, abs=1e-9)
    assert grid.area_m2 == pytest.approx(GRID_M2, rel=1e-4)
    assert grid.geometry == find(square_grid_collection(), "330102001001001")["geometry"]
    district = rows["330102"]
    assert (district.level, district.parent_code, district.name_zh, district.name_en) == (
        "district",
        None,
        "示范区",
        "Demo District",
    )
    assert district.area_m2 == pytest.approx(12 * GRID_M2, rel=1e-4)
    assert rows["330102001002"].parent_code == "330102001"


def test_export_is_the_import_format_and_round_trips(session: Session, city: City) -> None:
    source = square_grid_collection()
    find(source, "330102001")["properties"]["manager"] = "王芳"  # unknown keys are kept
    do_import_areas(session, city_code=city.code, collection=source)
    first = export_areas(session, city.code)
    assert first["type"] == "FeatureCollection"
    assert find(first, "330102001")["properties"] == {
        "level": "street",
        "code": "330102001",
        "name": "第1街道",
        "name_en": "Street 1",
        "area_class": "urban",
        "manager": "王芳",
    }
    assert find(first, "330102001002006") == {
        "type": "Feature",
        "properties": {"level": "grid", "code": "330102001002006", "area_class": "urban"},
        "geometry": find(source, "330102001002006")["geometry"],
    }
    assert [f["properties"]["code"] for f in first["features"]][:4] == [
        "330102",
        "330102001",
        "330102001001",
        "330102001001001",
    ]
    do_import_areas(session, city_code=city.code, collection=copy.deepcopy(first))
    assert export_areas(session, city.code) == first


def test_reimport_keeps_ids_drops_missing_areas_and_changes_revision(session: Session, city: City) -> None:
    first = do_import_areas(session, city_code=city.code, collection=square_grid_collection())
    ids = {code: row.id for code, row in _areas(session, city.code).items()}
    smaller = square_grid_collection(communities_per_street=1)
    find(smaller, "330102001")["properties"]["name"] = "新街道"
    second = do_import_areas(session, city_code=city.code, collection=smaller)
    assert second.counts == {"district": 1, "street": 1, "community": 1, "grid": 6}
    assert second.revision != first.revision
    rows = _areas(session, city.code)
    assert len(rows) == 9
    assert all(rows[code].id == ids[code] for code in rows)
    assert rows["330102001"].name_zh == "新街道"
    assert "330102001002" not in rows


def test_area_class_is_inherited_unless_given(session: Session, city: City) -> None:
    source = square_grid_collection()
    find(source, "330102")["properties"]["area_class"] = "rural"
    find(source, "330102001002")["properties"]["area_class"] = "urban"
    do_import_areas(session, city_code=city.code, collection=source)
    rows = _areas(session, city.code)
    assert rows["330102001"].area_class == "rural"
    assert rows["330102001001"].area_class == "rural"
    assert rows["330102001001006"].area_class == "rural"
    assert rows["330102001002"].area_class == "urban"
    assert rows["330102001002001"].area_class == "urban"


def test_unknown_city_is_refused(session: Session) -> None:
    with pytest.raises(CityNotFound):
        do_import_areas(session, city_code="110100", collection=square_grid_collection("110100"))


def test_areas_are_per_city(session: Session, make_city: Any) -> None:
    make_city("330100")
    make_city("330200", "宁波")
    do_import_areas(session, city_code="330100", collection=square_grid_collection("330100"))
    do_import_areas(session, city_code="330200", collection=square_grid_collection("330200", streets=2))
    assert len(_areas(session, "330100")) == 16
    assert len(_areas(session, "330200")) == 31
    assert get_area(session, "330200", "330202002").name_zh == "第2街道"
    count = select(func.count()).select_from(Area).where(Area.city_id == "330100", Area.code.like("330202%"))
    assert session.scalar(count) == 0


def _rules(warnings: list[dict[str, Any]]) -> list[str]:
    return [w["rule"] for w in warnings]


def test_warning_when_grids_are_not_numbered_west_to_east_north_to_south(
    session: Session, city: City
) -> None:
    source = square_grid_collection()
    a, b = find(source, "330102001001001"), find(source, "330102001001002")
    a["geometry"], b["geometry"] = b["geometry"], a["geometry"]
    summary = do_import_areas(session, city_code=city.code, collection=source)
    assert summary.warnings == [
        {
            "source": "areas.geojson",
            "feature": 5,
            "code": "330102001001002",
            "rule": "grid_numbering",
            "message": "feature 5 (330102001001002): grids of community 330102001001 are not numbered "
            "west→east, north→south: grid 330102001001002 lies west of grid 330102001001001",
        }
    ]
    assert summary.counts["grid"] == 12  # a warning does not block


def test_warning_when_grids_are_far_from_the_target_area(session: Session, city: City) -> None:
    summary = do_import_areas(
        session, city_code=city.code, collection=square_grid_collection(grids_x=1, grids_y=1, cell_deg=0.0001)
    )
    assert _rules(summary.warnings) == ["grid_size"]
    assert summary.warnings[0]["message"] == (
        "2 grid(s) are far from the target area of 10000 m² (outside 2500–40000 m²): "
        "330102001001001 (107 m²), 330102001002001 (107 m²)"
    )


def test_warning_when_a_community_has_no_grids(session: Session, city: City) -> None:
    source = square_grid_collection()
    source["features"] = [
        f for f in source["features"] if not f["properties"]["code"].startswith("330102001002")
    ]
    source["features"].insert(3, find(square_grid_collection(), "330102001002"))
    summary = do_import_areas(session, city_code=city.code, collection=source)
    assert _rules(summary.warnings) == ["community_without_grids"]
    assert summary.warnings[0]["code"] == "330102001002"


def test_warning_when_reimport_removes_a_grid_of_a_patrol_zone(session: Session, city: City) -> None:
    do_import_areas(session, city_code=city.code, collection=square_grid_collection())
    zones = [{"code": "PZ1", "name": "一号责任区", "grids": ["330102001001001", "330102001002001"]}]
    do_import_patrol_zones(session, city_code=city.code, zones=zones)
    summary = do_import_areas(
        session, city_code=city.code, collection=square_grid_collection(communities_per_street=1)
    )
    assert summary.warnings == [
        {
            "source": "areas.geojson",
            "feature": None,
            "code": None,
            "rule": "patrol_zone_grid_missing",
            "message": "patrol zone PZ1 lists grids that are gone: 330102001002001",
        }
    ]
