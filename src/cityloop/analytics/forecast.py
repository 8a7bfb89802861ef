"""Volume forecasts: an hour-of-week profile times the recent weekly level, per series.

A series is the hourly count of one place × category (a street × major category for a city,
a neighbourhood × subject for Boston). Most series are sparse (a few cases a day), so the
profile of each series is shrunk towards its group's (same category, all places) and the
group's towards the pooled profile of everything: a series keeps its own shape only as far
as its own counts support it. The level is the mean of the last weekly totals less the
busiest week. Everything is a few numpy matrix products: a city's streets × categories
forecast in milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from cityloop.analytics.errors import InvalidArgument, NotEnoughHistory

HOURS_PER_WEEK = 168
Matrix = NDArray[np.float64]
Index = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class SeasonalModel:
    """Knobs of the forecast (defaults chosen on Boston 2015 H1 only; see bench/forecast.py)."""

    #: Weeks of history the hour-of-week profile is read from.
    profile_weeks: int = 12
    #: Whole weeks the level (cases per week) is read from; the busiest one is dropped when ≥ 3,
    #: so that one burst (a storm, a batch of back-office entries) does not carry into next week.
    level_weeks: int = 4
    #: Pseudo-counts pulling a series' profile to its group's, and a group's to the pooled one.
    series_shrink: float = 200.0
    group_shrink: float = 100.0

    def check(self) -> None:
        """Refuse knobs that make no forecast."""
        if self.profile_weeks < 1 or self.level_weeks < 1:
            raise InvalidArgument("profile_weeks and level_weeks must be ≥ 1")
        if self.series_shrink < 0 or self.group_shrink < 0:
            raise InvalidArgument("shrink pseudo-counts must be ≥ 0")


def hours_of_week(start: datetime, hours: int, zone: ZoneInfo) -> Index:
    """Local hour of week (0 = Monday 00:00–01:00) of `hours` consecutive hours from `start` (UTC)."""
    out = np.empty(hours, dtype=np.int64)
    for i in range(hours):
        local = (start + timedelta(hours=i)).astimezone(zone)
        out[i] = local.weekday() * 24 + local.hour
    return out


def _onehot(how: Index) -> Matrix:
    eye = np.zeros((how.size, HOURS_PER_WEEK))
    eye[np.arange(how.size), how] = 1.0
    return eye


def _shares(counts: Matrix, exposure: Matrix, prior: Matrix, shrink: float) -> Matrix:
    """Rows of hour-of-week shares (summing to 1): own rates pulled towards `prior` by `shrink` counts."""
    rates = counts / np.maximum(exposure, 1.0)
    totals = rates.sum(axis=1, keepdims=True)
    own = np.divide(rates, totals, out=np.zeros_like(rates), where=totals > 0)
    weight = counts.sum(axis=1, keepdims=True)
    mixed: Matrix = (weight * own + shrink * prior) / np.maximum(weight + shrink, 1e-12)
    return mixed


def profiles(history: Matrix, how: Index, groups: Index, model: SeasonalModel) -> Matrix:
    """Each series' hour-of-week shares (S × 168) over the last `profile_weeks` of `history`."""
    window = min(history.shape[1], model.profile_weeks * HOURS_PER_WEEK)
    onehot = _onehot(how[history.shape[1] - window : history.shape[1]])
    counts = history[:, -window:] @ onehot
    exposure = np.broadcast_to(onehot.sum(axis=0), counts.shape)
    pooled = counts.sum(axis=0, keepdims=True)
    pooled_share = _shares(pooled, exposure[:1], np.full((1, HOURS_PER_WEEK), 1 / HOURS_PER_WEEK), 1.0)
    n_groups = int(groups.max()) + 1 if groups.size else 0
    group_counts = np.zeros((n_groups, HOURS_PER_WEEK))
    np.add.at(group_counts, groups, counts)
    group_share = _shares(group_counts, exposure[:n_groups], pooled_share, model.group_shrink)
    return _shares(counts, exposure, group_share[groups], model.series_shrink)


def weekly_levels(history: Matrix, model: SeasonalModel) -> Matrix:
    """Each series' expected cases per week: mean of its last whole weeks without the busiest one."""
    weeks = min(model.level_weeks, history.shape[1] // HOURS_PER_WEEK)
    if weeks < 1:
        raise NotEnoughHistory(f"a forecast needs at least one week of history, got {history.shape[1]} h")
    end = history.shape[1]
    totals = np.stack(
        [
            history[:, end - (k + 1) * HOURS_PER_WEEK : end - k * HOURS_PER_WEEK].sum(axis=1)
            for k in range(weeks)
        ],
        axis=1,
    )
    if weeks >= 3:
        totals = np.sort(totals, axis=1)[:, :-1]
    level: Matrix = totals.mean(axis=1)
    return level


def seasonal_forecast(
    history: Matrix,
    how_history: Index,
    how_future: Index,
    *,
    groups: Index | None = None,
    model: SeasonalModel | None = None,
) -> Matrix:
    """Expected counts (S × len(how_future)) after `history` (S × T hourly counts, T ≥ one week)."""
    model = model or SeasonalModel()
    model.check()
    if how_history.size != history.shape[1]:
        raise InvalidArgument("how_history must give the hour of week of every history column")
    groups = np.zeros(history.shape[0], dtype=np.int64) if groups is None else groups
    shares = profiles(history, how_history, groups, model)
    level = weekly_levels(history, model)
    forecast: Matrix = level[:, None] * shares[:, how_future]
    return forecast


def seasonal_naive(history: Matrix, horizon: int) -> Matrix:
    """Same hour last week: the baseline a forecast must beat (horizon ≤ one week)."""
    if history.shape[1] < HOURS_PER_WEEK or horizon > HOURS_PER_WEEK:
        raise NotEnoughHistory("the seasonal naive needs one week of history and a horizon ≤ one week")
    start = history.shape[1] - HOURS_PER_WEEK
    naive: Matrix = history[:, start : start + horizon].astype(np.float64)
    return naive


def hourly_matrix(
    keys: Sequence[int], times: Sequence[datetime], start: datetime, hours: int, n_series: int
) -> Matrix:
    """Counts per series (row `keys[i]`) and hour since `start` (UTC, whole hour); outside hours dropped."""
    matrix = np.zeros((n_series, hours))
    if not keys:
        return matrix
    offsets = np.array([(t - start).total_seconds() // 3600 for t in times], dtype=np.int64)
    rows = np.asarray(keys, dtype=np.int64)
    inside = (offsets >= 0) & (offsets < hours)
    np.add.at(matrix, (rows[inside], offsets[inside]), 1.0)
    return matrix
