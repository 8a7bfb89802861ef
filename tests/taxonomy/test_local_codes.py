"""A city's local extension codes: validated whole, written all or nothing, exported as imported."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cities.errors import CityNotFound
from cityloop.cities.models import City
from cityloop.taxonomy import (
    STANDARD_2026,
    TaxonomyImportFailed,
    do_import_local_codes,
    export_local_codes,
)
from cityloop.taxonomy.models import Category

HEADER = "kind,major_code,code,name,name_en,note\n"
GOOD = (
    HEADER + "matter,09,09901,占道晾晒,Drying laundry on the street,\n"
    'matter,06,06901,乱贴“牛皮癣”,"Flyposting, stubborn kind",本市自定义\n'
    "component,03,03901,智能垃圾分类箱,Smart sorting bin,\n"
)


def local_rows(session: Session, city_code: str) -> list[tuple[Any, ...]]:
    stmt = select(Category).where(Category.city_id == city_code).order_by(Category.kind, Category.code)
    return [
        (c.standard, c.kind, c.code, c.major_name, c.name, c.name_en, c.note) for c in session.scalars(stmt)
    ]


def failure(session: Session, city_code: str, text: str) -> list[dict[str, Any]]:
    with pytest.raises(TaxonomyImportFailed) as err:
        do_import_local_codes(session, city_code=city_code, csv_text=text, source="pack/taxonomy_local.csv")
    assert (err.value.code, err.value.status) == ("taxonomy.import_failed", 422)
    assert err.value.message.startswith("pack/taxonomy_local.csv: ")
    problems: list[dict[str, Any]] = err.value.details
    return problems


def test_import_then_export_round_trips(seeded: Session, city: City) -> None:
    assert do_import_local_codes(seeded, city_code=city.code, csv_text=GOOD) == 3
    assert local_rows(seeded, city.code) == [
        (STANDARD_2026, "component", "03901", "市容环卫设施", "智能垃圾分类箱", "Smart sorting bin", None),
        (
            STANDARD_2026,
            "matter",
            "06901",
            "市容环境类",
            "乱贴“牛皮癣”",
            "Flyposting, stubborn kind",
            "本市自定义",
        ),
        (STANDARD_2026, "matter", "09901", "街面秩序类", "占道晾晒", "Drying laundry on the street", None),
    ]
    exported = export_local_codes(seeded, city.code)
    assert exported == (
        HEADER + "component,03,03901,智能垃圾分类箱,Smart sorting bin,\n"
        'matter,06,06901,乱贴“牛皮癣”,"Flyposting, stubborn kind",本市自定义\n'
        "matter,09,09901,占道晾晒,Drying laundry on the street,\n"
    )
    assert do_import_local_codes(seeded, city_code=city.code, csv_text=exported) == 3
    assert export_local_codes(seeded, city.code) == exported


def test_reimport_replaces_keeping_rows_of_codes_that_stay(seeded: Session, city: City) -> None:
    do_import_local_codes(seeded, city_code=city.code, csv_text=GOOD)
    kept = seeded.scalars(
        select(Category).where(Category.city_id == city.code, Category.code == "09901")
    ).one()
    kept_id = kept.id
    assert (
        do_import_local_codes(seeded, city_code=city.code, csv_text=HEADER + "matter,09,09901,占道晾衣,,\n")
        == 1
    )
    assert local_rows(seeded, city.code) == [
        (STANDARD_2026, "matter", "09901", "街面秩序类", "占道晾衣", None, None)
    ]
    assert kept.id == kept_id
    assert do_import_local_codes(seeded, city_code=city.code, csv_text=HEADER) == 0
    assert local_rows(seeded, city.code) == []


@pytest.mark.parametrize(
    ("line", "field", "rule"),
    [
        ("event,09,09901,占道晾晒,,", "kind", "kind"),
        ("matter,9,09901,占道晾晒,,", "major_code", "major_format"),
        ("matter,09,9901,占道晾晒,,", "code", "code_format"),
        ("matter,09,0990A,占道晾晒,,", "code", "code_format"),
        ("matter,09,06901,占道晾晒,,", "code", "code_major"),
        ("component,06,06901,占道晾晒,,", "major_code", "major_exists"),
        ("matter,11,11001,新大类,,", "major_code", "major_exists"),
        ("matter,09,09001,无照经营游商,,", "code", "national_clash"),
        ("matter,09,09902,,,", "name", "name_required"),
        ("matter,09,09902,占道晾晒", "*", "columns"),
    ],
)
def test_each_rule_is_named_with_its_line(
    seeded: Session, city: City, line: str, field: str, rule: str
) -> None:
    problems = failure(seeded, city.code, HEADER + "matter,09,09950,合法的一行,,\n" + line + "\n")
    assert [(p["line"], p["field"], p["rule"]) for p in problems] == [(3, field, rule)]
    assert problems[0]["file"] == "pack/taxonomy_local.csv"
    assert local_rows(seeded, city.code) == []


def test_a_national_component_code_is_free_for_a_local_matter_only_if_not_a_national_matter(
    seeded: Session, city: City
) -> None:
    problems = failure(seeded, city.code, HEADER + "matter,01,01001,井盖,,\n")
    assert problems[0]["message"] == "matter 01001 is already a national code of GB/T 47678.5-2026"


def test_duplicates_and_several_problems_are_all_listed(seeded: Session, city: City) -> None:
    text = (
        HEADER + "matter,09,09901,甲,,\nmatter,09,09901,乙,,\ncomponent,09,09901,丙,,\nmatter,10,10901,,,\n"
    )
    problems = failure(seeded, city.code, text)
    assert [(p["line"], p["rule"]) for p in problems] == [
        (3, "duplicate"),
        (4, "major_exists"),
        (5, "name_required"),
    ]
    assert problems[0]["message"] == "matter 09901 already appears on line 2"


def test_bad_header_and_empty_file(seeded: Session, city: City) -> None:
    problems = failure(seeded, city.code, "kind,code,name\nmatter,09901,占道晾晒\n")
    assert [(p["line"], p["rule"]) for p in problems] == [(1, "header")]
    assert "kind,major_code,code,name,name_en,note" in problems[0]["message"]
    assert failure(seeded, city.code, "")[0]["rule"] == "header"


def test_a_refused_import_keeps_the_previous_local_codes(seeded: Session, city: City) -> None:
    do_import_local_codes(seeded, city_code=city.code, csv_text=GOOD)
    before = local_rows(seeded, city.code)
    failure(seeded, city.code, HEADER + "matter,09,09902,新的,,\nmatter,09,09001,冲突,,\n")
    assert local_rows(seeded, city.code) == before


def test_blank_lines_and_bom_are_tolerated(seeded: Session, city: City) -> None:
    text = "\ufeff" + HEADER + "\nmatter,09,09901,占道晾晒,,\n\n"
    assert do_import_local_codes(seeded, city_code=city.code, csv_text=text) == 1


def test_unknown_city(seeded: Session) -> None:
    with pytest.raises(CityNotFound):
        do_import_local_codes(seeded, city_code="110100", csv_text=GOOD)
    with pytest.raises(CityNotFound):
        export_local_codes(seeded, "110100")


def test_local_codes_of_two_cities_may_share_a_code(seeded: Session, make_city) -> None:  # type: ignore[no-untyped-def]
    a, b = make_city("330100"), make_city("110100", "北京")
    do_import_local_codes(seeded, city_code=a.code, csv_text=HEADER + "matter,09,09901,占道晾晒,,\n")
    do_import_local_codes(seeded, city_code=b.code, csv_text=HEADER + "matter,09,09901,违规遛狗,,\n")
    assert [r[4] for r in local_rows(seeded, a.code)] == ["占道晾晒"]
    assert [r[4] for r in local_rows(seeded, b.code)] == ["违规遛狗"]
