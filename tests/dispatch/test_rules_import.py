"""Rules and component owners as data: import, export, merge, and refusals that list every problem."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from cityloop.dispatch import (
    ComponentOwner,
    DispatchRule,
    InvalidComponentOwners,
    InvalidRules,
    export_component_owners,
    export_rules,
    import_component_owners,
    import_rules,
    load_catalogue,
    rule_problems,
)
from cityloop.org import get_department
from dispatch.conftest import CITY, COMMUNITY1, DISTRICT, GRID1, STREET1, STREET2, RoutingCity

RULES: list[dict[str, Any]] = [
    {
        "name": "夜间违停",
        "department": "JJ",
        "conditions": {"categories": ["09009"], "time": {"start": "20:00", "end": "07:00"}},
    },
    {
        "name": "二街道晾晒",
        "department": "JD002",
        "conditions": {"categories": ["09901"], "streets": [STREET2], "weekdays": [6, 7]},
        "enabled": False,
        "note": "本市扩展代码",
    },
    {"name": "兜底", "department": "CG"},
]


def _names(rcity: RoutingCity) -> list[tuple[int, str]]:
    rows = rcity.session.scalars(
        select(DispatchRule).where(DispatchRule.city_id == CITY).order_by(DispatchRule.position)
    )
    return [(r.position, r.name) for r in rows]


def test_import_then_export_gives_the_same_rows_and_reimport_keeps_ids(rcity: RoutingCity) -> None:
    imported = import_rules(rcity.session, CITY, RULES)
    assert [(r.position, r.name, r.department.code, r.enabled) for r in imported] == [
        (0, "夜间违停", "JJ", True),
        (1, "二街道晾晒", "JD002", False),
        (2, "兜底", "CG", True),
    ]
    exported = export_rules(rcity.session, CITY)
    assert exported == [
        {
            "name": "夜间违停",
            "department": "JJ",
            "conditions": {"categories": ["09009"], "time": {"start": "20:00", "end": "07:00"}},
            "enabled": True,
        },
        {
            "name": "二街道晾晒",
            "department": "JD002",
            "conditions": {"categories": ["09901"], "streets": [STREET2], "weekdays": [6, 7]},
            "enabled": False,
            "note": "本市扩展代码",
        },
        {"name": "兜底", "department": "CG", "conditions": {}, "enabled": True},
    ]
    ids = [r.id for r in imported]
    again = import_rules(rcity.session, CITY, exported)
    assert [r.id for r in again] == ids
    assert export_rules(rcity.session, CITY) == exported


def test_replace_reorders_and_drops_unlisted_rules(rcity: RoutingCity) -> None:
    first = {r.name: r.id for r in import_rules(rcity.session, CITY, RULES)}
    rows = [RULES[2], {**RULES[0], "department": "CG"}]
    after = import_rules(rcity.session, CITY, rows)
    assert [(r.position, r.name, r.department.code, r.id) for r in after] == [
        (0, "兜底", "CG", first["兜底"]),
        (1, "夜间违停", "CG", first["夜间违停"]),
    ]


def test_merge_updates_by_name_in_place_and_appends_new_rules(rcity: RoutingCity) -> None:
    import_rules(rcity.session, CITY, RULES)
    merged = import_rules(
        rcity.session,
        CITY,
        [{"name": "新规则", "department": "HW"}, {**RULES[0], "department": "CG"}],
        replace=False,
    )
    assert [(r.name, r.department.code) for r in merged] == [
        ("夜间违停", "CG"),
        ("二街道晾晒", "JD002"),
        ("兜底", "CG"),
        ("新规则", "HW"),
    ]


def test_every_problem_is_listed_with_index_name_and_field_and_nothing_is_imported(
    rcity: RoutingCity,
) -> None:
    import_rules(rcity.session, CITY, RULES)
    before = export_rules(rcity.session, CITY)
    get_department(rcity.session, CITY, "OLD").active = False
    bad: list[Any] = [
        {
            "name": "坏代码",
            "department": "CG",
            "conditions": {
                "categories": ["09999", "0900", "00000"],
                "majors": ["11", "00"],
                "kind": "matter",
            },
        },
        {
            "name": "部件不存在",
            "department": "CG",
            "conditions": {"kind": "component", "categories": ["09001"]},
        },
        {"name": "未知部门", "department": "NOPE"},
        {"name": "撤并部门", "department": "OLD"},
        {
            "name": "未知区域",
            "department": "CG",
            "conditions": {
                "districts": ["330199"],
                "streets": ["330102009"],
                "communities": [COMMUNITY1],
                "grids": ["330102001001099", "3301020010010"],
            },
        },
        {
            "name": "坏时段",
            "department": "CG",
            "conditions": {"time": {"start": "08:00", "end": "08:00"}, "weekdays": [0, 8]},
        },
        {"name": "坏时刻", "department": "CG", "conditions": {"time": {"start": "24:00", "end": "7:00"}}},
        {"name": "坏来源", "department": "CG", "conditions": {"sources": ["pigeon"], "urgency": "soon"}},
        {"name": "坏时段", "department": "CG", "extra": 1},
        {"department": "CG", "conditions": {"colour": "red"}},
        "not a mapping",
        {
            "name": "自相矛盾",
            "department": "CG",
            "conditions": {
                "categories": ["06010"],
                "majors": ["09"],
                "districts": [DISTRICT],
                "streets": [STREET1],
            },
        },
        {
            "name": "街道不在区内",
            "department": "CG",
            "conditions": {"streets": [STREET1], "communities": ["330102002001"]},
        },
    ]
    with pytest.raises(InvalidRules) as caught:
        import_rules(rcity.session, CITY, bad)
    error = caught.value
    assert error.code == "dispatch.invalid_rules"
    assert _problems_of(error.details) == [
        (0, "坏代码", "conditions.categories[1]", "category code '0900' must be exactly 5 digits"),
        (0, "坏代码", "conditions.majors[1]", "major 00 does not exist"),
        (0, "坏代码", "conditions.categories[0]", "unknown matter category 09999"),
        (0, "坏代码", "conditions.categories[2]", "unknown matter category 00000"),
        (0, "坏代码", "conditions.majors[0]", "unknown matter major 11"),
        (1, "部件不存在", "conditions.categories[0]", "unknown component category 09001"),
        (2, "未知部门", "department", "unknown department 'NOPE' in city 330100"),
        (3, "撤并部门", "department", "department OLD is not active"),
        (
            4,
            "未知区域",
            "conditions.grids[1]",
            "grid code '3301020010010' must be a string of exactly 15 digits",
        ),
        (4, "未知区域", "conditions.districts[0]", "unknown district 330199 in city 330100"),
        (4, "未知区域", "conditions.streets[0]", "unknown street 330102009 in city 330100"),
        (4, "未知区域", "conditions.grids[0]", "unknown grid 330102001001099 in city 330100"),
        (5, "坏时段", "conditions.time", "start and end are both 08:00: the window would be empty"),
        (5, "坏时段", "conditions.weekdays[0]", "weekday 0 must be 1 (Monday) to 7 (Sunday)"),
        (5, "坏时段", "conditions.weekdays[1]", "weekday 8 must be 1 (Monday) to 7 (Sunday)"),
        (6, "坏时刻", "conditions.time.start", "time '24:00' must be HH:MM between 00:00 and 23:59"),
        (6, "坏时刻", "conditions.time.end", "time '7:00' must be HH:MM between 00:00 and 23:59"),
        (
            7,
            "坏来源",
            "conditions.sources[0]",
            "unknown source 'pigeon'; expected one of inspector, citizen, hotline, camera, sensor, drone, sms, open311",
        ),
        (7, "坏来源", "conditions.urgency", "Input should be 'normal' or 'urgent'"),
        (8, "坏时段", "name", "duplicate name, already used by item 5"),
        (8, "坏时段", "extra", "unknown key"),
        (9, None, "name", "required key missing"),
        (9, None, "conditions.colour", "unknown key"),
        (10, None, "(item)", "each item must be a mapping of keys to values"),
        (
            11,
            "自相矛盾",
            "conditions.categories[0]",
            "category 06010 is in none of the majors listed: the rule could never match",
        ),
        (
            12,
            "街道不在区内",
            "conditions.communities[0]",
            "community 330102002001 lies in none of the streets listed: the rule could never match",
        ),
    ]
    assert error.message == (
        "dispatch rules: 26 problem(s), nothing imported; first: item 0 (坏代码), "
        "conditions.categories[1]: category code '0900' must be exactly 5 digits"
    )
    assert export_rules(rcity.session, CITY) == before


def _problems_of(details: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(p["index"], p["key"], p["field"], p["message"]) for p in details]


OWNERS: list[dict[str, Any]] = [
    {"prefix": "33010201002", "owner": "GPS"},
    {"prefix": "3301020100200012", "owner": "GPS", "maintainer": "SZ", "note": "一号路段委托市政养护"},
    {"prefix": "33010204", "owner": "YL"},
]


def test_component_owners_import_export_and_replace(rcity: RoutingCity) -> None:
    rows = import_component_owners(rcity.session, CITY, OWNERS)
    assert [(o.prefix, o.owner.code, o.maintainer.code if o.maintainer else None) for o in rows] == [
        ("33010201002", "GPS", None),
        ("3301020100200012", "GPS", "SZ"),
        ("33010204", "YL", None),
    ]
    exported = export_component_owners(rcity.session, CITY)
    assert exported == [
        {"prefix": "33010201002", "owner": "GPS"},
        {"prefix": "3301020100200012", "owner": "GPS", "maintainer": "SZ", "note": "一号路段委托市政养护"},
        {"prefix": "33010204", "owner": "YL"},
    ]
    ids = {o.prefix: o.id for o in rows}
    again = import_component_owners(rcity.session, CITY, [exported[2], {**exported[0], "owner": "SZ"}])
    assert [(o.prefix, o.owner.code, o.id) for o in again] == [
        ("33010201002", "SZ", ids["33010201002"]),
        ("33010204", "YL", ids["33010204"]),
    ]
    merged = import_component_owners(rcity.session, CITY, [OWNERS[1]], replace=False)
    assert [o.prefix for o in merged] == ["33010201002", "3301020100200012", "33010204"]


def test_component_owner_problems_are_all_listed_and_nothing_is_imported(rcity: RoutingCity) -> None:
    import_component_owners(rcity.session, CITY, OWNERS)
    bad: list[Any] = [
        {"prefix": "3301020", "owner": "SZ"},
        {"prefix": "330102010010000001", "owner": "SZ"},
        {"prefix": "33010200", "owner": "SZ"},
        {"prefix": "33010201000", "owner": "SZ"},
        {"prefix": "11010501002", "owner": "SZ"},
        {"prefix": "33010209001", "owner": "SZ"},
        {"prefix": "33010206", "owner": "NOPE", "maintainer": "GONE"},
        {"prefix": "33010201002", "owner": "SZ", "colour": "red"},
        {"prefix": "33010201002", "owner": 7},
    ]
    with pytest.raises(InvalidComponentOwners) as caught:
        import_component_owners(rcity.session, CITY, bad)
    assert caught.value.code == "dispatch.invalid_component_owners"
    assert _problems_of(caught.value.details) == [
        (
            0,
            "3301020",
            "prefix",
            "prefix '3301020' must be 8 to 17 digits (6 division + 2 major [+ 3 minor [+ sequence]])",
        ),
        (
            1,
            "330102010010000001",
            "prefix",
            "prefix '330102010010000001' must be 8 to 17 digits (6 division + 2 major [+ 3 minor [+ sequence]])",
        ),
        (2, "33010200", "prefix", "prefix '33010200': the major (digits 7-8) is 00"),
        (3, "33010201000", "prefix", "prefix '33010201000': the minor (digits 9-11) is 000"),
        (4, "11010501002", "prefix", "division 110105 is not in city 330100"),
        (5, "33010209001", "prefix", "unknown component category 09001"),
        (6, "33010206", "prefix", "unknown component major 06"),
        (6, "33010206", "owner", "unknown department 'NOPE' in city 330100"),
        (6, "33010206", "maintainer", "unknown department 'GONE' in city 330100"),
        (7, "33010201002", "colour", "unknown key"),
        (8, "33010201002", "prefix", "duplicate prefix, already used by item 7"),
        (8, "33010201002", "owner", "Input should be a valid string"),
    ]
    assert export_component_owners(rcity.session, CITY) == [
        {"prefix": o["prefix"], "owner": o["owner"], **{k: o[k] for k in ("maintainer", "note") if k in o}}
        for o in OWNERS
    ]
    assert rcity.session.scalar(select(ComponentOwner.id).where(ComponentOwner.prefix == "33010206")) is None


def test_a_dry_run_returns_the_problems_without_raising(rcity: RoutingCity) -> None:
    catalogue = load_catalogue(rcity.session, CITY)
    rules, problems = rule_problems([RULES[0], {"name": "x", "department": "NOPE"}], catalogue)
    assert [r.name for r in rules] == ["夜间违停", "x"]
    assert problems == [
        {"index": 1, "key": "x", "field": "department", "message": "unknown department 'NOPE' in city 330100"}
    ]
    assert {"GRID1": GRID1 in catalogue.areas, "09901": ("matter", "09901") in catalogue.categories} == {
        "GRID1": True,
        "09901": True,
    }
