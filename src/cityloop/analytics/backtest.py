"""Rolling-origin backtest of the volume forecast on a 311 export (Boston 2015: neighbourhood × subject).

At each origin the model sees only the hours before it and forecasts the next 48; the
seasonal naive forecasts the same 48 hours of the week before. Hourly counts per series are
mostly 0 or 1, where a percentage error means nothing, so errors are measured on each
series' 48-hour total:

- `mape` is the weighted MAPE (WAPE): Σ |forecast − actual| / Σ actual over every series ×
  origin, i.e. the absolute error as a share of the volume;
- `mape_unweighted` is the plain mean of |forecast − actual| / actual over the series × origin
  windows whose actual total is at least `min_actual` (smaller ones make the ratio explode);
- `hourly_wape` is the WAPE of the hourly counts.
The model and the naive are measured with the same definitions on the same windows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from cityloop.analytics.errors import InvalidArgument, NotEnoughHistory
from cityloop.analytics.forecast import (
    HOURS_PER_WEEK,
    Index,
    Matrix,
    SeasonalModel,
    hourly_matrix,
    hours_of_week,
    seasonal_forecast,
    seasonal_naive,
)
from cityloop.triage.importers import ImportFailed, read_records

BOSTON = ZoneInfo("America/New_York")
HORIZON = 48


@dataclass(frozen=True, slots=True)
class SeriesData:
    """Hourly counts of many series from `start` (UTC), with each series' key and group."""

    start: datetime
    counts: Matrix
    how: Index
    keys: list[tuple[str, str]]
    groups: Index


def _group_keys(paths: Iterable[Path]) -> dict[str, tuple[str, str]]:
    """case id → (neighbourhood, subject): the two Boston columns the common record leaves out."""
    keys: dict[str, tuple[str, str]] = {}
    for path in paths:
        with Path(path).open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = {"neighborhood", "subject"} - set(reader.fieldnames or [])
            if missing:
                raise ImportFailed(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            for row in reader:
                keys[row["case_enquiry_id"].strip()] = (
                    row["neighborhood"].strip() or "(none)",
                    row["subject"].strip() or "(none)",
                )
    return keys


def boston_series(paths: Sequence[Path]) -> SeriesData:
    """Hourly counts of every neighbourhood × subject of Boston 311 exports (the reader validates them)."""
    records = read_records("boston311", paths)
    if not records:
        raise NotEnoughHistory("the files hold no cases")
    groups_of = _group_keys(paths)
    pairs = [groups_of[r.id] for r in records]
    times = [r.opened_at.astimezone(UTC) for r in records]
    return build_series(pairs, times, BOSTON)


def build_series(pairs: Sequence[tuple[str, str]], times: Sequence[datetime], zone: ZoneInfo) -> SeriesData:
    """Series of (place, category) pairs over the whole hours from the first time to the last."""
    start = min(times).replace(minute=0, second=0, microsecond=0)
    hours = int((max(times) - start).total_seconds() // 3600) + 1
    keys = sorted(set(pairs))
    row_of = {k: i for i, k in enumerate(keys)}
    categories = sorted({k[1] for k in keys})
    group_of = {c: i for i, c in enumerate(categories)}
    counts = hourly_matrix([row_of[p] for p in pairs], times, start, hours, len(keys))
    groups = np.array([group_of[k[1]] for k in keys], dtype=np.int64)
    return SeriesData(start, counts, hours_of_week(start, hours, zone), keys, groups)


def origins(hours: int, *, first: int, step: int, horizon: int = HORIZON) -> list[int]:
    """Forecast origins (hour indexes) from `first`, every `step` hours, with a full horizon after them."""
    if step < 1:
        raise InvalidArgument("the step between origins must be ≥ 1 hour")
    return list(range(first, hours - horizon + 1, step))


def _errors(forecast: Matrix, actual: Matrix, min_actual: float) -> dict[str, float]:
    totals_f, totals_a = forecast.sum(axis=1), actual.sum(axis=1)
    return {
        "abs_total": float(np.abs(totals_f - totals_a).sum()),
        "abs_hourly": float(np.abs(forecast - actual).sum()),
        "ape_sum": float(
            (np.abs(totals_f - totals_a) / np.maximum(totals_a, 1))[totals_a >= min_actual].sum()
        ),
    }


def backtest(
    data: SeriesData,
    *,
    model: SeasonalModel | None = None,
    first_origin_weeks: int = 8,
    step_hours: int = 84,
    min_actual: float = 10.0,
    after: datetime | None = None,
) -> dict[str, Any]:
    """Model vs seasonal naive over rolling origins; `after` keeps only origins at or after that time."""
    model = model or SeasonalModel()
    first = first_origin_weeks * HOURS_PER_WEEK
    if after is not None:
        first = max(first, int((after - data.start).total_seconds() // 3600))
    points = origins(data.counts.shape[1], first=first, step=step_hours)
    if not points:
        raise NotEnoughHistory(
            f"the data covers {data.counts.shape[1]} hours; a backtest needs {first + HORIZON} or more"
        )
    sums = {f"{who}_{k}": 0.0 for who in ("model", "naive") for k in ("abs_total", "abs_hourly", "ape_sum")}
    volume, windows = 0.0, 0
    for origin in points:
        history, actual = data.counts[:, :origin], data.counts[:, origin : origin + HORIZON]
        predicted = seasonal_forecast(
            history, data.how[:origin], data.how[origin : origin + HORIZON], groups=data.groups, model=model
        )
        for who, fc in (("model", predicted), ("naive", seasonal_naive(history, HORIZON))):
            for k, v in _errors(fc, actual, min_actual).items():
                sums[f"{who}_{k}"] += v
        volume += float(actual.sum())
        windows += int((actual.sum(axis=1) >= min_actual).sum())
    return _summary(data, points, sums, volume, windows, min_actual)


def _summary(
    data: SeriesData,
    points: list[int],
    sums: dict[str, float],
    volume: float,
    windows: int,
    min_actual: float,
) -> dict[str, Any]:
    def ratio(a: float, b: float) -> float | None:
        return round(a / b, 4) if b else None

    mape, naive = ratio(sums["model_abs_total"], volume), ratio(sums["naive_abs_total"], volume)
    return {
        "mape": mape,
        "naive_mape": naive,
        "improvement_vs_naive": round(1 - mape / naive, 4) if mape is not None and naive else None,
        "mape_definition": "weighted MAPE of each series' 48-hour total: sum |F-A| / sum A",
        "mape_unweighted": ratio(sums["model_ape_sum"], windows),
        "naive_mape_unweighted": ratio(sums["naive_ape_sum"], windows),
        "unweighted_min_actual": min_actual,
        "unweighted_windows": windows,
        "hourly_wape": ratio(sums["model_abs_hourly"], volume),
        "naive_hourly_wape": ratio(sums["naive_abs_hourly"], volume),
        "series": len(data.keys),
        "origins": len(points),
        "first_origin": (data.start + timedelta(hours=points[0])).isoformat(),
        "last_origin": (data.start + timedelta(hours=points[-1])).isoformat(),
        "horizon_hours": HORIZON,
        "cases_forecast": int(volume),
    }
