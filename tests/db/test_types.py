from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.orm import Session

from cityloop.cities.models import City, CityParameter


def test_datetimes_come_back_aware_utc(session: Session, city: City) -> None:
    shanghai = timezone(timedelta(hours=8))
    city.created_at = datetime(2026, 3, 1, 9, 30, tzinfo=shanghai)
    session.flush()
    session.expire_all()
    loaded = session.get(City, city.code)
    assert loaded is not None
    assert loaded.created_at == datetime(2026, 3, 1, 1, 30, tzinfo=UTC)
    assert loaded.created_at.tzinfo is not None


def test_naive_datetimes_are_refused(session: Session, city: City) -> None:
    city.created_at = datetime(2026, 3, 1, 9, 30)
    with pytest.raises(Exception, match="naive datetime"):
        session.flush()


def test_json_values_round_trip(session: Session, city: City) -> None:
    session.add(CityParameter(city_id=city.code, key="languages", value=["zh-CN", "en"]))
    session.flush()
    session.expire_all()
    row = session.get(CityParameter, (city.code, "languages"))
    assert row is not None and row.value == ["zh-CN", "en"]


def test_row_timestamps_use_the_injected_clock(session: Session, clock, make_city) -> None:  # type: ignore[no-untyped-def]
    created = make_city("110100", "北京")
    assert created.created_at == clock.now()
