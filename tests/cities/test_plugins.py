from __future__ import annotations

from typing import Any

import pytest

from cityloop.cities.errors import InvalidPlugin
from cityloop.cities.plugins import HOOKS, DefaultCity, build_registry, load_plugins, validate_plugin


class Hangzhou(DefaultCity):
    city_code = "330100"

    def parameter_defaults(self) -> dict[str, Any]:
        """Hangzhou's roads wind: travel takes 1.5 × the straight line."""
        return {"road_factor": 1.5}


def test_hooks_are_declared() -> None:
    assert HOOKS == ("parameter_defaults", "normalise_address", "redact_public_text", "area_rules")


def test_default_hooks() -> None:
    city = DefaultCity()
    assert city.normalise_address("文三路　１２号  附近") == "文三路 12号 附近"
    assert city.redact_public_text("电话13812345678") == "电话138****5678"
    assert city.parameter_defaults() == {}
    assert city.area_rules("grid", "330106001001001", {}) == []


def test_registry_picks_the_city_plugin() -> None:
    registry = build_registry([("test", Hangzhou)])
    assert isinstance(registry.for_city("330100"), Hangzhou)
    assert type(registry.for_city("110100")) is DefaultCity


def test_a_method_that_is_not_a_hook_is_refused() -> None:
    class Typo(DefaultCity):
        city_code = "330100"

        def normalize_address(self, text: str) -> str:  # American spelling: not a hook
            return text

    with pytest.raises(InvalidPlugin, match="normalize_address\\(\\), which is not a hook"):
        validate_plugin(Typo)


def test_a_changed_signature_is_refused() -> None:
    class Wrong(DefaultCity):
        city_code = "330100"

        def redact_public_text(self, text: str, locale: str) -> str:  # type: ignore[override]
            return text

    with pytest.raises(InvalidPlugin, match="takes \\(self, text, locale\\)"):
        validate_plugin(Wrong)


@pytest.mark.parametrize("code", [None, "3301", "abcdef"])
def test_a_plugin_needs_a_city_code(code: str | None) -> None:
    bad = type("Bad", (DefaultCity,), {"city_code": code})
    with pytest.raises(InvalidPlugin, match="6-digit"):
        validate_plugin(bad)


def test_non_plugins_and_duplicates_are_refused() -> None:
    with pytest.raises(InvalidPlugin, match="not a subclass"):
        validate_plugin(object)
    with pytest.raises(InvalidPlugin, match="two city plugins claim city 330100"):
        build_registry([("a", Hangzhou), ("b", Hangzhou)])


def test_installed_entry_points_load() -> None:
    registry = load_plugins(refresh=True)
    assert type(registry.default) is DefaultCity


def test_plugin_defaults_apply_under_stored_values(session, city, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from cityloop.cities import do_set_parameters, get_parameters, plugins

    monkeypatch.setattr(plugins, "_registry", build_registry([("test", Hangzhou)]))
    assert get_parameters(session, city.code).road_factor == 1.5
    do_set_parameters(session, city.code, {"road_factor": 1.2})
    assert get_parameters(session, city.code).road_factor == 1.2
