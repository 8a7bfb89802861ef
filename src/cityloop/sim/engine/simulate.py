"""One simulated run: the city map, the scenario, the board, the automation, the engine, the figures."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from cityloop.cities import get_parameters
from cityloop.cities.actions import do_reset_parameter, do_set_parameters
from cityloop.cities.queries import stored_parameters
from cityloop.sim.engine.automation import Automation
from cityloop.sim.engine.board import Board, Travel, load_board
from cityloop.sim.engine.metrics import compute_metrics
from cityloop.sim.engine.model import Hooks
from cityloop.sim.engine.policies import POLICIES
from cityloop.sim.engine.real import real_automation, record_position
from cityloop.sim.engine.runner import Engine
from cityloop.sim.scenario import (
    DEFAULT_REPORTS_PER_DAY,
    DeviceRules,
    build_scenario,
    load_calibration,
    load_city_map,
)

#: Builds the automation of a run: (city code, the engine's board, policy) → Automation.
AutomationFactory = Callable[[str, Board, str], Automation]
#: A Monday without holidays: Monday 2 November 2026.
DEFAULT_DAY = datetime(2026, 11, 2).date()


@dataclass(frozen=True)
class SimConfig:
    city_code: str
    days: float = 3.0
    seed: int = 1
    policy: str = "optimised"
    #: The first instant of the run; default: local midnight starting Monday 2 November 2026.
    start: datetime | None = None
    reports_per_day: float = DEFAULT_REPORTS_PER_DAY
    #: After the last arrival the city works on for this long (no new reports) before the figures.
    drain_hours: float = 48.0
    batch_minutes: float = 5.0
    calibration: Path | None = None


def default_start(timezone: str) -> datetime:
    return datetime.combine(DEFAULT_DAY, time(), tzinfo=ZoneInfo(timezone))


def simulate(
    session: Session,
    config: SimConfig,
    *,
    automation_factory: AutomationFactory | None = None,
    hooks: Hooks | None = None,
    tag: str | None = None,
) -> dict[str, Any]:
    """Run one policy on the city's database through the real flows; the figures as a dict.

    Writes the cases of the run in `session` (the caller commits or rolls back).
    """
    if config.policy not in POLICIES:
        raise ValueError(f"unknown policy {config.policy!r}; expected one of {', '.join(POLICIES)}")
    city = load_city_map(session, config.city_code)
    params = get_parameters(session, config.city_code)
    calibration = load_calibration(config.calibration)
    start = config.start or default_start(city.timezone)
    scenario = build_scenario(
        city, calibration, start=start, days=config.days, seed=config.seed,
        reports_per_day=config.reports_per_day, device_rules=DeviceRules.from_parameters(params),
    )  # fmt: skip
    board = load_board(session, city, Travel(params.road_factor))
    if automation_factory is None:  # the real automation, with positions kept in the database
        automation_factory = real_automation
        code = config.city_code
        hooks = replace(
            hooks or Hooks(),
            on_move=lambda s, user, lon, lat, at: record_position(s, user, lon, lat, at, code),
        )
    engine = Engine(
        session, city, scenario, calibration, automation_factory(config.city_code, board, config.policy), board,
        policy=config.policy, tag=tag or f"{config.seed}-{secrets.token_hex(3)}", drain_hours=config.drain_hours,
        batch_minutes=config.batch_minutes, hooks=hooks,
    )  # fmt: skip
    # The intake's own automatic steps choose workers by the city's policy: the one under test.
    stored = stored_parameters(session, config.city_code).get("dispatch_policy")
    do_set_parameters(session, config.city_code, {"dispatch_policy": config.policy})
    try:
        outcome = engine.run()
    finally:
        if stored is None:
            do_reset_parameter(session, config.city_code, "dispatch_policy")
        else:
            do_set_parameters(session, config.city_code, {"dispatch_policy": stored})
    zone = ZoneInfo(city.timezone)

    def local(at: datetime) -> str:
        return at.astimezone(zone).isoformat()

    session.flush()
    figures = compute_metrics(session, scenario, outcome, board)
    return {
        "city": config.city_code,
        "policy": config.policy,
        "days": config.days,
        "seed": config.seed,
        "start": local(scenario.start),
        "end": local(scenario.end),
        "stopped_at": local(scenario.end + timedelta(hours=config.drain_hours)),
        **figures,
        "scenario": scenario.summary,
    }
