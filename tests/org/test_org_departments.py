from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cityloop.cities.models import City
from cityloop.org import do_import_departments, export_departments, get_department, list_departments
from cityloop.org.errors import DepartmentNotFound, OrgImportFailed
from cityloop.org.models import Department, Responsibility


def _import(session: Session, city: City, items: list[dict[str, Any]], known: Any) -> list[Department]:
    return do_import_departments(
        session, city_code=city.code, items=items, known_areas=known.areas, known_categories=known.categories
    )


def _problems(session: Session, city: City, items: list[Any], known: Any = None) -> list[dict[str, Any]]:
    with pytest.raises(OrgImportFailed) as err:
        do_import_departments(
            session,
            city_code=city.code,
            items=items,
            known_areas=known.areas if known else None,
            known_categories=known.categories if known else None,
        )
    assert err.value.code == "org.import_failed"
    assert err.value.status == 422
    assert session.scalar(select(func.count()).select_from(Department)) == 0
    assert session.scalar(select(func.count()).select_from(Responsibility)) == 0
    problems: list[dict[str, Any]] = err.value.details
    return problems


def test_import_creates_departments_with_parents_and_responsibilities(
    session: Session, city: City, departments: list[dict[str, Any]], known: Any
) -> None:
    rows = _import(session, city, departments, known)
    assert [d.code for d in rows] == ["CG", "CG-HW", "JD-01", "ZX"]
    hw = get_department(session, city.code, "CG-HW")
    assert (hw.name_zh, hw.kind, hw.parent.code if hw.parent else None) == ("环卫处", "professional", "CG")
    jd = get_department(session, city.code, "JD-01")
    assert (jd.kind, jd.street_code) == ("street_office", known.street)
    assert [(r.standard, r.kind, r.categories, r.areas) for r in jd.responsibilities] == [
        ("GB/T 47678.5-2026", None, ["09001"], [known.street])
    ]
    assert list(session.scalars(list_departments(session, city.code, kind="street_office"))) == [jd]


def test_standard_defaults_to_the_2026_edition(session: Session, city: City) -> None:
    items = [
        {"code": "A", "name_zh": "甲", "kind": "professional", "responsibilities": [{"categories": ["06"]}]}
    ]
    (dept,) = do_import_departments(session, city_code=city.code, items=items)
    assert [(r.standard, r.kind, r.areas) for r in dept.responsibilities] == [("GB/T 47678.5-2026", None, [])]


def test_export_is_the_import_format_and_round_trips(
    session: Session, city: City, departments: list[dict[str, Any]], known: Any
) -> None:
    _import(session, city, departments, known)
    exported = export_departments(session, city.code)
    assert exported == departments
    _import(session, city, exported, known)
    assert export_departments(session, city.code) == exported


def test_reimport_updates_in_place_and_deactivates_unlisted(
    session: Session, city: City, departments: list[dict[str, Any]], known: Any
) -> None:
    first = {d.code: d.id for d in _import(session, city, departments, known)}
    departments[1]["name_zh"] = "环境卫生管理处"
    departments[1]["parent"] = None
    departments[1]["responsibilities"].append({"categories": ["01001"], "kind": "component", "areas": []})
    del departments[3]  # ZX
    second = {d.code: d.id for d in _import(session, city, departments, known)}
    assert second == {code: first[code] for code in ("CG", "CG-HW", "JD-01")}
    hw = get_department(session, city.code, "CG-HW")
    assert (hw.name_zh, hw.parent_id) == ("环境卫生管理处", None)
    assert [r.categories for r in hw.responsibilities] == [["06001"], ["01001"]]
    zx = get_department(session, city.code, "ZX")
    assert zx.active is False
    assert [d.code for d in session.scalars(list_departments(session, city.code))] == ["CG", "CG-HW", "JD-01"]
    assert [d["code"] for d in export_departments(session, city.code)] == ["CG", "CG-HW", "JD-01"]
    # Listing it again brings it back.
    departments.append({"code": "ZX", "name_zh": "监督指挥中心", "kind": "centre"})
    _import(session, city, departments, known)
    assert get_department(session, city.code, "ZX").active is True


def test_departments_are_per_city(
    session: Session, make_city: Any, departments: list[dict[str, Any]], known: Any
) -> None:
    a, b = make_city("330100"), make_city("110100", "北京")
    _import(session, a, departments, known)
    _import(session, b, departments[:1], known)
    assert len(export_departments(session, a.code)) == 4
    assert [d["code"] for d in export_departments(session, b.code)] == ["CG"]
    with pytest.raises(DepartmentNotFound) as err:
        get_department(session, b.code, "ZX")
    assert (err.value.code, err.value.status) == ("org.department_not_found", 404)


def test_every_problem_is_reported_and_nothing_written(session: Session, city: City, known: Any) -> None:
    items: list[Any] = [
        {"code": "A", "name_zh": "甲", "kind": "professional", "colour": "red"},
        {"code": "B", "kind": "bureau"},
        {"code": "A", "name_zh": "重复", "kind": "centre"},
        {"code": "S", "name_zh": "街道", "kind": "street_office"},
        {"code": "T", "name_zh": "街道", "kind": "street_office", "street": "330199001"},
        {"code": "U", "name_zh": "街道", "kind": "street_office", "street": "3301"},
        {"code": "P", "name_zh": "乙", "kind": "professional", "street": known.street},
        {"code": "C", "name_zh": "丙", "kind": "professional", "parent": "NOPE"},
        {
            "code": "R",
            "name_zh": "丁",
            "kind": "professional",
            "responsibilities": [{"categories": ["99001", "6"], "areas": ["330199", "12"], "kind": "both"}],
        },
        "not a mapping",
    ]
    problems = _problems(session, city, items, known)
    assert [(p["index"], p["key"], p["field"], p["rule"]) for p in problems] == [
        (0, "A", "colour", "unknown key"),
        (1, "B", "name_zh", "required key missing"),
        (1, "B", "kind", "Input should be 'professional', 'street_office' or 'centre' (got 'bureau')"),
        (2, "A", "code", "duplicate code, already used by item 0"),
        (5, "U", "street", "street '3301' must be a 9-digit street code"),
        (8, "R", "responsibilities[0].categories", "category '6' must be a 2-digit major or a 5-digit code"),
        (8, "R", "responsibilities[0].kind", "Input should be 'component' or 'matter' (got 'both')"),
        (8, "R", "responsibilities[0].areas", "area '12' must be an area code of 6, 9, 12 or 15 digits"),
        (9, None, "(item)", "each item must be a mapping of keys to values"),
        (3, "S", "street", "a street office needs the 9-digit street code it serves"),
        (4, "T", "street", "street 330199001 is not an area of the city"),
        (6, "P", "street", "only a street office has a street, not a professional"),
        (7, "C", "parent", "unknown parent 'NOPE': not listed in departments.yaml"),
    ]
    assert {p["file"] for p in problems} == {"departments.yaml"}


def test_unknown_categories_and_areas_when_known_codes_are_given(
    session: Session, city: City, known: Any
) -> None:
    items = [
        {
            "code": "R",
            "name_zh": "丁",
            "kind": "professional",
            "responsibilities": [{"categories": ["06", "99001"], "areas": ["330199", known.street]}],
        }
    ]
    problems = _problems(session, city, items, known)
    assert [(p["field"], p["rule"]) for p in problems] == [
        ("responsibilities[0].categories", "unknown category 99001"),
        ("responsibilities[0].areas", "unknown area 330199"),
    ]
    # Without known codes only the shape is checked.
    (dept,) = do_import_departments(session, city_code=city.code, items=items)
    assert dept.responsibilities[0].categories == ["06", "99001"]


def test_parent_cycles_are_refused(session: Session, city: City) -> None:
    items = [
        {"code": "A", "name_zh": "甲", "kind": "professional", "parent": "B"},
        {"code": "B", "name_zh": "乙", "kind": "professional", "parent": "A"},
        {"code": "C", "name_zh": "丙", "kind": "professional", "parent": "C"},
        {"code": "D", "name_zh": "丁", "kind": "professional", "parent": "A"},
    ]
    problems = _problems(session, city, items)
    assert [(p["key"], p["field"], p["rule"]) for p in problems] == [
        ("A", "parent", "parent cycle: A → B → A"),
        ("B", "parent", "parent cycle: B → A → B"),
        ("C", "parent", "parent cycle: C → C"),
    ]


def test_error_message_names_file_item_field_and_rule(session: Session, city: City) -> None:
    with pytest.raises(OrgImportFailed) as err:
        do_import_departments(
            session,
            city_code=city.code,
            items=[{"code": "A", "kind": "centre"}],
            source="pack/departments.yaml",
        )
    assert err.value.message == (
        "pack/departments.yaml: 1 problem(s), nothing imported; "
        "first: item 0 (A), name_zh: required key missing"
    )


def test_refused_reimport_keeps_what_was_there(
    session: Session, city: City, departments: list[dict[str, Any]], known: Any
) -> None:
    _import(session, city, departments, known)
    before = export_departments(session, city.code)
    broken = [*departments[:2], {"code": "X", "name_zh": "", "kind": "centre"}]
    with pytest.raises(OrgImportFailed):
        _import(session, city, broken, known)
    assert export_departments(session, city.code) == before
