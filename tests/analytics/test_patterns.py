"""Patterns count in city time; emerging flags a planted jump with its expected and observed count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from cityloop.analytics import CaseRow
from cityloop.analytics.patterns import emerging, patterns

NOW = datetime(2026, 11, 2, 1, tzinfo=UTC)  # Monday 09:00 in Shanghai


def case(i: int, at: datetime, grid: str = "G1", category: str = "09001") -> CaseRow:
    return CaseRow(
        id=i, number=f"N{i}", category_code=category, reported_at=at, grid_code=grid, street_code="S1"
    )


def test_hour_weekday_is_in_city_time() -> None:
    rows = [case(1, NOW), case(2, NOW + timedelta(hours=1)), case(3, NOW + timedelta(days=7))]
    result = patterns(rows, ZoneInfo("Asia/Shanghai"))
    assert result["hour_weekday"][0][9] == 2 and result["hour_weekday"][0][10] == 1
    assert result["busiest_weekday"] == "Mon" and result["busiest_hour"] == 9
    assert [w["count"] for w in result["trend"]["weeks"]] == [2, 1]


def test_emerging_flags_the_planted_jump_only() -> None:
    rows, n = [], 0
    for week in range(1, 9):  # one case a week in G1 and three a week in G2 for eight weeks
        n += 1
        rows.append(case(n, NOW - timedelta(days=7 * week + 2)))
        for _ in range(3):
            n += 1
            rows.append(case(n, NOW - timedelta(days=7 * week + 3), grid="G2"))
    for k in range(9):  # the jump: nine cases in G1 in the last week
        n += 1
        rows.append(case(n, NOW - timedelta(hours=10 + k)))
    for _ in range(4):  # G2 keeps to its usual level
        n += 1
        rows.append(case(n, NOW - timedelta(days=2), grid="G2"))
    flagged = emerging(rows, now=NOW, window_days=7, history_windows=8)
    assert [(e["place"], e["observed"], e["expected"]) for e in flagged] == [("G1", 9, 1.0)]
    assert flagged[0]["p_value"] < 1e-4 and len(flagged[0]["cases"]) == 9
