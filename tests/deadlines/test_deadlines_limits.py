from __future__ import annotations

import csv
from datetime import timedelta
from importlib import resources
from typing import Any

import pytest

from cityloop.deadlines import TIME_UNITS, TimeLimit
from cityloop.deadlines.errors import InvalidLimit
from cityloop.taxonomy.loader import TIME_UNITS as TAXONOMY_UNITS


def test_units_match_the_taxonomy() -> None:
    assert TIME_UNITS == (
        "working_minutes",
        "working_hours",
        "working_days",
        "calendar_minutes",
        "calendar_hours",
        "calendar_days",
    )
    assert set(TIME_UNITS) == set(TAXONOMY_UNITS)


def test_every_packaged_registration_condition_parses() -> None:
    text = (
        resources.files("cityloop.taxonomy").joinpath("data/registration-conditions.csv").read_text("utf-8")
    )
    rows = list(csv.DictReader(text.splitlines()))
    assert rows
    for row in rows:
        for urgency in ("normal", "urgent"):
            if row[f"{urgency}_amount"]:
                amount = float(row[f"{urgency}_amount"])
                limit = TimeLimit.parse({"amount": amount, "unit": row[f"{urgency}_unit"]})
                assert limit.unit == row[f"{urgency}_unit"]


def test_parse_and_round_trip() -> None:
    limit = TimeLimit.parse({"amount": 4, "unit": "working_hours"})
    assert limit == TimeLimit(4, "working_hours")
    assert limit.to_dict() == {"amount": 4, "unit": "working_hours"}
    assert limit.is_working
    assert limit.as_timedelta() == timedelta(hours=4)
    assert str(limit) == "4 working hours"
    assert str(TimeLimit(1.5, "calendar_hours")) == "1.5 calendar hours"
    assert not TimeLimit(2, "calendar_days").is_working
    assert TimeLimit(30, "calendar_minutes").as_timedelta() == timedelta(minutes=30)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": 4}, "limit: missing unit"),
        ({}, "limit: missing amount and unit"),
        ({"amount": 4, "unit": "hours"}, "limit.unit: 'hours' is not one of working_minutes"),
        ({"amount": -1, "unit": "working_hours"}, "limit.amount: -1 must be a finite number of at least 0"),
        ({"amount": float("nan"), "unit": "working_hours"}, "limit.amount: nan must be a finite number"),
        ({"amount": "4", "unit": "working_hours"}, "limit.amount: '4' is not a number"),
        ({"amount": True, "unit": "working_hours"}, "limit.amount: True is not a number"),
        ({"amount": 1.5, "unit": "working_days"}, "limit.amount: working_days take a whole number, got 1.5"),
        ({"amount": 4, "unit": "working_hours", "urgent": True}, "limit: unknown field(s) urgent"),
        ([4, "working_hours"], "limit: expected a mapping with amount and unit"),
    ],
)
def test_invalid_limits_are_refused(data: Any, message: str) -> None:
    with pytest.raises(InvalidLimit) as info:
        TimeLimit.parse(data)
    assert info.value.code == "deadlines.invalid_limit"
    assert info.value.message.startswith(message)


def test_parse_names_the_place() -> None:
    with pytest.raises(InvalidLimit, match=r"^policies\[3\]\.limit\.unit: "):
        TimeLimit.parse({"amount": 1, "unit": "weeks"}, where="policies[3].limit")


def test_days_have_no_fixed_duration() -> None:
    with pytest.raises(InvalidLimit, match="working_days has no fixed duration"):
        TimeLimit(1, "working_days").as_timedelta()
