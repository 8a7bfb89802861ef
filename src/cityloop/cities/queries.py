"""Reads of cities and their parameters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from cityloop.cities.errors import CityNotFound
from cityloop.cities.models import City, CityParameter
from cityloop.cities.params import CityParameters, validate_parameters
from cityloop.cities.plugins import plugin_for

_MEMO_KEY = "cityloop.cities"


def _memo(session: Session) -> dict[tuple[str, str], Any]:
    """Per-session memo: city rows kept alive and parameters read once (see `forget_parameters`)."""
    memo: dict[tuple[str, str], Any] = session.info.setdefault(_MEMO_KEY, {})
    return memo


def forget_parameters(session: Session, city_code: str | None = None) -> None:
    """Drop the session's memo of the parameters of `city_code` (of every city when None)."""
    memo = session.info.get(_MEMO_KEY)
    if memo is None:
        return
    for key in [k for k in memo if k[0] == "parameters" and city_code in (None, k[1])]:
        del memo[key]


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, _previous: SessionTransaction) -> None:
    """Parameters read after a change that is rolled back (even to a savepoint) are read again."""
    forget_parameters(session)


def get_city(session: Session, code: str) -> City:
    """The city row; raises `cities.not_found`.

    The session memo only holds a reference to the row, so that the identity map (which holds
    rows weakly) answers the next `session.get` without a query; rolled back or expired rows
    are loaded again as usual.
    """
    city = session.get(City, code)
    if city is None:
        raise CityNotFound(f"city {code} does not exist", details={"city": code})
    _memo(session)[("city", code)] = city
    return city


def find_city(session: Session, code: str) -> City | None:
    return session.get(City, code)


def list_cities(session: Session) -> list[City]:
    return list(session.scalars(select(City).order_by(City.code)))


def stored_parameters(session: Session, city_code: str) -> dict[str, Any]:
    rows = session.scalars(select(CityParameter).where(CityParameter.city_id == city_code))
    return {row.key: row.value for row in rows}


def get_parameters(session: Session, city_code: str) -> CityParameters:
    """The city's typed parameters: stored values over plugin defaults over declared defaults.

    Read once per session (the same frozen instance is returned); `do_set_parameters`, `do_reset_parameter` and
    any rollback drop the memo.
    """
    get_city(session, city_code)
    memo = _memo(session)
    cached = memo.get(("parameters", city_code))
    if not isinstance(cached, CityParameters):
        cached = validate_parameters(
            stored_parameters(session, city_code), base=plugin_for(city_code).parameter_defaults()
        )
        memo[("parameters", city_code)] = cached
    return cached
