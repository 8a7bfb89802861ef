"""A portrait: one entity month by month, beside its peers (the other entities of its kind).

Per month: every indicator and score, the composite and grade, the rank among peers (1 = best
composite; peers without a composite are not ranked), the strongest and weakest indicator, the
city median of each indicator over the peers, the bad figures (scores below the B threshold),
and per indicator the case numbers behind its bad part (late, missed, reworked, …), so that a
reader is one click from the cases.
"""

from __future__ import annotations

from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from cityloop.cities import get_city
from cityloop.core.clock import get_clock
from cityloop.evaluation.errors import EntityNotFound, InvalidPeriod
from cityloop.evaluation.facts import load_facts
from cityloop.evaluation.period import Period, month_period
from cityloop.evaluation.queries import Entity, count_period, list_entities, row_of
from cityloop.evaluation.scoring import strongest_weakest

MAX_MONTHS = 24


def _months(timezone: str, months: int) -> list[Period]:
    today = get_clock().now().astimezone(ZoneInfo(timezone)).date()
    out = []
    year, month = today.year, today.month
    for _ in range(months):
        out.append(month_period(timezone, year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out[::-1]


def _find(entities: list[Entity], kind: str, entity_id: str) -> Entity:
    for entity in entities:
        if entity.id == entity_id:
            return entity
    raise EntityNotFound(
        f"there is no {kind} {entity_id!r} in this city", details={"kind": kind, "id": entity_id}
    )


def _median(rows: list[dict[str, Any]], name: str) -> float | None:
    values = [r["indicators"][name] for r in rows if isinstance(r["indicators"].get(name), int | float)]
    return round(float(median(values)), 2) if values else None


def _month(rows: list[dict[str, Any]], mine: dict[str, Any], bad_below: float) -> dict[str, Any]:
    ranked = sorted((r for r in rows if r["composite"] is not None), key=lambda r: -r["composite"])
    rank = next((i + 1 for i, r in enumerate(ranked) if r["id"] == mine["id"]), None)
    strongest, weakest = strongest_weakest(mine["scores"])
    bad = {name for name, s in mine["scores"].items() if s is not None and s < bad_below}
    composites = [r["composite"] for r in rows if r["composite"] is not None]
    return {
        **{k: mine[k] for k in ("period", "indicators", "scores", "composite", "grade", "tier")},
        "rank": rank, "ranked_peers": len(ranked), "strongest": strongest, "weakest": weakest,
        "median": {name: _median(rows, name) for name in mine["indicators"]},
        "median_composite": round(float(median(composites)), 2) if composites else None,
        "bad": sorted(bad),
        "cases": {name: numbers for name, numbers in mine["cases"].items() if name in mine["indicators"]},
    }  # fmt: skip


def portrait(session: Session, city_code: str, kind: str, entity_id: str, months: int = 6) -> dict[str, Any]:
    """The entity's last `months` calendar months (the current one included), oldest first."""
    if not 1 <= months <= MAX_MONTHS:
        raise InvalidPeriod(f"months must be 1..{MAX_MONTHS}, got {months}", details={"field": "months"})
    city = get_city(session, city_code)
    peers = list_entities(session, city_code, kind)
    entity = _find(peers, kind, entity_id)
    periods = _months(city.timezone, months)
    span = Period(periods[0].first, periods[-1].last, city.timezone)
    facts = load_facts(session, city_code, span)
    out = []
    for period in periods:
        counted = count_period(session, city_code, period, facts)
        rows = [row_of(counted, peer, include_cases=peer.id == entity.id) for peer in peers]
        mine = next(r for r in rows if r["id"] == entity.id)
        month = _month(rows, mine, counted.params.grade_b)
        out.append({"month": f"{period.first:%Y-%m}", **month})
    return {"kind": kind, "id": entity.id, "name": entity.name, "months": out}


__all__ = ["portrait"]
