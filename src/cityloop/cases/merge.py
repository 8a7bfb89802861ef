"""Duplicates: link a case to its master (重复上报), followers, and the cases near a point.

A duplicate is not deleted: it stays, void, with `master_id` pointing at the case that is
handled, so that its reporter can be told and the evaluation can count repeat reports. Its
reporter follows the master from then on. Both timelines say what happened and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from cityloop.cases.actors import Actor
from cityloop.cases.errors import ActionNotAllowed, InvalidCaseData
from cityloop.cases.models import Case, Follower
from cityloop.cases.tasks import cancel_open
from cityloop.cases.timeline import append_event
from cityloop.cases.transition import get_case_for_update
from cityloop.cases.workflow import State
from cityloop.core.clock import get_clock

DUPLICATE_REASON = "重复上报"

#: States in which a case may still be merged into another: before it is filed and sent out.
MERGEABLE = frozenset({State.PENDING_VERIFY, State.VERIFYING, State.REPORTED, State.ACCEPTED})
#: States a master may be in: anything but void (a closed master takes a repeat report as
#: a follower; a recurring problem is a new case, which the de-duplicator scores lower).
MASTER_STATES = frozenset(State) - {State.VOID}
OPEN_STATES = frozenset(State) - {State.VOID, State.CLOSED}


def add_follower(session: Session, case: Case, ref: str, at: datetime) -> bool:
    """Make `ref` follow `case`; False when it already did (nothing written)."""
    ref = ref.strip()
    if not ref:
        raise InvalidCaseData("a follower needs a reference", details={"field": "ref"})
    if len(ref) > 100:
        raise InvalidCaseData("a follower reference has at most 100 characters", details={"field": "ref"})
    exists = session.scalars(
        select(Follower.id).where(Follower.case_id == case.id, Follower.ref == ref)
    ).first()
    if exists is not None:
        return False
    session.add(Follower(city_id=case.city_id, case_id=case.id, ref=ref, since=at))
    session.flush()
    return True


def _master_of(session: Session, master: Case) -> Case:
    """A master that is itself a duplicate hands over to its own master (one level is kept)."""
    seen = {master.id}
    while master.master_id is not None:
        parent = session.get(Case, master.master_id)
        if parent is None or parent.id in seen:
            break
        seen.add(parent.id)
        master = parent
    return master


def do_merge(
    session: Session,
    *,
    city_code: str,
    number: str,
    master_number: str,
    actor: Actor,
    reason: str,
    score: float | None = None,
    now: datetime | None = None,
) -> Case:
    """Void case `number` as a repeat report of `master_number`; its reporter follows the master.

    Allowed for operators (and the system acting as one) while the duplicate is not yet filed;
    the master must be a case of the same city that is not void.
    """
    at = now or get_clock().now()
    actor.check_city(city_code)
    if "operator" not in actor.roles:
        raise ActionNotAllowed(
            "merging a duplicate needs the role operator", details={"held": sorted(actor.roles)}
        )
    if number == master_number:
        raise InvalidCaseData("a case cannot be a duplicate of itself", details={"field": "master"})
    case = get_case_for_update(session, city_code, number)
    master = _master_of(session, get_case_for_update(session, city_code, master_number))
    if master.id == case.id:
        raise InvalidCaseData(f"case {master_number} is a duplicate of {number}", details={"field": "master"})
    old = State(case.state)
    if old not in MERGEABLE:
        raise ActionNotAllowed(
            f"case {number} is {old.value}: only cases not yet filed can be merged",
            details={"state": old.value, "allowed_states": sorted(s.value for s in MERGEABLE)},
        )
    if State(master.state) not in MASTER_STATES:
        raise ActionNotAllowed(
            f"case {master.number} is void and cannot be a master", details={"state": master.state}
        )
    cancel_open(case, at=at)
    case.state, case.master_id = State.VOID.value, master.id
    data: dict[str, Any] = {
        "master": master.number,
        **({"score": round(score, 4)} if score is not None else {}),
    }
    by = actor.acting_as("operator")
    append_event(
        session, case=case, action="merge", actor=by, at=at, from_state=old.value,
        to_state=State.VOID.value, reason=f"{DUPLICATE_REASON}: {reason}", data=data,
    )  # fmt: skip
    followers = [f.ref for f in case.followers] or ([case.reporter_ref] if case.reporter_ref else [])
    added = [ref for ref in followers if add_follower(session, master, ref, at)]
    append_event(
        session, case=master, action="duplicate_linked", actor=by, at=at, from_state=master.state,
        to_state=master.state, reason=reason,
        data={"duplicate": case.number, "followers_added": len(added), **data},
    )  # fmt: skip
    return case


def cases_near(
    session: Session,
    city_code: str,
    *,
    cells: Sequence[str],
    since: datetime,
    categories: Sequence[str] | None = None,
    states: frozenset[State] = MASTER_STATES,
    component_id: str | None = None,
    limit: int = 200,
) -> list[Case]:
    """Cases of the city in the H3 `cells` (or with the same component), reported or closed since
    `since`, that are not duplicates themselves; newest first."""
    where: list[Any] = [Case.h3_cell.in_(list(cells))]
    if component_id:
        where.append(Case.component_id == component_id)
    stmt = (
        select(Case)
        .where(
            Case.city_id == city_code,
            or_(*where),
            Case.master_id.is_(None),
            Case.state.in_([s.value for s in states]),
            or_(Case.reported_at >= since, Case.closed_at.is_(None), Case.closed_at >= since),
        )
        .order_by(Case.reported_at.desc(), Case.id.desc())
        .limit(limit)
    )
    if categories:
        stmt = stmt.where(Case.category_code.in_(list(categories)))
    return list(session.scalars(stmt))
