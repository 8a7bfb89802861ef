"""Analytics: hot spots, recurrence, patterns, emerging issues, forecasts and text hot spots.

Read-only over cases: every analysis is a pure function over rows (`CaseRow`) or arrays, and
`queries` loads them from the database for the API and the CLI.
"""

from cityloop.analytics.backtest import BOSTON, SeriesData, backtest, boston_series, build_series
from cityloop.analytics.data import CaseRow, load_cases
from cityloop.analytics.forecast import (
    HOURS_PER_WEEK,
    SeasonalModel,
    hourly_matrix,
    hours_of_week,
    seasonal_forecast,
    seasonal_naive,
)
from cityloop.analytics.queries import (
    emerging_of,
    forecast_of,
    hotspots_of,
    patterns_of,
    recurrence_of,
)

__all__ = [
    "BOSTON",
    "HOURS_PER_WEEK",
    "CaseRow",
    "SeasonalModel",
    "SeriesData",
    "backtest",
    "boston_series",
    "build_series",
    "emerging_of",
    "forecast_of",
    "hotspots_of",
    "hourly_matrix",
    "hours_of_week",
    "load_cases",
    "patterns_of",
    "recurrence_of",
    "seasonal_forecast",
    "seasonal_naive",
]
