"""How the simulated people behave: reaction times, time on site, how often things go wrong.

Figures marked [ours] are modelling choices, not measurements; the handling time per category
is scaled from the Boston median hours (see `handling_minutes`). Draws are log-normal around a
median. Every random draw of a case comes from its own generator (seeded by the run seed, the
arrival and the step), so that policies compared on one scenario see the same people.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from cityloop.sim.scenario import BOSTON_TO_GBT, Calibration


@dataclass(frozen=True)
class Behaviour:
    #: Centre desks (operators, shift leaders, dispatchers) work around the clock [ours]: median
    #: minutes to react by day, times `night_factor` between 22:00 and 07:00.
    desk_minutes: float = 4.0
    night_factor: float = 3.0
    #: A department signs for a dispatched case (the worker's phone, or the department's desk).
    sign_minutes: float = 6.0
    #: Inspectors on site: minutes to verify (核实) or check (核查) once there.
    verify_minutes: float = 6.0
    check_minutes: float = 6.0
    #: Share of public reports not found on site (the vendor left, the bag was taken) [ours].
    not_found_share: float = 0.05
    #: Share of checks that fail and send the case back for rework (返工) [ours].
    rework_share: float = 0.07
    #: Callback (回访): the next day between 09:00 and 17:00; ratings 满意 / 基本满意 / 不满意 [ours].
    callback_hours: tuple[int, int] = (9, 17)
    ratings: tuple[float, float, float] = (0.80, 0.16, 0.04)
    #: A person dispatching by hand sends a case to the right department this often [ours].
    human_right_department: float = 0.9
    #: Returns a department may ask for one case before it takes it anyway.
    max_returns: int = 2
    sigma: float = 0.5

    def draw(self, rng: np.random.Generator, median: float) -> float:
        """A log-normal draw around `median` (same unit)."""
        return float(median * math.exp(self.sigma * rng.standard_normal()))

    def desk(self, rng: np.random.Generator, at: datetime, zone: ZoneInfo) -> timedelta:
        hour = at.astimezone(zone).hour
        factor = self.night_factor if hour >= 22 or hour < 7 else 1.0
        return timedelta(minutes=self.draw(rng, self.desk_minutes * factor))

    def callback_at(self, rng: np.random.Generator, at: datetime, zone: ZoneInfo) -> datetime:
        day = at.astimezone(zone).date() + timedelta(days=1)
        begin, end = self.callback_hours
        local = datetime(day.year, day.month, day.day, begin, tzinfo=zone)
        return (local + timedelta(hours=float(rng.uniform(0, end - begin)))).astimezone(at.tzinfo)

    def rating(self, rng: np.random.Generator, second: bool) -> str:
        """A citizen's rating; a second callback after a reopened case is never 不满意 again."""
        p = np.array(self.ratings[:2] if second else self.ratings, dtype=float)
        return ("满意", "基本满意", "不满意")[int(rng.choice(len(p), p=p / p.sum()))]


#: On-site handling: the median minutes for a median Boston case (24 h to close), and the bounds.
BASE_MINUTES = 25.0
MIN_MINUTES, MAX_MINUTES = 10.0, 120.0


def handling_minutes(calibration: Calibration) -> dict[str, float]:
    """Median on-site minutes per matter code, scaled from Boston's median hours to close.

    Boston's hours to close include waiting in queues, which the simulator models itself, so
    they are not used as time on site. They rank how much work a category is: the median
    on-site time is BASE_MINUTES × √(Boston median hours / 24), bounded to 10–120 minutes [ours].
    The Boston median of a code is the count-weighted geometric mean over its mapped types.
    """
    logs: dict[str, list[tuple[float, float]]] = {}
    for boston_type, figures in calibration.types.items():
        mapped = BOSTON_TO_GBT.get(boston_type)
        hours = figures.get("median_hours")
        if mapped is None or not hours or hours <= 0:
            continue
        logs.setdefault(mapped[0], []).append((float(figures["count"]), math.log(float(hours))))
    found = {}
    for code, items in sorted(logs.items()):
        weight = sum(w for w, _ in items)
        hours = math.exp(sum(w * v for w, v in items) / weight)
        found[code] = round(min(MAX_MINUTES, max(MIN_MINUTES, BASE_MINUTES * math.sqrt(hours / 24))), 1)
    return found


def case_rng(seed: int, arrival: int, step: int) -> np.random.Generator:
    """The generator of one step of one case (independent of the order events happen in)."""
    return np.random.default_rng([seed, arrival, step])
