"""The automation hook of the simulator, and a simple fallback until the real dispatch lands.

`Automation.advance` performs the pipeline's automatic steps on a case (auto-accept, auto-file,
auto-dispatch) and is called after each arrival and each transition; `Automation.dispatch`
proposes (department code, worker username or None) when a simulated dispatcher dispatches.
An automation that also offers `assign_batch` (the `BatchAssigner` protocol) assigns the
waiting cases of a department together under the optimised policy.

`FallbackAutomation` is deliberately simple: it accepts when the category confidence reaches
the city's `auto_accept_confidence`, files when the category has at most one registration
condition, and dispatches to the first professional department responsible for the category
(`org.responsible_departments`; the street office when there is none), with a worker chosen
by the engine's policies. It never dispatches a case again by itself once a department
returned it: a person decides.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case, State, TimelineEvent, do_transition
from cityloop.cities import get_parameters
from cityloop.org import responsible_departments
from cityloop.sim.engine.board import Board, Job
from cityloop.sim.engine.policies import assign_batch, choose_worker
from cityloop.taxonomy import list_registration_conditions


@runtime_checkable
class Automation(Protocol):
    def advance(self, session: Session, case: Case, at: datetime) -> None:
        """Take the automatic steps the city's parameters allow on `case` now (maybe none)."""
        ...

    def dispatch(self, session: Session, case: Case, at: datetime, policy: str) -> tuple[str, str | None]:
        """(department code, worker username or None) for `case` under `policy`."""
        ...


@runtime_checkable
class BatchAssigner(Protocol):
    def assign_batch(
        self, session: Session, department_code: str, cases: list[Case], at: datetime, policy: str
    ) -> dict[str, str]:
        """Case number → worker username for waiting cases of one department."""
        ...


def area_codes(case: Case) -> list[str]:
    return [c for c in (case.grid_code, case.community_code, case.street_code, case.district_code) if c]


def route(session: Session, city_code: str, kind: str, code: str, areas: list[str]) -> str | None:
    """The first professional department responsible for (kind, code) at the areas, else the first one."""
    found = responsible_departments(session, city_code, kind=kind, code=code, area_codes=areas)
    professional = [d for d in found if d.kind != "street_office"]
    chosen = professional[0] if professional else (found[0] if found else None)
    return chosen.code if chosen is not None else None


def category_confidence(session: Session, case: Case) -> float:
    """The confidence of the case's category as intake recorded it on the first event (1.0 if none)."""
    data = session.scalar(
        select(TimelineEvent.data).where(TimelineEvent.case_id == case.id, TimelineEvent.seq == 1)
    )
    category: Any = ((data or {}).get("decision") or {}).get("category") or {}
    value = category.get("confidence")
    return float(value) if isinstance(value, int | float) else 1.0


def was_returned(session: Session, case: Case) -> bool:
    return (
        session.scalar(
            select(TimelineEvent.id)
            .where(TimelineEvent.case_id == case.id, TimelineEvent.action == "approve_return")
            .limit(1)
        )
        is not None
    )


def single_condition(session: Session, case: Case) -> tuple[bool, int | None]:
    """(may file without a person, the condition to file under): at most one condition for the category."""
    found = list_registration_conditions(
        session, case.city_id, code=case.category_code, kind=case.kind, standard=case.standard
    )
    if len(found) > 1:
        return False, None
    return True, (found[0].id if found else None)


class FallbackAutomation:
    """Auto-accept by confidence, auto-file, auto-dispatch by responsibility + the engine's policy."""

    def __init__(self, city_code: str, board: Board, policy: str) -> None:
        self.city_code, self.board, self.policy = city_code, board, policy
        # Responsibilities and conditions do not change during a run: ask the database once.
        self._routes: dict[tuple[str, str, tuple[str, ...]], str | None] = {}
        self._conditions: dict[tuple[str, str, str], tuple[bool, int | None]] = {}

    def _system(self, rule: str, role: str, confidence: float | None = None) -> Actor:
        return Actor.system(
            self.city_code, rule=f"sim-fallback:{rule}", roles=frozenset({role}), confidence=confidence
        )

    def _step(self, session: Session, case: Case, at: datetime) -> bool:
        state = State(case.state)
        number = case.number
        if case.pending is not None:
            return False
        if state == State.REPORTED:
            confidence = category_confidence(session, case)
            if confidence < get_parameters(session, self.city_code).auto_accept_confidence:
                return False
            actor = self._system("auto-accept", "operator", confidence)
            do_transition(
                session, city_code=self.city_code, number=number, action="accept", actor=actor, now=at
            )
            return True
        if state == State.ACCEPTED:
            key = (case.category_code, case.kind, case.standard)
            if key not in self._conditions:
                self._conditions[key] = single_condition(session, case)
            allowed, condition = self._conditions[key]
            if not allowed:
                return False
            data: dict[str, Any] = {"condition_id": condition} if condition is not None else {}
            actor = self._system("auto-file", "shift_leader")
            do_transition(
                session,
                city_code=self.city_code,
                number=number,
                action="file",
                actor=actor,
                data=data,
                now=at,
            )
            return True
        if state == State.FILED and not was_returned(session, case):
            department, worker = self.dispatch(session, case, at, self.policy)
            actor = self._system(f"auto-dispatch to {department} ({self.policy})", "dispatcher")
            sent: dict[str, Any] = {"department": department, **({"worker": worker} if worker else {})}
            do_transition(
                session,
                city_code=self.city_code,
                number=number,
                action="dispatch",
                actor=actor,
                data=sent,
                now=at,
            )
            return True
        return False

    def advance(self, session: Session, case: Case, at: datetime) -> None:
        while self._step(session, case, at):
            pass

    def dispatch(self, session: Session, case: Case, at: datetime, policy: str) -> tuple[str, str | None]:
        key = (case.kind, case.category_code, tuple(area_codes(case)))
        if key not in self._routes:
            self._routes[key] = route(session, self.city_code, key[0], key[1], list(key[2]))
        department = self._routes[key]
        if department is None:
            raise LookupError(f"no department is responsible for {case.kind} {case.category_code}")
        if policy == "optimised" or case.lon is None or case.lat is None:
            return department, None  # the batch assigns the worker
        return department, choose_worker(self.board, department, (case.lon, case.lat), at, policy)

    def assign_batch(
        self, session: Session, department_code: str, cases: list[Case], at: datetime, policy: str
    ) -> dict[str, str]:
        jobs = [
            Job(c.number, c.lon, c.lat, at, due=c.disposal_due_at)
            for c in cases
            if c.lon is not None and c.lat is not None
        ]
        return assign_batch(self.board, department_code, jobs, at)
