"""Every rule of areas.geojson, one test each: the import is refused with the exact problems
(naming the feature, its code and the rule) and nothing is written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cityloop.cities import DefaultCity, plugins
from cityloop.cities.models import City
from cityloop.geo import do_import_areas, export_areas
from cityloop.geo.errors import AreaImportFailed
from cityloop.geo.models import Area, AreaSet
from geo.factories import find, square_grid_collection

GRID = "330102001001001"  # feature 4: the north-west grid, lon 120.100-120.101, lat 30.251-30.252


def _refused(session: Session, city: str, collection: Any) -> list[dict[str, Any]]:
    """Import, expect refusal, check nothing was written, return the problems."""
    with pytest.raises(AreaImportFailed) as err:
        do_import_areas(session, city_code=city, collection=collection)
    assert err.value.code == "geo.import_failed"
    assert err.value.status == 422
    assert session.scalar(select(func.count()).select_from(Area).where(Area.city_id == city)) == 0
    assert session.get(AreaSet, city) is None
    details: list[dict[str, Any]] = err.value.details
    assert err.value.message.startswith(f"areas.geojson: {len(details)} problem")
    assert err.value.message.endswith(details[0]["message"])
    return details


def _one(session: Session, city: str, collection: Any) -> dict[str, Any]:
    problems = _refused(session, city, collection)
    assert len(problems) == 1, problems
    return problems[0]


def test_not_a_feature_collection(session: Session, city: City) -> None:
    assert _one(session, city.code, {"type": "Feature"}) == {
        "source": "areas.geojson",
        "feature": None,
        "code": None,
        "rule": "not_feature_collection",
        "message": "the file: expected a GeoJSON FeatureCollection, got 'Feature'",
    }
    assert _one(session, city.code, {"type": "FeatureCollection"})["message"] == (
        "the file: the FeatureCollection has no list of features"
    )


def test_not_a_feature(session: Session, city: City) -> None:
    source = square_grid_collection()
    source["features"].append({"type": "Point", "coordinates": [120.1, 30.25]})
    assert _one(session, city.code, source) == {
        "source": "areas.geojson",
        "feature": 16,
        "code": None,
        "rule": "not_feature",
        "message": "feature 16: is not a GeoJSON Feature",
    }


def test_missing_level(session: Session, city: City) -> None:
    source = square_grid_collection()
    del find(source, GRID)["properties"]["level"]
    assert _one(session, city.code, source) == {
        "source": "areas.geojson",
        "feature": 4,
        "code": GRID,
        "rule": "level",
        "message": f"feature 4 ({GRID}): has no level; expected one of district, street, community, grid",
    }


def test_unknown_level(session: Session, city: City) -> None:
    source = square_grid_collection()
    find(source, GRID)["properties"]["level"] = "village"
    problem = _one(session, city.code, source)
    assert (problem["rule"], problem["feature"]) == ("level", 4)
    assert problem["message"] == (
        f"feature 4 ({GRID}): unknown level 'village'; expected one of district, street, community, grid"
    )


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("33010200100100A", "grid code '33010200100100A' must be a string of exactly 15 digits"),
        ("330102001001000", "grid code '330102001001000': the grid sequence part (digits 13-15) is 000"),
    ],
)
def test_bad_code(session: Session, city: City, bad: str, message: str) -> None:
    source = square_grid_collection()
    find(source, GRID)["properties"]["code"] = bad
    assert _one(session, city.code, source) == {
        "source": "areas.geojson",
        "feature": 4,
        "code": bad,
        "rule": "code",
        "message": f"feature 4 ({bad}): {message}",
    }


def test_duplicate_code(session: Session, city: City) -> None:
    source = square_grid_collection()
    find(source, "330102001001002")["properties"]["code"] = GRID
    assert _one(session, city.code, source) == {
        "source": "areas.geojson",
        "feature": 5,
        "code": GRID,
        "rule": "duplicate_code",
        "message": f"feature 5 ({GRID}): code {GRID} is already used by feature 4",
    }


def test_parent_missing(session: Session, city: City) -> None:
    source = square_grid_collection()
    source["features"] = [f for f in source["features"] if f["properties"]["code"] != "330102001002"]
    problems = _refused(session, city.code, source)
    assert [(p["feature"], p["code"], p["rule"]) for p in problems] == [
        (i + 9, f"330102001002{i + 1:03d}", "parent_missing") for i in range(6)
    ]
    assert problems[0]["message"] == "feature 9 (330102001002001): its parent 330102001002 is not in the file"


def test_code_not_under_its_stated_parent(session: Session, city: City) -> None:
    source = square_grid_collection()
    find(source, GRID)["properties"]["parent"] = "330102001002"
    problem = _one(session, city.code, source)
    assert (problem["rule"], problem["message"]) == (
        "not_under_parent",
        f"feature 4 ({GRID}): code {GRID} is not under its stated parent '330102001002'",
    )


def test_district_outside_the_city(session: Session, city: City) -> None:
    problem = _one(session, city.code, square_grid_collection("330200"))
    assert problem == {
        "source": "areas.geojson",
        "feature": 0,
        "code": "330202",
        "rule": "district_outside_city",
        "message": "feature 0 (330202): district 330202 is not inside city 330100",
    }


def test_missing_name(session: Session, city: City) -> None:
    source = square_grid_collection()
    del find(source, "330102001")["properties"]["name"]
    problem = _one(session, city.code, source)
    assert (problem["feature"], problem["rule"], problem["message"]) == (
        1,
        "name_missing",
        "feature 1 (330102001): a street needs a name (Chinese)",
    )


def test_name_of_the_wrong_type(session: Session, city: City) -> None:
    source = square_grid_collection()
    find(source, GRID)["properties"]["name_en"] = 7
    problem = _one(session, city.code, source)
    assert (problem["rule"], problem["message"]) == (
        "name_en",
        f"feature 4 ({GRID}): name_en must be a non-empty string, got 7",
    )


def test_unknown_area_class(session: Session, city: City) -> None:
    source = square_grid_collection()
    find(source, "330102")["properties"]["area_class"] = "suburban"
    problem = _one(session, city.code, source)
    assert (problem["rule"], problem["message"]) == (
        "area_class",
        "feature 0 (330102): area_class 'suburban' must be urban or rural",
    )


def test_geometry_not_a_polygon(session: Session, city: City) -> None:
    source = square_grid_collection()
    find(source, GRID)["geometry"] = {"type": "Point", "coordinates": [120.1005, 30.2515]}
    problem = _one(session, city.code, source)
    assert (problem["rule"], problem["message"]) == (
        "geometry_type",
        f"feature 4 ({GRID}): geometry must be a Polygon or MultiPolygon, got Point",
    )


def test_bad_coordinates(session: Session, city: City) -> None:
    source = square_grid_collection()
    find(source, GRID)["geometry"]["coordinates"][0][1] = ["120.101", 30.251]
    problem = _one(session, city.code, source)
    assert (problem["rule"], problem["message"]) == (
        "geometry_coordinates",
        f"feature 4 ({GRID}): ring 0: position ['120.101', 30.251] must be [longitude, latitude] numbers",
    )


def test_ring_not_closed(session: Session, city: City) -> None:
    source = square_grid_collection()
    find(source, GRID)["geometry"]["coordinates"][0].pop()  # shapely would close it silently
    assert _one(session, city.code, source) == {
        "source": "areas.geojson",
        "feature": 4,
        "code": GRID,
        "rule": "ring_not_closed",
        "message": f"feature 4 ({GRID}): ring 0 is not closed: first position [120.1, 30.251] "
        "differs from last [120.1, 30.252]",
    }


def test_self_intersecting_polygon(session: Session, city: City) -> None:
    source = square_grid_collection()
    bowtie = [[120.1, 30.251], [120.101, 30.252], [120.101, 30.251], [120.1, 30.252], [120.1, 30.251]]
    find(source, GRID)["geometry"]["coordinates"] = [bowtie]
    problem = _one(session, city.code, source)
    assert (problem["rule"], problem["message"]) == (
        "invalid_polygon",
        f"feature 4 ({GRID}): invalid polygon: Self-intersection[120.1005 30.2515]",
    )


def test_grids_overlapping(session: Session, city: City) -> None:
    source = square_grid_collection()
    ring = find(source, GRID)["geometry"]["coordinates"][0]
    for pos in ring:
        if pos[0] == 120.101:
            pos[0] = 120.102  # grid 001 now also covers grid 002
    problem = _one(session, city.code, source)
    assert (problem["feature"], problem["code"], problem["rule"]) == (5, "330102001001002", "overlap")
    assert problem["message"].startswith(
        f"feature 5 (330102001001002): grid 330102001001002 overlaps grid {GRID} (feature 4) by 10680."
    )


def test_overlap_below_one_square_metre_is_tolerated(session: Session, city: City) -> None:
    source = square_grid_collection()
    for pos in find(source, GRID)["geometry"]["coordinates"][0]:
        if pos[0] == 120.101:
            pos[0] = 120.101 + 5e-9  # ≈ 0.5 mm × 111 m ≈ 0.05 m²
    summary = do_import_areas(session, city_code=city.code, collection=source)
    assert summary.counts["grid"] == 12


def test_grids_leaving_a_gap(session: Session, city: City) -> None:
    source = square_grid_collection()
    source["features"] = [f for f in source["features"] if f["properties"]["code"] != "330102001001005"]
    problem = _one(session, city.code, source)
    assert (problem["feature"], problem["code"], problem["rule"]) == (2, "330102001001", "grid_gap")
    assert problem["message"].startswith(
        "feature 2 (330102001001): community 330102001001 is not tiled by its "
    )
    assert (
        "10680." in problem["message"]
        and "m² is left uncovered (for example at 120.1015" in problem["message"]
    )


def test_grid_crossing_its_community(session: Session, city: City) -> None:
    source = square_grid_collection()
    for pos in find(source, "330102001001003")["geometry"]["coordinates"][0]:
        if pos[1] == 30.252:
            pos[1] = 30.253  # a cell beyond the north edge of the community
    problem = _one(session, city.code, source)
    assert (problem["feature"], problem["code"], problem["rule"]) == (6, "330102001001003", "crosses_parent")
    assert problem["message"].startswith("feature 6 (330102001001003): grid 330102001001003 extends 10680.")
    assert problem["message"].endswith(" m² outside its community 330102001001")


def test_community_crossing_its_street(session: Session, city: City) -> None:
    source = square_grid_collection()
    source["features"] = [f for f in source["features"] if f["properties"]["level"] != "grid"]
    for pos in find(source, "330102001002")["geometry"]["coordinates"][0]:
        if pos[0] == 120.106:
            pos[0] = 120.107
    problem = _one(session, city.code, source)
    assert (problem["feature"], problem["code"], problem["rule"]) == (3, "330102001002", "crosses_parent")
    assert problem["message"].endswith(" m² outside its street 330102001")


class _StrictCity(DefaultCity):
    city_code = "330100"

    def area_rules(self, level: str, code: str, properties: dict[str, Any]) -> list[str]:
        """示范市 wants an English name on every street."""
        if level == "street" and not properties.get("name_en"):
            return ["示范市: a street needs an English name (name_en)"]
        return []


@pytest.fixture
def strict_city(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(plugins, "_registry", plugins.build_registry([("test", _StrictCity)]))
    yield


@pytest.mark.usefixtures("strict_city")
def test_city_plugin_rule(session: Session, city: City) -> None:
    source = square_grid_collection()
    del find(source, "330102001")["properties"]["name_en"]
    assert _one(session, city.code, source) == {
        "source": "areas.geojson",
        "feature": 1,
        "code": "330102001",
        "rule": "city_rule",
        "message": "feature 1 (330102001): 示范市: a street needs an English name (name_en)",
    }
    assert (
        do_import_areas(session, city_code=city.code, collection=square_grid_collection()).counts["street"]
        == 1
    )


def test_every_problem_is_reported_at_once(session: Session, city: City) -> None:
    source = square_grid_collection()
    del find(source, "330102001")["properties"]["name"]
    find(source, "330102001002")["properties"]["area_class"] = "town"
    find(source, "330102001002006")["geometry"]["coordinates"][0].pop()
    source["features"].append(
        {"type": "Feature", "properties": {"level": "grid", "code": "1"}, "geometry": None}
    )
    problems = _refused(session, city.code, source)
    assert [(p["feature"], p["rule"]) for p in problems] == [
        (1, "name_missing"),
        (3, "area_class"),
        (15, "ring_not_closed"),
        (16, "code"),
        (16, "geometry_type"),
    ]


def test_refused_reimport_keeps_the_previous_areas(session: Session, city: City) -> None:
    do_import_areas(session, city_code=city.code, collection=square_grid_collection())
    before = export_areas(session, city.code)
    revision = session.get(AreaSet, city.code).revision  # type: ignore[union-attr]
    broken = square_grid_collection(communities_per_street=1)
    find(broken, GRID)["geometry"]["coordinates"][0].pop()
    with pytest.raises(AreaImportFailed):
        do_import_areas(session, city_code=city.code, collection=broken)
    assert export_areas(session, city.code) == before
    assert session.get(AreaSet, city.code).revision == revision  # type: ignore[union-attr]
