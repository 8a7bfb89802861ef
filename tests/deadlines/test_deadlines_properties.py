"""Properties of working-time arithmetic: monotonic, additive, round-tripping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from cityloop.deadlines import TimeLimit, TimeUnit, WorkingCalendar, due_at, pause, resume, start, used_share
from deadlines.factories import BERLIN_CAL, CAL

# Instants to the second from August 2026 to February 2027: covers 国庆, its make-up days,
# year end, and Berlin's autumn DST change.
instants = st.datetimes(
    min_value=datetime(2026, 8, 1), max_value=datetime(2027, 2, 28), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))
calendars = st.sampled_from([CAL, BERLIN_CAL])
units = st.sampled_from(
    [
        "working_minutes",
        "working_hours",
        "working_days",
        "calendar_minutes",
        "calendar_hours",
        "calendar_days",
    ]
)
amounts = st.integers(min_value=0, max_value=2000)


def limit(amount: int, unit: TimeUnit) -> TimeLimit:
    # Keep day amounts in a useful range.
    return TimeLimit(amount % 40 if unit.endswith("days") else amount, unit)


@settings(max_examples=300)
@given(a=instants, b=instants, amount=amounts, unit=units, cal=calendars)
def test_due_is_monotonic_in_start(
    a: datetime, b: datetime, amount: int, unit: TimeUnit, cal: WorkingCalendar
) -> None:
    first, second = sorted((a, b))
    assert due_at(first, limit(amount, unit), cal) <= due_at(second, limit(amount, unit), cal)


@settings(max_examples=300)
@given(s=instants, x=amounts, y=amounts, unit=units, cal=calendars)
def test_due_is_monotonic_in_amount(
    s: datetime, x: int, y: int, unit: TimeUnit, cal: WorkingCalendar
) -> None:
    small, large = sorted((limit(x, unit).amount, limit(y, unit).amount))
    assert due_at(s, TimeLimit(small, unit), cal) <= due_at(s, TimeLimit(large, unit), cal)
    assert due_at(s, TimeLimit(small, unit), cal) >= s


@settings(max_examples=300)
@given(s=instants, n=amounts, cal=calendars)
def test_working_minutes_round_trip(s: datetime, n: int, cal: WorkingCalendar) -> None:
    assert cal.working_minutes_between(s, due_at(s, TimeLimit(n, "working_minutes"), cal)) == n


@settings(max_examples=300)
@given(a=instants, b=instants, c=instants, cal=calendars)
def test_working_time_is_additive_over_instants(
    a: datetime, b: datetime, c: datetime, cal: WorkingCalendar
) -> None:
    assert cal.working_time_between(a, c) == cal.working_time_between(a, b) + cal.working_time_between(b, c)


@settings(max_examples=300)
@given(
    s=instants,
    x=amounts,
    y=amounts,
    unit=st.sampled_from(
        ["working_minutes", "working_hours", "working_days", "calendar_minutes", "calendar_hours"]
    ),
    cal=calendars,
)
def test_adding_a_then_b_equals_adding_a_plus_b(
    s: datetime, x: int, y: int, unit: TimeUnit, cal: WorkingCalendar
) -> None:
    # Every duty day of these calendars has the same length, so working days add up too.
    a, b = limit(x, unit), limit(y, unit)
    both = TimeLimit(a.amount + b.amount, unit)
    assert due_at(due_at(s, a, cal), b, cal) == due_at(s, both, cal)


@settings(max_examples=200)
@given(s=instants, later=st.integers(min_value=0, max_value=10**6), amount=amounts, unit=units, cal=calendars)
def test_zero_span_pause_is_a_no_op(
    s: datetime, later: int, amount: int, unit: TimeUnit, cal: WorkingCalendar
) -> None:
    deadline = start(s, limit(amount, unit), cal)
    at = s + timedelta(seconds=later)
    assert resume(pause(deadline, at), at, cal) == deadline


@settings(max_examples=200)
@given(s=instants, amount=st.integers(min_value=1, max_value=2000), unit=units, cal=calendars)
def test_share_is_one_at_the_due(s: datetime, amount: int, unit: TimeUnit, cal: WorkingCalendar) -> None:
    deadline = start(s, TimeLimit(max(1, limit(amount, unit).amount), unit), cal)
    assert used_share(deadline, deadline.due_at, cal) == 1.0
