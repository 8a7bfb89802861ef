"""Random action sequences never reach a state the table forbids, refusals change nothing, the timeline verifies."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.conftest import OTHER_CITY, LoopCity
from cases.helpers import last_event, local, public_case, snapshot
from cityloop.cases import (
    ACTIONS,
    STATE_TASKS,
    Actor,
    Case,
    State,
    do_create_case,
    do_transition,
    verify_city,
)
from cityloop.cases.workflow import APPROVERS, SATISFACTION, actions_from
from cityloop.core.errors import CityLoopError

EXTRA_ACTORS = ("citizen:1", "citizen:2", "other-city")
ACTION_NAMES = (*sorted(ACTIONS), "teleport")
DATA: dict[str, list[dict[str, Any]]] = {
    "file": [{}, {}, {"urgency": "urgent"}, {"urgency": "soon"}],
    "dispatch": [
        {"department": "CG"},
        {"department": "HW"},
        {"department": "CG", "worker": "cgworker01"},
        {},
    ],
    "request_extension": [
        {"extra": {"amount": 2, "unit": "working_hours"}},
        {"due_at": "2026-10-01T09:00:00+08:00"},
        {"due_at": "2027-03-01T17:00:00+08:00"},
        {},
    ],
    "callback": [{"rating": r} for r in (*SATISFACTION, "不满意", "不满意", "还行")],
}
REASONS = ("理由", "理由", "理由", "理由", None, " ")
#: The actions that move a case on in each state, to let walks get deep into the loop.
FORWARD: dict[State, list[str]] = {
    State.SELF_HANDLED: ["confirm_self_handled", "reject_self_handled"],
    State.PENDING_VERIFY: ["send_verify"],
    State.VERIFYING: ["confirm", "confirm", "not_found"],
    State.REPORTED: ["accept"],
    State.ACCEPTED: ["file"],
    State.FILED: ["dispatch"],
    State.DISPATCHED: ["sign"],
    State.PROCESSING: ["feedback", "request_return", "request_extension", "request_suspension"],
    State.SUSPENDED: ["resume"],
    State.PROCESSED: ["send_check"],
    State.CHECKING: ["check_ok", "check_fail"],
    State.CHECKED_OK: ["close"],
    State.CLOSED: ["callback", "reopen", "reopen"],
    State.VOID: ["accept"],
}


def _actor(loop: LoopCity, who: str) -> Actor:
    if who == "other-city":
        return Actor(
            kind="staff", city_code=OTHER_CITY, roles=frozenset({"operator", "dispatcher"}), name="bj01"
        )
    if who.startswith("citizen:"):
        return Actor.citizen(loop.code, who)
    return loop.actors[who]


def _new_case(loop: LoopCity, kind: str) -> Case:
    if kind == "public":
        return public_case(loop)
    if kind == "hotline":
        return public_case(loop, source="hotline", trusted=True)
    return do_create_case(
        loop.session,
        city_code=loop.code,
        actor=loop.actors["inspector01"],
        source="inspector",
        category_code="09001",
        lon=loop.point[0],
        lat=loop.point[1],
        self_handled=kind == "self",
    )


def _holders(loop: LoopCity, case: Case, action: str) -> list[str]:
    roles = set(ACTIONS[action].roles)
    if ACTIONS[action].needs_pending and case.pending:
        roles = {APPROVERS[case.pending["kind"]]}
    people = [u for u, a in loop.actors.items() if a.roles & roles]
    if ACTIONS[action].own_department and case.department is not None:  # mostly the case's own department
        people += 2 * [u for u in people if loop.actors[u].department_code == case.department.code]
    return people + (["citizen:1"] if "citizen" in roles else [])


def _check_invariants(case: Case) -> None:
    state = State(case.state)
    open_tasks = [t for t in case.tasks if t.status == "open"]
    kinds = Counter(t.kind for t in open_tasks)
    assert all(n == 1 for n in kinds.values()), kinds  # at most one open task of each kind
    allowed = {"approve"} | ({STATE_TASKS[state].kind} if state in STATE_TASKS else set())
    if state == State.SUSPENDED:
        allowed.add("handle")
    assert set(kinds) <= allowed, (state, kinds)
    assert (kinds["approve"] == 1) == (case.pending is not None), (kinds, case.pending)
    if case.pending is not None:
        (approve,) = [t for t in open_tasks if t.kind == "approve"]
        assert approve.role == APPROVERS[case.pending["kind"]]
    if state in (State.PROCESSING, State.SUSPENDED):
        (handle,) = [t for t in open_tasks if t.kind == "handle"]
        assert (handle.paused_at is not None) == (state == State.SUSPENDED)
        assert handle.due_at == case.disposal_due_at
        assert case.department_id is not None and handle.department_id == case.department_id
    if state == State.DISPATCHED:
        assert case.department_id is not None
    if state in (State.FILED, State.ACCEPTED, State.REPORTED):
        assert case.department_id is None and case.disposal_due_at is None
    assert (case.closed_at is not None) == (state == State.CLOSED)


def _walk(loop: LoopCity, data: st.DataObject) -> None:
    loop.clock.set(local(2, 9))
    kinds = data.draw(
        st.lists(st.sampled_from(["inspector", "self", "public", "hotline"]), min_size=1, max_size=2)
    )
    cases = [_new_case(loop, kind) for kind in kinds]
    ids = [c.id for c in cases]
    for _ in range(data.draw(st.integers(5, 40), label="steps")):
        case = data.draw(st.sampled_from(cases))
        loop.clock.advance(minutes=data.draw(st.integers(0, 600)))
        mode = data.draw(st.integers(0, 9))
        if mode:  # mostly a move the table offers, by someone holding the role
            state = State(case.state)
            if case.pending is not None:
                choices = [f"approve_{case.pending['kind']}", "reject_request"]
            elif mode >= 3:
                choices = FORWARD[state]
            else:
                choices = sorted(a.name for a in actions_from(state)) or ["accept"]
            action = data.draw(st.sampled_from(choices))
            who = data.draw(st.sampled_from(_holders(loop, case, action) or ["operator01"]))
        else:
            action = data.draw(st.sampled_from(ACTION_NAMES))
            who = data.draw(st.sampled_from([*loop.actors, *EXTRA_ACTORS]))
        reason = data.draw(st.sampled_from(REASONS))
        payload = data.draw(st.sampled_from(DATA.get(action, [{}])))
        before, previous = snapshot(loop.session, ids), State(case.state)
        try:
            do_transition(
                loop.session,
                city_code=loop.code,
                number=case.number,
                action=action,
                actor=_actor(loop, who),
                reason=reason,
                data=payload,
            )
        except CityLoopError:
            assert snapshot(loop.session, ids) == before, (action, who)
        else:
            expected = ACTIONS[action].target or previous
            assert case.state == expected.value, (action, previous, case.state)
            event = last_event(loop.session, case)
            assert (event.action, event.from_state, event.to_state) == (action, previous.value, case.state)
        _check_invariants(case)
    report = verify_city(loop.session, loop.code)
    assert report.ok, report.breaks
    assert report.events == sum(c.last_event_seq for c in cases)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_action_sequences_respect_the_table(loop: LoopCity, data: st.DataObject) -> None:
    nested = loop.session.begin_nested()
    try:
        _walk(loop, data)
    finally:
        nested.rollback()
        # Rows of this example are gone; so must be their objects, or the next example's new rows
        # (which may reuse the ids on SQLite) would meet stale ones in the identity map.
        loop.session.expunge_all()
