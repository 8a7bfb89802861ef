"""HTTP routes of evaluation (mounted under /api/v1): every entity's grade, and one entity's portrait.

Leaders, admins, shift leaders and dispatchers of the city read them; a bad kind or date is a
422 with a stable code, an unknown entity a 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from cityloop.core.principal import Principal
from cityloop.db.deps import SESSION, require_roles
from cityloop.evaluation.portrait import portrait
from cityloop.evaluation.queries import check_kind, evaluate
from cityloop.org.roles import StaffRole

router = APIRouter(tags=["evaluation"])

READERS = require_roles(StaffRole.LEADER, StaffRole.ADMIN, StaffRole.SHIFT_LEADER, StaffRole.DISPATCHER)
_BASE = "/cities/{city_code}/evaluation"


@router.get(_BASE)
def get_evaluation(
    city_code: str,
    kind: Annotated[
        str | None, Query(description="One kind (department, inspector, …, district); all if absent.")
    ] = None,
    first: Annotated[str | None, Query(alias="from", description="First local day, YYYY-MM-DD.")] = None,
    last: Annotated[
        str | None, Query(alias="to", description="Last local day, YYYY-MM-DD (default today).")
    ] = None,
    cases: Annotated[bool, Query(description="Add the case numbers behind each bad figure.")] = False,
    session: Session = SESSION,
    _principal: Principal = Depends(READERS),
) -> list[dict[str, Any]]:
    """One object per entity: kind, id, name, period, indicators, scores, composite (0–100), grade, tier."""
    kinds = [check_kind(kind)] if kind else None
    return evaluate(session, city_code, kinds=kinds, first=first, last=last, include_cases=cases)


@router.get(_BASE + "/{kind}/{entity_id}/portrait")
def get_portrait(
    city_code: str,
    kind: str,
    entity_id: str,
    months: Annotated[int, Query(ge=1, le=24, description="Calendar months, the current one included.")] = 6,
    session: Session = SESSION,
    _principal: Principal = Depends(READERS),
) -> dict[str, Any]:
    """The entity month by month: indicators, rank among peers, strongest/weakest, city median, cases."""
    return portrait(session, city_code, check_kind(kind), entity_id, months)
