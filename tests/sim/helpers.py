"""Helpers for the demo city tests: areas as shapely geometries, and square metres per square degree."""

from __future__ import annotations

import math
from dataclasses import dataclass

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from cityloop.sim.democity import DemoPack

# Metres per degree at 30.26 N (WGS 84), for area checks.
_PHI = math.radians(30.26)
M_PER_DEG_LAT = 111132.92 - 559.82 * math.cos(2 * _PHI) + 1.175 * math.cos(4 * _PHI)
M_PER_DEG_LON = 111412.84 * math.cos(_PHI) - 93.5 * math.cos(3 * _PHI)
SQ_M_PER_SQ_DEG = M_PER_DEG_LAT * M_PER_DEG_LON


@dataclass
class Areas:
    """The areas of a pack by level: code → (properties, geometry), in file order."""

    district: dict[str, tuple[dict[str, str], BaseGeometry]]
    street: dict[str, tuple[dict[str, str], BaseGeometry]]
    community: dict[str, tuple[dict[str, str], BaseGeometry]]
    grid: dict[str, tuple[dict[str, str], BaseGeometry]]

    def geometries(self, level: str) -> dict[str, BaseGeometry]:
        return {code: geometry for code, (_, geometry) in getattr(self, level).items()}


def areas_of(pack: DemoPack) -> Areas:
    found: dict[str, dict[str, tuple[dict[str, str], BaseGeometry]]] = {
        "district": {}, "street": {}, "community": {}, "grid": {},
    }  # fmt: skip
    for feature in pack.areas["features"]:
        props = feature["properties"]
        found[props["level"]][props["code"]] = (props, shape(feature["geometry"]))
    return Areas(**found)
