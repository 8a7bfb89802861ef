from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from cityloop.cities import (
    do_create_city,
    do_reset_parameter,
    do_set_parameters,
    get_city,
    get_parameters,
    list_cities,
)
from cityloop.cities.errors import CityExists, CityNotFound, InvalidParameter
from cityloop.cities.models import City, CityParameter
from cityloop.cities.schemas import CityIn


def test_create_city_with_defaults(session: Session) -> None:
    city = do_create_city(session, CityIn(code="330100", name_zh="示范市", name_en="Demo City"))
    assert (city.code, city.timezone, city.locale) == ("330100", "Asia/Shanghai", "zh-CN")
    assert get_city(session, "330100") is city
    assert [c.code for c in list_cities(session)] == ["330100"]


def test_create_city_twice_is_refused(session: Session, city: City) -> None:
    with pytest.raises(CityExists) as err:
        do_create_city(session, CityIn(code=city.code, name_zh="重复"))
    assert err.value.code == "cities.exists"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [("33010", "exactly 6 digits"), ("3301OO", "exactly 6 digits"), ("990100", "province code")],
)
def test_bad_division_codes_are_refused(code: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        CityIn(code=code, name_zh="x")


def test_bad_timezone_and_locale_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        CityIn(code="330100", name_zh="x", timezone="Mars/Olympus")
    with pytest.raises(ValueError, match="locale"):
        CityIn(code="330100", name_zh="x", locale="fr")


def test_missing_city(session: Session) -> None:
    with pytest.raises(CityNotFound) as err:
        get_city(session, "110100")
    assert err.value.status == 404


def test_parameters_default_then_stored_then_reset(session: Session, city: City) -> None:
    assert get_parameters(session, city.code).road_factor == 1.3
    do_set_parameters(session, city.code, {"road_factor": 1.5})
    assert get_parameters(session, city.code).road_factor == 1.5
    do_reset_parameter(session, city.code, "road_factor")
    assert get_parameters(session, city.code).road_factor == 1.3


def test_bad_parameter_stores_nothing(session: Session, city: City) -> None:
    with pytest.raises(InvalidParameter, match="road_factor"):
        do_set_parameters(session, city.code, {"h3_resolution": 8, "road_factor": 0.5})
    with pytest.raises(InvalidParameter, match="unknown city parameter"):
        do_set_parameters(session, city.code, {"no_such_thing": 1})
    assert session.query(CityParameter).filter_by(city_id=city.code).count() == 0


def test_parameters_are_per_city(session: Session, make_city) -> None:  # type: ignore[no-untyped-def]
    a, b = make_city("330100"), make_city("110100", "北京")
    do_set_parameters(session, a.code, {"h3_resolution": 10})
    assert get_parameters(session, a.code).h3_resolution == 10
    assert get_parameters(session, b.code).h3_resolution == 9
