"""The pure due-date calculator and the clock of a running limit.

`due_at` turns (start, limit, calendar) into a due instant. A `Deadline` is the immutable
state of a running limit; `pause`, `resume` and `extend` return new states. Time is
measured in duty time for working limits and in elapsed time for calendar limits, so a
suspension (挂账) stops the clock either way and the used share is frozen while paused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from cityloop.core.clock import utc
from cityloop.deadlines.calendar import WorkingCalendar
from cityloop.deadlines.errors import AlreadyPaused, InvalidExtension, InvalidInstant, NotPaused
from cityloop.deadlines.limits import TimeLimit

_ZERO = timedelta(0)


def _working_days_due(start: datetime, days: int, calendar: WorkingCalendar) -> datetime:
    """N working days from `start`, by the definition documented in `deadlines.limits`."""
    day = calendar.local_date(start)
    periods = calendar.periods_on(day)
    if periods and start <= periods[-1][1]:
        offset = calendar.working_time_between(periods[0][0], start) if start > periods[0][0] else _ZERO
    else:
        day, offset = calendar.next_workday(day), _ZERO
    if offset == _ZERO:
        return calendar.periods_on(calendar.next_workday(day, days - 1))[-1][1]
    target = calendar.next_workday(day, days)
    return calendar.add_working_time(
        calendar.periods_on(target)[0][0], min(offset, calendar.day_length(target))
    )


def due_at(start: datetime, limit: TimeLimit, calendar: WorkingCalendar) -> datetime:
    """When a limit started at `start` runs out (aware UTC); a zero limit is due at once."""
    start = utc(start)
    if limit.amount == 0:
        return start
    if limit.unit == "working_days":
        return _working_days_due(start, int(limit.amount), calendar)
    if limit.unit == "calendar_days":
        local = start.astimezone(calendar.zone)
        # Same wall-clock time N days later; re-attaching the zone picks that day's offset.
        later = (local.replace(tzinfo=None) + timedelta(days=int(limit.amount))).replace(tzinfo=calendar.zone)
        return utc(later)
    if limit.is_working:
        return calendar.add_working_time(start, limit.as_timedelta())
    return start + limit.as_timedelta()


def _measure(limit: TimeLimit, calendar: WorkingCalendar, a: datetime, b: datetime) -> timedelta:
    """Time from `a` to `b` on the limit's own clock: duty time or elapsed time."""
    return calendar.working_time_between(a, b) if limit.is_working else utc(b) - utc(a)


def _shift(limit: TimeLimit, calendar: WorkingCalendar, due: datetime, amount: timedelta) -> datetime:
    """`due` moved later by `amount` on the limit's own clock."""
    return calendar.add_working_time(due, amount) if limit.is_working else due + amount


@dataclass(frozen=True)
class Deadline:
    """A running limit: when it started, its limit, when it is due, and its pauses and extensions.

    `paused` is the clock time (duty time for working limits) covered by finished pauses;
    `extended_by` the clock time added by extensions. Both already moved `due_at` later.
    """

    started_at: datetime
    limit: TimeLimit
    due_at: datetime
    paused_at: datetime | None = None
    paused: timedelta = _ZERO
    extended_by: timedelta = _ZERO

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


def start(at: datetime, limit: TimeLimit, calendar: WorkingCalendar) -> Deadline:
    """A new running deadline for `limit` from `at`."""
    at = utc(at)
    return Deadline(started_at=at, limit=limit, due_at=due_at(at, limit, calendar))


def pause(deadline: Deadline, at: datetime) -> Deadline:
    """Stop the clock at `at` (suspension, 挂账)."""
    at = utc(at)
    if deadline.paused_at is not None:
        raise AlreadyPaused(f"the deadline is already paused since {deadline.paused_at.isoformat()}")
    if at < deadline.started_at:
        raise InvalidInstant(
            f"paused at {at.isoformat()}, before the start {deadline.started_at.isoformat()}"
        )
    return replace(deadline, paused_at=at)


def resume(deadline: Deadline, at: datetime, calendar: WorkingCalendar) -> Deadline:
    """Restart the clock: the due moves later by the clock time the pause covered."""
    at = utc(at)
    if deadline.paused_at is None:
        raise NotPaused("the deadline is not paused")
    if at < deadline.paused_at:
        raise InvalidInstant(
            f"resumed at {at.isoformat()}, before the pause at {deadline.paused_at.isoformat()}"
        )
    covered = _measure(deadline.limit, calendar, deadline.paused_at, at)
    return replace(
        deadline,
        paused_at=None,
        paused=deadline.paused + covered,
        due_at=_shift(deadline.limit, calendar, deadline.due_at, covered),
    )


def extend(deadline: Deadline, by: TimeLimit | datetime, calendar: WorkingCalendar) -> Deadline:
    """Grant more time (延期): add a limit to the current due, or move the due to a later instant."""
    if isinstance(by, TimeLimit):
        new_due = due_at(deadline.due_at, by, calendar)
    else:
        new_due = utc(by)
        if new_due <= deadline.due_at:
            raise InvalidExtension(
                f"new due {new_due.isoformat()} is not after the current due {deadline.due_at.isoformat()}"
            )
    added = _measure(deadline.limit, calendar, deadline.due_at, new_due)
    return replace(deadline, due_at=new_due, extended_by=deadline.extended_by + added)


def _used_and_allowed(
    deadline: Deadline, at: datetime, calendar: WorkingCalendar
) -> tuple[timedelta, timedelta]:
    upto = deadline.paused_at if deadline.paused_at is not None else max(utc(at), deadline.started_at)
    used = _measure(deadline.limit, calendar, deadline.started_at, upto) - deadline.paused
    allowed = _measure(deadline.limit, calendar, deadline.started_at, deadline.due_at) - deadline.paused
    return used, allowed


def used_share(deadline: Deadline, at: datetime, calendar: WorkingCalendar) -> float:
    """Clock time used ÷ allowed at `at` (frozen while paused); 1.0 at the due, above it when over."""
    used, allowed = _used_and_allowed(deadline, at, calendar)
    if allowed <= _ZERO:
        return 1.0 if used <= _ZERO else math.inf
    return used / allowed


def remaining(deadline: Deadline, at: datetime, calendar: WorkingCalendar) -> timedelta:
    """Clock time left at `at` (frozen while paused); negative once the due has passed."""
    used, allowed = _used_and_allowed(deadline, at, calendar)
    return allowed - used
