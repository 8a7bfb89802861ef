"""The deadline sweep: exactly the overdue running tasks are marked, escalated and recorded once."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import STATE_TASKS, Case, Task, TimelineEvent, do_transition, verify_city
from cityloop.cases.workflow import APPROVE_STEP
from cityloop.core.clock import FrozenClock
from cityloop.db.session import create_engine_for
from cityloop.flows.sweep import ESCALATION, do_sweep, escalation_for
from cityloop.flows.sweeper import Sweeper
from flows.test_audit_cli import build_loop_database
from loopcity import LoopCity

CITY = "330100"


def act(
    loop: LoopCity,
    case: Case,
    action: str,
    who: str,
    *,
    data: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    do_transition(
        loop.session,
        city_code=CITY,
        number=case.number,
        action=action,
        actor=loop.actors[who],
        data=data,
        reason=reason,
    )


def open_task(case: Case, kind: str) -> Task:
    (task,) = [t for t in case.tasks if t.status == "open" and t.kind == kind]
    return task


def overdue_events(session: Session, case: Case) -> list[TimelineEvent]:
    stmt = select(TimelineEvent).where(TimelineEvent.case_id == case.id, TimelineEvent.action == "overdue")
    return list(session.scalars(stmt.order_by(TimelineEvent.seq)))


def test_every_task_kind_has_a_supervisor() -> None:
    kinds = {step.kind for step in STATE_TASKS.values()} | {APPROVE_STEP.kind}
    assert set(ESCALATION) == kinds
    assert escalation_for("sign") == escalation_for("handle") == "dispatcher"
    assert escalation_for("check") == escalation_for("callback") == "shift_leader"
    assert escalation_for("dispatch") == escalation_for("approve") == "leader"
    assert escalation_for("something new") == "leader"


def test_sweep_marks_exactly_the_overdue_tasks(loop: LoopCity) -> None:
    s = loop.session
    waiting = loop.report()  # 09:00, accept due in 30 working minutes
    loop.clock.advance(minutes=10)
    accepted = loop.report()
    act(loop, accepted, "accept", "operator01")  # 09:10, file due 09:40
    suspended = loop.report()
    for action, who, data in [
        ("accept", "operator01", None),
        ("file", "leader01", None),
        ("dispatch", "dispatcher01", {"department": "CG"}),
        ("sign", "cg01", None),
    ]:
        act(loop, suspended, action, who, data=data)
    act(loop, suspended, "request_suspension", "cg01", reason="等待施工许可")
    act(loop, suspended, "approve_suspension", "dispatcher01")
    dispatched = loop.report()
    for action, who, data in [
        ("accept", "operator01", None),
        ("file", "leader01", None),
        ("dispatch", "dispatcher01", {"department": "CG"}),
    ]:
        act(loop, dispatched, action, who, data=data)
    assert open_task(waiting, "accept").due_at == datetime(2026, 11, 2, 1, 30, tzinfo=UTC)
    assert open_task(accepted, "file").due_at == datetime(2026, 11, 2, 1, 40, tzinfo=UTC)
    assert open_task(suspended, "handle").paused_at is not None
    events_before = verify_city(s, CITY).events

    # 09:35: only the accept task of the first case is past its due.
    now = loop.clock.advance(minutes=25)
    assert now == datetime(2026, 11, 2, 1, 35, tzinfo=UTC)
    result = do_sweep(s, city_code=CITY, now=now)
    assert (result.marked, result.total, result.cases) == ({"accept": 1}, 1, 1)
    task = open_task(waiting, "accept")
    assert (task.overdue_at, task.escalated_to, task.status) == (now, "shift_leader", "open")
    assert open_task(accepted, "file").overdue_at is None
    (event,) = overdue_events(s, waiting)
    assert (event.seq, event.action, event.from_state, event.to_state) == (
        2,
        "overdue",
        "REPORTED",
        "REPORTED",
    )
    assert (event.actor_kind, event.actor_name, event.rule, event.at) == (
        "system",
        "cityloop",
        "deadline sweep",
        now,
    )
    assert event.data == {
        "task": "accept",
        "due_at": "2026-11-02T01:30:00+00:00",
        "escalated_to": "shift_leader",
    }
    assert waiting.state == "REPORTED" and waiting.last_event_seq == 2

    # Idempotent: a second sweep at the same time marks nothing and records nothing.
    again = do_sweep(s, city_code=CITY, now=now)
    assert (again.marked, again.total, again.cases) == ({}, 0, 0)
    assert verify_city(s, CITY).events == events_before + 1

    # Three days later: the file and sign tasks are overdue; the suspended case's paused
    # handle task is not, and the accept task already marked is not marked again.
    later = loop.clock.advance(timedelta(days=3))
    result = do_sweep(s, city_code=CITY, now=later)
    assert result.to_dict() == {
        "city": CITY,
        "at": later.isoformat(),
        "marked": {"file": 1, "sign": 1},
        "total": 2,
        "cases": 2,
    }
    assert (open_task(accepted, "file").escalated_to, open_task(dispatched, "sign").escalated_to) == (
        "leader",
        "dispatcher",
    )
    assert open_task(waiting, "accept").overdue_at == now
    handle = open_task(suspended, "handle")
    assert (handle.overdue_at, handle.escalated_to) == (None, None)
    assert overdue_events(s, suspended) == []
    assert [e.data["task"] for e in overdue_events(s, dispatched)] == ["sign"]
    assert overdue_events(s, dispatched)[0].from_state == "DISPATCHED"
    report = verify_city(s, CITY)
    assert report.ok and report.events == events_before + 3
    assert do_sweep(s, city_code=CITY, now=later).total == 0


def test_a_resumed_task_is_swept_once_its_due_passes(loop: LoopCity) -> None:
    case = loop.report()
    for action, who, data in [
        ("accept", "operator01", None),
        ("file", "leader01", None),
        ("dispatch", "dispatcher01", {"department": "CG"}),
        ("sign", "cg01", None),
    ]:
        act(loop, case, action, who, data=data)
    act(loop, case, "request_suspension", "cg01", reason="等待施工许可")
    act(loop, case, "approve_suspension", "dispatcher01")
    loop.clock.advance(timedelta(days=10))
    assert do_sweep(loop.session, city_code=CITY, now=loop.clock.now()).total == 0
    act(loop, case, "resume", "dispatcher01")
    handle = open_task(case, "handle")
    assert handle.paused_at is None and handle.due_at is not None
    assert do_sweep(loop.session, city_code=CITY, now=handle.due_at).total == 0  # due, not yet past
    result = do_sweep(loop.session, city_code=CITY, now=handle.due_at + timedelta(seconds=1))
    assert result.marked == {"handle": 1} and handle.escalated_to == "dispatcher"
    assert [e.from_state for e in overdue_events(loop.session, case)] == ["PROCESSING"]
    assert verify_city(loop.session, CITY).ok


def test_the_sweeper_thread_sweeps_and_stops(fresh_db_url: str, clock: FrozenClock) -> None:
    number = build_loop_database(fresh_db_url)
    clock.advance(hours=2)  # the accept task (due 09:30) is overdue
    engine = create_engine_for(fresh_db_url)
    sweeper = Sweeper(engine, interval=0.05)
    try:
        sweeper.start()
        assert sweeper.running
        deadline = time.monotonic() + 10
        while sweeper.runs < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert sweeper.runs >= 2
    finally:
        sweeper.stop()
    assert not sweeper.running
    runs = sweeper.runs
    time.sleep(0.15)
    assert sweeper.runs == runs  # stopped for good
    with Session(engine) as session:
        case = session.scalars(select(Case).where(Case.number == number)).one()
        (task,) = [t for t in case.tasks if t.kind == "accept"]
        assert (task.overdue_at, task.escalated_to) == (clock.now(), "shift_leader")
        assert [e.action for e in session.scalars(select(TimelineEvent).order_by(TimelineEvent.seq))] == [
            "report",
            "overdue",
        ]
        assert verify_city(session, CITY).ok
    engine.dispose()


def test_the_sweep_interval_must_be_positive(fresh_db_url: str) -> None:
    engine = create_engine_for(fresh_db_url)
    with pytest.raises(ValueError, match="the sweep interval must be positive, got 0"):
        Sweeper(engine, interval=0)
    engine.dispose()
