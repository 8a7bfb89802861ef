from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from cityloop.core.clock import FrozenClock, SystemClock, get_clock, use_clock, utc
from cityloop.core.errors import CityLoopError, Conflict, NotFound
from cityloop.core.i18n import Text, normalise_locale, translate
from cityloop.core.ids import is_digits, new_token, new_ulid


def test_frozen_clock_moves_only_when_told() -> None:
    clock = FrozenClock(datetime(2026, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=8))))
    assert clock.now() == datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    assert clock.advance(minutes=90) == datetime(2026, 1, 1, 1, 30, tzinfo=UTC)
    assert clock.now() == datetime(2026, 1, 1, 1, 30, tzinfo=UTC)


def test_use_clock_restores_the_previous_default() -> None:
    frozen = FrozenClock(datetime(2030, 5, 5, tzinfo=UTC))
    assert isinstance(get_clock(), SystemClock)
    with use_clock(frozen):
        assert get_clock().now().year == 2030
    assert isinstance(get_clock(), SystemClock)


def test_utc_treats_naive_as_utc() -> None:
    assert utc(datetime(2026, 1, 1, 12)) == datetime(2026, 1, 1, 12, tzinfo=UTC)


def test_ulids_sort_by_time_and_are_unique() -> None:
    clock = FrozenClock(datetime(2026, 1, 1, tzinfo=UTC))
    with use_clock(clock):
        first = new_ulid()
        clock.advance(milliseconds=1)
        second = new_ulid()
    assert len(first) == 26 and first < second
    assert len({new_ulid() for _ in range(1000)}) == 1000
    assert new_token() != new_token()


def test_is_digits() -> None:
    assert is_digits("330100", 6)
    assert not is_digits("33010", 6)
    assert not is_digits("３３０１００", 6)  # full-width digits are not ASCII


def test_errors_carry_stable_codes_and_status() -> None:
    err = NotFound("grid 1 does not exist", code="geo.area_not_found", details={"code": "1"})
    assert (err.status, err.code) == (404, "geo.area_not_found")
    assert err.to_dict() == {
        "code": "geo.area_not_found",
        "message": "grid 1 does not exist",
        "details": {"code": "1"},
    }
    assert Conflict("x").code == "conflict"
    assert isinstance(err, CityLoopError)


def test_i18n_defaults_to_chinese() -> None:
    text = Text("单元网格", "Unit grid")
    assert text.get() == "单元网格"
    assert text.get("en-GB") == "Unit grid"
    assert Text("仅中文").get("en") == "仅中文"
    assert normalise_locale("zh_CN") == "zh-CN"
    assert translate("grid", "en") == "Unit grid"
    assert translate("no.such.key") == "no.such.key"


@pytest.mark.parametrize("locale", [None, "", "zh", "zh-Hans", "fr"])
def test_unknown_locales_fall_back_to_chinese(locale: str | None) -> None:
    assert normalise_locale(locale) == "zh-CN"
