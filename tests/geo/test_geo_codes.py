from __future__ import annotations

import pytest

from cityloop.geo.codes import (
    area_code_problem,
    component_id_problem,
    level_of,
    matter_code_problem,
    parent_code,
)


@pytest.mark.parametrize(
    ("level", "code"),
    [
        ("district", "330102"),
        ("street", "330102001"),
        ("community", "330102001002"),
        ("grid", "330102001002015"),
    ],
)
def test_well_formed_area_codes(level: str, code: str) -> None:
    assert area_code_problem(level, code) is None
    assert level_of(code) == level


@pytest.mark.parametrize(
    ("level", "code", "problem"),
    [
        ("district", "33010", "district code '33010' must be a string of exactly 6 digits"),
        ("street", "3301020011", "street code '3301020011' must be a string of exactly 9 digits"),
        ("grid", "33010200100200A", "grid code '33010200100200A' must be a string of exactly 15 digits"),
        ("grid", 330102001002001, "grid code 330102001002001 must be a string of exactly 15 digits"),
        (
            "district",
            "990102",
            "district code '990102': division code '990102' does not start with a province code (GB/T 2260)",
        ),
        ("street", "330102000", "street code '330102000': the street part (digits 7-9) is 000"),
        (
            "community",
            "330102001000",
            "community code '330102001000': the community part (digits 10-12) is 000",
        ),
        (
            "grid",
            "330102001002000",
            "grid code '330102001002000': the grid sequence part (digits 13-15) is 000",
        ),
        (
            "village",
            "330102",
            "unknown area level 'village'; expected one of district, street, community, grid",
        ),
    ],
)
def test_malformed_area_codes(level: str, code: str, problem: str) -> None:
    assert area_code_problem(level, code) == problem


def test_level_and_parent_by_length() -> None:
    assert [level_of(c) for c in ("330102", "330102001", "33010200", "33010200100A", "")] == [
        "district",
        "street",
        None,
        None,
        None,
    ]
    assert parent_code("330102001002015") == "330102001002"
    assert parent_code("330102001002") == "330102001"
    assert parent_code("330102001") == "330102"
    assert parent_code("330102") is None
    assert parent_code("1234") is None


def test_component_ids() -> None:
    assert component_id_problem("33010201001000123") is None
    assert component_id_problem("3301020100100012") == (
        "component ID '3301020100100012' must be a string of exactly 17 digits"
    )
    assert component_id_problem("99010201001000123") == (
        "component ID '99010201001000123': division code '990102' does not start with a province code (GB/T 2260)"
    )
    assert component_id_problem("33010200001000123") == (
        "component ID '33010200001000123': the major class (digits 7-8) is 00"
    )
    assert component_id_problem("33010201000000123") == (
        "component ID '33010201000000123': the minor class (digits 9-11) is 000"
    )
    assert component_id_problem("33010201001000000") == (
        "component ID '33010201001000000': the sequence (digits 12-17) is 000000"
    )


def test_matter_codes() -> None:
    assert matter_code_problem("33010209001") is None
    assert (
        matter_code_problem("3301020900") == "matter code '3301020900' must be a string of exactly 11 digits"
    )
    assert (
        matter_code_problem("33010200001") == "matter code '33010200001': the major class (digits 7-8) is 00"
    )
    assert (
        matter_code_problem("33010209000")
        == "matter code '33010209000': the minor class (digits 9-11) is 000"
    )
    assert matter_code_problem("99010209001") == (
        "matter code '99010209001': division code '990102' does not start with a province code (GB/T 2260)"
    )
