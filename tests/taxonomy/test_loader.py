"""The packaged tables, English names and default registration conditions, read without a database."""

from __future__ import annotations

import csv
import io
from collections import Counter

from cityloop.taxonomy.loader import (
    FILE_2026_EN,
    TIME_UNITS,
    default_conditions,
    english_names,
    read_data,
    rows_2026,
    rows_legacy,
)
from cityloop.taxonomy.standards import LEGACY, STANDARD_2026


def test_2026_table_has_403_rows_153_components_250_matters() -> None:
    rows = rows_2026()
    assert len(rows) == 403
    assert Counter(r.kind for r in rows) == {"component": 153, "matter": 250}
    assert {r.standard for r in rows} == {STANDARD_2026}


def test_2026_counts_per_major() -> None:
    counts = Counter((r.kind, r.major_code) for r in rows_2026())
    assert counts == {
        ("component", "01"): 76,
        ("component", "02"): 44,
        ("component", "03"): 16,
        ("component", "04"): 14,
        ("component", "05"): 3,
        ("matter", "01"): 76,
        ("matter", "02"): 44,
        ("matter", "03"): 16,
        ("matter", "04"): 14,
        ("matter", "05"): 3,
        ("matter", "06"): 51,
        ("matter", "07"): 7,
        ("matter", "08"): 16,
        ("matter", "09"): 21,
        ("matter", "10"): 2,
    }


def test_codes_are_unique_per_kind_and_components_share_codes_with_matters() -> None:
    rows = rows_2026()
    keys = [(r.kind, r.code) for r in rows]
    assert len(set(keys)) == 403
    components = {r.code for r in rows if r.kind == "component"}
    matters_01_05 = {r.code for r in rows if r.kind == "matter" and r.major_code <= "05"}
    assert components == matters_01_05
    assert all(len(r.code) == 5 and r.code.startswith(r.major_code) for r in rows)


def test_gaps_in_numbering_are_those_of_the_standard() -> None:
    codes = {(r.kind, r.code) for r in rows_2026()}
    for gap in ("01016", "06031", "07005", "09007"):
        assert ("matter", gap) not in codes


def test_every_major_and_every_matter_of_06_to_10_has_an_english_name() -> None:
    rows = rows_2026()
    assert all(r.major_name_en for r in rows)
    assert all(r.name_en for r in rows if r.kind == "matter" and r.major_code >= "06")
    assert {(r.kind, r.major_code): r.major_name_en for r in rows if r.major_code in ("06", "09")} == {
        ("matter", "06"): "City appearance and environment",
        ("matter", "09"): "Street order",
    }


def test_english_names_left_blank_only_where_no_accurate_rendering_was_found() -> None:
    blank = sorted((r.kind, r.code, r.name) for r in rows_2026() if not r.name_en)
    assert blank == [
        ("component", "01025", "供水器"),
        ("component", "01055", "防蚊闸"),
        ("component", "01068", "水鹤"),
        ("matter", "01025", "供水器异常"),
        ("matter", "01055", "防蚊闸异常"),
        ("matter", "01068", "水鹤异常"),
    ]
    names = {(r.kind, r.code): r.name_en for r in rows_2026()}
    assert names[("matter", "06010")] == "Exposed rubbish"
    assert names[("matter", "09001")] == "Unlicensed street vending"
    assert names[("matter", "01037")] == "Abnormal street lamp"
    assert names[("component", "01037")] == "Street lamp"


def test_english_file_names_only_codes_of_the_table() -> None:
    table = {(r.kind, r.code) for r in rows_2026()} | {(r.kind, r.major_code) for r in rows_2026()}
    records = list(csv.DictReader(io.StringIO(read_data(FILE_2026_EN))))
    keys = [(r["kind"], r["code"]) for r in records]
    assert len(keys) == len(set(keys)) == 403 + 15
    assert set(keys) == table
    assert set(english_names()) <= table


def test_legacy_table() -> None:
    rows = rows_legacy()
    assert len(rows) == 134
    assert Counter(r.kind for r in rows) == {"component": 80, "matter": 54}
    assert {r.standard for r in rows} == {LEGACY}
    assert all(len(r.code) == 4 and r.code.startswith(r.major_code) for r in rows)
    first = rows[0]
    assert (first.kind, first.code, first.name, first.note) == (
        "component",
        "0101",
        "上水井盖",
        "CJ/T 214-2007 style (as used by one city codebase)",
    )


def test_each_default_condition_names_an_existing_2026_code_with_that_name() -> None:
    table = {(r.standard, r.kind, r.code): r.name for r in rows_2026()}
    conditions = default_conditions()
    assert len(conditions) == 9
    for c in conditions:
        assert table[(c.standard, c.kind, c.code)] == c.name, c
        assert c.limits["normal"]["unit"] in TIME_UNITS
        assert c.limits["urgent"]["unit"] in TIME_UNITS
        assert c.limits["urgent"]["amount"] <= c.limits["normal"]["amount"]
        assert c.note and c.source


def test_default_conditions_carry_the_domain_figures() -> None:
    by_situation = {(c.code, c.situation): c.limits for c in default_conditions()}
    assert by_situation[("06010", "公共区域有暴露垃圾")] == {
        "urgent": {"amount": 2, "unit": "working_hours"},
        "normal": {"amount": 4, "unit": "working_hours"},
    }
    assert by_situation[("06012", "道路有污物、污迹，影响市容")]["normal"] == {
        "amount": 5,
        "unit": "working_hours",
    }
    assert by_situation[("06011", "公共区域积存垃圾、渣土")]["normal"] == {
        "amount": 4,
        "unit": "working_days",
    }
    assert [(c.situation, c.limits["normal"]) for c in default_conditions() if c.code == "06001"] == [
        ("正在搭建，需制止", {"amount": 4, "unit": "working_hours"}),
        ("已建成，需查处", {"amount": 7, "unit": "working_days"}),
        ("经认定需拆除", {"amount": 20, "unit": "working_days"}),
    ]
    assert by_situation[("06029", "占道露天烧烤")]["normal"] == {"amount": 2, "unit": "calendar_hours"}
    assert by_situation[("01002", "污水井盖丢失")]["normal"] == {"amount": 2, "unit": "calendar_hours"}
    assert by_situation[("01037", "相邻三盏（含）以上路灯不亮")]["normal"] == {
        "amount": 1,
        "unit": "working_days",
    }
