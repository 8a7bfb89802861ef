"""Correcting a case's category before it is filed: the operator's fix of a wrong guess.

The national code decides the department, the time limits and the evaluation, so a wrong
category must be corrected before filing (立案); after that the case is re-routed by a return
(回退) instead. The timeline keeps both codes, who changed it and why.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from cityloop.cases.actors import Actor
from cityloop.cases.errors import ActionNotAllowed, InvalidCaseData
from cityloop.cases.models import Case
from cityloop.cases.timeline import append_event
from cityloop.cases.transition import get_case_for_update
from cityloop.cases.workflow import State
from cityloop.core.clock import get_clock, utc
from cityloop.taxonomy import find_category

#: A case's category may be corrected until it is filed.
RECATEGORISABLE = frozenset({State.PENDING_VERIFY, State.VERIFYING, State.REPORTED, State.ACCEPTED})


def do_recategorise(
    session: Session,
    *,
    city_code: str,
    number: str,
    category_code: str,
    actor: Actor,
    reason: str,
    kind: str = "matter",
    now: datetime | None = None,
) -> Case:
    """Give case `number` another category of the city's taxonomy; refused after filing."""
    at = utc(now or get_clock().now())
    actor.check_city(city_code)
    if "operator" not in actor.roles:
        raise ActionNotAllowed(
            "changing a category needs the role operator", details={"held": sorted(actor.roles)}
        )
    if not reason.strip():
        raise InvalidCaseData(
            "say why the category changes", code="cases.reason_required", details={"field": "reason"}
        )
    case = get_case_for_update(session, city_code, number)
    if State(case.state) not in RECATEGORISABLE:
        raise ActionNotAllowed(
            f"case {number} is {case.state}: its category can change only before filing",
            details={"state": case.state, "allowed_states": sorted(s.value for s in RECATEGORISABLE)},
        )
    category = find_category(session, code=category_code, kind=kind, city_code=city_code)
    if category is None:
        raise InvalidCaseData(
            f"{kind} {category_code} is not in the taxonomy of city {city_code}",
            code="cases.unknown_category",
            details={"field": "category_code"},
        )
    if (category.kind, category.code) == (case.kind, case.category_code):
        raise InvalidCaseData(
            f"case {number} already has category {category_code}", details={"field": "category_code"}
        )
    before = {"kind": case.kind, "code": case.category_code, "standard": case.standard}
    case.kind, case.category_code, case.standard = category.kind, category.code, category.standard
    append_event(
        session, case=case, action="recategorise", actor=actor.acting_as("operator"), at=at,
        from_state=case.state, to_state=case.state, reason=reason.strip(),
        data={"from": before, "to": {"kind": category.kind, "code": category.code, "standard": category.standard}},
    )  # fmt: skip
    return case
