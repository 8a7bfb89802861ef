"""A small but real city for the loop: one district of grids, departments, staff of every role.

Loaded as a pytest plugin by the root conftest, so the `loop` fixture serves every test folder.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from cityloop.cases import Actor, do_create_case
from cityloop.cases.models import Case
from cityloop.core.clock import FrozenClock
from cityloop.flows.citypack import do_import_pack
from cityloop.flows.citypack_files import CityPack
from cityloop.org import get_staff
from geo.factories import center_of, square_grid_collection

CITY = "330100"
OTHER_CITY = "110100"

STAFF = [
    ("inspector01", ["inspector"], None),
    ("operator01", ["operator"], None),
    ("leader01", ["shift_leader"], None),
    ("dispatcher01", ["dispatcher"], None),
    ("cg01", ["department"], "CG"),
    ("cgworker01", ["field_worker"], "CG"),
    ("hw01", ["department"], "HW"),
]


def loop_pack(city: str = CITY, origin: tuple[float, float] = (120.10, 30.25)) -> CityPack:
    areas = square_grid_collection(city=city, origin=origin)
    grids = [f["properties"]["code"] for f in areas["features"] if f["properties"]["level"] == "grid"]
    return CityPack(
        city={"code": city, "name_zh": f"城{city}"},
        areas=areas,
        patrol_zones=[{"code": "PZ001", "name": "一区", "grids": grids}],
        departments=[
            {
                "code": "CG",
                "name_zh": "城管",
                "kind": "professional",
                "responsibilities": [{"categories": ["09"]}],
            },
            {
                "code": "HW",
                "name_zh": "环卫",
                "kind": "professional",
                "responsibilities": [{"categories": ["06"]}],
            },
        ],
        staff=[
            {
                "username": u,
                "name": u,
                "roles": roles,
                "department": dept,
                **({"patrol_zone": "PZ001"} if "inspector" in roles else {}),
            }
            for u, roles, dept in STAFF
        ],
    )


@dataclass
class LoopCity:
    session: Session
    code: str
    point: tuple[float, float]
    actors: dict[str, Actor]
    clock: FrozenClock

    def report(self, **kwargs: object) -> Case:
        """An inspector report of 09001 (street vending) at the city's point, REPORTED."""
        options: dict[str, object] = {
            "source": "inspector",
            "category_code": "09001",
            "lon": self.point[0],
            "lat": self.point[1],
            "description": "路边流动摊贩",
        }
        options.update(kwargs)
        return do_create_case(self.session, city_code=self.code, actor=self.actors["inspector01"], **options)  # type: ignore[arg-type]


def actor_for(session: Session, city: str, username: str) -> Actor:
    return Actor.from_staff(get_staff(session, city, username))


@pytest.fixture
def loop(session: Session, clock: FrozenClock) -> LoopCity:
    pack = loop_pack()
    do_import_pack(session, pack, password="loop-password")
    grid = next(f for f in pack.areas["features"] if f["properties"]["level"] == "grid")  # type: ignore[index]
    point = center_of(pack.areas, grid["properties"]["code"])  # type: ignore[arg-type]
    actors = {u: actor_for(session, CITY, u) for u, _, _ in STAFF}
    return LoopCity(session=session, code=CITY, point=point, actors=actors, clock=clock)
