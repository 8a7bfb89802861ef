"""Parsing Open311 parameters by hand, so that every bad value is a spec error (400), not a 422.

`jurisdiction_id` is the city's division code ("jurisdiction_id" in every method): required
when the server holds several cities, optional when it holds one; unknown → 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from cityloop.api.open311.errors import bad_request, not_found
from cityloop.cities import find_city, list_cities
from cityloop.cities.models import City

#: "GET Service Requests": start and end may not be more than 90 days apart; the default window.
WINDOW = timedelta(days=90)
#: The default and largest number of requests one call returns ("at most 1,000").
MAX_REQUESTS = 1000


def resolve_city(session: Session, jurisdiction_id: str | None) -> City:
    """The city named by `jurisdiction_id`; without one, the only city the server holds."""
    if jurisdiction_id:
        city = find_city(session, jurisdiction_id.strip())
        if city is None:
            raise not_found(f"jurisdiction_id {jurisdiction_id!r} is not a city served here")
        return city
    cities = list_cities(session)
    if len(cities) == 1:
        return cities[0]
    if not cities:
        raise not_found("this server holds no city yet")
    raise bad_request("jurisdiction_id is required: this server holds several cities")


def as_float(name: str, value: str | None) -> float | None:
    if value is None or value.strip() == "":
        return None
    try:
        number = float(value)
    except ValueError:
        raise bad_request(f"{name} must be a decimal number, not {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise bad_request(f"{name} must be a finite number")
    return number


def as_int(name: str, value: str | None, default: int, *, low: int, high: int) -> int:
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise bad_request(f"{name} must be a whole number, not {value!r}") from None
    if not low <= number <= high:
        raise bad_request(f"{name} must be between {low} and {high}")
    return number


def as_bool(name: str, value: str | None) -> bool:
    if value is None or value.strip().lower() in ("", "false", "0", "no"):
        return False
    if value.strip().lower() in ("true", "1", "yes"):
        return True
    raise bad_request(f"{name} must be true or false, not {value!r}")


def as_datetime(name: str, value: str | None, timezone: str) -> datetime | None:
    """A W3C/ISO-8601 date or datetime; without an offset it is read in the city's time zone."""
    if value is None or value.strip() == "":
        return None
    text = value.strip()
    # An unencoded "+" of an offset arrives as a space ("…T09:00:00 08:00").
    candidates = [text, "+".join(text.rsplit(" ", 1))] if " " in text else [text]
    for candidate in candidates:
        try:
            parsed = datetime.fromisoformat(candidate)
            break
        except ValueError:
            continue
    else:
        raise bad_request(f"{name} must be an ISO-8601 datetime such as 2026-11-02T09:00:00+08:00")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(timezone))
    return parsed


def as_list(value: str | None) -> list[str]:
    """A comma-delimited parameter ("multiple … can be declared, comma delimited")."""
    if not value:
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


def window(start: datetime | None, end: datetime | None, now: datetime) -> Window:
    """The requested_datetime window: at most 90 days; the last 90 days when neither end is given."""
    if start is None and end is None:
        return Window(now - WINDOW, now)
    if start is None:
        assert end is not None
        return Window(end - WINDOW, end)
    if end is None:
        return Window(start, start + WINDOW)
    if end < start:
        raise bad_request("end_date is before start_date")
    if end - start > WINDOW:
        raise bad_request("start_date and end_date may not be more than 90 days apart")
    return Window(start, end)
