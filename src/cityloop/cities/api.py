"""Read endpoints of cities: the list, one city, and the documented parameter set."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy.orm import Session

from cityloop.cities.params import describe_parameters
from cityloop.cities.queries import get_city, list_cities
from cityloop.cities.schemas import CityOut
from cityloop.db.deps import SESSION

router = APIRouter(tags=["cities"])


@router.get("/cities", response_model=list[CityOut], summary="Cities served by this deployment")
def cities(session: Session = SESSION) -> list[Any]:
    return list(list_cities(session))


@router.get("/cities/{city_code}", response_model=CityOut, summary="One city")
def city(city_code: str, session: Session = SESSION) -> Any:
    return get_city(session, city_code)


@router.get("/parameters", summary="The runtime parameters a city may set, with types and defaults")
def parameters() -> list[dict[str, Any]]:
    return describe_parameters()
