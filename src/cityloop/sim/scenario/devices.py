"""Device alarms of the scenario: AI cameras and IoT sensors of the city's device registry.

A camera raises alarm episodes at a rate per day, in the hours people are about (the overall
Boston profile); the class depends on what it watches (the nearest point of interest: a
market, a station, else anything in `mapping.CAMERA_CLASSES`), and while the problem lasts the
camera sees it again a few times (repeats). A sensor crosses its alarm threshold at a rate per
day at any hour, reads high again once or twice, and reads back below its clearing value some
hours later (the recovery). Classes and thresholds come from the city's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from cityloop.cities import CityParameters
from cityloop.core.geodesy import distance_m
from cityloop.sim.scenario.calibration import Calibration
from cityloop.sim.scenario.citymap import CityMap, DeviceSpot
from cityloop.sim.scenario.mapping import CAMERA_CLASSES
from cityloop.sim.scenario.model import Arrival

UNITS = {"tilt_deg": "deg", "level_cm": "cm", "pm10_ugm3": "ug/m3", "noise_db": "dB"}


@dataclass(frozen=True)
class DeviceRules:
    """How often devices alarm, and what their classes and thresholds mean (city parameters)."""

    camera_episodes_per_day: float = 1.5
    sensor_episodes_per_day: float = 0.25
    camera_classes: dict[str, str] = field(default_factory=lambda: dict(CityParameters().camera_classes))
    sensor_thresholds: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {k: dict(v) for k, v in CityParameters().sensor_thresholds.items()}
    )

    @classmethod
    def from_parameters(cls, params: CityParameters, **rates: float) -> DeviceRules:
        return cls(
            camera_classes=dict(params.camera_classes),
            sensor_thresholds={k: dict(v) for k, v in params.sensor_thresholds.items()},
            **rates,
        )


def _watched(city: CityMap, device: DeviceSpot) -> str:
    """What a camera watches: the kind of the nearest point of interest within 300 m."""
    near = [(distance_m(device.lon, device.lat, p.lon, p.lat), p.kind) for p in city.pois]
    near = [item for item in near if item[0] <= 300.0]
    kind = min(near)[1] if near else "other"
    return kind if kind in CAMERA_CLASSES else "other"


def _episode_times(
    calibration: Calibration, start: datetime, days: float, rate: float, zone: str, rng: np.random.Generator,
    *, by_profile: bool,
) -> list[datetime]:  # fmt: skip
    """Times of a Poisson number of episodes, following the overall profile when `by_profile`."""
    count = int(rng.poisson(rate * days))
    profile = np.array(calibration.profile("all"), dtype=float)
    times: list[datetime] = []
    tz = ZoneInfo(zone)
    while len(times) < count:
        at = start + timedelta(seconds=float(rng.uniform(0, days * 86400)))
        local = at.astimezone(tz)
        if not by_profile or rng.random() < profile[local.weekday(), local.hour] / profile.max():
            times.append(at)
    return sorted(times)


def _camera(
    city: CityMap, calibration: Calibration, device: DeviceSpot, rules: DeviceRules, start: datetime,
    days: float, rng: np.random.Generator, found: list[Arrival],
) -> None:  # fmt: skip
    weights = {k: w for k, w in CAMERA_CLASSES[_watched(city, device)].items() if k in rules.camera_classes}
    if not weights:
        return
    keys = sorted(weights)
    p = np.array([weights[k] for k in keys])
    times = _episode_times(
        calibration, start, days, rules.camera_episodes_per_day, city.timezone, rng, by_profile=True
    )
    for at in times:
        klass = keys[int(rng.choice(len(keys), p=p / p.sum()))]
        first = len(found)
        confidence = round(float(rng.uniform(0.55, 0.99)), 2)
        found.append(Arrival(first, at, "camera", rules.camera_classes[klass], device.lon, device.lat,
                             device_id=device.device_id, device_class=klass, value=confidence))  # fmt: skip
        when = at
        for _ in range(int(rng.integers(0, 4))):
            when += timedelta(minutes=float(rng.uniform(5, 20)))
            found.append(Arrival(len(found), when, "camera", rules.camera_classes[klass], device.lon, device.lat,
                                 device_id=device.device_id, device_class=klass,
                                 value=round(float(rng.uniform(0.55, 0.99)), 2), repeat_of=first))  # fmt: skip


def _sensor(
    city: CityMap, calibration: Calibration, device: DeviceSpot, rules: DeviceRules, start: datetime,
    days: float, rng: np.random.Generator, found: list[Arrival],
) -> None:  # fmt: skip
    threshold = rules.sensor_thresholds.get(device.device_type)
    if threshold is None:
        return
    metric, code = str(threshold["metric"]), str(threshold["category"])
    high, clear = float(threshold["high"]), float(threshold["clear"])
    unit = UNITS.get(metric, "unit")
    times = _episode_times(
        calibration, start, days, rules.sensor_episodes_per_day, city.timezone, rng, by_profile=False
    )

    def reading(
        index: int, when: datetime, value: float, repeat_of: int | None, recovery: bool = False
    ) -> Arrival:
        return Arrival(
            index, when, "sensor", code, device.lon, device.lat, device_id=device.device_id,
            device_class=metric, value=round(value, 1), unit=unit, repeat_of=repeat_of, recovery=recovery,
        )  # fmt: skip

    for at in times:
        first = len(found)
        found.append(reading(first, at, high * float(rng.uniform(1.05, 1.6)), None))
        when = at
        for _ in range(int(rng.integers(0, 3))):
            when += timedelta(minutes=float(rng.uniform(15, 30)))
            found.append(reading(len(found), when, high * float(rng.uniform(1.0, 1.4)), first))
        when += timedelta(hours=float(rng.uniform(1, 6)))
        found.append(reading(len(found), when, clear * float(rng.uniform(0.5, 0.95)), first, recovery=True))


def device_arrivals(
    city: CityMap, calibration: Calibration, start: datetime, days: float, rules: DeviceRules,
    rng: np.random.Generator,
) -> list[Arrival]:  # fmt: skip
    """Camera and sensor arrivals numbered from 0 (`repeat_of` refers to that numbering)."""
    found: list[Arrival] = []
    for device in city.devices:
        if device.kind == "camera":
            _camera(city, calibration, device, rules, start, days, rng, found)
        elif device.kind == "sensor":
            _sensor(city, calibration, device, rules, start, days, rng, found)
    end = start + timedelta(days=days)
    # A repeat comes after its first alarm, so dropping what falls after the end keeps every reference.
    return [a for a in found if a.at < end]
