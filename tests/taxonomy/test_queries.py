"""Listing and finding categories: national rows plus one city's local codes, never another's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from cityloop.cities.errors import CityNotFound
from cityloop.cities.models import City
from cityloop.taxonomy import (
    LEGACY,
    STANDARD_2026,
    AmbiguousCategory,
    InvalidKind,
    UnknownCategory,
    UnknownStandard,
    category_keys,
    do_import_local_codes,
    find_category,
    get_category,
    list_categories,
    list_standards,
    major_keys,
)

LOCAL = "kind,major_code,code,name,name_en,note\nmatter,09,09901,占道晾晒,Drying laundry on the street,\n"


def codes(session: Session, **kwargs: Any) -> list[tuple[str, str]]:
    return [(c.kind, c.code) for c in session.scalars(list_categories(session, **kwargs))]


def test_list_2026_gives_403_ordered_by_kind_then_code(seeded: Session) -> None:
    rows = codes(seeded, standard=STANDARD_2026)
    assert len(rows) == 403
    assert rows == sorted(rows)
    assert rows[0] == ("component", "01001")
    assert rows[152] == ("component", "05009")
    assert rows[153] == ("matter", "01001")
    assert rows[-1] == ("matter", "10002")


def test_list_filters_kind_major_and_search(seeded: Session) -> None:
    assert len(codes(seeded, standard=STANDARD_2026, kind="component")) == 153
    assert codes(seeded, standard=STANDARD_2026, kind="matter", major="10") == [
        ("matter", "10001"),
        ("matter", "10002"),
    ]
    assert codes(seeded, standard=STANDARD_2026, search="暴露垃圾") == [("matter", "06010")]
    assert codes(seeded, standard=STANDARD_2026, search="EXPOSED RUBBISH") == [("matter", "06010")]
    assert codes(seeded, standard=STANDARD_2026, search="0601", kind="matter") == [
        ("matter", f"0601{i}") for i in range(10)
    ]
    assert codes(seeded, standard=STANDARD_2026, search="100%") == []
    assert len(codes(seeded, standard=LEGACY)) == 134


def test_list_refuses_unknown_standard_kind_and_city(seeded: Session) -> None:
    with pytest.raises(UnknownStandard) as err:
        list_categories(seeded, standard="GB/T 30428.2-2013")
    assert (err.value.code, err.value.status) == ("taxonomy.unknown_standard", 404)
    assert "known standards" in err.value.message
    with pytest.raises(InvalidKind) as kind_err:
        list_categories(seeded, standard=STANDARD_2026, kind="event")
    assert kind_err.value.code == "taxonomy.invalid_kind"
    with pytest.raises(CityNotFound):
        list_categories(seeded, standard=STANDARD_2026, city_code="110100")


def test_a_city_sees_its_local_codes_and_no_other_citys(
    seeded: Session, make_city: Callable[..., City]
) -> None:
    a, b = make_city("330100"), make_city("110100", "北京")
    do_import_local_codes(seeded, city_code=a.code, csv_text=LOCAL)
    assert ("matter", "09901") in codes(seeded, standard=STANDARD_2026, city_code=a.code)
    assert len(codes(seeded, standard=STANDARD_2026, city_code=a.code)) == 404
    assert ("matter", "09901") not in codes(seeded, standard=STANDARD_2026, city_code=b.code)
    assert ("matter", "09901") not in codes(seeded, standard=STANDARD_2026)
    assert codes(seeded, standard=STANDARD_2026, city_code=a.code, major="09")[-1] == ("matter", "09901")


def test_get_category_needs_kind_only_when_the_code_is_both(seeded: Session) -> None:
    with pytest.raises(AmbiguousCategory) as err:
        get_category(seeded, code="01001")
    assert (err.value.code, err.value.status) == ("taxonomy.ambiguous_category", 422)
    assert err.value.details["kinds"] == ["component", "matter"]
    assert get_category(seeded, code="01001", kind="component").name == "供水井盖"
    assert get_category(seeded, code="01001", kind="matter").name == "供水井盖异常"
    assert get_category(seeded, code="06010").name == "暴露垃圾"
    assert get_category(seeded, code="0401", standard=LEGACY, kind="matter").name == "路面塌陷"


def test_get_category_unknown(seeded: Session, city: City) -> None:
    with pytest.raises(UnknownCategory) as err:
        get_category(seeded, code="06031")
    assert (err.value.code, err.value.status) == ("taxonomy.unknown_category", 404)
    assert err.value.message == "no category '06031' in GB/T 47678.5-2026"
    with pytest.raises(UnknownCategory, match="for city 330100"):
        get_category(seeded, code="09901", kind="matter", city_code=city.code)
    assert find_category(seeded, code="06010", kind="component") is None


def test_get_category_finds_a_local_code_for_its_city_only(
    seeded: Session, make_city: Callable[..., City]
) -> None:
    a, b = make_city("330100"), make_city("110100", "北京")
    do_import_local_codes(seeded, city_code=a.code, csv_text=LOCAL)
    local = get_category(seeded, code="09901", city_code=a.code)
    assert (local.name, local.city_id, local.major_name, local.is_local) == (
        "占道晾晒",
        "330100",
        "街面秩序类",
        True,
    )
    with pytest.raises(UnknownCategory):
        get_category(seeded, code="09901", city_code=b.code)


def test_keys_for_validators(seeded: Session, city: City) -> None:
    do_import_local_codes(seeded, city_code=city.code, csv_text=LOCAL)
    national = category_keys(seeded, city_code=None)
    assert len(national) == 403
    assert ("component", "01001") in national and ("matter", "01001") in national
    assert category_keys(seeded, city_code=city.code) == national | {("matter", "09901")}
    assert len(category_keys(seeded, city_code=None, standard=LEGACY)) == 134
    majors = major_keys(seeded, city_code=city.code)
    assert len(majors) == 15
    assert ("matter", "10") in majors and ("component", "06") not in majors


def test_list_standards_with_counts(seeded: Session) -> None:
    standards = {s.name: s for s in list_standards(seeded)}
    assert list(standards) == [STANDARD_2026, LEGACY]
    current = standards[STANDARD_2026]
    assert (current.components, current.matters, current.code_digits, current.current) == (153, 250, 5, True)
    assert (standards[LEGACY].components, standards[LEGACY].matters) == (80, 54)


def test_list_standards_before_seeding_counts_zero(session: Session) -> None:
    assert [(s.components, s.matters) for s in list_standards(session)] == [(0, 0), (0, 0)]
