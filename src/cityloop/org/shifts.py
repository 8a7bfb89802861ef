"""Weekly shifts in local time: parsing "HH:MM" and deciding whether a moment falls in one.

A shift belongs to the weekday it starts on. When its end is earlier than its start it runs
overnight: "22:00"–"06:00" on Monday covers Monday 22:00 to Tuesday 06:00.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(value: str) -> int:
    """Minutes after midnight of a 24-hour "HH:MM" time; ValueError naming the value otherwise."""
    match = _HHMM.match(value)
    if match is None:
        raise ValueError(f"time {value!r} must be HH:MM between 00:00 and 23:59")
    return int(match.group(1)) * 60 + int(match.group(2))


def shift_covers(weekdays: Sequence[int], start: str, end: str, local: datetime) -> bool:
    """True when the local (wall-clock) moment `local` falls inside the shift."""
    minute = local.hour * 60 + local.minute
    weekday = local.isoweekday()
    begin, finish = parse_hhmm(start), parse_hhmm(end)
    if begin < finish:
        return weekday in weekdays and begin <= minute < finish
    previous_day = 7 if weekday == 1 else weekday - 1
    return (weekday in weekdays and minute >= begin) or (previous_day in weekdays and minute < finish)


def local_time(at: datetime, tz: str) -> datetime:
    """`at` (aware) as wall-clock time in the zone `tz`."""
    if at.tzinfo is None:
        raise ValueError("naive datetime given; pass an aware UTC datetime")
    return at.astimezone(ZoneInfo(tz))
