"""patrol_zones.yaml: zones of unit grids, their rules, export round trip, queries."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy.orm import Session

from cityloop.cities.models import City
from cityloop.geo import (
    do_import_patrol_zones,
    export_patrol_zones,
    get_patrol_zone,
    grids_of_zone,
    list_patrol_zones,
    zones_of_grid,
)
from cityloop.geo.errors import PatrolZoneImportFailed, PatrolZoneNotFound

C1, C2 = "330102001001", "330102001002"
ALL_GRIDS = [f"{c}{n:03d}" for c in (C1, C2) for n in range(1, 7)]
ZONES = [
    {"code": "PZ01", "name": "一号责任区", "grids": [f"{C1}{n:03d}" for n in (3, 1, 2, 4, 5, 6)]},
    {"code": "PZ02", "name": "二号责任区", "grids": [f"{C2}{n:03d}" for n in range(1, 7)] + [f"{C1}006"]},
]


def test_import_and_query_zones(session: Session, city: City, areas: dict[str, Any]) -> None:
    summary = do_import_patrol_zones(session, city_code=city.code, zones=ZONES)
    assert summary.counts == {"zones": 2, "zone_grids": 13}
    assert summary.warnings == []
    assert summary.source == "patrol_zones.yaml"
    assert [(z.code, z.name) for z in list_patrol_zones(session, city.code)] == [
        ("PZ01", "一号责任区"),
        ("PZ02", "二号责任区"),
    ]
    assert grids_of_zone(session, city.code, "PZ01") == [f"{C1}{n:03d}" for n in range(1, 7)]
    assert zones_of_grid(session, city.code, f"{C1}006") == ["PZ01", "PZ02"]  # a grid may be in two zones
    assert zones_of_grid(session, city.code, f"{C2}001") == ["PZ02"]
    with pytest.raises(PatrolZoneNotFound) as err:
        grids_of_zone(session, city.code, "PZ99")
    assert err.value.code == "geo.patrol_zone_not_found"


def test_export_round_trip_and_reimport_by_code(session: Session, city: City, areas: dict[str, Any]) -> None:
    do_import_patrol_zones(session, city_code=city.code, zones=ZONES)
    first = export_patrol_zones(session, city.code)
    assert first[0] == {"code": "PZ01", "name": "一号责任区", "grids": ALL_GRIDS[:6]}
    do_import_patrol_zones(session, city_code=city.code, zones=copy.deepcopy(first))
    assert export_patrol_zones(session, city.code) == first
    zone_id = get_patrol_zone(session, city.code, "PZ01").id
    do_import_patrol_zones(
        session, city_code=city.code, zones=[{"code": "PZ01", "name": "全域", "grids": ALL_GRIDS}]
    )
    assert export_patrol_zones(session, city.code) == [{"code": "PZ01", "name": "全域", "grids": ALL_GRIDS}]
    assert get_patrol_zone(session, city.code, "PZ01").id == zone_id


def test_warning_for_grids_in_no_zone(session: Session, city: City, areas: dict[str, Any]) -> None:
    summary = do_import_patrol_zones(session, city_code=city.code, zones=ZONES[:1])
    assert summary.warnings == [
        {
            "source": "patrol_zones.yaml",
            "feature": None,
            "code": None,
            "rule": "grid_without_zone",
            "message": "6 grid(s) are in no patrol zone, so no inspector patrols them: "
            + ", ".join(ALL_GRIDS[6:]),
        }
    ]


@pytest.mark.parametrize(
    ("item", "rule", "message"),
    [
        ("PZ09", "not_mapping", "item 0: must be a mapping with code, name and grids, got 'PZ09'"),
        (
            {"code": "PZ09", "name": "九", "grids": ALL_GRIDS, "inspector": "张伟"},
            "unknown_key",
            "item 0 (PZ09): unknown key 'inspector'; a patrol zone has code, name and grids",
        ),
        (
            {"code": "PZ 9", "name": "九", "grids": ALL_GRIDS},
            "code",
            "item 0 (PZ 9): code 'PZ 9' must be 1-32 letters, digits, - or _",
        ),
        (
            {"code": "PZ09", "name": "", "grids": ALL_GRIDS},
            "name_missing",
            "item 0 (PZ09): a patrol zone needs a name of at most 100 characters",
        ),
        (
            {"code": "PZ09", "name": "九", "grids": []},
            "grids",
            "item 0 (PZ09): grids must be a non-empty list of 15-digit grid codes",
        ),
        (
            {"code": "PZ09", "name": "九", "grids": ["33010200100100"]},
            "grid_code",
            "item 0 (PZ09): grid code '33010200100100' must be a string of exactly 15 digits",
        ),
        (
            {"code": "PZ09", "name": "九", "grids": [ALL_GRIDS[0], ALL_GRIDS[0]]},
            "duplicate_grid",
            f"item 0 (PZ09): grid {ALL_GRIDS[0]} is listed twice",
        ),
        (
            {"code": "PZ09", "name": "九", "grids": ["330102001003001"]},
            "grid_missing",
            "item 0 (PZ09): grid 330102001003001 is not a unit grid of the city",
        ),
    ],
)
def test_zone_rules(
    session: Session, city: City, areas: dict[str, Any], item: Any, rule: str, message: str
) -> None:
    do_import_patrol_zones(session, city_code=city.code, zones=ZONES)
    before = export_patrol_zones(session, city.code)
    with pytest.raises(PatrolZoneImportFailed) as err:
        do_import_patrol_zones(session, city_code=city.code, zones=[item])
    assert err.value.code == "geo.import_failed"
    assert [(d["feature"], d["rule"], d["message"]) for d in err.value.details] == [(0, rule, message)]
    assert export_patrol_zones(session, city.code) == before  # nothing changed


def test_duplicate_zone_code(session: Session, city: City, areas: dict[str, Any]) -> None:
    with pytest.raises(PatrolZoneImportFailed) as err:
        do_import_patrol_zones(session, city_code=city.code, zones=[ZONES[0], {**ZONES[1], "code": "PZ01"}])
    assert err.value.details == [
        {
            "source": "patrol_zones.yaml",
            "feature": 1,
            "code": "PZ01",
            "rule": "duplicate_code",
            "message": "item 1 (PZ01): code PZ01 is already used by item 0",
        }
    ]
    assert list_patrol_zones(session, city.code) == []


def test_not_a_list(session: Session, city: City, areas: dict[str, Any]) -> None:
    with pytest.raises(PatrolZoneImportFailed) as err:
        do_import_patrol_zones(session, city_code=city.code, zones={"PZ01": ZONES[0]})
    assert err.value.details[0]["rule"] == "not_list"
    assert (
        err.value.message
        == "patrol_zones.yaml: 1 problem; first: the file: expected a list of patrol zones, got dict"
    )
