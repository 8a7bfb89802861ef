"""Conditions as data: time windows (also across midnight) and what is stored."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cityloop.dispatch import Conditions, RuleItem, TimeWindow


def _minute(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


@pytest.mark.parametrize(
    ("start", "end", "inside", "outside"),
    [
        ("08:00", "17:30", ["08:00", "12:00", "17:29"], ["07:59", "17:30", "23:00", "00:00"]),
        ("22:00", "06:00", ["22:00", "23:59", "00:00", "05:59"], ["06:00", "12:00", "21:59"]),
        ("00:00", "00:01", ["00:00"], ["00:01", "23:59"]),
        ("23:59", "00:00", ["23:59"], ["00:00", "23:58"]),
    ],
)
def test_a_window_covers_start_inclusive_end_exclusive_and_may_wrap_midnight(
    start: str, end: str, inside: list[str], outside: list[str]
) -> None:
    window = TimeWindow(start=start, end=end)
    assert [window.covers(_minute(t)) for t in inside] == [True] * len(inside)
    assert [window.covers(_minute(t)) for t in outside] == [False] * len(outside)
    assert str(window) == f"{start}–{end}"


def test_only_the_conditions_that_are_set_are_stored_and_named() -> None:
    cond = Conditions.model_validate(
        {"weekdays": [6, 7], "categories": ["09009"], "time": {"start": "20:00", "end": "07:00"}}
    )
    assert cond.stored() == {
        "categories": ["09009"],
        "time": {"start": "20:00", "end": "07:00"},
        "weekdays": [6, 7],
    }
    assert cond.names() == ["categories", "time", "weekdays"]
    assert Conditions().stored() == {}
    assert RuleItem.model_validate({"name": "兜底", "department": "CG"}).conditions == Conditions()


def test_codes_written_as_numbers_by_a_yaml_file_are_refused_not_guessed() -> None:
    with pytest.raises(ValidationError) as caught:
        Conditions.model_validate({"majors": [9], "categories": [9001], "weekdays": ["Monday"]})
    assert sorted((".".join(map(str, e["loc"])), e["type"]) for e in caught.value.errors()) == [
        ("categories.0", "string_type"),
        ("majors.0", "string_type"),
        ("weekdays.0", "int_parsing"),
    ]
