"""The steps the system takes by itself, when the city's parameters allow, each with its reason.

After a report becomes a case and after every person's action, `advance` takes the automatic
steps that follow, in order: send for verification to the grid's inspector, accept (受理),
file (立案), dispatch to the routed department and the best worker (派遣), send for checking
(核查). Each is a system actor on the timeline with the rule that allowed it and why; a step the
parameters do not allow, or that the automation cannot decide (no department, low confidence),
is left to a person. Overrides of these decisions count against the automation
(`dispatch.automation_stats`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case, State, TimelineEvent, do_transition
from cityloop.cases.assign import do_assign
from cityloop.cities import get_parameters
from cityloop.cities.params import CityParameters
from cityloop.dispatch import RoutingDecision, returned_departments, route_case
from cityloop.dispatch.assignment import (
    Assignment,
    assign,
    assignment_params,
    load_task_request,
    load_workers,
    pick_inspector,
)

#: Upper bound of automatic steps in one go (the workflow has five).
MAX_STEPS = 8


@dataclass(frozen=True)
class DispatchPlan:
    """Where a case would go: the routing decision and, within the department, the worker."""

    routing: RoutingDecision
    assignment: Assignment | None

    @property
    def department(self) -> str | None:
        return self.routing.department

    @property
    def worker(self) -> str | None:
        return self.assignment.username if self.assignment is not None else None

    def reason(self) -> str:
        parts = [self.routing.reason]
        if self.assignment is not None:
            parts.append(self.assignment.reason)
        return "; ".join(parts)

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"department": self.department, "routing": self.routing.as_dict()}
        if self.worker is not None:
            out["worker"] = self.worker
        if self.assignment is not None:
            out["assignment"] = self.assignment.as_dict()
        return out


def category_confidence(session: Session, case: Case) -> float:
    """How sure the intake was of the category (1.0 when a person or the reporter chose it)."""
    first = session.scalars(
        select(TimelineEvent).where(TimelineEvent.case_id == case.id, TimelineEvent.seq == 1)
    ).first()
    decision = (first.data or {}).get("decision") if first is not None else None
    category = decision.get("category") if isinstance(decision, dict) else None
    if isinstance(category, dict) and isinstance(category.get("confidence"), int | float):
        return float(category["confidence"])
    return 1.0


def plan_dispatch(session: Session, case: Case, at: datetime, policy: str | None = None) -> DispatchPlan:
    """Route the case, then choose the worker by the city's policy (or `policy`); writes nothing."""
    routing = route_case(session, case, at=at, exclude=frozenset(returned_departments(session, case)))
    if routing.department is None or case.lon is None:
        return DispatchPlan(routing, None)
    params = assignment_params(session, case.city_id)
    workers = load_workers(session, case.city_id, routing.department, at, params=params)
    if not workers:
        return DispatchPlan(routing, None)
    task = load_task_request(session, case, params=params)
    chosen = policy or get_parameters(session, case.city_id).dispatch_policy
    assignment = assign([task], workers, at, params, policy=chosen)[0]
    return DispatchPlan(routing, assignment if assignment.worker is not None else None)


def _system(case: Case, step: str, role: str, confidence: float | None = None) -> Actor:
    return Actor.system(case.city_id, rule=f"auto.{step}", roles=frozenset({role}), confidence=confidence)


def _excluded(params: CityParameters, code: str) -> bool:
    return code in params.auto_dispatch_excluded or code[:2] in params.auto_dispatch_excluded


def _inspector_step(session: Session, case: Case, action: str, kind: str, at: datetime) -> str:
    choice = pick_inspector(session, case.city_id, case.grid_code, case.lon, case.lat, at)
    actor = _system(case, action, "operator")
    do_transition(
        session, city_code=case.city_id, number=case.number, action=action, actor=actor,
        reason=choice.reason, data={"inspector": choice.as_dict()}, now=at,
    )  # fmt: skip
    if choice.username is not None:
        do_assign(
            session, city_code=case.city_id, number=case.number, kind=kind, username=choice.username,
            actor=actor, reason=choice.reason, now=at,
        )  # fmt: skip
    return action


def _step(
    session: Session, case: Case, params: CityParameters, at: datetime, policy: str | None
) -> str | None:
    state = State(case.state)
    if case.pending:
        return None
    if state == State.PENDING_VERIFY and params.auto_verify_dispatch:
        return _inspector_step(session, case, "send_verify", "verify", at)
    if state == State.PROCESSED and params.auto_send_check:
        return _inspector_step(session, case, "send_check", "check", at)
    if state not in (State.REPORTED, State.ACCEPTED, State.FILED):
        return None
    confidence = category_confidence(session, case)
    if state == State.REPORTED:
        if case.source not in params.auto_accept_sources or confidence < params.auto_accept_confidence:
            return None
        why = f"source {case.source} is accepted automatically; category confidence {confidence:.2f}"
        do_transition(
            session, city_code=case.city_id, number=case.number, action="accept",
            actor=_system(case, "accept", "operator", confidence), reason=why, now=at,
        )  # fmt: skip
        return "accept"
    if state == State.ACCEPTED:
        if not params.auto_file:
            return None
        do_transition(
            session, city_code=case.city_id, number=case.number, action="file",
            actor=_system(case, "file", "shift_leader", confidence),
            reason="filed automatically with the standard time limit", now=at,
        )  # fmt: skip
        return "file"
    if not params.auto_dispatch or _excluded(params, case.category_code):
        return None
    if confidence < params.auto_dispatch_confidence:
        return None
    plan = plan_dispatch(session, case, at, policy)
    if plan.department is None:
        return None
    do_transition(
        session, city_code=case.city_id, number=case.number, action="dispatch",
        actor=_system(case, f"dispatch.{plan.routing.how}", "dispatcher", confidence),
        reason=plan.reason(), data=plan.data(), now=at,
    )  # fmt: skip
    return "dispatch"


def advance(session: Session, case: Case, at: datetime, *, policy: str | None = None) -> list[str]:
    """Take every automatic step the city allows on `case`, in order; the actions taken."""
    params = get_parameters(session, case.city_id)
    taken: list[str] = []
    for _ in range(MAX_STEPS):
        step = _step(session, case, params, at, policy)
        if step is None:
            break
        taken.append(step)
    return taken
