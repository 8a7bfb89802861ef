"""Kernel helpers: clock, ids, errors, i18n. Depends on nothing else in CityLoop."""

from cityloop.core.clock import Clock, FrozenClock, SystemClock, get_clock, use_clock, utc
from cityloop.core.errors import (
    CityLoopError,
    Conflict,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    ValidationFailed,
)
from cityloop.core.i18n import LOCALES, Text, translate

__all__ = [
    "LOCALES",
    "CityLoopError",
    "Clock",
    "Conflict",
    "FrozenClock",
    "NotFound",
    "PermissionDenied",
    "SystemClock",
    "Text",
    "Unauthenticated",
    "ValidationFailed",
    "get_clock",
    "translate",
    "use_clock",
    "utc",
]
