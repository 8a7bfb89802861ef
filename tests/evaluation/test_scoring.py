"""Scores, composite, grades and budget tiers, with the DOMAIN.md defaults and with city parameters."""

from __future__ import annotations

import pytest

from cityloop.cities import CityParameters, do_set_parameters, get_parameters
from cityloop.cities.errors import InvalidParameter
from cityloop.cities.models import CityParameter
from cityloop.cities.params import EvaluationParameters, validate_parameters
from cityloop.cities.queries import forget_parameters
from cityloop.evaluation import band_score, composite_of, evaluate, grade_of, scores_of, tier_of
from cityloop.evaluation.errors import InvalidPeriod, UnknownKind
from evaluation.month import build_month
from loopcity import LoopCity

DEFAULT = EvaluationParameters()


@pytest.mark.parametrize(
    ("composite", "grade", "tier"),
    [(100, "A", "reward"), (90, "A", "reward"), (89.99, "B", "normal"), (75, "B", "normal"),
     (70, "C", "normal"), (69.99, "C", "supervision"), (60, "C", "supervision"), (59.99, "D", "supervision"),
     (None, None, None)],
)  # fmt: skip
def test_grades_and_tiers_follow_the_thresholds(
    composite: float | None, grade: str | None, tier: str | None
) -> None:
    assert (grade_of(composite, DEFAULT), tier_of(composite, DEFAULT)) == (grade, tier)


def test_rates_bad_rates_and_bands_become_scores() -> None:
    assert band_score([(0, 0), (1, 60), (100, 80)], 0) == 0
    assert band_score([(0, 0), (1, 60), (100, 80)], 99.9) == 60
    assert band_score([(0, 100), (2, 90), (5, 75)], 3) == 90  # lower is better for densities
    scores = scores_of(
        "department", {"dispatched": 10, "close_rate": 90.0, "on_time_disposal_rate": None, "rework_rate": 12.5},
        DEFAULT, days=15,
    )  # fmt: skip
    # 10 in 15 days is 20 in 30 → band 80; rework is a bad rate.
    assert scores == {
        "dispatched": 80.0,
        "close_rate": 90.0,
        "on_time_disposal_rate": None,
        "rework_rate": 87.5,
    }
    assert composite_of("department", scores, DEFAULT) == round((80 * 10 + 90 * 30 + 87.5 * 30) / 70, 2)
    assert composite_of("inspector", {"valid_report_rate": None}, DEFAULT) is None
    area = scores_of(
        "street", {"public_report_rate": 25.0, "filed_density": 0.5}, DEFAULT, days=3, area_class="rural"
    )
    assert (area["public_report_rate"], area["filed_density"]) == (
        75.0,
        60.0,
    )  # 0.5 in 3 days is 5 per 30: rural band 60


def test_city_parameters_change_weights_and_thresholds(loop: LoopCity) -> None:
    build_month(loop)
    values = {
        "grade_a": 80,
        "reward_from": 95,
        "weights": {**DEFAULT.weights, "inspector": {"valid_report_rate": 1}},
    }
    # Stored as do_set_parameters stores it (JSON).
    loop.session.add(CityParameter(city_id=loop.code, key="evaluation", value=values))
    loop.session.flush()
    forget_parameters(loop.session, loop.code)
    (inspector,) = evaluate(
        loop.session, loop.code, kinds=["inspector"], first="2026-11-01", last="2026-11-30"
    )
    assert (inspector["scores"], inspector["composite"]) == ({"valid_report_rate": 80.0}, 80.0)
    assert (inspector["grade"], inspector["tier"]) == ("A", "normal")


def test_do_set_parameters_stores_the_evaluation_parameters(loop: LoopCity) -> None:
    do_set_parameters(loop.session, loop.code, {"evaluation": {"grade_a": 80}})
    assert get_parameters(loop.session, loop.code).evaluation.grade_a == 80


def test_bad_parameters_are_refused_with_their_key() -> None:
    assert CityParameters().evaluation == DEFAULT
    for values, key in [({"grade_a": 120}, "evaluation.grade_a"), ({"nonsense": 1}, "evaluation.nonsense")]:
        with pytest.raises(InvalidParameter) as refused:
            validate_parameters({"evaluation": values})
        assert refused.value.details[0]["key"] == key


def test_bad_periods_and_kinds_have_stable_codes(loop: LoopCity) -> None:
    with pytest.raises(InvalidPeriod) as bad_date:
        evaluate(loop.session, loop.code, first="2026-13-01")
    assert bad_date.value.code == "evaluation.invalid_period"
    with pytest.raises(InvalidPeriod):
        evaluate(loop.session, loop.code, first="2026-11-30", last="2026-11-01")
    with pytest.raises(UnknownKind) as kind:
        evaluate(loop.session, loop.code, kinds=["mayor"])
    assert kind.value.code == "evaluation.unknown_kind"


def test_every_entity_of_every_kind_gets_a_row(loop: LoopCity) -> None:
    build_month(loop)
    got = evaluate(loop.session, loop.code, first="2026-11-01", last="2026-11-30")
    kinds = {r["kind"] for r in got}
    assert kinds == {"department", "inspector", "operator", "shift_leader", "dispatcher", "grid", "community",
                     "street", "district"}  # fmt: skip
    for row in got:  # graded exactly when something happened there
        active = any(v for v in row["indicators"].values() if isinstance(v, int | float))
        assert (row["grade"] in ("A", "B", "C", "D")) == active, row
    assert all(r["grade"] for r in got if r["kind"] in ("department", "inspector", "district"))
