"""HTTP routes of dispatch (mounted under /api/v1): the city's rules, component owners, and a routing preview.

Dispatchers, leaders and admins of the city read the rules; only admins replace them (the whole
list at once, validated first: any problem refuses all with `dispatch.invalid_rules` and every
problem listed). A dry run reports the problems without writing. A dispatcher may preview the
decision for a case: where it would go now and why, writing nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from sqlalchemy.orm import Session

from cityloop.cases.queries import get_case
from cityloop.core.clock import get_clock, utc
from cityloop.core.pagination import Page, PageParams, page_of
from cityloop.core.principal import Principal
from cityloop.db.deps import SESSION, require_roles
from cityloop.db.pagination import paginate
from cityloop.dispatch.models import ComponentOwner, DispatchRule
from cityloop.dispatch.routing import returned_departments, route_case
from cityloop.dispatch.ruleio import (
    import_component_owners,
    import_rules,
    select_component_owners,
    select_rules,
)
from cityloop.dispatch.rules import load_catalogue, owner_problems, rule_problems
from cityloop.dispatch.schemas import ComponentOwnerOut, ProblemOut, RoutingOut, RuleOut, ValidationOut
from cityloop.dispatch.stats import automation_stats
from cityloop.org.roles import StaffRole

router = APIRouter(tags=["dispatch"])

READERS = require_roles(StaffRole.DISPATCHER, StaffRole.LEADER, StaffRole.ADMIN)
EDITORS = require_roles(StaffRole.ADMIN)
CHECKERS = require_roles(StaffRole.ADMIN, StaffRole.DISPATCHER)
ROUTERS = require_roles(StaffRole.DISPATCHER, StaffRole.ADMIN)

MAX_ROWS = 5000
Rows = Annotated[
    list[dict[str, Any]],
    Body(
        max_length=MAX_ROWS,
        description="The rows in the format the export writes (departments by code), in priority order.",
    ),
]

_BASE = "/cities/{city_code}/dispatch"


def _validation(rows: list[dict[str, Any]], problems: list[dict[str, Any]]) -> ValidationOut:
    return ValidationOut(ok=not problems, count=len(rows), problems=[ProblemOut(**p) for p in problems])


@router.get(_BASE + "/rules", response_model=Page[RuleOut])
def get_rules(
    city_code: str,
    params: Annotated[PageParams, Query()],
    session: Session = SESSION,
    _principal: Principal = Depends(READERS),
) -> dict[str, Any]:
    """The city's dispatch rules in priority order (the first that matches a case decides)."""
    rows: list[DispatchRule]
    rows, total = paginate(session, select_rules(city_code), params)
    return page_of([RuleOut.of(r) for r in rows], total, params)


@router.put(_BASE + "/rules", response_model=list[RuleOut])
def put_rules(
    city_code: str,
    rows: Rows,
    session: Session = SESSION,
    _principal: Principal = Depends(EDITORS),
) -> list[RuleOut]:
    """Replace all the city's rules with `rows`, in their order; nothing changes when any row is wrong."""
    return [RuleOut.of(r) for r in import_rules(session, city_code, rows)]


@router.post(_BASE + "/rules/validate", response_model=ValidationOut)
def validate_rules(
    city_code: str,
    rows: Rows,
    session: Session = SESSION,
    _principal: Principal = Depends(CHECKERS),
) -> ValidationOut:
    """Check `rows` as PUT would, and list every problem; writes nothing."""
    _items, problems = rule_problems(rows, load_catalogue(session, city_code))
    return _validation(rows, problems)


@router.get(_BASE + "/component-owners", response_model=Page[ComponentOwnerOut])
def get_component_owners(
    city_code: str,
    params: Annotated[PageParams, Query()],
    session: Session = SESSION,
    _principal: Principal = Depends(READERS),
) -> dict[str, Any]:
    """Which department owns (and which maintains) the components under each ID prefix."""
    rows: list[ComponentOwner]
    rows, total = paginate(session, select_component_owners(city_code), params)
    return page_of([ComponentOwnerOut.of(r) for r in rows], total, params)


@router.put(_BASE + "/component-owners", response_model=list[ComponentOwnerOut])
def put_component_owners(
    city_code: str,
    rows: Rows,
    session: Session = SESSION,
    _principal: Principal = Depends(EDITORS),
) -> list[ComponentOwnerOut]:
    """Replace all the city's component owners; nothing changes when any row is wrong."""
    return [ComponentOwnerOut.of(r) for r in import_component_owners(session, city_code, rows)]


@router.post(_BASE + "/component-owners/validate", response_model=ValidationOut)
def validate_component_owners(
    city_code: str,
    rows: Rows,
    session: Session = SESSION,
    _principal: Principal = Depends(CHECKERS),
) -> ValidationOut:
    """Check component-owner rows as PUT would, and list every problem; writes nothing."""
    _items, problems = owner_problems(rows, load_catalogue(session, city_code))
    return _validation(rows, problems)


@router.get(_BASE + "/cases/{number}/routing", response_model=RoutingOut)
def preview_routing(
    city_code: str,
    number: str,
    at: Annotated[datetime | None, Query(description="The instant to route at (default: now).")] = None,
    exclude_returned: Annotated[
        bool, Query(description="Pass over departments that returned this case.")
    ] = True,
    session: Session = SESSION,
    _principal: Principal = Depends(ROUTERS),
) -> RoutingOut:
    """Where the case would be dispatched at `at`, how that was decided, and why earlier rules did not match."""
    case = get_case(session, city_code, number)
    when = utc(at) if at is not None else get_clock().now()
    exclude = returned_departments(session, case) if exclude_returned else set()
    decision = route_case(session, case, at=when, exclude=exclude)
    return RoutingOut.of(case.number, when.isoformat(), decision)


@router.get(_BASE + "/automation")
def get_automation(
    city_code: str,
    start: Annotated[datetime | None, Query(alias="from", description="First dispatch at or after.")] = None,
    end: Annotated[datetime | None, Query(alias="to", description="First dispatch before.")] = None,
    session: Session = SESSION,
    _principal: Principal = Depends(READERS),
) -> dict[str, Any]:
    """Auto-dispatch rate and accuracy (automatic dispatches never returned, re-dispatched or reassigned
    by a person), for the city, per category and per district."""
    return automation_stats(
        session, city_code, start=utc(start) if start else None, end=utc(end) if end else None
    )
