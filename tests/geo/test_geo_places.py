"""places.geojson: named roads and POIs, their rules, export round trip."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cityloop.cities.models import City
from cityloop.geo import do_import_places, export_places, list_places
from cityloop.geo.errors import PlaceImportFailed
from cityloop.geo.models import AreaSet, Place


def _road(name: str = "解放路", coords: Any = None, **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"kind": "road", "name": name, **props},
        "geometry": {"type": "LineString", "coordinates": coords or [[120.100, 30.2505], [120.104, 30.2505]]},
    }


def _poi(name: str = "中心菜场", lon: float = 120.1015, lat: float = 30.2515, **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"kind": "poi", "name": name, **props},
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


def _collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def test_import_places(session: Session, city: City) -> None:
    source = _collection(
        _road(name_en="Jiefang Road", aliases=["解放路步行街"]),
        _poi(poi_kind="market"),
        _poi("第一小学", 120.1045, 30.2505),
    )
    summary = do_import_places(session, city_code=city.code, collection=source)
    assert summary.counts == {"road": 1, "poi": 2}
    assert summary.warnings == []  # the city has no areas yet: nothing to compare with
    assert session.get(AreaSet, city.code).places_revision == summary.revision  # type: ignore[union-attr]
    road, market, school = list_places(session, city.code)
    assert (road.kind, road.name, road.name_en, road.aliases, road.poi_kind) == (
        "road",
        "解放路",
        "Jiefang Road",
        ["解放路步行街"],
        None,
    )
    assert (road.lon, road.lat) == pytest.approx((120.102, 30.2505))
    assert (market.poi_kind, market.lon, market.lat, market.aliases) == ("market", 120.1015, 30.2515, [])
    assert school.poi_kind == "other"  # the default kind of a POI
    assert [p.name for p in list_places(session, city.code, kind="poi")] == ["中心菜场", "第一小学"]


def test_export_round_trip_and_reimport_replaces(session: Session, city: City) -> None:
    source = _collection(_road(aliases=["解放路步行街"], grade="主干道"), _poi(poi_kind="school"))
    do_import_places(session, city_code=city.code, collection=source)
    first = export_places(session, city.code)
    assert first == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "kind": "road",
                    "name": "解放路",
                    "aliases": ["解放路步行街"],
                    "grade": "主干道",
                },
                "geometry": {"type": "LineString", "coordinates": [[120.1, 30.2505], [120.104, 30.2505]]},
            },
            {
                "type": "Feature",
                "properties": {"kind": "poi", "name": "中心菜场", "poi_kind": "school"},
                "geometry": {"type": "Point", "coordinates": [120.1015, 30.2515]},
            },
        ],
    }
    do_import_places(session, city_code=city.code, collection=copy.deepcopy(first))
    assert export_places(session, city.code) == first
    do_import_places(session, city_code=city.code, collection=_collection(_poi("火车站", poi_kind="station")))
    assert [p.name for p in list_places(session, city.code)] == ["火车站"]


def test_warning_for_places_outside_the_city(session: Session, city: City, areas: dict[str, Any]) -> None:
    summary = do_import_places(
        session, city_code=city.code, collection=_collection(_poi(), _poi("远郊农庄", 121.0, 31.0))
    )
    assert summary.warnings == [
        {
            "source": "places.geojson",
            "feature": None,
            "code": None,
            "rule": "place_outside_city",
            "message": "1 place(s) lie outside every district of city 330100: 远郊农庄",
        }
    ]


@pytest.mark.parametrize(
    ("feature", "rule", "message"),
    [
        ({"type": "Point"}, "not_feature", "feature 0: is not a GeoJSON Feature"),
        (_road(kind="lane"), "kind", "feature 0 (解放路): kind must be road or poi, got 'lane'"),
        (_road(name=""), "name_missing", "feature 0: a place needs a name"),
        (_road(name_en=""), "name_en", "feature 0 (解放路): name_en must be a non-empty string, got ''"),
        (
            _road(aliases="解放"),
            "aliases",
            "feature 0 (解放路): aliases must be a list of non-empty strings, got '解放'",
        ),
        (_road(poi_kind="park"), "poi_kind", "feature 0 (解放路): a road has no poi_kind"),
        (
            _poi(poi_kind="zoo"),
            "poi_kind",
            "feature 0 (中心菜场): poi_kind 'zoo' must be one of market, school, station, hospital, park, "
            "construction, residential, office, mall, other",
        ),
        (
            {**_road(), "geometry": {"type": "Point", "coordinates": [120.1, 30.25]}},
            "geometry_type",
            "feature 0 (解放路): a road needs a LineString or MultiLineString geometry, got Point",
        ),
        (
            _road(coords=[[120.1, 30.25]]),
            "geometry_coordinates",
            "feature 0 (解放路): the line must have at least 2 positions",
        ),
        (
            _poi(lon=190.0),
            "geometry_coordinates",
            "feature 0 (中心菜场): position [190.0, 30.2515] is outside longitude -180..180 / latitude -90..90",
        ),
    ],
)
def test_place_rules(session: Session, city: City, feature: dict[str, Any], rule: str, message: str) -> None:
    do_import_places(session, city_code=city.code, collection=_collection(_poi("老地方")))
    with pytest.raises(PlaceImportFailed) as err:
        do_import_places(session, city_code=city.code, collection=_collection(feature, _poi()))
    assert err.value.code == "geo.import_failed"
    assert err.value.details == [
        {
            "source": "places.geojson",
            "feature": 0,
            "code": err.value.details[0]["code"],
            "rule": rule,
            "message": message,
        }
    ]
    assert [p.name for p in list_places(session, city.code)] == ["老地方"]  # nothing changed


def test_not_a_feature_collection(session: Session, city: City) -> None:
    with pytest.raises(PlaceImportFailed) as err:
        do_import_places(session, city_code=city.code, collection=[_poi()])
    assert err.value.details[0]["rule"] == "not_feature_collection"
    assert session.scalar(select(func.count()).select_from(Place)) == 0
