"""Work outside the centre: inspectors verifying and checking on site, departments signing for
cases (or asking to return them), field workers travelling, handling and feeding back."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from cityloop.cases import Case, State
from cityloop.sim.engine.board import Inspector, Job, Visit
from cityloop.sim.engine.model import Event, SimCase

if TYPE_CHECKING:
    from cityloop.sim.engine.runner import Engine

#: An inspector whose own next free moment is further away than this hands over to a colleague.
INSPECTOR_HANDOVER = timedelta(hours=1)


class FieldWork:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._wakes: dict[str, datetime] = {}

    # --- inspectors ------------------------------------------------------------------------------
    def _inspector(self, case: Case, at: datetime) -> Inspector:
        """The grid's patrol inspector, or the one who can be there first when that one is away."""
        board = self.engine.board
        where = (case.lon or 0.0, case.lat or 0.0)

        def arrival(inspector: Inspector) -> datetime:
            start = board.next_patrol(max(at, inspector.free_at or at))
            return start + timedelta(minutes=board.travel.minutes(board.travel.km(inspector.pos, where)))

        own = board.inspectors.get(self.engine.city.inspector_of_grid.get(case.grid_code or "", ""))
        if own is not None and board.next_patrol(max(at, own.free_at or at)) <= at + INSPECTOR_HANDOVER:
            return own
        return min(board.inspectors.values(), key=lambda i: (arrival(i), i.username))

    def inspect(self, sim: SimCase, case: Case, at: datetime) -> None:
        """Verify (核实) or check (核查) on site: go there, look, report the outcome."""
        engine, board, behaviour = self.engine, self.engine.board, self.engine.behaviour
        rng = engine.rng(sim)
        inspector = self._inspector(case, at)
        where = (case.lon or 0.0, case.lat or 0.0)
        start = board.next_patrol(max(at, inspector.free_at or at))
        km = board.travel.km(inspector.pos, where)
        verifying = case.state == State.VERIFYING.value
        on_site = behaviour.draw(rng, behaviour.verify_minutes if verifying else behaviour.check_minutes)
        minutes = board.travel.minutes(km) + on_site
        done = start + timedelta(minutes=minutes)
        inspector.free_at, inspector.pos = done, where
        inspector.travel_km += km
        inspector.busy_s += minutes * 60
        if verifying:
            found = rng.random() >= behaviour.not_found_share
            action, reason = ("confirm", None) if found else ("not_found", "现场核实未发现该问题")
        else:
            fixed = rng.random() >= behaviour.rework_share
            action, reason = ("check_ok", None) if fixed else ("check_fail", "现场核查未处置到位，需返工")
        engine.push(done, Event("act", sim.number, sim.token, action, inspector.username, reason))

    # --- departments -----------------------------------------------------------------------------
    def sign(self, sim: SimCase, case: Case, at: datetime) -> None:
        """The department signs for the case, or asks to return it when it is not theirs."""
        engine, board, behaviour = self.engine, self.engine.board, self.engine.behaviour
        rng = engine.rng(sim)
        department = case.department.code if case.department is not None else ""
        worker = engine.username_of(case.worker_id) or sim.worker
        sim.worker = worker
        truth = engine.truth_department(sim, case)
        delay = timedelta(minutes=behaviour.draw(rng, behaviour.sign_minutes))
        desk = engine.department_desk(department)
        if truth and truth != department and sim.returns < behaviour.max_returns and desk:
            sim.returns += 1
            reason = f"非本部门职责，应由 {truth} 处置"
            engine.push(at + delay, Event("act", sim.number, sim.token, "request_return", desk, reason))
            return
        signer = worker or desk
        if signer is None:
            engine.outcome.errors["sign: no worker and no desk"] += 1
            return
        when = at
        if worker is not None and worker in board.workers:
            when = board.next_start(board.workers[worker], at) or at
        engine.push(when + delay, Event("act", sim.number, sim.token, "sign", signer))

    # --- field workers ---------------------------------------------------------------------------
    def queue(self, sim: SimCase, case: Case, at: datetime) -> None:
        """The case is to be handled (again): give it to its worker, or find one."""
        engine, board = self.engine, self.engine.board
        sim.released = at
        department = case.department.code if case.department is not None else None
        if engine.policy == "optimised":
            # Every job, rework and reopened ones too, waits for the next batch, so that each worker
            # serves jobs in the order they became ready (what makes the hindsight figure a lower bound).
            sim.worker = None
            engine.pick_worker(sim, case, at)
            return
        worker = sim.worker or engine.username_of(case.worker_id)
        if worker is None or worker not in board.workers or board.workers[worker].department != department:
            worker = engine.pick_worker(sim, case, at)
            if worker is None:
                return
        sim.worker = worker
        self.enqueue(sim, case, worker, at)

    def enqueue(self, sim: SimCase, case: Case, worker: str, at: datetime) -> None:
        job = Job(
            sim.number, case.lon or 0.0, case.lat or 0.0, sim.released or at,
            self.engine.expected_minutes(case), case.disposal_due_at,
        )  # fmt: skip
        self.engine.board.workers[worker].queue.append(job)
        self.try_start(worker, at)

    def try_start(self, username: str, at: datetime) -> None:
        """Start the next job of an idle worker on shift (the first of a shift leaves from home)."""
        engine, board = self.engine, self.engine.board
        worker = board.workers[username]
        while worker.current is None and worker.queue:
            start = board.next_start(worker, at)
            if start is None:
                return
            if start > at:
                if self._wakes.get(username) != start:
                    self._wakes[username] = start
                    engine.push(start, Event("wake", actor=username))
                return
            shift = board.shift_at(worker, at)
            if shift is not None and worker.shift_started != shift[0]:
                worker.pos, worker.shift_started = worker.home, shift[0]
            job = worker.queue.popleft()
            sim = engine.outcome.cases[job.number]
            if engine.case(sim).state != State.PROCESSING.value:
                continue
            rng = engine.rng(sim)
            km = board.travel.km(worker.pos, (job.lon, job.lat))
            on_site = engine.behaviour.draw(rng, engine.minutes.get(sim.arrival.code, 20.0))
            minutes = board.travel.minutes(km) + on_site
            worker.current, worker.free_at = job, at + timedelta(minutes=minutes)
            worker.busy_s += minutes * 60
            board.visits.append(
                Visit(
                    worker.department, username, job.number, job.released, job.lon, job.lat, km, at, minutes
                )
            )
            engine.push(worker.free_at, Event("work_done", job.number, sim.token, actor=username))

    def work_done(self, event: Event, at: datetime) -> None:
        """The worker has fixed it: feed back, move on to the next job."""
        engine = self.engine
        worker = engine.board.workers[event.actor]
        job, worker.current = worker.current, None
        if job is not None:
            worker.pos = (job.lon, job.lat)
            engine.hooks.on_move(engine.session, worker.username, job.lon, job.lat, at)
        sim = engine.outcome.cases[event.number]
        if event.token == sim.token and engine.case(sim).state == State.PROCESSING.value:
            engine.transition(sim, "feedback", worker.username, at)
        self.try_start(worker.username, at)
