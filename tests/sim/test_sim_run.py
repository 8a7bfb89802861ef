"""The simulator on the demo city: the scenario on its map, and short runs through the real flows.

The demo city is imported once for the module inside a transaction that is rolled back at the
end; each test works in a savepoint of it, rolled back after the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from cityloop.cases import Case, TimelineEvent, verify_city
from cityloop.flows.citypack import do_import_pack
from cityloop.sim.democity import build_demo_pack
from cityloop.sim.engine import SimConfig, simulate
from cityloop.sim.scenario import (
    PATROL_HOURS,
    CityMap,
    Scenario,
    build_scenario,
    load_calibration,
    load_city_map,
)

CITY = "330100"
START = datetime(2026, 11, 2, tzinfo=ZoneInfo("Asia/Shanghai"))  # Monday 2 November 2026, 00:00 in the city


@pytest.fixture(scope="module")
def demo_db(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
            do_import_pack(session, build_demo_pack(CITY).to_city_pack())
            session.commit()  # releases the session's savepoint; the outer transaction is rolled back
        yield connection
        outer.rollback()


@pytest.fixture
def demo(demo_db: Connection) -> Iterator[Session]:
    savepoint = demo_db.begin_nested()
    with Session(bind=demo_db, join_transaction_mode="create_savepoint", expire_on_commit=False) as session:
        yield session
    savepoint.rollback()


@pytest.fixture
def city_map(demo: Session) -> CityMap:
    return load_city_map(demo, CITY)


def test_city_map_of_the_demo_city(city_map: CityMap) -> None:
    assert len(city_map.grids) == 2944 and len(city_map.inspectors) == 32
    assert {poi.kind for poi in city_map.pois} >= {"market", "school", "station", "construction"}
    assert len(city_map.inspector_of_grid) == 2944  # every grid has its patrol inspector
    assert any(name.endswith("交叉口") for name, _, _ in city_map.crossings)
    market = city_map.pois_of("market")[0]
    assert city_map.place_name(market.lon, market.lat) == market.name
    assert city_map.grid_at(market.lon, market.lat) is not None and city_map.grid_at(0.0, 0.0) is None


def test_scenario_is_deterministic_and_realistic(city_map: CityMap) -> None:
    calibration = load_calibration()

    def build(seed: int) -> Scenario:
        return build_scenario(city_map, calibration, start=START, days=2, seed=seed, reports_per_day=200)

    first, again, other = build(7), build(7), build(8)
    assert first.arrivals == again.arrivals and first.arrivals != other.arrivals
    arrivals = first.arrivals
    assert [a.index for a in arrivals] == list(range(len(arrivals)))
    assert all(START <= a.at < first.end for a in arrivals)
    assert [a.at for a in arrivals] == sorted(a.at for a in arrivals)
    channels = first.summary["by_channel"]
    assert set(channels) == {"inspector", "citizen", "hotline", "camera", "sensor"}
    assert channels["hotline"] > channels["citizen"] > 0 and channels["inspector"] > 0
    zone = ZoneInfo(city_map.timezone)
    for arrival in arrivals:
        assert city_map.grid_at(arrival.lon, arrival.lat) is not None
        if arrival.channel == "inspector":
            assert PATROL_HOURS[0] <= arrival.at.astimezone(zone).hour < PATROL_HOURS[1]
            assert arrival.reporter == city_map.inspector_at(arrival.lon, arrival.lat)
        if arrival.duplicate_of is not None:
            original = arrivals[arrival.duplicate_of]
            assert original.at < arrival.at and original.code == arrival.code
            assert original.channel in ("inspector", "citizen", "hotline")
        if arrival.repeat_of is not None:
            first_alarm = arrivals[arrival.repeat_of]
            assert first_alarm.device_id == arrival.device_id and first_alarm.at < arrival.at
    assert first.summary["duplicates"] > 0 and first.summary["device_repeats"] > 0
    # Arrivals follow the Boston day: more between 09:00 and 17:00 than between 00:00 and 06:00.
    people = [a for a in arrivals if a.channel in ("citizen", "hotline")]
    day = sum(9 <= a.at.astimezone(zone).hour < 17 for a in people)
    night = sum(a.at.astimezone(zone).hour < 6 for a in people)
    assert day > 4 * night


def _config(policy: str, seed: int = 3) -> SimConfig:
    return SimConfig(CITY, days=1, seed=seed, policy=policy, start=START, reports_per_day=30, drain_hours=36)


def test_one_day_of_the_demo_city_through_the_real_flows(demo: Session) -> None:
    figures = simulate(demo, _config("optimised"))
    assert figures["errors"] == {} and figures["reports_refused"] == {}
    assert figures["cases"] >= 20 and figures["closed_cases"] >= 15
    assert figures["cases_by_state"].get("CLOSED", 0) == figures["closed_cases"]
    assert figures["open_cases"] <= 3  # 36 hours after the last arrival nearly everything is closed
    for key in ("auto_dispatch_rate", "auto_dispatch_accuracy", "on_time_rate", "worker_utilisation"):
        assert 0.0 <= figures[key] <= 1.0, key
    assert figures["auto_dispatch_rate"] >= 0.9
    assert 0 < figures["hindsight_travel_km_per_case"] <= figures["travel_km_per_case"]
    assert 0 < figures["mean_closure_hours"] <= figures["p90_closure_hours"] * 1.5
    assert figures["device_repeats_folded"] == figures["device_repeats_in_scenario"]
    assert figures["start"] == "2026-11-02T00:00:00+08:00"
    demo.expire_all()  # verify what the database holds (instants stored as UTC), not the objects in memory
    assert verify_city(demo, CITY).ok
    # The run went through the real steps, public reports verified on site, with automatic and
    # human actors: inspectors on site, field workers' feedback, shift leaders closing, callbacks.
    rows = demo.execute(
        select(TimelineEvent.action, TimelineEvent.actor_kind, TimelineEvent.actor_role)
    ).all()
    actions = {row.action for row in rows}
    assert actions >= {"send_verify", "confirm", "accept", "file", "dispatch", "sign", "feedback", "send_check",
                       "check_ok", "close", "callback"}  # fmt: skip
    by_people = {(row.action, row.actor_role) for row in rows if row.actor_kind == "staff"}
    assert {("confirm", "inspector"), ("check_ok", "inspector"), ("close", "shift_leader")} <= by_people
    assert ("feedback", "field_worker") in by_people
    assert any(row.actor_kind == "system" and row.action == "dispatch" for row in rows)
    closed = demo.scalars(select(Case).where(Case.city_id == CITY, Case.state == "CLOSED")).all()
    assert all(case.closed_at is not None and case.closed_at > case.reported_at for case in closed)


def test_same_seed_same_figures(demo_db: Connection) -> None:
    runs = []
    for _ in range(2):
        savepoint = demo_db.begin_nested()
        with Session(
            bind=demo_db, join_transaction_mode="create_savepoint", expire_on_commit=False
        ) as session:
            runs.append(simulate(session, _config("nearest", seed=5)))
        savepoint.rollback()
    assert runs[0] == runs[1]
    assert runs[0]["cases"] > 0


def test_unknown_policy_is_refused(demo: Session) -> None:
    with pytest.raises(ValueError, match="unknown policy"):
        simulate(demo, _config("fastest"))
