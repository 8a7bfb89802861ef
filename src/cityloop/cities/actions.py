"""Writes of the cities package. Actions never commit: the caller owns the transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cityloop.cities.errors import CityExists, InvalidParameter
from cityloop.cities.models import City, CityParameter
from cityloop.cities.params import PARAMETER_NAMES, CityParameters, validate_parameters
from cityloop.cities.plugins import plugin_for
from cityloop.cities.queries import forget_parameters, get_city, stored_parameters
from cityloop.cities.schemas import CityIn


def do_create_city(session: Session, data: CityIn) -> City:
    if session.get(City, data.code) is not None:
        raise CityExists(f"city {data.code} already exists", details={"city": data.code})
    city = City(**data.model_dump())
    session.add(city)
    session.flush()
    return city


def do_upsert_city(session: Session, data: CityIn) -> City:
    """Create the city or bring its names, time zone and locale up to date (idempotent)."""
    city = session.get(City, data.code)
    if city is None:
        return do_create_city(session, data)
    for key, value in data.model_dump().items():
        setattr(city, key, value)
    session.flush()
    return city


def do_set_parameters(session: Session, city_code: str, values: dict[str, Any]) -> CityParameters:
    """Validate and store parameter values; nothing is stored if any value is wrong."""
    get_city(session, city_code)
    current = stored_parameters(session, city_code)
    merged = validate_parameters({**current, **values}, base=plugin_for(city_code).parameter_defaults())
    stored = merged.model_dump(mode="json")  # nested models (duplicate_rules, evaluation) as JSON
    for key in values:
        typed = stored[key]
        row = session.get(CityParameter, (city_code, key))
        if row is None:
            session.add(CityParameter(city_id=city_code, key=key, value=typed))
        else:
            row.value = typed
    session.flush()
    forget_parameters(session, city_code)
    return merged


def do_reset_parameter(session: Session, city_code: str, key: str) -> None:
    """Forget a stored value so that the default applies again."""
    get_city(session, city_code)
    if key not in PARAMETER_NAMES:
        raise InvalidParameter(f"unknown city parameter: {key}", details={"unknown": [key]})
    row = session.get(CityParameter, (city_code, key))
    if row is not None:
        session.delete(row)
        session.flush()
        forget_parameters(session, city_code)
