"""Whether a case meets a rule's conditions, and if not, the first condition it fails, in words.

The words go onto the timeline (the `skipped` list of a routing decision), so they name the
condition and the case's value: "category 09001 is not one of 09009", "local time 07:00 is
outside 20:00–07:00". Weekdays and times are those of the city's local clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from cityloop.cases import Case
from cityloop.dispatch.rules import AREA_FIELDS, Conditions
from cityloop.taxonomy import STANDARD_2026

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_AREA_ATTRS = {
    "districts": "district_code",
    "streets": "street_code",
    "communities": "community_code",
    "grids": "grid_code",
}


def listing(values: Iterable[object], limit: int = 6) -> str:
    """Values joined by commas, cut after `limit` with the count, so that long code lists stay one line."""
    items = [str(v) for v in values]
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown} … ({len(items)} in all)"


def mismatch(cond: Conditions, case: Case, local: datetime) -> tuple[str, str] | None:
    """The first condition that `case` at local time `local` fails, as (condition, why); None when all hold."""
    code = case.category_code
    if cond.kind is not None and case.kind != cond.kind:
        return "kind", f"the case is a {case.kind}, the rule wants a {cond.kind}"
    if (cond.categories or cond.majors) and case.standard != STANDARD_2026:
        return "categories", f"the case is coded in {case.standard}, the rule in {STANDARD_2026}"
    if cond.categories and code not in cond.categories:
        return "categories", f"category {code} is not one of {listing(cond.categories)}"
    if cond.majors and code[:2] not in cond.majors:
        return "majors", f"major {code[:2]} is not one of {listing(cond.majors)}"
    if cond.sources and case.source not in cond.sources:
        return "sources", f"source {case.source} is not one of {listing(cond.sources)}"
    if cond.urgency is not None and case.urgency != cond.urgency:
        return "urgency", f"urgency is {case.urgency}, not {cond.urgency}"
    for field_name, level in AREA_FIELDS.items():
        wanted: list[str] = getattr(cond, field_name)
        if not wanted:
            continue
        have: str | None = getattr(case, _AREA_ATTRS[field_name])
        if have is None:
            return field_name, f"the case has no {level} (not located)"
        if have not in wanted:
            return field_name, f"{level} {have} is not one of {listing(wanted)}"
    day = local.isoweekday()
    if cond.weekdays and day not in cond.weekdays:
        days = listing(WEEKDAY_NAMES[d - 1] for d in sorted(cond.weekdays))
        return "weekdays", f"{WEEKDAY_NAMES[day - 1]} is not one of {days}"
    if cond.time is not None and not cond.time.covers(local.hour * 60 + local.minute):
        return "time", f"local time {local:%H:%M} is outside {cond.time}"
    return None
