"""The period of an evaluation: whole local days of the city, turned into a half-open UTC interval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from cityloop.core.clock import get_clock
from cityloop.evaluation.errors import InvalidPeriod

#: Without dates, an evaluation covers the last 30 local days, today included.
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Period:
    """Local days `first`..`last` (inclusive) in `timezone`; `start`/`end` bound them in UTC."""

    first: date
    last: date
    timezone: str

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=ZoneInfo(self.timezone)).astimezone(UTC)

    @property
    def end(self) -> datetime:
        nxt = self.last + timedelta(days=1)
        return datetime.combine(nxt, time(), tzinfo=ZoneInfo(self.timezone)).astimezone(UTC)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def contains(self, at: datetime | None) -> bool:
        return at is not None and self.start <= at < self.end

    def as_dict(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def _parse(value: str | date | None, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidPeriod(
            f"--{name} must be a date like 2026-11-02, got {value!r}", details={"field": name}
        ) from None


def make_period(timezone: str, first: str | date | None = None, last: str | date | None = None) -> Period:
    """The period `first`..`last`; a missing end is today, a missing start 30 days before the end."""
    start, end = _parse(first, "from"), _parse(last, "to")
    if end is None:
        end = get_clock().now().astimezone(ZoneInfo(timezone)).date()
    if start is None:
        start = end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise InvalidPeriod(
            f"the period starts ({start}) after it ends ({end})", details={"from": str(start), "to": str(end)}
        )
    return Period(start, end, timezone)


def month_period(timezone: str, year: int, month: int) -> Period:
    """One calendar month of local days."""
    first = date(year, month, 1)
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return Period(first, nxt - timedelta(days=1), timezone)
