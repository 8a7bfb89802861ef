"""A small city for routing: one district of two streets, professional departments, two street offices.

Area codes (city 330100): district 330102; streets 330102001 and 330102002; communities
330102001001, 330102001002, 330102002001, 330102002002; six grids in each (…001 to …006).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from cityloop.cases import Case
from cityloop.core.clock import FrozenClock, utc
from cityloop.flows.citypack import do_import_pack
from cityloop.flows.citypack_files import CityPack
from cityloop.taxonomy import STANDARD_2026
from geo.factories import center_of, square_grid_collection

CITY = "330100"
OTHER_CITY = "110100"
DISTRICT = "330102"
STREET1, STREET2 = "330102001", "330102002"
COMMUNITY1 = "330102001001"
GRID1 = "330102001001001"
SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "route-password"

ALL_MAJORS = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"]
LOCAL_CSV = "kind,major_code,code,name,name_en,note\nmatter,09,09901,占道晾晒,Drying laundry on the street,\n"

STAFF = [
    ("inspector01", ["inspector"], None),
    ("operator01", ["operator"], None),
    ("shiftleader01", ["shift_leader"], None),
    ("dispatcher01", ["dispatcher"], None),
    ("leader01", ["leader"], None),
    ("admin01", ["admin"], None),
    ("cg01", ["department"], "CG"),
    ("hw01", ["department"], "HW"),
]


def routing_pack(city: str = CITY, origin: tuple[float, float] = (120.10, 30.25)) -> CityPack:
    areas = square_grid_collection(city=city, origin=origin, streets=2)
    grids = [f["properties"]["code"] for f in areas["features"] if f["properties"]["level"] == "grid"]
    district = city[:4] + "02"

    def professional(code: str, name: str, *duties: dict[str, Any]) -> dict[str, Any]:
        return {"code": code, "name_zh": name, "kind": "professional", "responsibilities": list(duties)}

    def office(n: int) -> dict[str, Any]:
        street = f"{district}{n:03d}"
        return {
            "code": f"JD{n:03d}",
            "name_zh": f"第{n}街道办",
            "kind": "street_office",
            "street": street,
            "responsibilities": [{"categories": ALL_MAJORS, "areas": [street]}],
        }

    return CityPack(
        city={"code": city, "name_zh": f"城{city}"},
        areas=areas,
        taxonomy_local_csv=LOCAL_CSV,
        patrol_zones=[{"code": "PZ001", "name": "一区", "grids": grids}],
        departments=[
            professional("CG", "城管", {"categories": ["09"], "kind": "matter"}),
            professional("HW", "环卫", {"categories": ["06"], "kind": "matter"}),
            professional(
                "SZ", "市政", {"categories": ["06013"]}, {"categories": ["01"], "kind": "component"}
            ),
            professional("JJ", "交警", {"categories": ["09009"], "kind": "matter"}),
            professional("YL", "园林", {"categories": ["04"]}),
            professional("GPS", "供排水", {"categories": ["01001", "01002"]}),
            professional("OLD", "已撤并部门"),
            office(1),
            office(2),
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


def local(hour: int, minute: int = 0, day: int = 2) -> datetime:
    """An instant of November 2026 (the 2nd is a Monday) in Shanghai wall-clock time, as aware UTC."""
    return utc(datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI))


@dataclass
class RoutingCity:
    session: Session
    code: str
    areas: dict[str, Any]

    def case(self, **fields: Any) -> Case:
        """A filed case that is never stored (routing only reads it): 09001 in grid GRID1 unless told."""
        grid = fields.pop("grid", GRID1)
        values: dict[str, Any] = {
            "city_id": self.code,
            "number": f"{self.code}-20261102-99999",
            "source": "inspector",
            "standard": STANDARD_2026,
            "kind": "matter",
            "category_code": "09001",
            "urgency": "normal",
            "state": "FILED",
            "grid_code": grid,
            "community_code": grid[:12] if grid else None,
            "street_code": grid[:9] if grid else None,
            "district_code": grid[:6] if grid else None,
            "component_id": None,
        }
        values.update(fields)
        return Case(**values)

    def point(self, grid: str = GRID1) -> tuple[float, float]:
        return center_of(self.areas, grid)


@pytest.fixture
def rcity(session: Session, clock: FrozenClock) -> RoutingCity:
    pack = routing_pack()
    do_import_pack(session, pack)
    assert pack.areas is not None
    return RoutingCity(session=session, code=CITY, areas=pack.areas)


__all__ = [
    "CITY",
    "COMMUNITY1",
    "DISTRICT",
    "GRID1",
    "OTHER_CITY",
    "PASSWORD",
    "STAFF",
    "STREET1",
    "STREET2",
    "RoutingCity",
    "local",
    "routing_pack",
]
