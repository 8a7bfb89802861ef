"""Fixtures of the org tests: a cheap password hasher and a small but real organisation."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from cityloop.cities.models import City
from cityloop.core.passwords import use_hasher
from cityloop.org import do_import_departments, do_import_staff

STREET = "330102001"
GRID = "330102001001001"
KNOWN_AREAS = frozenset({"330102", STREET, "330102001001", GRID, "330102002", "330106"})
KNOWN_CATEGORIES = frozenset({"01", "06", "09", "01001", "06001", "09001", "09002"})
KNOWN_ZONES = frozenset({"PZ001", "PZ002"})

DEPARTMENTS: list[dict[str, Any]] = [
    {
        "code": "CG",
        "name_zh": "示范市城市管理局",
        "name_en": "Urban Management Bureau",
        "kind": "professional",
        "parent": None,
        "street": None,
        "phone": "0571-87000000",
        "responsibilities": [
            {"categories": ["06", "09"], "standard": "GB/T 47678.5-2026", "kind": "matter", "areas": []}
        ],
    },
    {
        "code": "CG-HW",
        "name_zh": "环卫处",
        "name_en": "Sanitation Division",
        "kind": "professional",
        "parent": "CG",
        "street": None,
        "phone": None,
        "responsibilities": [
            {"categories": ["06001"], "standard": "GB/T 47678.5-2026", "kind": "matter", "areas": []}
        ],
    },
    {
        "code": "JD-01",
        "name_zh": "湖滨街道办事处",
        "name_en": None,
        "kind": "street_office",
        "parent": None,
        "street": STREET,
        "phone": None,
        "responsibilities": [
            {"categories": ["09001"], "standard": "GB/T 47678.5-2026", "kind": None, "areas": [STREET]}
        ],
    },
    {
        "code": "ZX",
        "name_zh": "监督指挥中心",
        "name_en": "Command Centre",
        "kind": "centre",
        "parent": None,
        "street": None,
        "phone": None,
        "responsibilities": [],
    },
]

STAFF: list[dict[str, Any]] = [
    {
        "username": "admin",
        "name": "管理员",
        "roles": ["admin"],
        "department": None,
        "patrol_zone": None,
        "phone": "13800000000",
        "worker": None,
    },
    {
        "username": "inspector01",
        "name": "张伟",
        "roles": ["inspector"],
        "department": None,
        "patrol_zone": "PZ001",
        "phone": "13800000001",
        "worker": None,
    },
    {
        "username": "leader",
        "name": "王局长",
        "roles": ["leader", "auditor"],
        "department": None,
        "patrol_zone": None,
        "phone": "13800000002",
        "worker": None,
    },
    {
        "username": "worker01",
        "name": "李强",
        "roles": ["field_worker"],
        "department": "CG-HW",
        "patrol_zone": None,
        "phone": "13800000003",
        "worker": {
            "home": [120.13, 30.26],
            "skills": ["cleaning", "road"],
            "shifts": [{"weekdays": [1, 2, 3, 4, 5], "start": "08:30", "end": "17:30"}],
        },
    },
    {
        "username": "worker02",
        "name": "赵敏",
        "roles": ["field_worker", "department"],
        "department": "CG-HW",
        "patrol_zone": None,
        "phone": None,
        "worker": {
            "home": [120.2, 30.3],
            "skills": [],
            "shifts": [{"weekdays": [1, 3], "start": "22:00", "end": "06:00"}],
        },
    },
]


@pytest.fixture(autouse=True)
def fast_hasher() -> Iterator[None]:
    """Argon2 with the cheapest parameters: the tests check behaviour, not hashing cost."""
    previous = use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    use_hasher(previous)


@pytest.fixture
def departments() -> list[dict[str, Any]]:
    return copy.deepcopy(DEPARTMENTS)


@pytest.fixture
def staff_items() -> list[dict[str, Any]]:
    return copy.deepcopy(STAFF)


class Known:
    """The codes a flow would pass in from geo and taxonomy."""

    street = STREET
    grid = GRID
    areas = KNOWN_AREAS
    categories = KNOWN_CATEGORIES
    zones = KNOWN_ZONES


@pytest.fixture
def known() -> type[Known]:
    return Known


@pytest.fixture
def org_city(
    session: Session, city: City, departments: list[dict[str, Any]], staff_items: list[dict[str, Any]]
) -> City:
    """The fixture city with the departments and staff above, every account's password 'secret-pass'."""
    do_import_departments(
        session,
        city_code=city.code,
        items=departments,
        known_areas=KNOWN_AREAS,
        known_categories=KNOWN_CATEGORIES,
    )
    do_import_staff(
        session,
        city_code=city.code,
        items=staff_items,
        password="secret-pass",
        known_patrol_zones=KNOWN_ZONES,
    )
    return city
