"""The demo city's rules and component owners validate against the demo pack and route sensibly."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from cityloop.cases import Case
from cityloop.core.clock import FrozenClock
from cityloop.dispatch import (
    RoutingTable,
    export_component_owners,
    export_rules,
    import_component_owners,
    import_rules,
    load_routing_table,
    route_case,
)
from cityloop.flows.citypack import do_import_pack
from cityloop.sim.democity import build_demo_pack
from cityloop.sim.democity.dispatch import demo_component_owners, demo_rules
from cityloop.taxonomy import STANDARD_2026
from dispatch.conftest import local

pytestmark = pytest.mark.slow

CITY = "330100"
XIHU_STREET, GONGSHU_STREET1, GONGSHU_STREET2 = "330106001", "330105001", "330105002"


@dataclass
class Demo:
    session: Session
    table: RoutingTable
    grids: dict[str, str]  # street code → its first grid

    def route(
        self, code: str, *, street: str = XIHU_STREET, hour: int = 10, **fields: object
    ) -> tuple[str | None, str]:
        grid = self.grids[street]
        values: dict[str, object] = {
            "city_id": CITY,
            "number": "330100-20261102-99999",
            "source": "inspector",
            "standard": STANDARD_2026,
            "kind": "matter",
            "category_code": code,
            "urgency": "normal",
            "state": "FILED",
            "grid_code": grid,
            "community_code": grid[:12],
            "street_code": grid[:9],
            "district_code": grid[:6],
        }
        values.update(fields)
        decision = route_case(self.session, Case(**values), at=local(hour), table=self.table)
        return decision.department, decision.how


@pytest.fixture
def demo(session: Session, clock: FrozenClock) -> Demo:
    pack = build_demo_pack(CITY)
    do_import_pack(session, pack.to_city_pack())
    assert len(import_rules(session, CITY, demo_rules(CITY))) == len(demo_rules(CITY))
    assert len(import_component_owners(session, CITY, demo_component_owners(CITY))) == 16
    grids: dict[str, str] = {}
    for feature in pack.areas["features"]:
        props = feature["properties"]
        if props["level"] == "grid":
            grids.setdefault(props["code"][:9], props["code"])
    return Demo(session=session, table=load_routing_table(session, CITY), grids=grids)


def test_demo_rules_and_owners_import_and_export_unchanged(demo: Demo) -> None:
    assert export_rules(demo.session, CITY) == demo_rules(CITY)
    assert export_component_owners(demo.session, CITY) == demo_component_owners(CITY)


def test_demo_city_routes_everyday_cases_to_the_departments_that_handle_them(demo: Demo) -> None:
    assert {
        "parking at night": demo.route("09009", hour=22),
        "parking by day": demo.route("09009", hour=10),
        "street vending": demo.route("09001"),
        "dog waste (local code)": demo.route("06901"),
        "unknown manhole": demo.route("01023"),
        "street tree": demo.route("04002"),
        "charging cables, 拱墅区 1": demo.route("09902", street=GONGSHU_STREET1),
        "charging cables, 拱墅区 2": demo.route("09902", street=GONGSHU_STREET2),
        "charging cables, 西湖区": demo.route("09902"),
        "water supply manhole": demo.route("01001"),
        "overhead cable down": demo.route("10002", street=GONGSHU_STREET2),
        "street lamp component": demo.route("01037", kind="component", component_id="33010601037000042"),
        "greening in 拱墅区": demo.route(
            "04002", street=GONGSHU_STREET1, kind="component", component_id="33010504002000001"
        ),
    } == {
        "parking at night": ("JJ", "rule"),
        "parking by day": ("CG", "rule"),
        "street vending": ("CG", "rule"),
        "dog waste (local code)": ("HW", "rule"),
        "unknown manhole": ("SZ", "rule"),
        "street tree": ("YL", "rule"),
        "charging cables, 拱墅区 1": ("JD006", "rule"),
        "charging cables, 拱墅区 2": ("JD007", "rule"),
        "charging cables, 西湖区": ("CG", "responsibility"),
        "water supply manhole": ("GPS", "responsibility"),
        "overhead cable down": ("JD007", "street_office"),
        "street lamp component": ("SZ", "component"),
        "greening in 拱墅区": ("HW", "component"),
    }
