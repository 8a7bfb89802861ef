"""An injectable clock so that tests and the simulator run on virtual time.

Code that needs "now" takes a `Clock` argument where it can; where a value is needed deep
inside (row timestamps), it asks `get_clock()`, the process default, which tests and the
simulator replace with `use_clock(...)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Protocol


def utc(value: datetime) -> datetime:
    """Return `value` as an aware UTC datetime; naive values are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that stands still until it is moved: for tests and virtual time."""

    def __init__(self, start: datetime) -> None:
        self._now = utc(start)

    def now(self) -> datetime:
        return self._now

    def set(self, value: datetime) -> None:
        self._now = utc(value)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self._now += delta if delta is not None else timedelta(**kwargs)
        return self._now


_default: Clock = SystemClock()


def get_clock() -> Clock:
    return _default


@contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    """Make `clock` the process default for the duration of the block."""
    global _default
    previous, _default = _default, clock
    try:
        yield clock
    finally:
        _default = previous
