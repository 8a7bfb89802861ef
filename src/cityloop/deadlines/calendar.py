"""A city's working calendar: duty periods per weekday, holidays and make-up workdays (调休).

The calendar is plain data and every method is pure. Duty periods are local wall-clock
times in the city's timezone; each day's periods are turned into UTC instants for that day
(so DST zones get the right offset on each side of a change). Periods lie within one local
day (no period crosses midnight) and are half-open in spirit: an instant exactly at a
period's end is counted as the end of that duty, not the start of the next.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cityloop.core.clock import utc
from cityloop.deadlines.errors import InvalidCalendar

Period = tuple[time, time]
"""A duty period as (start, end) local times of one day, start < end."""

#: The configurable default duty day of a 城管 office: 08:30–12:00 and 13:30–17:30.
DEFAULT_DAY: tuple[Period, ...] = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))
#: The default week: Monday to Friday on `DEFAULT_DAY`, no duty on Saturday and Sunday.
DEFAULT_WEEK: Mapping[int, tuple[Period, ...]] = MappingProxyType(
    {iso: DEFAULT_DAY for iso in range(1, 6)} | {6: (), 7: ()}
)
DEFAULT_TIMEZONE = "Asia/Shanghai"
#: Weekday names of calendar files and error messages, ISO order (Monday = 1).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _check_periods(periods: Sequence[Period], where: str) -> tuple[Period, ...]:
    checked: list[Period] = []
    for start, end in periods:
        if not isinstance(start, time) or not isinstance(end, time):
            raise InvalidCalendar(f"{where}: a duty period is a pair of local times, got {start!r}–{end!r}")
        if start.tzinfo is not None or end.tzinfo is not None:
            raise InvalidCalendar(
                f"{where}: duty period {start}–{end} must use local times without a timezone"
            )
        if start >= end:
            raise InvalidCalendar(
                f"{where}: duty period {start:%H:%M}–{end:%H:%M} is reversed or empty (start must be before end)"
            )
        checked.append((start, end))
    checked.sort()
    for (s1, e1), (s2, e2) in pairwise(checked):
        if s2 < e1:
            raise InvalidCalendar(
                f"{where}: duty periods {s1:%H:%M}–{e1:%H:%M} and {s2:%H:%M}–{e2:%H:%M} overlap"
            )
    return tuple(checked)


@dataclass(frozen=True)
class WorkingCalendar:
    """When a city works: the base of every working-time limit.

    `week` maps ISO weekdays 1 (Monday) to 7 (Sunday) to that day's duty periods; a missing
    weekday has none. The defaults (`DEFAULT_WEEK`, Asia/Shanghai) are a configurable
    common practice, not a rule. A holiday has no duty; a make-up workday (调休, usually a
    weekend day) works on `makeup_periods`, which default to Monday's periods.
    """

    timezone: str = DEFAULT_TIMEZONE
    week: Mapping[int, tuple[Period, ...]] = field(default_factory=lambda: DEFAULT_WEEK, hash=False)
    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()
    makeup_periods: tuple[Period, ...] | None = None

    def __post_init__(self) -> None:
        try:
            zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise InvalidCalendar(f"timezone: unknown timezone {self.timezone!r}") from exc
        unknown = sorted(set(self.week) - set(range(1, 8)))
        if unknown:
            raise InvalidCalendar(f"week: weekdays are ISO numbers 1 (Monday) to 7 (Sunday), got {unknown}")
        week = {
            iso: _check_periods(self.week.get(iso, ()), f"week.{WEEKDAYS[iso - 1]}") for iso in range(1, 8)
        }
        if not any(week.values()):
            raise InvalidCalendar("week: at least one weekday needs duty periods")
        both = sorted(set(self.holidays) & set(self.makeup_workdays))
        if both:
            raise InvalidCalendar(
                f"{both[0].isoformat()}: a date cannot be both a holiday and a make-up workday",
                details={"dates": [d.isoformat() for d in both]},
            )
        makeup = (
            week[1] if self.makeup_periods is None else _check_periods(self.makeup_periods, "makeup_periods")
        )
        if self.makeup_workdays and not makeup:
            raise InvalidCalendar(
                "makeup_periods: make-up workdays need duty periods (Monday has none to copy)"
            )
        object.__setattr__(self, "week", MappingProxyType(week))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "makeup_workdays", frozenset(self.makeup_workdays))
        object.__setattr__(self, "makeup_periods", makeup)
        object.__setattr__(self, "_zone", zone)

    @property
    def zone(self) -> ZoneInfo:
        """The city's timezone."""
        zone: ZoneInfo = self.__dict__["_zone"]
        return zone

    def local_periods_on(self, day: date) -> tuple[Period, ...]:
        """The duty periods of a local date, as local times (empty when nobody is on duty)."""
        if day in self.makeup_workdays:
            return self.makeup_periods or ()
        if day in self.holidays:
            return ()
        return self.week[day.isoweekday()]

    def is_workday(self, day: date) -> bool:
        """Whether the local date has any duty: a duty weekday that is no holiday, or a make-up day."""
        return bool(self.local_periods_on(day))

    def periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The duty periods of a local date as aware UTC (start, end) instants, in order."""
        zone = self.zone
        return [
            (
                datetime.combine(day, start, zone).astimezone(UTC),
                datetime.combine(day, end, zone).astimezone(UTC),
            )
            for start, end in self.local_periods_on(day)
        ]

    def local_date(self, instant: datetime) -> date:
        """The city's local date at an instant."""
        return utc(instant).astimezone(self.zone).date()

    def next_workday(self, day: date, n: int = 1) -> date:
        """The `n`-th workday after `day` (n >= 0; n = 0 returns `day` itself)."""
        while n > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                n -= 1
        return day

    def periods_from(self, instant: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Every duty period from the local date of `instant` on, without end (callers stop)."""
        day = self.local_date(instant)
        while True:
            yield from self.periods_on(day)
            day += timedelta(days=1)

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Duty time from `a` to `b`; negative when `b` is before `a`."""
        a, b = utc(a), utc(b)
        if b < a:
            return -self.working_time_between(b, a)
        total = timedelta(0)
        for start, end in self.periods_from(a):
            if start >= b:
                break
            overlap = min(end, b) - max(start, a)
            if overlap > timedelta(0):
                total += overlap
        return total

    def working_minutes_between(self, a: datetime, b: datetime) -> float:
        """Duty minutes from `a` to `b` (negative when `b` is before `a`)."""
        return self.working_time_between(a, b) / timedelta(minutes=1)

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The earliest instant at which `amount` of duty time has passed since `start`.

        A start outside duty begins counting at the next duty period; a result that lands
        exactly at the end of a period is that end, not the start of the next period.
        """
        start = utc(start)
        if amount < timedelta(0):
            raise ValueError("amount of working time must not be negative")
        if amount == timedelta(0):
            return start
        left = amount
        for period_start, period_end in self.periods_from(start):
            if period_end <= start:
                continue
            begin = max(period_start, start)
            span = period_end - begin
            if left <= span:
                return begin + left
            left -= span
        raise AssertionError("unreachable: periods_from never ends")  # pragma: no cover

    def day_length(self, day: date) -> timedelta:
        """Total duty time of a local date."""
        return sum((end - start for start, end in self.periods_on(day)), timedelta(0))
