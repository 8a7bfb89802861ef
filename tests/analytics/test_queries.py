"""The database side: cases created through the loop reach the analyses (hot spot, forecast, patterns)."""

from __future__ import annotations

from datetime import timedelta

from cityloop.analytics.queries import forecast_of, hotspots_of, patterns_of
from loopcity import LoopCity


def test_cases_reach_hotspots_patterns_and_forecast(loop: LoopCity) -> None:
    numbers = {loop.report().number for _ in range(5)}
    now = loop.clock.now() + timedelta(hours=1, minutes=1)  # the forecast reads whole hours only
    start = now - timedelta(days=1)
    spots = hotspots_of(loop.session, loop.code, start, now, min_cases=5)
    assert spots["cases"] == 5 and set(spots["clusters"][0]["cases"]) == numbers
    assert spots["cells"][0]["count"] == 5
    assert patterns_of(loop.session, loop.code, start, now)["hour_weekday"][0][9] == 5
    forecast = forecast_of(loop.session, loop.code, now, weeks=2)
    [series] = forecast["series"]
    assert series["major"] == "09" and len(series["hourly"]) == 48 and series["expected"] > 0
