"""The simulator's automation is the real one: `flows.automation` and `dispatch`, with the run's policy.

`advance` takes the automatic steps the city's parameters allow, choosing workers with the
policy under test; `dispatch` is what the automation proposes to a simulated dispatcher;
`assign_batch` plans the waiting cases of a department together (`dispatch.assignment`);
`truth_department` is where the problem really belongs — the city's routing applied to the
problem's true category (the scenario knows it; the pipeline may have misread the text).
Workers' positions come from the database, which the engine keeps current (`on_move`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case
from cityloop.cases.assign import do_assign
from cityloop.dispatch import RoutingTable, load_routing_table, route_case
from cityloop.dispatch.assignment import (
    assignment_params,
    batch_assign,
    load_task_request,
    load_workers,
)
from cityloop.flows.automation import advance, plan_dispatch
from cityloop.org import do_set_worker_position
from cityloop.sim.engine.board import Board


class RealAutomation:
    """The production automation, run under one policy."""

    def __init__(self, city_code: str, board: Board, policy: str) -> None:
        self.city_code, self.board, self.policy = city_code, board, policy
        self._table: RoutingTable | None = None

    def advance(self, session: Session, case: Case, at: datetime) -> None:
        advance(session, case, at, policy=self.policy)

    def dispatch(self, session: Session, case: Case, at: datetime, policy: str) -> tuple[str, str | None]:
        plan = plan_dispatch(session, case, at, policy)
        if plan.department is None:
            raise LookupError(plan.routing.reason)
        return plan.department, plan.worker

    def assign_batch(
        self, session: Session, department_code: str, cases: list[Case], at: datetime, policy: str
    ) -> dict[str, str]:
        params = assignment_params(session, self.city_code)
        located = [c for c in cases if c.lon is not None and c.lat is not None]
        handle = {t.id: c for c in located for t in c.tasks if t.kind == "handle" and t.status == "open"}
        # The waiting cases are planned afresh: they leave the queues of whoever had them.
        workers = [
            replace(w, queue=tuple(q for q in w.queue if q.task_id not in handle))
            for w in load_workers(session, self.city_code, department_code, at, params=params)
        ]
        if not workers or not located:
            return {}
        requests = [
            load_task_request(session, c, next((t for t in c.tasks if t.id in handle), None), params=params)
            for c in located
        ]
        by_id = {c.id: c for c in located}
        chosen: dict[str, str] = {}
        for plan in batch_assign(requests, workers, at, params):
            case = by_id.get(plan.task.case_id) if plan.task.case_id is not None else None
            if case is None or plan.worker is None:
                continue
            chosen[case.number] = plan.worker.username
            # Recorded like the sweep's batch optimiser does, so the next plan sees this queue.
            do_assign(
                session, city_code=self.city_code, number=case.number, kind="handle",
                username=plan.worker.username,
                actor=Actor.system(self.city_code, rule="auto.batch", roles=frozenset({"dispatcher"})),
                reason=plan.reason, data={"assignment": plan.as_dict()}, now=at,
            )  # fmt: skip
        return chosen

    def truth_department(self, session: Session, case: Case, true_code: str) -> str | None:
        """The department the city's routing gives the problem's true category at the case's place."""
        if self._table is None:
            self._table = load_routing_table(session, self.city_code)
        probe = Case(
            city_id=case.city_id, number=case.number, source=case.source, standard=case.standard, kind="matter",
            category_code=true_code, urgency=case.urgency, grid_code=case.grid_code,
            community_code=case.community_code, street_code=case.street_code, district_code=case.district_code,
            component_id=case.component_id, reported_at=case.reported_at, lon=case.lon, lat=case.lat,
        )  # fmt: skip
        return route_case(session, probe, at=case.reported_at, table=self._table).department


def real_automation(city_code: str, board: Board, policy: str) -> RealAutomation:
    return RealAutomation(city_code, board, policy)


def record_position(
    session: Session, username: str, lon: float, lat: float, at: datetime, city_code: str
) -> None:
    """The `on_move` hook: the worker's position, as the field app would report it."""
    do_set_worker_position(session, city_code=city_code, username=username, lon=lon, lat=lat, at=at)
