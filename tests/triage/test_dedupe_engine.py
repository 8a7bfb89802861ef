"""The de-duplicator: radius, window, category, scoring monotonicity, merge / suggest / new."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import MappingProxyType

import pytest

from cityloop.triage.dedupe import (
    CategoryRule,
    DedupeConfig,
    Deduplicator,
    Report,
    haversine_m,
    metrics,
    text_similarity,
)
from cityloop.triage.dedupe.config import DEFAULT_RULES
from cityloop.triage.dedupe.index import rings_for
from cityloop.triage.dedupe.scoring import Weights, score_pair

T0 = datetime(2025, 3, 24, 8, 0, tzinfo=UTC)
LAT, LON = 30.2741, 120.1551
#: ~1.11 m of latitude per 1e-5 degree
M = 1 / 111_195


def report(
    rid: str, *, dm: float = 0.0, hours: float = 0.0, category: str = "Street Light Outages", **kw: object
) -> Report:
    return Report(
        id=rid,
        category=category,
        opened_at=T0 + timedelta(hours=hours),
        lat=LAT + dm * M,
        lon=LON,
        **kw,  # type: ignore[arg-type]
    )


def test_haversine_and_rings() -> None:
    assert haversine_m(LAT, LON, LAT + 100 * M, LON) == pytest.approx(100.0, abs=0.01)
    assert rings_for(60.0, 10) == 2
    assert rings_for(300.0, 10) == 5


def test_close_repeat_merges_with_reason() -> None:
    dedupe = Deduplicator()
    assert dedupe.observe(report("a", text="lamp out")).is_duplicate is False
    decision = dedupe.observe(report("b", dm=5, hours=1, text="lamp out"))
    assert decision.is_duplicate is True
    assert decision.master_id == "a"
    assert decision.score == pytest.approx(0.9620, abs=1e-4)
    assert decision.reason.startswith(
        "duplicate of a (score 0.96 ≥ 0.90): Street Light Outages: 5 m apart, 1.0 h earlier (still open)"
    )


def test_outside_radius_window_or_category_is_new() -> None:
    dedupe = Deduplicator()
    dedupe.add(report("a"))
    far = dedupe.decide(report("far", dm=61))  # street lights: radius 60 m
    late = dedupe.decide(report("late", hours=21 * 24 + 1))  # window 21 days
    other = dedupe.decide(report("other", category="Graffiti Removal"))
    for decision in (far, late, other):
        assert (decision.is_duplicate, decision.score, decision.suggestions) == (False, 0.0, ())
        assert decision.reason == "no earlier report nearby in the window"


def test_sibling_categories_are_candidates() -> None:
    config = DedupeConfig(siblings=MappingProxyType({"noise - street": frozenset({"noise"})}))
    dedupe = Deduplicator(config)
    dedupe.add(report("a", category="Noise", text="loud music"))
    assert (
        dedupe.decide(report("b", category="Noise - Street", hours=0.5, text="loud music")).master_id == "a"
    )


def test_same_address_without_coordinates_and_component() -> None:
    dedupe = Deduplicator()
    dedupe.add(Report("a", "HEAT/HOT WATER", T0, address="2670 BROADWAY", text="ENTIRE BUILDING"))
    same = dedupe.decide(
        Report(
            "b", "heat/hot water", T0 + timedelta(hours=3), address="2670  Broadway", text="ENTIRE BUILDING"
        )
    )
    assert (same.is_duplicate, same.master_id) == (True, "a")
    lamp = Deduplicator()
    lamp.add(report("a", component="lamp-1"))
    assert lamp.decide(report("b", component="lamp-2")).score == 0.0


def test_between_thresholds_is_a_suggestion() -> None:
    dedupe = Deduplicator()
    dedupe.add(report("a", text="lamp out"))
    decision = dedupe.decide(report("b", dm=25, hours=48, text="lamp out"))
    assert decision.is_duplicate is False
    assert [s.case_id for s in decision.suggestions] == ["a"]
    assert decision.reason.startswith("suggested to the operator: best a scores 0.79 < 0.90")


def test_score_is_monotone_in_distance_time_and_text() -> None:
    rule = DEFAULT_RULES["street light outages"]
    weights = Weights(0.45, 0.25, 0.30)
    old = report("old", text="street light out")

    def value(dm: float, hours: float, text: str) -> float:
        new = report("new", dm=dm, hours=hours, text=text)
        score = score_pair(new, old, rule, weights, distance_m=dm, same_address=False)
        assert score is not None
        return score.value

    assert (
        value(5, 1, "street light out") > value(20, 1, "street light out") > value(50, 1, "street light out")
    )
    assert (
        value(5, 1, "street light out") > value(5, 48, "street light out") > value(5, 400, "street light out")
    )
    assert value(5, 1, "street light out") > value(5, 1, "light flickering") > value(5, 1, "zzz")


def test_closed_master_scores_lower_and_point_like_rules() -> None:
    rule = CategoryRule(radius_m=40.0, point_like=True)
    weights = Weights(0.45, 0.25, 0.30)
    new = report("new", dm=20, hours=5)
    open_old = report("old")
    closed_old = report("old", closed_at=T0 + timedelta(hours=1))
    a = score_pair(new, open_old, rule, weights, distance_m=20, same_address=False)
    b = score_pair(new, closed_old, rule, weights, distance_m=20, same_address=False)
    assert a is not None and b is not None
    assert b.value == pytest.approx(a.value * 0.6)
    assert "already closed" in b.reason("Sidewalk Repair")


def test_text_similarity_and_metrics() -> None:
    assert text_similarity("Lamp out", "lamp OUT") == 1.0
    assert text_similarity("", "lamp") == 0.5
    figures = metrics([True, True, False, False], [True, False, True, False])
    assert (figures.precision, figures.recall, figures.f1) == (0.5, 0.5, 0.5)
