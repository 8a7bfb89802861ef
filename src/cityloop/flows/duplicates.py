"""Is this report a problem the city already knows? The de-duplicator over the stored cases.

`triage.dedupe` scores pairs and writes nothing; this module feeds it the city's recent cases
near the point (an indexed H3 cell column plus a time window, so it works on any database),
with the city's per-category radius, window and thresholds, and turns its decision into
merge / suggest / new for the pipeline, or into a list of open cases for a citizen who is
about to report (so that they can follow one instead).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from cityloop.cases import OPEN_STATES, Case, cases_near
from cityloop.cases.merge import MASTER_STATES
from cityloop.cities import get_parameters
from cityloop.cities.params import CityParameters
from cityloop.geo.h3cells import cell_for, disk
from cityloop.triage.dedupe import CategoryRule, DedupeConfig, Deduplicator
from cityloop.triage.dedupe import Report as DedupeReport

#: The H3 resolution of `Case.h3_cell` (set at registration).
CASE_CELL_RESOLUTION = 9
#: Conservative: the inner radius of a resolution-9 cell's k-ring exceeds k × 150 m.
_RING_STEP_M = 150.0


@dataclass(frozen=True)
class Candidate:
    """An earlier case that may be the same problem, with its score and the reason in words."""

    case: Case
    score: float
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"case": self.case.number, "score": round(self.score, 4), "reason": self.reason}


@dataclass(frozen=True)
class DuplicateCheck:
    """`verdict` is merge (the master is `master`), suggest (see `suggestions`) or new."""

    verdict: str
    score: float
    reason: str
    master: Case | None = None
    suggestions: tuple[Candidate, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"verdict": self.verdict, "score": round(self.score, 4), "reason": self.reason}
        if self.master is not None:
            out["master"] = self.master.number
        if self.suggestions:
            out["suggestions"] = [s.as_dict() for s in self.suggestions]
        return out


def _rule(params: CityParameters, code: str) -> CategoryRule:
    rule = params.duplicate_rules.get(code) or params.duplicate_rules.get("default")
    if rule is None:
        return CategoryRule()
    return CategoryRule(
        radius_m=rule.radius_m,
        window_hours=rule.window_hours,
        building_wide=rule.building_wide,
        point_like=rule.point_like,
    )


def dedupe_config(params: CityParameters) -> DedupeConfig:
    """The de-duplicator's configuration from the city's parameters."""
    rules = {code: _rule(params, code) for code in params.duplicate_rules if code != "default"}
    return DedupeConfig(
        merge_threshold=params.duplicate_merge_threshold,
        suggest_threshold=min(params.duplicate_suggest_threshold, params.duplicate_merge_threshold),
        default_rule=_rule(params, "default"),
        rules=rules,
    )


def _as_report(case: Case) -> DedupeReport:
    return DedupeReport(
        id=str(case.id),
        category=case.category_code,
        opened_at=case.reported_at,
        lat=case.lat,
        lon=case.lon,
        address=case.address or "",
        text=case.description,
        closed_at=case.closed_at,
        component=case.component_id,
        channel=case.source,
    )


def _nearby(
    session: Session,
    city_code: str,
    config: DedupeConfig,
    *,
    categories: list[str] | None,
    lon: float,
    lat: float,
    component_id: str | None,
    at: datetime,
    open_only: bool,
) -> list[Case]:
    codes = categories or []
    rules = [config.rule_for(c) for c in codes] or [config.default_rule, *config.rules.values()]
    radius = max(r.radius_m for r in rules)
    window = max(r.window_hours for r in rules)
    k = max(1, math.ceil(radius / _RING_STEP_M))
    cells = sorted(disk(cell_for(lon, lat, CASE_CELL_RESOLUTION), k))
    return cases_near(
        session, city_code, cells=cells, since=at - timedelta(hours=window), categories=categories,
        component_id=component_id, states=OPEN_STATES if open_only else MASTER_STATES,
    )  # fmt: skip


def check_duplicate(
    session: Session,
    city_code: str,
    *,
    category_code: str,
    lon: float,
    lat: float,
    text: str,
    address: str | None,
    component_id: str | None,
    at: datetime,
) -> DuplicateCheck:
    """Score a report about to be registered against the city's earlier cases near it."""
    params = get_parameters(session, city_code)
    config = dedupe_config(params)
    related = sorted(config.related(category_code))
    found = _nearby(
        session, city_code, config, categories=related, lon=lon, lat=lat,
        component_id=component_id, at=at, open_only=False,
    )  # fmt: skip
    dedupe = Deduplicator(config)
    by_id = {str(c.id): c for c in found}
    for case in found:
        dedupe.add(_as_report(case))
    new = DedupeReport(
        id="new", category=category_code, opened_at=at, lat=lat, lon=lon, address=address or "",
        text=text, component=component_id,
    )  # fmt: skip
    decision = dedupe.decide(new)
    suggestions = tuple(
        Candidate(by_id[s.case_id], s.score, s.reason) for s in decision.suggestions if s.case_id in by_id
    )
    if decision.is_duplicate and decision.master_id in by_id:
        return DuplicateCheck("merge", decision.score, decision.reason, master=by_id[decision.master_id])
    verdict = "suggest" if suggestions else "new"
    return DuplicateCheck(verdict, decision.score, decision.reason, suggestions=suggestions)


def similar_open_cases(
    session: Session,
    city_code: str,
    *,
    lon: float,
    lat: float,
    category_code: str | None,
    text: str,
    at: datetime,
    limit: int = 10,
) -> list[Candidate]:
    """Open cases near the point that may be what a citizen is about to report, best first.

    With a category, only that category (and its siblings) within its radius; without one,
    every category within its own radius. Every candidate the de-duplicator would consider is
    listed (not only those above the suggest threshold): the citizen decides.
    """
    params = get_parameters(session, city_code)
    config = dedupe_config(params)
    related = sorted(config.related(category_code)) if category_code else None
    found = _nearby(
        session, city_code, config, categories=related, lon=lon, lat=lat, component_id=None,
        at=at, open_only=True,
    )  # fmt: skip
    dedupe = Deduplicator(config)
    by_id = {str(c.id): c for c in found}
    for case in found:
        dedupe.add(_as_report(case))
    scored: dict[str, Candidate] = {}
    for code in [category_code] if category_code else sorted({c.category_code for c in found}):
        probe = DedupeReport(id="new", category=code, opened_at=at, lat=lat, lon=lon, text=text)
        for old, score in dedupe.candidates(probe):
            case = by_id[old.id]
            if old.id not in scored or scored[old.id].score < score.value:
                scored[old.id] = Candidate(case, score.value, score.reason(code))
    ranked = sorted(scored.values(), key=lambda c: (-c.score, -c.case.reported_at.timestamp()))
    return ranked[:limit]
