"""Portraits: months, rank among peers, strongest and weakest, the median, the cases behind bad figures."""

from __future__ import annotations

import pytest

from cityloop.evaluation import EntityNotFound, InvalidPeriod, portrait
from evaluation.month import build_month
from loopcity import LoopCity


def test_a_department_portrait_over_two_months(loop: LoopCity) -> None:
    cases = build_month(loop)
    got = portrait(loop.session, loop.code, "department", "CG", months=2)
    assert (got["kind"], got["id"], got["name"]) == ("department", "CG", "城管")
    october, november = got["months"]
    assert (october["month"], october["indicators"]["due"], october["composite"]) == ("2026-10", 0, None)
    assert november["month"] == "2026-11" and november["period"] == {"from": "2026-11-01", "to": "2026-11-30"}
    assert (november["composite"], november["grade"]) == (84.0, "B")
    assert (november["rank"], november["ranked_peers"]) == (1, 2)  # CG 84 before HW 60
    assert (november["strongest"], november["weakest"]) == ("close_rate", "dispatched")
    assert november["median"]["dispatched"] == 3.5  # CG 6, HW 1
    assert november["median_composite"] == 72.0
    assert november["bad"] == ["dispatched"]  # the count band (60) is the only score below B (75)
    b, c = cases["B"].number, cases["C"].number
    assert november["cases"] == {"on_time_disposal_rate": [b], "rework_rate": [b], "extension_rate": [c]}


def test_an_inspector_portrait_lists_the_cases_behind_a_bad_figure(loop: LoopCity) -> None:
    cases = build_month(loop)
    (november,) = portrait(loop.session, loop.code, "inspector", "inspector01", months=1)["months"]
    assert november["scores"]["missed_report_rate"] == 66.67
    assert november["weakest"] == "missed_report_rate"
    assert november["cases"]["missed_report_rate"] == sorted([cases["E"].number, cases["G"].number])
    assert november["cases"]["valid_report_rate"] == [cases["F"].number]
    assert november["bad"] == ["missed_report_rate"]  # 80 for valid reports is not below B


def test_unknown_entities_and_spans_are_refused(loop: LoopCity) -> None:
    with pytest.raises(EntityNotFound):
        portrait(loop.session, loop.code, "department", "NOPE")
    with pytest.raises(InvalidPeriod):
        portrait(loop.session, loop.code, "department", "CG", months=0)
