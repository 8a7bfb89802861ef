"""The demo city's departments, responsibilities, patrol zones, staff and local taxonomy codes."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from shapely.geometry import Point, Polygon
from shapely.ops import unary_union

import cityloop
from cityloop.sim.democity import DemoPack
from sim.helpers import Areas

pytestmark = pytest.mark.slow

NATIONAL_CSV = Path(cityloop.__file__).parent / "taxonomy" / "data" / "gbt47678.5-2026-taxonomy.csv"
ROLES = {
    "inspector",
    "operator",
    "shift_leader",
    "dispatcher",
    "department",
    "field_worker",
    "leader",
    "auditor",
    "admin",
}
SKILLS = {
    "road",
    "lighting",
    "drainage",
    "greening",
    "sanitation",
    "gas",
    "traffic",
    "enforcement",
    "advertising",
}
PROFESSIONAL = {"CG": "城市管理局", "HW": "环境卫生管理处", "SZ": "市政工程管理处", "YL": "园林绿化管理处",
                "JJ": "交警大队", "GPS": "供排水集团", "RQ": "燃气集团"}  # fmt: skip


def _national() -> list[dict[str, str]]:
    with NATIONAL_CSV.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _departments(demo: DemoPack) -> dict[str, dict]:
    return {d["code"]: d for d in demo.departments}


def _categories(department: dict, kind: str) -> set[str]:
    return {
        c
        for duty in department["responsibilities"]
        if duty["kind"] in (kind, None)
        for c in duty["categories"]
    }


def test_departments(demo: DemoPack, areas: Areas) -> None:
    departments = _departments(demo)
    assert len(departments) == 15
    for code, name in PROFESSIONAL.items():
        assert departments[code]["kind"] == "professional"
        assert departments[code]["name_zh"] == f"示范市{name}"
    assert departments["ZX"]["kind"] == "centre" and departments["ZX"]["name_zh"] == "示范市城市运行管理中心"
    assert {departments[code]["parent"] for code in ("HW", "SZ", "YL")} == {"CG"}
    offices = [d for d in demo.departments if d["kind"] == "street_office"]
    assert [d["code"] for d in offices] == [f"JD{n:03d}" for n in range(1, 8)]
    assert [d["street"] for d in offices] == list(areas.street)
    for office in offices:
        assert office["name_zh"] == areas.street[office["street"]][0]["name"] + "办事处"
        assert office["responsibilities"] == [{
            "categories": ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"],
            "standard": "GB/T 47678.5-2026", "kind": None, "areas": [office["street"]],
        }]  # fmt: skip
    for department in demo.departments:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", department["code"])
        assert department["parent"] is None or department["parent"] in departments
        assert (department["street"] is not None) == (department["kind"] == "street_office")


def test_every_referenced_category_exists_with_its_kind(demo: DemoPack) -> None:
    national = _national()
    codes = {(row["kind"], row["code"]) for row in national}
    majors = {(row["kind"], row["major_code"]) for row in national}
    checked = 0
    for department in demo.departments:
        for duty in department["responsibilities"]:
            assert duty["standard"] == "GB/T 47678.5-2026"
            assert duty["kind"] in ("component", "matter", None)
            kinds = [duty["kind"]] if duty["kind"] else ["component", "matter"]
            for category in duty["categories"]:
                table = majors if len(category) == 2 else codes
                assert len(category) in (2, 5) and any((k, category) in table for k in kinds), (
                    f"{department['code']}: {duty['kind']} {category} is not in GB/T 47678.5-2026"
                )
                checked += 1
    assert checked > 150


def test_responsibilities_go_to_the_right_department(demo: DemoPack) -> None:
    departments = _departments(demo)
    assert "01011" in _categories(departments["RQ"], "component")
    assert {"01001", "01002", "01003", "01004"} <= _categories(departments["GPS"], "component")
    assert {"04"} <= _categories(departments["YL"], "component") & _categories(departments["YL"], "matter")
    assert {"02014", "02015"} <= _categories(departments["JJ"], "component")
    assert {"01037", "02009"} <= _categories(departments["SZ"], "component")
    assert {"06013"} <= _categories(departments["SZ"], "matter")
    assert {"03005", "06010", "06042"} <= _categories(departments["HW"], "matter")
    assert {"07", "09", "06001"} <= _categories(departments["CG"], "matter")
    assert "03006" in _categories(departments["CG"], "component")


def test_patrol_zones_are_contiguous_and_cover_every_grid(demo: DemoPack, areas: Areas) -> None:
    zones = demo.patrol_zones
    assert [z["code"] for z in zones] == [f"PZ{n:03d}" for n in range(1, 33)]
    covered = [grid for zone in zones for grid in zone["grids"]]
    assert sorted(covered) == sorted(areas.grid)
    grids = areas.geometries("grid")
    for zone in zones:
        assert zone["name"].endswith("巡查责任区")
        union = unary_union([grids[code] for code in zone["grids"]])
        assert isinstance(union, Polygon) and not union.interiors, zone["code"]


def test_staff_roles_and_accounts(demo: DemoPack) -> None:
    staff = demo.staff
    assert len(staff) == 111
    by_username = {s["username"]: s for s in staff}
    assert len(by_username) == len(staff)
    assert {
        "admin",
        "leader01",
        "auditor01",
        "operator01",
        "dispatcher01",
        "shiftleader01",
        "inspector01",
    } <= set(by_username)
    assert {role for s in staff for role in s["roles"]} == ROLES
    assert len({s["name"] for s in staff}) == len(staff)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", s["name"]) for s in staff)
    assert sorted(s["phone"] for s in staff) == [f"1380000{n:04d}" for n in range(1, 112)]
    zones = {z["code"] for z in demo.patrol_zones}
    inspectors = [s for s in staff if "inspector" in s["roles"]]
    assert sorted(s["patrol_zone"] for s in inspectors) == sorted(zones)
    assert all("patrol_zone" not in s for s in staff if "inspector" not in s["roles"])
    departments = _departments(demo)
    for code in departments:
        assert any(s["department"] == code and "department" in s["roles"] for s in staff), code
    assert all(s["department"] is None or s["department"] in departments for s in staff)


def test_field_workers(demo: DemoPack, areas: Areas) -> None:
    departments = _departments(demo)
    workers = [s for s in demo.staff if "field_worker" in s["roles"]]
    assert len(workers) == 51
    assert all("worker" not in s for s in demo.staff if "field_worker" not in s["roles"])
    assert {w["department"] for w in workers} == set(departments) - {"ZX"}
    city = unary_union(list(areas.geometries("district").values()))
    streets = areas.geometries("street")
    evening = weekend = 0
    for w in workers:
        home = Point(w["worker"]["home"])
        department = departments[w["department"]]
        assert city.contains(home)
        if department["kind"] == "street_office":
            assert streets[department["street"]].contains(home)
        assert w["worker"]["skills"] and set(w["worker"]["skills"]) <= SKILLS
        for shift in w["worker"]["shifts"]:
            assert shift["weekdays"] and set(shift["weekdays"]) <= set(range(1, 8))
            assert re.fullmatch(r"\d\d:\d\d", shift["start"]) and re.fullmatch(r"\d\d:\d\d", shift["end"])
            assert shift["start"] < shift["end"]
            evening += shift["end"] > "20:00"
            weekend += bool({6, 7} & set(shift["weekdays"]))
    assert 5 <= evening <= 15 and 5 <= weekend <= 15
    skills = {skill for w in workers for skill in w["worker"]["skills"]}
    assert skills == SKILLS
    gas = [w for w in workers if w["department"] == "RQ"]
    assert gas and all(w["worker"]["skills"] == ["gas"] for w in gas)


def test_local_taxonomy_codes_extend_the_national_table(demo: DemoPack) -> None:
    rows = list(csv.DictReader(io.StringIO(demo.taxonomy_local_csv)))
    assert demo.taxonomy_local_csv.splitlines()[0] == "kind,major_code,code,name,name_en,note"
    assert [(r["kind"], r["code"], r["name"]) for r in rows] == [
        ("matter", "09901", "占道晾晒"), ("matter", "09902", "飞线充电"), ("matter", "06901", "犬只粪便未清理"),
    ]  # fmt: skip
    national = _national()
    taken = {row["code"] for row in national}
    majors = {(row["kind"], row["major_code"]) for row in national}
    for row in rows:
        assert row["code"][:2] == row["major_code"] and int(row["code"][2:]) >= 900
        assert row["code"] not in taken and (row["kind"], row["major_code"]) in majors
        assert row["name_en"]
