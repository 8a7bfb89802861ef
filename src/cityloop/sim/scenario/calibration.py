"""Calibration of the scenario from the Boston 311 2015 export: aggregate figures only.

`calibrate` reads the CSV files (through `triage.importers.read_boston311`) and keeps no
record: arrival intensity by ISO weekday × local hour (overall and per channel group), the
share of each request type overall and per channel, the median hours from opening to closing
per type, the duplicate share, and how far apart in time and space a duplicate and its master
are. `cityloop simulate calibrate` writes it as JSON; the packaged file
`data/boston311_2015.json` is that output for the two shared files, and `load_calibration`
reads it back as a `Calibration`.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from statistics import median
from typing import Any

from cityloop.core.geodesy import distance_m
from cityloop.sim.scenario.mapping import BOSTON_TO_GBT
from cityloop.triage.importers import ServiceRecord, read_boston311

PACKAGED = "boston311_2015.json"
#: Boston's `source` values → the channel groups of the scenario.
CHANNEL_GROUPS = {
    "Constituent Call": "hotline",
    "Citizens Connect App": "citizen",
    "Self Service": "citizen",
    "Twitter": "citizen",
    "Employee Generated": "inspector",
    "City Worker App": "inspector",
}
GROUPS = ("hotline", "citizen", "inspector")
#: Duplicate pairs further apart than this are a recurring problem, not a second report of one.
DUPLICATE_HORIZON_HOURS = 72.0
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
HOW = (
    "cityloop simulate calibrate --data boston311_2015_H1.csv --data boston311_2015_H2.csv --out "
    "src/cityloop/sim/scenario/data/boston311_2015.json (files from shared/data/boston311_2015); "
    "aggregates only, no record is kept"
)


def group_of(source: str) -> str:
    """The scenario channel group of a Boston `source` (other: system integrations)."""
    return CHANNEL_GROUPS.get(source.strip(), "other")


def _quantiles(values: Sequence[float]) -> dict[str, float]:
    """Empirical quantiles (nearest rank) named p10, p25, …; empty when there are no values."""
    if not values:
        return {}
    ordered = sorted(values)
    return {
        f"p{round(q * 100)}": round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 4)
        for q in QUANTILES
    }


def _weekday_hour(records: Iterable[ServiceRecord]) -> list[list[float]]:
    """Reports per hour for each ISO weekday (rows 0–6 = Monday–Sunday) × local hour, divided
    by the mean over the 168 hours of the week (1.0 = an average hour)."""
    counts = [[0] * 24 for _ in range(7)]
    days: list[set[date]] = [set() for _ in range(7)]
    for record in records:
        local = record.opened_at
        counts[local.weekday()][local.hour] += 1
        days[local.weekday()].add(local.date())
    rates = [[counts[d][h] / max(1, len(days[d])) for h in range(24)] for d in range(7)]
    mean = sum(map(sum, rates)) / 168 or 1.0
    return [[round(rate / mean, 4) for rate in row] for row in rates]


def _types(records: Sequence[ServiceRecord]) -> dict[str, dict[str, Any]]:
    count: Counter[str] = Counter()
    duplicates: Counter[str] = Counter()
    by_channel: dict[str, Counter[str]] = defaultdict(Counter)
    hours: dict[str, list[float]] = defaultdict(list)
    for record in records:
        count[record.category] += 1
        by_channel[record.category][group_of(record.channel)] += 1
        duplicates[record.category] += record.is_duplicate
        if record.closed_at is not None and record.closed_at >= record.opened_at:
            hours[record.category].append((record.closed_at - record.opened_at).total_seconds() / 3600)
    total = sum(count.values()) or 1
    return {
        name: {
            "count": n,
            "share": round(n / total, 6),
            "median_hours": round(median(hours[name]), 2) if hours[name] else None,
            "duplicate_share": round(duplicates[name] / n, 4),
            "by_channel": dict(sorted(by_channel[name].items())),
        }
        for name, n in sorted(count.items(), key=lambda item: (-item[1], item[0]))
    }


def _duplicates(records: Sequence[ServiceRecord]) -> dict[str, Any]:
    """How a duplicate relates to its master, over pairs whose master is in the data and was
    opened at most `DUPLICATE_HORIZON_HOURS` earlier."""
    by_id = {record.id: record for record in records}
    gaps: list[float] = []
    distances: list[float] = []
    other_channel = 0
    for record in records:
        master = by_id.get(record.duplicate_of or "") if record.is_duplicate else None
        if master is None:
            continue
        gap = (record.opened_at - master.opened_at).total_seconds() / 3600
        if not 0 <= gap <= DUPLICATE_HORIZON_HOURS:
            continue
        gaps.append(gap)
        other_channel += group_of(record.channel) != group_of(master.channel)
        if None not in (record.lat, record.lon, master.lat, master.lon):
            assert record.lat is not None and record.lon is not None
            assert master.lat is not None and master.lon is not None
            distances.append(distance_m(record.lon, record.lat, master.lon, master.lat))
    labelled = sum(record.is_duplicate for record in records)
    return {
        "share": round(labelled / max(1, len(records)), 4),
        "labelled": labelled,
        "pairs": len(gaps),
        "horizon_hours": DUPLICATE_HORIZON_HOURS,
        "gap_hours": _quantiles(gaps),
        "distance_m": _quantiles(distances),
        "other_channel_share": round(other_channel / len(gaps), 4) if gaps else 0.0,
    }


def calibrate(paths: Sequence[Path]) -> dict[str, Any]:
    """The aggregate figures of Boston 311 CSV files (see the module docstring)."""
    records: list[ServiceRecord] = []
    for path in paths:
        records.extend(read_boston311(Path(path)))
    if not records:
        raise ValueError("the Boston 311 files hold no record")
    records.sort(key=lambda r: (r.opened_at, r.id))
    channels = Counter(group_of(record.channel) for record in records)
    mapped = sum(1 for record in records if record.category in BOSTON_TO_GBT)
    by_group = {group: _weekday_hour(r for r in records if group_of(r.channel) == group) for group in GROUPS}
    return {
        "source": "Boston 311 service requests 2015 (City of Boston open data, PDDL)",
        "how": HOW,
        "files": [Path(path).name for path in paths],
        "records": len(records),
        "first": records[0].opened_at.date().isoformat(),
        "last": records[-1].opened_at.date().isoformat(),
        "mapped_share": round(mapped / len(records), 4),
        "channels": {name: round(n / len(records), 4) for name, n in sorted(channels.items())},
        "weekday_hour": _weekday_hour(records),
        "weekday_hour_by_channel": by_group,
        "duplicates": _duplicates(records),
        "types": _types(records),
    }


@dataclass(frozen=True)
class Calibration:
    """The figures the scenario uses, read from a calibration JSON."""

    channels: dict[str, float]
    weekday_hour: dict[str, list[list[float]]]
    #: Boston type → {count, share, median_hours, duplicate_share, by_channel}.
    types: dict[str, dict[str, Any]]
    duplicate_share: float
    duplicate_gap_hours: dict[str, float]
    duplicate_distance_m: dict[str, float]
    duplicate_other_channel_share: float
    raw: dict[str, Any]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibration:
        dup = data["duplicates"]
        profiles = {"all": data["weekday_hour"], **data.get("weekday_hour_by_channel", {})}
        return cls(
            channels=dict(data["channels"]),
            weekday_hour=profiles,
            types=dict(data["types"]),
            duplicate_share=float(dup["share"]),
            duplicate_gap_hours=dict(dup.get("gap_hours") or {}),
            duplicate_distance_m=dict(dup.get("distance_m") or {}),
            duplicate_other_channel_share=float(dup.get("other_channel_share", 0.0)),
            raw=data,
        )

    def profile(self, group: str) -> list[list[float]]:
        """The weekday × hour intensity of a channel group (the overall one when it has none)."""
        return self.weekday_hour.get(group) or self.weekday_hour["all"]


def load_calibration(path: Path | None = None) -> Calibration:
    """A calibration file, by default the packaged Boston 311 2015 figures."""
    if path is not None:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = resources.files("cityloop.sim.scenario").joinpath("data", PACKAGED).read_text(encoding="utf-8")
    return Calibration.from_dict(json.loads(text))


def write_calibration(figures: dict[str, Any], out: Path) -> None:
    """Write calibration figures as indented JSON (rows of the weekday × hour table on one line)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    text = _NUMBERS.sub(
        lambda m: "[" + " ".join(m.group(1).split()) + "]", json.dumps(figures, ensure_ascii=False, indent=1)
    )
    out.write_text(text + "\n", encoding="utf-8")


_NUMBERS = re.compile(r"\[\s+([-0-9.,\s]+?)\s+\]")
