"""Time limits per workflow step × urgency (DOMAIN.md §4), with per-city overrides.

Defaults [local]: 立案 and 派遣 within 30 working minutes (normal) / 10 minutes (urgent);
核查 within 1 h in urban areas and 2 h in rural ones. The steps DOMAIN.md does not name
follow the same pattern [ours]. Urgent cases run on calendar time ("emergencies run on
calendar time"). The disposal limit itself comes from the registration condition chosen at
filing (`taxonomy` registration conditions), else from `DISPOSAL_DEFAULTS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cityloop.core.timeunits import TimeUnit
from cityloop.deadlines.limits import TimeLimit

URGENCIES = ("normal", "urgent")


def _limits(normal: tuple[float, TimeUnit], urgent: tuple[float, TimeUnit]) -> dict[str, TimeLimit]:
    return {"normal": TimeLimit(*normal), "urgent": TimeLimit(*urgent)}


_QUICK = _limits((30, "working_minutes"), (10, "calendar_minutes"))

STEP_DEFAULTS: dict[str, dict[str, TimeLimit]] = {
    "review": _limits((2, "working_hours"), (1, "calendar_hours")),
    "verify_dispatch": _QUICK,
    "verify": _limits((1, "working_hours"), (1, "calendar_hours")),
    "accept": _QUICK,
    "file": _QUICK,
    "dispatch": _QUICK,
    "sign": _QUICK,
    "check_dispatch": _QUICK,
    "check": _limits((1, "working_hours"), (1, "calendar_hours")),
    "close": _QUICK,
    "callback": _limits((1, "working_days"), (1, "working_days")),
    "approve": _limits((2, "working_hours"), (30, "calendar_minutes")),
}

# Rural areas get twice the time on site (核查 1 h urban / 2 h rural).
RURAL_FACTOR_STEPS = frozenset({"verify", "check"})

DISPOSAL_DEFAULTS: dict[str, TimeLimit] = _limits((1, "working_days"), (2, "calendar_hours"))


def step_limit(
    step: str,
    urgency: str,
    *,
    area_class: str = "urban",
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> TimeLimit | None:
    """The limit of `step` for `urgency`: a city override first, else the default; None if the step has none."""
    override = (overrides or {}).get(step, {}).get(urgency)
    if override is not None:
        return (
            override
            if isinstance(override, TimeLimit)
            else TimeLimit.parse(override, where=f"{step}.{urgency}")
        )
    limit = STEP_DEFAULTS.get(step, {}).get(urgency)
    if limit is not None and step in RURAL_FACTOR_STEPS and area_class == "rural":
        return TimeLimit(limit.amount * 2, limit.unit)
    return limit


def disposal_limit(urgency: str, condition_limits: Mapping[str, Any] | None = None) -> TimeLimit:
    """The disposal limit for `urgency`: the registration condition's when it has one, else the default."""
    if condition_limits and condition_limits.get(urgency):
        return TimeLimit.parse(condition_limits[urgency], where=f"condition.{urgency}")
    return DISPOSAL_DEFAULTS[urgency]
