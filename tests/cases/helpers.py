"""Helpers for the workflow tests: act on a case, walk it to a state, snapshot what a refusal must not change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.conftest import LoopCity
from cityloop.cases import Case, ChainHead, Task, TimelineEvent, do_create_case, do_transition
from cityloop.core.clock import utc

SHANGHAI = ZoneInfo("Asia/Shanghai")

#: The happy path from REPORTED, as (action, actor, data, the state it leads to).
PATH: list[tuple[str, str, dict[str, Any], str]] = [
    ("accept", "operator01", {}, "ACCEPTED"),
    ("file", "leader01", {}, "FILED"),
    ("dispatch", "dispatcher01", {"department": "CG"}, "DISPATCHED"),
    ("sign", "cg01", {}, "PROCESSING"),
    ("feedback", "cgworker01", {}, "PROCESSED"),
    ("send_check", "operator01", {}, "CHECKING"),
    ("check_ok", "inspector01", {}, "CHECKED_OK"),
    ("close", "leader01", {}, "CLOSED"),
]


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant of November 2026 given in Shanghai wall-clock time, as aware UTC."""
    return utc(datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI))


def act(
    loop: LoopCity,
    case: Case,
    action: str,
    who: str,
    *,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
    evidence: Sequence[str] = (),
    minutes: float = 5,
) -> Case:
    """Move the clock `minutes` on, then let `who` take `action` on `case`."""
    loop.clock.advance(minutes=minutes)
    return do_transition(
        loop.session,
        city_code=loop.code,
        number=case.number,
        action=action,
        actor=loop.actors[who],
        reason=reason,
        data=data,
        evidence=evidence,
    )


def drive(loop: LoopCity, case: Case, state: str, *, minutes: float = 5) -> Case:
    """Walk a REPORTED case along the happy path until it is in `state` (5 minutes a step)."""
    for action, who, data, reached in PATH:
        if case.state == state:
            break
        act(loop, case, action, who, data=data, minutes=minutes)
        assert case.state == reached
    assert case.state == state
    return case


def public_case(loop: LoopCity, **kwargs: Any) -> Case:
    """A citizen report registered by operator01 for citizen:1, PENDING_VERIFY."""
    options: dict[str, Any] = {
        "source": "citizen",
        "category_code": "09001",
        "lon": loop.point[0],
        "lat": loop.point[1],
        "reporter_ref": "citizen:1",
        "description": "有人占道经营",
    }
    options.update(kwargs)
    return do_create_case(loop.session, city_code=loop.code, actor=loop.actors["operator01"], **options)


def verified_public_case(loop: LoopCity) -> Case:
    """A public case sent for verification and confirmed on site: REPORTED."""
    case = public_case(loop)
    act(loop, case, "send_verify", "operator01")
    act(loop, case, "confirm", "inspector01")
    return case


def task_rows(case: Case) -> list[tuple[str, str, str, bool | None]]:
    """(kind, role, status, on_time) of every task of the case, oldest first."""
    return [(t.kind, t.role, t.status, t.on_time) for t in case.tasks]


def open_task(case: Case, kind: str) -> Task:
    (task,) = [t for t in case.tasks if t.kind == kind and t.status == "open"]
    return task


def events(session: Session, case: Case) -> list[TimelineEvent]:
    return list(
        session.scalars(
            select(TimelineEvent).where(TimelineEvent.case_id == case.id).order_by(TimelineEvent.seq)
        )
    )


def last_event(session: Session, case: Case) -> TimelineEvent:
    return events(session, case)[-1]


def event_summary(event: TimelineEvent) -> dict[str, Any]:
    """What an event says: action, states, who in which role, reason and data."""
    return {
        "action": event.action,
        "from": event.from_state,
        "to": event.to_state,
        "actor": (event.actor_kind, event.actor_name, event.actor_role),
        "reason": event.reason,
        "data": event.data,
    }


def snapshot(session: Session, case_ids: Sequence[int]) -> dict[str, Any]:
    """Every column of the cases and their tasks, their events and the city heads, as stored."""
    session.flush()  # anything a refused action changed in memory would show up here
    cases_t, tasks_t, events_t = Case.__table__, Task.__table__, TimelineEvent.__table__
    return {
        "cases": [
            dict(r)
            for r in session.execute(
                select(cases_t).where(cases_t.c.id.in_(case_ids)).order_by(cases_t.c.id)
            ).mappings()
        ],
        "tasks": [
            dict(r)
            for r in session.execute(
                select(tasks_t).where(tasks_t.c.case_id.in_(case_ids)).order_by(tasks_t.c.id)
            ).mappings()
        ],
        "events": [
            tuple(r)
            for r in session.execute(
                select(events_t.c.case_id, events_t.c.seq, events_t.c.city_seq, events_t.c.hash)
                .where(events_t.c.case_id.in_(case_ids))
                .order_by(events_t.c.city_seq)
            )
        ],
        "heads": [
            tuple(r) for r in session.execute(select(ChainHead.city_id, ChainHead.count, ChainHead.head_hash))
        ],
    }
