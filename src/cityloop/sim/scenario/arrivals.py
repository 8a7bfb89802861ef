"""The scenario: every report that will arrive during a run, decided in advance from a seed.

- People's reports (inspectors, citizens through the app, 12345 hotline callers) arrive as a
  Poisson process whose rate per hour follows the Boston weekday × hour profile of their
  channel group, with the channel mix and each channel's category mix of Boston (mapped types
  only). Inspectors report only during their patrol hours.
- Where: near a point of interest of the kinds the category favours (`mapping.HOT_SPOTS`),
  otherwise anywhere in the city, uniformly by area.
- Duplicates: a share of people's reports (Boston's duplicate share) is reported a second
  time, after a gap and at a distance drawn from the Boston duplicate pairs, by another
  channel as often as in Boston. Marked `duplicate_of` — ground truth for the metrics, never
  given to the pipeline.
- Devices: cameras raise alarm episodes (the class by what the camera watches), sensors cross
  their threshold; both repeat while the problem lasts (`repeat_of`), sensors recover.

The same city map, calibration, start, length and seed give the same scenario.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from cityloop.core.clock import utc
from cityloop.sim.scenario.calibration import GROUPS, Calibration
from cityloop.sim.scenario.citymap import CityMap, Poi, offset
from cityloop.sim.scenario.devices import DeviceRules, device_arrivals
from cityloop.sim.scenario.mapping import BOSTON_TO_GBT, HOT_SPOTS
from cityloop.sim.scenario.model import Arrival, Scenario
from cityloop.sim.scenario.texts import spoken, typed

#: Inspectors patrol from 08:00 to 20:00 local time, every day [ours].
PATROL_HOURS = (8, 20)
DEFAULT_REPORTS_PER_DAY = 120.0
#: Matters that are often urgent (a danger to people or traffic).
URGENT_CODES = frozenset({"01023", "02014", "10002", "04002", "10001", "01013"})
#: Matters an inspector may fix on the spot (自处理).
SELF_FIXABLE = frozenset({"06010", "06036", "07001", "06042", "06037"})
HOT_SPOT_SIGMA_M = 80.0


def code_mix(calibration: Calibration, group: str) -> dict[str, float]:
    """Shares of matter codes among a channel group's reports of mapped Boston types."""
    weights: dict[str, float] = {}
    for boston_type, figures in calibration.types.items():
        mapped = BOSTON_TO_GBT.get(boston_type)
        if mapped is None:
            continue
        count = float(figures.get("by_channel", {}).get(group, 0))
        weights[mapped[0]] = weights.get(mapped[0], 0.0) + count
    total = sum(weights.values())
    if total <= 0:
        raise ValueError(f"the calibration has no mapped report for channel group {group!r}")
    return {code: weight / total for code, weight in sorted(weights.items())}


def _choice(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = sorted(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def _intensity(calibration: Calibration, group: str) -> np.ndarray:
    """7 × 24 intensity (mean 1 per hour of the week); inspectors only in patrol hours, same total."""
    table = np.array(calibration.profile(group), dtype=float)
    if group == "inspector":
        mask = np.zeros_like(table)
        mask[:, PATROL_HOURS[0] : PATROL_HOURS[1]] = 1.0
        kept = (table * mask).sum()
        table = table * mask * (table.sum() / kept if kept > 0 else 0.0)
    return table


def _hours(start: datetime, days: float, zone: ZoneInfo) -> list[tuple[datetime, float, int, int]]:
    """(slot start, slot length in hours, weekday 0–6, local hour) for each hour slot of the run."""
    end = start + timedelta(days=days)
    slots = []
    at = start
    while at < end:
        length = min(1.0, (end - at).total_seconds() / 3600)
        local = at.astimezone(zone)
        slots.append((at, length, local.weekday(), local.hour))
        at += timedelta(hours=1)
    return slots


def _near(city: CityMap, poi: Poi, rng: np.random.Generator) -> tuple[float, float] | None:
    for _ in range(20):
        lon, lat = offset(poi.lon, poi.lat, *rng.normal(0.0, HOT_SPOT_SIGMA_M, size=2))
        if city.grid_at(lon, lat) is not None:
            return lon, lat
    return None


def _anywhere(city: CityMap, rng: np.random.Generator) -> tuple[float, float]:
    areas = np.array([grid.area_m2 for grid in city.grids], dtype=float)
    while True:
        index = int(rng.choice(len(city.grids), p=areas / areas.sum()))
        min_lon, min_lat, max_lon, max_lat = city.grids[index].bbox
        lon, lat = float(rng.uniform(min_lon, max_lon)), float(rng.uniform(min_lat, max_lat))
        if city.grid_at(lon, lat) is not None:
            return lon, lat


def locate_problem(city: CityMap, code: str, rng: np.random.Generator) -> tuple[float, float]:
    """Where a problem of `code` happens: near a favoured POI with its hot-spot share, else anywhere."""
    spot = HOT_SPOTS.get(code)
    if spot is not None and spot.kinds and rng.random() < spot.share:
        candidates = [(poi, spot.kinds[poi.kind]) for poi in city.pois if poi.kind in spot.kinds]
        if candidates:
            p = np.array([w for _, w in candidates], dtype=float)
            poi = candidates[int(rng.choice(len(candidates), p=p / p.sum()))][0]
            found = _near(city, poi, rng)
            if found is not None:
                return found
    return _anywhere(city, rng)


def _phone(rng: np.random.Generator) -> str:
    return f"139{int(rng.integers(10_000_000, 99_999_999)):08d}"


def _person_report(
    city: CityMap, group: str, code: str, at: datetime, rng: np.random.Generator,
    where: tuple[float, float] | None = None,
) -> Arrival | None:  # fmt: skip
    """A report by a person of `group` about a problem of `code` (at `where`, else placed by its hot spots)."""
    lon, lat = where if where is not None else locate_problem(city, code, rng)
    place = city.place_name(lon, lat)
    urgent = bool(rng.random() < (0.3 if code in URGENT_CODES else 0.03))
    if group == "inspector":
        inspector = city.inspector_at(lon, lat)
        if inspector is None:
            return None
        fixable = code in SELF_FIXABLE and rng.random() < 0.15
        return Arrival(0, at, "inspector", code, lon, lat, place, "", inspector, urgent, self_handled=fixable)
    if group == "citizen":
        return Arrival(
            0, at, "citizen", code, lon, lat, place, typed(code, rng), _phone(rng), urgent,
            chosen=bool(rng.random() < 0.8),
        )  # fmt: skip
    return Arrival(
        0, at, "hotline", code, lon, lat, place, spoken(code, place, rng), _phone(rng), urgent,
        with_point=bool(rng.random() < 0.5),
    )  # fmt: skip


def _people(
    city: CityMap,
    calibration: Calibration,
    start: datetime,
    days: float,
    per_day: float,
    rng: np.random.Generator,
) -> list[Arrival]:
    zone = ZoneInfo(city.timezone)
    slots = _hours(start, days, zone)
    shares = {g: calibration.channels.get(g, 0.0) for g in GROUPS}
    total = sum(shares.values()) or 1.0
    found: list[Arrival] = []
    for group in GROUPS:
        mix = code_mix(calibration, group)
        intensity = _intensity(calibration, group)
        hourly = per_day * shares[group] / total / 24
        for at, length, weekday, hour in slots:
            for _ in range(int(rng.poisson(hourly * intensity[weekday, hour] * length))):
                when = at + timedelta(seconds=float(rng.uniform(0, length * 3600)))
                arrival = _person_report(city, group, _choice(rng, mix), when, rng)
                if arrival is not None:
                    found.append(arrival)
    return found


def _from_quantiles(quantiles: dict[str, float], top: float, rng: np.random.Generator) -> float:
    """A draw from the piecewise-linear distribution through (0, 0), the named quantiles and (1, top)."""
    if not quantiles:
        return 0.0
    points = sorted((int(name[1:]) / 100, value) for name, value in quantiles.items())
    values = [value for _, value in points]
    xs = [0.0, *(p for p, _ in points), 1.0]
    ys = [min(0.0, *values), *values, max(top, *values)]
    return float(np.interp(rng.random(), xs, ys))


def _next_patrol(at: datetime, zone: ZoneInfo, rng: np.random.Generator) -> datetime:
    """`at` when inspectors are on patrol, else 10–60 minutes into the next patrol."""
    local = at.astimezone(zone)
    if PATROL_HOURS[0] <= local.hour < PATROL_HOURS[1]:
        return at
    day = local.date() + timedelta(days=1 if local.hour >= PATROL_HOURS[1] else 0)
    opening = datetime(day.year, day.month, day.day, PATROL_HOURS[0], tzinfo=zone)
    return opening.astimezone(at.tzinfo) + timedelta(minutes=float(rng.uniform(10, 60)))


def _duplicates(
    city: CityMap, calibration: Calibration, originals: list[Arrival], end: datetime, rng: np.random.Generator
) -> list[Arrival]:
    """Second reports of a share of people's problems (see the module docstring)."""
    zone = ZoneInfo(city.timezone)
    horizon = float(calibration.raw["duplicates"].get("horizon_hours", 72.0))
    channels = {g: calibration.channels.get(g, 0.0) for g in GROUPS}
    found: list[Arrival] = []
    for original in originals:
        if rng.random() >= calibration.duplicate_share:
            continue
        gap_h = _from_quantiles(calibration.duplicate_gap_hours, horizon, rng)
        distance = _from_quantiles(calibration.duplicate_distance_m, 100.0, rng) + float(rng.uniform(5, 30))
        bearing = float(rng.uniform(0, 2 * math.pi))
        lon, lat = offset(
            original.lon, original.lat, distance * math.sin(bearing), distance * math.cos(bearing)
        )
        if city.grid_at(lon, lat) is None:
            lon, lat = original.lon, original.lat
        group = original.channel
        if rng.random() < calibration.duplicate_other_channel_share:
            others = {g: w for g, w in channels.items() if g != group and w > 0}
            group = _choice(rng, others) if others else group
        at = original.at + timedelta(hours=gap_h, minutes=1)
        if group == "inspector":
            at = _next_patrol(at, zone, rng)
        second = _person_report(city, group, original.code, at, rng, where=(lon, lat))
        if second is None or at >= end:
            continue
        found.append(replace(second, duplicate_of=original.index, self_handled=False))
    return found


def build_scenario(
    city: CityMap,
    calibration: Calibration,
    *,
    start: datetime,
    days: float,
    seed: int,
    reports_per_day: float = DEFAULT_REPORTS_PER_DAY,
    device_rules: DeviceRules | None = None,
) -> Scenario:
    """Every arrival of a run, sorted by time and numbered from 0 (see the module docstring)."""
    if days <= 0:
        raise ValueError("a scenario needs a positive number of days")
    start = utc(start)  # every instant of the run is UTC, as the records store them
    rng = np.random.default_rng(seed)
    people = _people(city, calibration, start, days, reports_per_day, rng)
    people = [replace(a, index=i) for i, a in enumerate(sorted(people, key=lambda a: (a.at, a.channel)))]
    end = start + timedelta(days=days)
    seconds = _duplicates(city, calibration, people, end, rng)
    offset_index = len(people)
    seconds = [replace(a, index=offset_index + i) for i, a in enumerate(seconds)]
    devices = device_arrivals(city, calibration, start, days, device_rules or DeviceRules(), rng)
    base = len(people) + len(seconds)
    devices = [
        replace(a, index=base + a.index, repeat_of=None if a.repeat_of is None else base + a.repeat_of)
        for a in devices
    ]
    everything = sorted([*people, *seconds, *devices], key=lambda a: (a.at, a.index))
    renumber = {a.index: n for n, a in enumerate(everything)}
    arrivals = [
        replace(
            a,
            index=renumber[a.index],
            duplicate_of=None if a.duplicate_of is None else renumber[a.duplicate_of],
            repeat_of=None if a.repeat_of is None else renumber[a.repeat_of],
        )
        for a in everything
    ]
    summary = {
        "arrivals": len(arrivals),
        "by_channel": {
            ch: sum(a.channel == ch for a in arrivals) for ch in sorted({a.channel for a in arrivals})
        },
        "duplicates": sum(a.duplicate_of is not None for a in arrivals),
        "device_repeats": sum(a.repeat_of is not None and not a.recovery for a in arrivals),
    }
    return Scenario(city.code, start, days, seed, arrivals, summary)
