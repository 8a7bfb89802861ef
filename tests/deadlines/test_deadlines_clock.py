"""The running clock: pause (挂账), resume, extend (延期), used share, remaining, traffic light."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from cityloop.deadlines import (
    Deadline,
    TimeLimit,
    extend,
    light,
    light_at,
    pause,
    remaining,
    resume,
    start,
    used_share,
)
from cityloop.deadlines.errors import AlreadyPaused, InvalidExtension, InvalidInstant, NotPaused
from deadlines.factories import CAL, hours, sh

FOUR_HOURS = TimeLimit(4, "working_hours")


def test_start_computes_the_due() -> None:
    deadline = start(sh(2026, 11, 2, 9), FOUR_HOURS, CAL)
    assert deadline == Deadline(
        started_at=sh(2026, 11, 2, 9), limit=FOUR_HOURS, due_at=sh(2026, 11, 2, 14, 30)
    )
    assert not deadline.is_paused
    assert deadline.paused == timedelta(0)
    assert deadline.extended_by == timedelta(0)


@pytest.mark.parametrize(
    ("at", "share", "left", "colour"),
    [
        (sh(2026, 11, 2, 9), 0.0, hours(4), "green"),
        (sh(2026, 11, 2, 11), 0.5, hours(2), "green"),
        (sh(2026, 11, 2, 12, 45), 0.75, hours(1), "green"),  # lunch: no time used
        (sh(2026, 11, 2, 13, 42), 0.8, hours(0.8), "yellow"),
        (sh(2026, 11, 2, 14), 0.875, hours(0.5), "yellow"),
        (sh(2026, 11, 2, 14, 30), 1.0, hours(0), "yellow"),
        (sh(2026, 11, 2, 15), 1.125, -hours(0.5), "red"),
        (sh(2026, 11, 3, 9), 1.875, -hours(3.5), "red"),  # the night does not count
        (sh(2026, 11, 2, 8), 0.0, hours(4), "green"),  # before the start: nothing used
    ],
)
def test_used_share_remaining_and_light(at: datetime, share: float, left: timedelta, colour: str) -> None:
    deadline = start(sh(2026, 11, 2, 9), FOUR_HOURS, CAL)
    assert used_share(deadline, at, CAL) == pytest.approx(share)
    assert remaining(deadline, at, CAL) == left
    assert light_at(deadline, at, CAL) == colour


def test_suspension_across_a_weekend_stops_the_clock() -> None:
    # 8 working hours from Friday 16:00 are due Monday 16:30.
    deadline = start(sh(2026, 11, 6, 16), TimeLimit(8, "working_hours"), CAL)
    assert deadline.due_at == sh(2026, 11, 9, 16, 30)
    paused = pause(deadline, sh(2026, 11, 6, 17))
    assert paused.paused_at == sh(2026, 11, 6, 17)
    assert paused.due_at == deadline.due_at
    # Frozen while paused, whatever the hour.
    for at in (sh(2026, 11, 7, 12), sh(2026, 11, 9, 9), sh(2026, 11, 30, 9)):
        assert used_share(paused, at, CAL) == 0.125
        assert remaining(paused, at, CAL) == hours(7)
        assert light_at(paused, at, CAL) == "green"
    # The pause covered 30 min on Friday and 90 min on Monday: the due moves 2 working hours later.
    resumed = resume(paused, sh(2026, 11, 9, 10), CAL)
    assert resumed.paused_at is None
    assert resumed.paused == hours(2)
    assert resumed.due_at == sh(2026, 11, 10, 9, 30)
    assert used_share(resumed, sh(2026, 11, 9, 10), CAL) == 0.125
    assert used_share(resumed, sh(2026, 11, 9, 11), CAL) == 0.25
    assert remaining(resumed, sh(2026, 11, 10, 9, 30), CAL) == timedelta(0)
    assert used_share(resumed, sh(2026, 11, 10, 9, 30), CAL) == 1.0


def test_a_pause_outside_duty_moves_nothing() -> None:
    deadline = start(sh(2026, 11, 6, 16), FOUR_HOURS, CAL)
    resumed = resume(pause(deadline, sh(2026, 11, 7, 9)), sh(2026, 11, 8, 20), CAL)
    assert resumed == deadline


def test_a_second_pause_adds_up() -> None:
    deadline = start(sh(2026, 11, 2, 9), FOUR_HOURS, CAL)
    once = resume(pause(deadline, sh(2026, 11, 2, 10)), sh(2026, 11, 2, 10, 30), CAL)
    twice = resume(pause(once, sh(2026, 11, 2, 11)), sh(2026, 11, 2, 14), CAL)
    assert twice.paused == hours(2)
    assert twice.due_at == sh(2026, 11, 2, 16, 30)
    assert used_share(twice, sh(2026, 11, 2, 14), CAL) == pytest.approx(1.5 / 4)


def test_extend_by_a_limit_and_to_an_instant() -> None:
    deadline = start(sh(2026, 11, 6, 16), TimeLimit(8, "working_hours"), CAL)  # due Monday 16:30
    longer = extend(deadline, TimeLimit(1, "working_days"), CAL)
    assert longer.due_at == sh(2026, 11, 10, 16, 30)
    assert longer.extended_by == hours(7.5)
    assert used_share(longer, sh(2026, 11, 9, 16, 30), CAL) == pytest.approx(8 / 15.5)
    later = extend(longer, sh(2026, 11, 11, 9), CAL)
    assert later.due_at == sh(2026, 11, 11, 9)
    assert later.extended_by == hours(9)


def test_extend_while_paused_keeps_the_pause() -> None:
    paused = pause(start(sh(2026, 11, 2, 9), FOUR_HOURS, CAL), sh(2026, 11, 2, 10))
    longer = extend(paused, TimeLimit(1, "working_hours"), CAL)
    assert longer.paused_at == sh(2026, 11, 2, 10)
    assert longer.due_at == sh(2026, 11, 2, 15, 30)
    assert used_share(longer, sh(2026, 11, 3, 9), CAL) == 0.2


def test_calendar_limits_pause_on_elapsed_time() -> None:
    emergency = start(sh(2026, 11, 7, 22), TimeLimit(2, "calendar_hours"), CAL)
    assert emergency.due_at == sh(2026, 11, 8, 0)
    resumed = resume(pause(emergency, sh(2026, 11, 7, 22, 30)), sh(2026, 11, 7, 23), CAL)
    assert resumed.due_at == sh(2026, 11, 8, 0, 30)
    assert resumed.paused == hours(0.5)
    assert used_share(resumed, sh(2026, 11, 7, 23, 30), CAL) == 0.5
    assert remaining(resumed, sh(2026, 11, 8, 1), CAL) == -hours(0.5)
    assert extend(resumed, TimeLimit(1, "calendar_days"), CAL).extended_by == hours(24)


def test_zero_limit() -> None:
    deadline = start(sh(2026, 11, 2, 9), TimeLimit(0, "working_hours"), CAL)
    assert deadline.due_at == sh(2026, 11, 2, 9)
    assert used_share(deadline, sh(2026, 11, 2, 9), CAL) == 1.0
    assert used_share(deadline, sh(2026, 11, 2, 9, 1), CAL) == math.inf
    assert light_at(deadline, sh(2026, 11, 2, 9, 1), CAL) == "red"


def test_refused_clock_changes_change_nothing() -> None:
    deadline = start(sh(2026, 11, 2, 9), FOUR_HOURS, CAL)
    before = replace(deadline)
    with pytest.raises(NotPaused) as not_paused:
        resume(deadline, sh(2026, 11, 2, 10), CAL)
    assert not_paused.value.code == "deadlines.not_paused"
    with pytest.raises(InvalidInstant, match="before the start"):
        pause(deadline, sh(2026, 11, 2, 8))
    paused = pause(deadline, sh(2026, 11, 2, 10))
    with pytest.raises(AlreadyPaused) as again:
        pause(paused, sh(2026, 11, 2, 11))
    assert again.value.code == "deadlines.already_paused"
    with pytest.raises(InvalidInstant, match="before the pause") as early:
        resume(paused, sh(2026, 11, 2, 9, 30), CAL)
    assert early.value.code == "deadlines.invalid_instant"
    with pytest.raises(InvalidExtension) as ext:
        extend(deadline, sh(2026, 11, 2, 14, 30), CAL)
    assert ext.value.code == "deadlines.invalid_extension"
    assert ext.value.message.startswith("new due 2026-11-02T06:30:00+00:00 is not after the current due")
    assert deadline == before
    assert paused.paused_at == sh(2026, 11, 2, 10)


@pytest.mark.parametrize(
    ("share", "colour"),
    [
        (0.0, "green"),
        (0.7999, "green"),
        (0.8, "yellow"),
        (0.95, "yellow"),
        (1.0, "yellow"),
        (1.0001, "red"),
        (math.inf, "red"),
    ],
)
def test_light_thresholds(share: float, colour: str) -> None:
    assert light(share) == colour
