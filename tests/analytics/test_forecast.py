"""The seasonal forecast beats the seasonal naive on a synthetic seasonal Poisson series."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np

from cityloop.analytics import HOURS_PER_WEEK, hours_of_week, seasonal_forecast, seasonal_naive
from cityloop.analytics.backtest import backtest, build_series

START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday


def test_hours_of_week_follow_the_local_clock() -> None:
    how = hours_of_week(START, 3, ZoneInfo("Asia/Shanghai"))
    assert how.tolist() == [8, 9, 10]


def test_forecast_beats_naive_on_a_seasonal_series() -> None:
    rng = np.random.default_rng(7)
    weeks, series = 14, 6
    how = np.arange(weeks * HOURS_PER_WEEK) % HOURS_PER_WEEK
    shape = 1 + np.sin(2 * np.pi * (how % 24) / 24) + 0.5 * (how // 24 < 5)
    rates = np.outer(np.linspace(0.5, 3, series), shape)
    counts = rng.poisson(rates).astype(float)
    model_err = naive_err = 0.0
    for origin in range(8 * HOURS_PER_WEEK, counts.shape[1] - 48, 24):
        history, actual = counts[:, :origin], counts[:, origin : origin + 48]
        fc = seasonal_forecast(history, how[:origin], how[origin : origin + 48])
        model_err += float(np.abs(fc - actual).sum())
        naive_err += float(np.abs(seasonal_naive(history, 48) - actual).sum())
    assert model_err < 0.8 * naive_err


def test_backtest_reports_both_with_the_same_windows() -> None:
    rng = np.random.default_rng(3)
    times, pairs = [], []
    for hour in range(10 * HOURS_PER_WEEK):
        rate = 2.0 if (hour % 24) in range(8, 18) else 0.2
        for _ in range(rng.poisson(rate)):
            times.append(START + np.timedelta64(hour, "h").astype(object))
            pairs.append(("A", "roads") if rng.random() < 0.6 else ("B", "lights"))
    result = backtest(build_series(pairs, times, ZoneInfo("UTC")), step_hours=24)
    assert result["series"] == 2 and result["origins"] > 5
    assert result["mape"] < result["naive_mape"]
    assert result["cases_forecast"] > 0
