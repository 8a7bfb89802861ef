"""The simulator's engine: virtual time, an event queue, and people acting through the real actions.

Each arrival goes through `flows.process_report` with its channel's real payload; after it and
after every transition the automation takes what steps it may (`Automation.advance`), then
the engine looks at the case's state and lets the person whose task it is act after a
realistic delay: operators, shift leaders and dispatchers at the centre's desks, inspectors on
patrol (travel + minutes on site), the department (sign, or ask to return a case that is not
theirs), field workers (travel at e-bike speed, handle, feed back), citizens at the callback.
Every change goes through `cases.do_transition`; an event whose case has moved on since it
was planned is dropped (each plan carries the case's token).
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case, Follower, State, do_transition
from cityloop.core.clock import FrozenClock, use_clock
from cityloop.core.errors import CityLoopError
from cityloop.flows.process_report import process_report
from cityloop.org import get_staff, list_staff
from cityloop.sim.engine.automation import Automation, BatchAssigner, area_codes, route
from cityloop.sim.engine.behaviour import Behaviour, case_rng, handling_minutes
from cityloop.sim.engine.board import Board, Job
from cityloop.sim.engine.field import FieldWork
from cityloop.sim.engine.model import Event, Hooks, Outcome, SimCase
from cityloop.sim.engine.policies import assign_batch, choose_worker
from cityloop.sim.scenario import Arrival, Calibration, CityMap, Scenario, payload_of

DESKS = ("operator", "shift_leader", "dispatcher")


class Engine:
    """The event loop of one run: arrivals, people's steps and field work on virtual time."""

    def __init__(
        self, session: Session, city: CityMap, scenario: Scenario, calibration: Calibration,
        automation: Automation, board: Board, *, policy: str, tag: str, drain_hours: float = 48.0,
        batch_minutes: float = 5.0, behaviour: Behaviour | None = None, hooks: Hooks | None = None,
    ) -> None:  # fmt: skip
        self.session, self.city, self.scenario, self.board = session, city, scenario, board
        self.automation, self.policy, self.tag = automation, policy, tag
        self.behaviour = behaviour or Behaviour()
        self.hooks = hooks or Hooks()
        self.stop_at = scenario.end + timedelta(hours=drain_hours)
        self.batch = timedelta(minutes=batch_minutes)
        self.minutes = handling_minutes(calibration)
        self.outcome = Outcome(cases={})
        self._heap: list[tuple[datetime, int, Event]] = []
        self._seq = itertools.count()
        self._actors: dict[str, Actor] = {}
        self._desks: dict[str, dict[str, datetime]] = {}
        self._department_desk: dict[str, str] = {}
        self._usernames: dict[int, str] = {}
        self._unassigned: dict[str, list[str]] = defaultdict(list)
        self._truth: dict[tuple[str, tuple[str, ...]], str | None] = {}
        self.field = FieldWork(self)
        self._load_staff()

    # --- set-up ---------------------------------------------------------------------------------
    def _load_staff(self) -> None:
        code = self.city.code
        for staff in self.session.scalars(list_staff(self.session, code)):
            self._usernames[staff.id] = staff.username
            for role in DESKS:
                if role in staff.roles:
                    self._desks.setdefault(role, {})[staff.username] = self.scenario.start
            if "department" in staff.roles and staff.department is not None:
                self._department_desk.setdefault(staff.department.code, staff.username)
        missing = [role for role in DESKS if role not in self._desks]
        if missing:
            raise ValueError(f"city {code} has no staff with the role(s) {', '.join(missing)}")

    def actor(self, username: str) -> Actor:
        if username not in self._actors:
            self._actors[username] = Actor.from_staff(get_staff(self.session, self.city.code, username))
        return self._actors[username]

    def username_of(self, staff_id: int | None) -> str | None:
        return self._usernames.get(staff_id) if staff_id is not None else None

    # --- the loop ------------------------------------------------------------------------------
    def push(self, at: datetime, event: Event) -> None:
        heapq.heappush(self._heap, (at, next(self._seq), event))

    def run(self) -> Outcome:
        for arrival in self.scenario.arrivals:
            self.push(arrival.at, Event("arrival", index=arrival.index))
        if self.policy == "optimised":
            self.push(self.scenario.start + self.batch, Event("batch"))
        clock = FrozenClock(self.scenario.start)
        with use_clock(clock):
            while self._heap and self._heap[0][0] <= self.stop_at:
                at, _, event = heapq.heappop(self._heap)
                self.hooks.before_event(at)
                clock.set(at)
                self._handle(at, event)
                self.hooks.after_event(at)
        self.outcome.stopped_at = self.stop_at
        return self.outcome

    def _handle(self, at: datetime, event: Event) -> None:
        if event.kind == "arrival":
            self._arrival(self.scenario.arrivals[event.index], at)
        elif event.kind == "act":
            self._act(event, at)
        elif event.kind == "work_done":
            self.field.work_done(event, at)
        elif event.kind == "wake":
            self.field.try_start(event.actor, at)
        elif event.kind == "batch":
            self._assign_batches(at)
            self.push(at + self.batch, Event("batch"))

    def rng(self, sim: SimCase) -> np.random.Generator:
        """The generator of the case's next step."""
        sim.steps += 1
        return case_rng(self.scenario.seed, sim.arrival.index, sim.steps)

    def case(self, sim: SimCase) -> Case:
        found = self.session.get(Case, sim.case_id)
        assert found is not None
        return found

    # --- arrivals and transitions ----------------------------------------------------------------
    def _arrival(self, arrival: Arrival, at: datetime) -> None:
        actor = self.actor(arrival.reporter) if arrival.channel == "inspector" and arrival.reporter else None
        try:
            result = process_report(
                self.session, city_code=self.city.code, channel=arrival.channel,
                payload=payload_of(arrival, self.tag), actor=actor, now=at,
            )  # fmt: skip
        except CityLoopError as exc:
            self.outcome.refused[exc.code] += 1
            return
        self.outcome.statuses[result.status] += 1
        case = result.case
        if case is None or result.replay or case.number in self.outcome.cases:
            if case is not None:
                self.outcome.arrival_case[arrival.index] = case.number
            return
        sim = SimCase(case.number, case.id, arrival)
        self.outcome.cases[case.number] = sim
        self.outcome.arrival_case[arrival.index] = case.number
        self.after(sim, at)

    def transition(
        self, sim: SimCase, action: str, actor: str, at: datetime, *, data: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> None:  # fmt: skip
        try:
            with self.session.begin_nested():
                do_transition(
                    self.session, city_code=self.city.code, number=sim.number, action=action,
                    actor=self.actor(actor), data=data, reason=reason, now=at,
                )  # fmt: skip
        except CityLoopError as exc:
            self.outcome.errors[f"{action}: {exc.code}"] += 1
        self.after(sim, at)

    def after(self, sim: SimCase, at: datetime) -> None:
        """Let the automation act, then plan the next person's step."""
        case = self.case(sim)
        try:
            with self.session.begin_nested():
                self.automation.advance(self.session, case, at)
        except (CityLoopError, LookupError) as exc:
            self.outcome.errors[f"automation: {getattr(exc, 'code', type(exc).__name__)}"] += 1
        self.plan(sim, case, at)

    # --- who acts next ---------------------------------------------------------------------------
    def plan(self, sim: SimCase, case: Case, at: datetime) -> None:
        sim.token += 1
        state = State(case.state)
        if case.pending is not None:
            if case.pending.get("kind") == "return":
                self.desk(sim, at, "dispatcher", "approve_return")
            return
        simple = {
            State.SELF_HANDLED: ("operator", "confirm_self_handled"),
            State.PENDING_VERIFY: ("operator", "send_verify"),
            State.REPORTED: ("operator", "accept"),
            State.ACCEPTED: ("shift_leader", "file"),
            State.FILED: ("dispatcher", "dispatch"),
            State.PROCESSED: ("operator", "send_check"),
            State.CHECKED_OK: ("shift_leader", "close"),
        }
        if state in simple:
            self.desk(sim, at, *simple[state])
        elif state in (State.VERIFYING, State.CHECKING):
            self.field.inspect(sim, case, at)
        elif state == State.DISPATCHED:
            self.field.sign(sim, case, at)
        elif state == State.PROCESSING:
            self.field.queue(sim, case, at)
        elif state == State.CLOSED:
            self._after_close(sim, case, at)

    def desk(self, sim: SimCase, at: datetime, role: str, action: str, *, when: datetime | None = None,
             reason: str | None = None) -> None:  # fmt: skip
        """A centre desk of `role` takes `action` when the person free soonest has reacted."""
        rng = self.rng(sim)
        pool = self._desks[role]
        person = min(pool, key=lambda name: (pool[name], name))
        ready = (when or at) + self.behaviour.desk(rng, when or at, self.board.zone)
        done = max(ready, pool[person]) + timedelta(minutes=float(rng.uniform(0.5, 2.0)))
        pool[person] = done
        self.push(done, Event("act", sim.number, sim.token, action, person, reason))

    def _after_close(self, sim: SimCase, case: Case, at: datetime) -> None:
        if sim.callbacks >= 2 or not self._has_followers(case):
            return
        if case.satisfaction is None:
            rng = self.rng(sim)
            self.push(
                self.behaviour.callback_at(rng, at, self.board.zone),
                Event("act", sim.number, sim.token, "callback"),
            )
        elif case.satisfaction == "不满意":
            self.desk(sim, at, "operator", "reopen", reason="市民回访不满意，重新处置")

    def _has_followers(self, case: Case) -> bool:
        """Whether anyone follows the case (reporters of merged duplicates are added without the relationship)."""
        found = self.session.scalar(select(Follower.id).where(Follower.case_id == case.id).limit(1))
        return found is not None

    def _act(self, event: Event, at: datetime) -> None:
        sim = self.outcome.cases[event.number]
        if event.token != sim.token:
            return
        case = self.case(sim)
        actor, data, reason = event.actor, None, event.reason
        if event.action == "dispatch":
            data = self._dispatch_data(sim, case, at)
        elif event.action == "file":
            data = {"urgency": case.urgency}
        elif event.action == "callback":
            sim.callbacks += 1
            actor = min(self._desks["operator"])
            data = {"rating": self.behaviour.rating(self.rng(sim), second=sim.callbacks > 1)}
        elif event.action == "approve_return":
            sim.worker = None
        self.transition(sim, event.action, actor, at, data=data, reason=reason)

    def truth_department(self, sim: SimCase, case: Case) -> str | None:
        """The department responsible for the problem's true category at the case's place."""
        key = (sim.arrival.code, tuple(area_codes(case)))
        if key not in self._truth:
            real = getattr(self.automation, "truth_department", None)
            self._truth[key] = (
                real(self.session, case, key[0])
                if real is not None
                else route(self.session, self.city.code, "matter", key[0], list(key[1]))
            )
        return self._truth[key]

    def _dispatch_data(self, sim: SimCase, case: Case, at: datetime) -> dict[str, Any]:
        """What a dispatcher sends: the automation's proposal, corrected by hand when it is wrong."""
        try:
            department, worker = self.automation.dispatch(self.session, case, at, self.policy)
        except LookupError:
            department, worker = "", None
        truth = self.truth_department(sim, case)
        wrong = bool(truth) and department != truth
        if wrong and (not department or self.rng(sim).random() < self.behaviour.human_right_department):
            department, worker = truth or "", None
        return {"department": department, **({"worker": worker} if worker else {})}

    def department_desk(self, department: str) -> str | None:
        return self._department_desk.get(department)

    # --- workers for cases without one ----------------------------------------------------------
    def pick_worker(self, sim: SimCase, case: Case, at: datetime) -> str | None:
        """The worker of a case that has none: now by the policy, or at the next batch (optimised)."""
        department = case.department.code if case.department is not None else None
        if department is None or case.lon is None or case.lat is None:
            return None
        if self.policy == "optimised":
            if sim.number not in self._unassigned[department]:
                self._unassigned[department].append(sim.number)
            return None
        return choose_worker(
            self.board, department, (case.lon, case.lat), at, self.policy, case.disposal_due_at
        )

    def _assign_batches(self, at: datetime) -> None:
        for department in sorted(self._unassigned):
            numbers = self._unassigned.pop(department)
            sims = [self.outcome.cases[n] for n in numbers]
            cases = [self.case(s) for s in sims]
            waiting = [
                (s, c)
                for s, c in zip(sims, cases, strict=True)
                if c.state == State.PROCESSING.value and not s.worker
            ]
            if not waiting:
                continue
            if isinstance(self.automation, BatchAssigner):
                found = self.automation.assign_batch(
                    self.session, department, [c for _, c in waiting], at, self.policy
                )
            else:
                jobs = [
                    Job(
                        c.number,
                        c.lon or 0.0,
                        c.lat or 0.0,
                        s.released or at,
                        self.expected_minutes(c),
                        c.disposal_due_at,
                    )
                    for s, c in waiting
                ]
                found = assign_batch(self.board, department, jobs, at)
            for sim, case in sorted(waiting, key=lambda item: (item[0].released or at, item[0].number)):
                worker = found.get(sim.number)
                if worker is None:
                    self._unassigned[department].append(sim.number)
                    continue
                sim.worker = worker
                self.field.enqueue(sim, case, worker, at)

    def expected_minutes(self, case: Case) -> float:
        return self.minutes.get(case.category_code, 20.0)
