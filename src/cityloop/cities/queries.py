"""Reads of cities and their parameters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cities.errors import CityNotFound
from cityloop.cities.models import City, CityParameter
from cityloop.cities.params import CityParameters, validate_parameters
from cityloop.cities.plugins import plugin_for


def get_city(session: Session, code: str) -> City:
    city = session.get(City, code)
    if city is None:
        raise CityNotFound(f"city {code} does not exist", details={"city": code})
    return city


def find_city(session: Session, code: str) -> City | None:
    return session.get(City, code)


def list_cities(session: Session) -> list[City]:
    return list(session.scalars(select(City).order_by(City.code)))


def stored_parameters(session: Session, city_code: str) -> dict[str, Any]:
    rows = session.scalars(select(CityParameter).where(CityParameter.city_id == city_code))
    return {row.key: row.value for row in rows}


def get_parameters(session: Session, city_code: str) -> CityParameters:
    """The city's typed parameters: stored values over plugin defaults over declared defaults."""
    get_city(session, city_code)
    return validate_parameters(
        stored_parameters(session, city_code), base=plugin_for(city_code).parameter_defaults()
    )
