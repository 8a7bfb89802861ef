"""Category duplicate rates learned from history and used as the score."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cityloop.triage.dedupe import Deduplicator, Report, fit_calibration
from cityloop.triage.dedupe.calibrate import band_of

T0 = datetime(2015, 7, 1, 9, 0, tzinfo=UTC)


def test_bands() -> None:
    assert [band_of(s) for s in (0.0, 0.005, 0.02, 0.55, 0.87, 0.96, 1.0)] == [0, 0, 1, 2, 6, 8, 8]


def test_rates_are_smoothed_towards_the_band() -> None:
    # 20 past repeats in band 0.95+: graffiti 9 of 10 duplicates, recycling carts 1 of 10.
    categories = ["Graffiti"] * 10 + ["Recycling Cart"] * 10
    labels = [True] * 9 + [False] + [True] + [False] * 9
    table = fit_calibration(categories, [0.97] * 20, labels, merge=0.5, suggest=0.3)
    assert table.overall[8] == pytest.approx(10.5 / 21)
    assert table.probability("graffiti", 0.99) == pytest.approx((9 + 10 * 0.5) / 20)
    assert table.probability("Recycling Cart", 0.96) == pytest.approx((1 + 10 * 0.5) / 20)
    assert table.probability("Unknown", 0.96) == pytest.approx(0.5)
    assert table.overall[0] == 0.5  # no history in the band: even odds


def test_calibrated_deduplicator_merges_by_category_rate() -> None:
    categories = ["Graffiti"] * 10 + ["Recycling Cart"] * 10
    labels = [True] * 9 + [False] + [True] + [False] * 9
    table = fit_calibration(categories, [0.97] * 20, labels, merge=0.5, suggest=0.2)
    decisions = {}
    for category in ("Graffiti", "Recycling Cart"):
        dedupe = Deduplicator(calibration=table)
        dedupe.add(Report("a", category, T0, 42.33, -71.11, text="x"))
        decisions[category] = dedupe.decide(
            Report("b", category, T0 + timedelta(minutes=5), 42.33, -71.11, text="x")
        )
    assert (decisions["Graffiti"].is_duplicate, decisions["Graffiti"].score) == (True, 0.7)
    assert decisions["Graffiti"].reason.endswith("raw score 1.00, duplicate rate of such repeats 0.70")
    cart = decisions["Recycling Cart"]
    assert (cart.is_duplicate, cart.score, [s.case_id for s in cart.suggestions]) == (False, 0.3, ["a"])
