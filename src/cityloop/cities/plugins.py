"""City plugins: the last resort of per-city customisation (after data, parameters and rules).

`DefaultCity` declares every hook with a documented default. A city that needs its own rule
subclasses it, sets `city_code`, overrides only the hooks it needs (each override says the
city's rule in plain words), and registers the class in the `cityloop.cities` entry-point
group of its own package. Plugins are validated when CityLoop starts: a subclass that
defines a public method that is not a hook (a typo, a hook from another version) or
changes a hook's signature is refused.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any, ClassVar

from cityloop.cities.errors import InvalidPlugin
from cityloop.core.ids import is_digits

ENTRY_POINT_GROUP = "cityloop.cities"

_SPACES = re.compile(r"\s+")


class DefaultCity:
    """The behaviour every city has unless its plugin says otherwise."""

    #: The 6-digit division code the plugin serves; None for the default plugin.
    city_code: ClassVar[str | None] = None

    def parameter_defaults(self) -> dict[str, Any]:
        """Parameter defaults of this city, applied under the values stored in the database.

        Default: none, the declared defaults of `CityParameters` apply.
        """
        return {}

    def normalise_address(self, text: str) -> str:
        """Clean an address as typed by a citizen before it is geocoded.

        Default: full-width characters folded to half-width, runs of spaces collapsed.
        """
        folded = "".join(
            chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else (" " if ch == "\u3000" else ch)
            for ch in text
        )
        return _SPACES.sub(" ", folded).strip()

    def redact_public_text(self, text: str) -> str:
        """Hide personal data in text shown to the public (track page, open data, Open311).

        Default: mainland mobile numbers (11 digits starting with 1) become 1XX****XXXX.
        """
        return re.sub(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)", r"\1****\2", text)

    def area_rules(self, level: str, code: str, properties: dict[str, Any]) -> list[str]:
        """Extra checks on an imported area feature; each returned string is an import error.

        Default: none beyond the national rules.
        """
        return []


HOOKS: tuple[str, ...] = tuple(
    name
    for name, value in vars(DefaultCity).items()
    if inspect.isfunction(value) and not name.startswith("_")
)


def validate_plugin(cls: Any, *, source: str = "") -> type[DefaultCity]:
    """Check that `cls` is a well-formed city plugin; raise InvalidPlugin saying what is wrong."""
    where = f" ({source})" if source else ""
    if not (inspect.isclass(cls) and issubclass(cls, DefaultCity)):
        raise InvalidPlugin(f"city plugin{where} is not a subclass of DefaultCity: {cls!r}")
    code = cls.city_code
    if cls is not DefaultCity and (code is None or not is_digits(code, 6)):
        raise InvalidPlugin(
            f"city plugin {cls.__name__}{where} must set city_code to a 6-digit division code"
        )
    for klass in cls.__mro__:
        if klass is DefaultCity or klass is object:
            break
        for name, value in vars(klass).items():
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if name not in HOOKS:
                raise InvalidPlugin(
                    f"city plugin {cls.__name__}{where} defines {name}(), which is not a hook; "
                    f"hooks are: {', '.join(HOOKS)}"
                )
            expected = list(inspect.signature(getattr(DefaultCity, name)).parameters)
            got = list(inspect.signature(value).parameters)
            if got != expected:
                raise InvalidPlugin(
                    f"city plugin {cls.__name__}{where}: hook {name} takes ({', '.join(got)}), "
                    f"expected ({', '.join(expected)})"
                )
    return cls


@dataclass
class PluginRegistry:
    by_code: dict[str, DefaultCity]
    default: DefaultCity

    def for_city(self, city_code: str) -> DefaultCity:
        return self.by_code.get(city_code, self.default)


def build_registry(classes: Iterable[tuple[str, Any]]) -> PluginRegistry:
    """Validate plugin classes (name, class) and index them by city code; duplicates are refused."""
    by_code: dict[str, DefaultCity] = {}
    for source, cls in classes:
        plugin_cls = validate_plugin(cls, source=source)
        if plugin_cls.city_code is None:
            continue
        if plugin_cls.city_code in by_code:
            raise InvalidPlugin(f"two city plugins claim city {plugin_cls.city_code}: {source} and another")
        by_code[plugin_cls.city_code] = plugin_cls()
    return PluginRegistry(by_code=by_code, default=DefaultCity())


def _load(ep: EntryPoint) -> tuple[str, Any]:
    try:
        return f"entry point {ep.name} = {ep.value}", ep.load()
    except Exception as exc:  # a broken plugin must stop start-up with its name
        raise InvalidPlugin(f"city plugin entry point {ep.name} = {ep.value} failed to load: {exc}") from exc


_registry: PluginRegistry | None = None


def load_plugins(*, refresh: bool = False) -> PluginRegistry:
    """Discover, validate and cache the installed city plugins (done once at start-up)."""
    global _registry
    if _registry is None or refresh:
        _registry = build_registry(_load(ep) for ep in entry_points(group=ENTRY_POINT_GROUP))
    return _registry


def plugin_for(city_code: str) -> DefaultCity:
    return load_plugins().for_city(city_code)
