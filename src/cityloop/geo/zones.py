"""Validate patrol zones (docs/city-pack.md, patrol_zones.yaml): `code`, `name` and the unit
grids an inspector patrols. A grid may be in several zones; every grid must exist."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cityloop.geo.codes import area_code_problem
from cityloop.geo.errors import PatrolZoneImportFailed
from cityloop.geo.problems import ProblemList

ZONE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
KNOWN_KEYS = frozenset({"code", "name", "grids"})


@dataclass
class ZoneEntry:
    """One checked patrol zone."""

    index: int
    code: str
    name: str
    grids: list[str]


def _read_zone(index: int, raw: Any, grid_codes: set[str], out: ProblemList) -> ZoneEntry | None:
    if not isinstance(raw, dict):
        out.add(index, None, "not_mapping", f"must be a mapping with code, name and grids, got {raw!r}"[:120])
        return None
    code, name, grids = raw.get("code"), raw.get("name"), raw.get("grids")
    label = code if isinstance(code, str) else None
    before = len(out.problems)
    for key in sorted(set(raw) - KNOWN_KEYS, key=str):
        out.add(index, label, "unknown_key", f"unknown key {key!r}; a patrol zone has code, name and grids")
    if not isinstance(code, str) or not ZONE_CODE.match(code):
        out.add(index, label, "code", f"code {code!r} must be 1-32 letters, digits, - or _")
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        out.add(index, label, "name_missing", "a patrol zone needs a name of at most 100 characters")
    if not isinstance(grids, list) or not grids:
        out.add(index, label, "grids", "grids must be a non-empty list of 15-digit grid codes")
        return None
    seen: set[str] = set()
    for grid in grids:
        problem = area_code_problem("grid", grid)
        if problem:
            out.add(index, label, "grid_code", problem)
        elif grid in seen:
            out.add(index, label, "duplicate_grid", f"grid {grid} is listed twice")
        elif grid not in grid_codes:
            out.add(index, label, "grid_missing", f"grid {grid} is not a unit grid of the city")
        seen.add(grid)
    if len(out.problems) > before:
        return None
    return ZoneEntry(index=index, code=str(code), name=str(name), grids=list(grids))


def check_patrol_zones(
    zones: Any, *, grid_codes: set[str], source: str = "patrol_zones.yaml"
) -> list[ZoneEntry]:
    """Validate a list of patrol zones against the city's grid codes; raise listing every problem."""
    out = ProblemList(source, noun="item")
    if not isinstance(zones, list):
        out.add(None, None, "not_list", f"expected a list of patrol zones, got {type(zones).__name__}")
        out.raise_if_any(PatrolZoneImportFailed)
    entries = [_read_zone(i, raw, grid_codes, out) for i, raw in enumerate(zones)]
    first: dict[str, int] = {}
    for entry in entries:
        if entry is None:
            continue
        if entry.code in first:
            out.add(
                entry.index,
                entry.code,
                "duplicate_code",
                f"code {entry.code} is already used by item {first[entry.code]}",
            )
        else:
            first[entry.code] = entry.index
    out.raise_if_any(PatrolZoneImportFailed)
    return [e for e in entries if e is not None]
