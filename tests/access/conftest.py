"""Fixtures of the access tests: a cheap password hasher and staff in two cities."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from cityloop.cities.models import City
from cityloop.core.passwords import use_hasher
from cityloop.org import do_import_departments, do_import_staff

PASSWORD = "secret-pass"


@pytest.fixture(autouse=True)
def fast_hasher() -> Iterator[PasswordHasher]:
    """Argon2 with the cheapest parameters: the tests check behaviour, not hashing cost."""
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    previous = use_hasher(hasher)
    yield hasher
    use_hasher(previous)


def staff_items() -> list[dict[str, Any]]:
    return [
        {"username": "admin", "name": "管理员", "roles": ["admin"]},
        {"username": "op", "name": "受理员", "roles": ["operator", "shift_leader"]},
        {"username": "hw", "name": "环卫", "roles": ["department"], "department": "HW"},
    ]


@pytest.fixture
def populate(session: Session) -> Callable[[City], City]:
    """Give a city one department and three accounts, all with PASSWORD."""

    def run(city: City) -> City:
        do_import_departments(
            session, city_code=city.code, items=[{"code": "HW", "name_zh": "环卫处", "kind": "professional"}]
        )
        do_import_staff(session, city_code=city.code, items=staff_items(), password=PASSWORD)
        return city

    return run


@pytest.fixture
def staffed_city(city: City, populate: Callable[[City], City]) -> City:
    return populate(city)
