"""Evaluate every entity of a kind over a period: indicators, scores, composite, grade, tier.

One call loads the period's cases once and counts all kinds in two passes (people, units);
`evaluate` then shapes one row per entity. Every figure comes from `case_events` and
`case_tasks` (see the tables in `staff` and `units`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cities import get_city, get_parameters
from cityloop.cities.params import EvaluationParameters
from cityloop.evaluation.errors import UnknownKind
from cityloop.evaluation.facts import CaseFacts, load_facts
from cityloop.evaluation.period import Period, make_period
from cityloop.evaluation.scoring import composite_of, grade_of, scores_of, tier_of
from cityloop.evaluation.staff import STAFF_KINDS, collect_staff, staff_indicators
from cityloop.evaluation.tally import Tally
from cityloop.evaluation.units import AREA_LEVELS, area_indicators, collect_units, department_indicators
from cityloop.geo import list_patrol_zones
from cityloop.geo.models import Area
from cityloop.org import list_departments, list_staff

KINDS = ("department", *STAFF_KINDS, *AREA_LEVELS)


@dataclass(frozen=True)
class Entity:
    kind: str
    id: str
    name: str
    key: str
    area_class: str = "urban"
    area_m2: float = 0.0


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise UnknownKind(
            f"--kind must be one of {', '.join(KINDS)}, got {kind!r}", details={"known": list(KINDS)}
        )
    return kind


def list_entities(session: Session, city_code: str, kind: str) -> list[Entity]:
    """The entities of `kind` evaluated in the city: active staff of the role, active departments, areas."""
    check_kind(kind)
    if kind == "department":
        rows = session.scalars(list_departments(session, city_code)).all()
        return [Entity(kind, d.code, d.name_zh, f"department:{d.code}") for d in rows]
    if kind in STAFF_KINDS:
        staff = session.scalars(list_staff(session, city_code, role=kind)).all()
        return [Entity(kind, s.username, s.name, str(s.id)) for s in staff]
    stmt = (
        select(Area.code, Area.name_zh, Area.area_class, Area.area_m2)
        .where(Area.city_id == city_code, Area.level == kind)
        .order_by(Area.code)
    )
    return [
        Entity(kind, r.code, r.name_zh or r.code, f"{kind}:{r.code}", r.area_class, r.area_m2)
        for r in session.execute(stmt)
    ]


@dataclass
class Counted:
    """The counts of one period, ready to be shaped per entity."""

    period: Period
    params: EvaluationParameters
    people: Tally
    units: Tally


def count_period(
    session: Session, city_code: str, period: Period, facts: list[CaseFacts] | None = None
) -> Counted:
    """Load the cases touching `period` (unless given) and count every figure of every kind."""
    params = get_parameters(session, city_code).evaluation
    facts = load_facts(session, city_code, period) if facts is None else facts
    public = set(params.public_sources)
    zone_of_grid: dict[str, list[int]] = {}
    zones = {z.code: [g.grid_code for g in z.grids] for z in list_patrol_zones(session, city_code)}
    departments = session.scalars(list_departments(session, city_code, include_inactive=True)).all()
    for inspector in session.scalars(list_staff(session, city_code, role="inspector")).all():
        for grid in zones.get(inspector.patrol_zone_code or "", []):
            zone_of_grid.setdefault(grid, []).append(inspector.id)
    return Counted(
        period=period,
        params=params,
        people=collect_staff(facts, period, zone_of_grid, public),
        units=collect_units(facts, period, {d.id: d.code for d in departments}, public),
    )


def _clean(values: dict[str, float | None]) -> dict[str, Any]:
    return {k: int(v) if isinstance(v, float) and v.is_integer() and not k.endswith("rate") else v
            for k, v in values.items()}  # fmt: skip


def indicators_of(counted: Counted, entity: Entity) -> dict[str, Any]:
    if entity.kind in STAFF_KINDS:
        return _clean(staff_indicators(entity.kind, counted.people, entity.key))
    if entity.kind == "department":
        return _clean(department_indicators(counted.units, entity.id))
    return _clean(area_indicators(counted.units, entity.kind, entity.id, entity.area_m2))


def cases_of(counted: Counted, entity: Entity) -> dict[str, list[str]]:
    """Per indicator, the case numbers behind its bad part (late, missed, reworked, …)."""
    tally = counted.people if entity.kind in STAFF_KINDS else counted.units
    return {k: sorted(set(v)) for k, v in tally.cases.get(entity.key, {}).items()}


def row_of(counted: Counted, entity: Entity, *, include_cases: bool = False) -> dict[str, Any]:
    """One entity's evaluation: kind, id, name, period, indicators, scores, composite, grade, tier.

    An entity with no activity in the period (e.g. a department nobody dispatched to) has no
    composite, grade or tier rather than a failing one.
    """
    indicators = indicators_of(counted, entity)
    scores = scores_of(
        entity.kind, indicators, counted.params, days=counted.period.days, area_class=entity.area_class
    )
    # Nothing at all in the period (every count 0, every rate empty): no basis for a grade.
    active = any(isinstance(v, int | float) and v for v in indicators.values())
    composite = composite_of(entity.kind, scores, counted.params) if active else None
    row: dict[str, Any] = {
        "kind": entity.kind, "id": entity.id, "name": entity.name, "period": counted.period.as_dict(),
        "indicators": indicators, "scores": scores, "composite": composite,
        "grade": grade_of(composite, counted.params), "tier": tier_of(composite, counted.params),
    }  # fmt: skip
    if include_cases:
        row["cases"] = cases_of(counted, entity)
    return row


def evaluate(
    session: Session,
    city_code: str,
    *,
    kinds: Iterable[str] | None = None,
    first: str | Any = None,
    last: str | Any = None,
    include_cases: bool = False,
) -> list[dict[str, Any]]:
    """One row per entity of each of `kinds` (all kinds by default) over local days first..last."""
    city = get_city(session, city_code)
    wanted = [check_kind(k) for k in (kinds or KINDS)]
    period = make_period(city.timezone, first, last)
    counted = count_period(session, city_code, period)
    return [
        row_of(counted, entity, include_cases=include_cases)
        for kind in wanted
        for entity in list_entities(session, city_code, kind)
    ]
