"""Registration conditions (立案条件): seeded per city from the packaged defaults, never overwritten."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from cityloop.cities.errors import CityNotFound
from cityloop.cities.models import City
from cityloop.taxonomy import do_seed_registration_conditions, list_registration_conditions
from cityloop.taxonomy.schemas import RegistrationConditionOut


def test_seed_is_idempotent(session: Session, city: City) -> None:
    assert do_seed_registration_conditions(session, city_code=city.code) == 9
    assert do_seed_registration_conditions(session, city_code=city.code) == 0
    assert len(list_registration_conditions(session, city.code)) == 9


def test_conditions_in_order_with_limits(session: Session, city: City) -> None:
    do_seed_registration_conditions(session, city_code=city.code)
    rows = list_registration_conditions(session, city.code)
    assert [(c.code, c.situation) for c in rows] == [
        ("01002", "污水井盖丢失"),
        ("01037", "相邻三盏（含）以上路灯不亮"),
        ("06001", "正在搭建，需制止"),
        ("06001", "已建成，需查处"),
        ("06001", "经认定需拆除"),
        ("06010", "公共区域有暴露垃圾"),
        ("06011", "公共区域积存垃圾、渣土"),
        ("06012", "道路有污物、污迹，影响市容"),
        ("06029", "占道露天烧烤"),
    ]
    rubbish = list_registration_conditions(session, city.code, code="06010")
    out = RegistrationConditionOut.model_validate(rubbish[0]).model_dump()
    assert out["limits"] == {
        "urgent": {"amount": 2, "unit": "working_hours"},
        "normal": {"amount": 4, "unit": "working_hours"},
    }
    assert (out["kind"], out["standard"], out["area_class"], out["situation_en"]) == (
        "matter",
        "GB/T 47678.5-2026",
        None,
        "Exposed rubbish in a public place",
    )
    assert "half" in (out["note"] or "")
    assert [
        c.limits["normal"]["amount"] for c in list_registration_conditions(session, city.code, code="06001")
    ] == [
        4,
        7,
        20,
    ]
    assert list_registration_conditions(session, city.code, code="06010", kind="component") == []


def test_a_citys_own_limits_survive_reseeding(session: Session, city: City) -> None:
    do_seed_registration_conditions(session, city_code=city.code)
    row = list_registration_conditions(session, city.code, code="06010")[0]
    row.limits = {"normal": {"amount": 3, "unit": "working_hours"}}
    session.flush()
    assert do_seed_registration_conditions(session, city_code=city.code) == 0
    session.expire_all()
    assert list_registration_conditions(session, city.code, code="06010")[0].limits == {
        "normal": {"amount": 3, "unit": "working_hours"}
    }


def test_conditions_are_per_city(session: Session, make_city: Callable[..., City]) -> None:
    a, b = make_city("330100"), make_city("110100", "北京")
    do_seed_registration_conditions(session, city_code=a.code)
    assert list_registration_conditions(session, b.code) == []
    assert do_seed_registration_conditions(session, city_code=b.code) == 9


def test_unknown_city(session: Session) -> None:
    with pytest.raises(CityNotFound):
        do_seed_registration_conditions(session, city_code="110100")
    with pytest.raises(CityNotFound):
        list_registration_conditions(session, "110100")
