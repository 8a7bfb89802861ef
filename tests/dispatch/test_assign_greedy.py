"""Greedy assignment: the three policies, exclusions from history, reasons, ties and fairness."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

import pytest

from cityloop.dispatch.assignment import (
    AssignmentParams,
    QueuedTask,
    TaskRequest,
    UnknownPolicy,
    WorkerState,
    assign,
    greedy_assign,
    greedy_sequence,
)

AT = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
#: The cost weights these cases were built around (time to finish, lateness, fairness; travel
#: counted once): the behaviour of each term is tested with them, whatever the defaults are.
P = AssignmentParams(travel_weight=0.0, fairness_minutes=5.0)
UNTIL = AT + timedelta(hours=8)
KM_LAT = 0.0089932  # one kilometre of latitude, in degrees


def north(km: float) -> float:
    return 30.0 + km * KM_LAT


def worker(staff_id: int, username: str, km: float, **kwargs: object) -> WorkerState:
    values: dict[str, object] = {"on_shift_until": UNTIL}
    values.update(kwargs)
    return WorkerState(staff_id, username, "CG", 120.0, north(km), **values)  # type: ignore[arg-type]


def task(task_id: int = 10, km: float = 0.0, **kwargs: object) -> TaskRequest:
    return TaskRequest(task_id, task_id * 10, f"T{task_id}", 120.0, north(km), "09001", **kwargs)  # type: ignore[arg-type]


# near: 0.5 km away but an hour of work queued; light: 6 km away, nothing to do; middle: 1.5 km, 2 done today.
NEAR = worker(
    1, "near", 0.5, queue=(QueuedTask(1, 120.0, north(0.5), 30.0), QueuedTask(2, 120.0, north(0.5), 30.0))
)
LIGHT = worker(2, "light", 6.0)
MIDDLE = worker(3, "middle", 1.5, done_today=2)
CREW = [NEAR, LIGHT, MIDDLE]


def test_each_policy_ranks_by_what_it_says() -> None:
    nearest = greedy_assign(task(), CREW, AT, P, policy="nearest")
    least = greedy_assign(task(), CREW, AT, P, policy="least-loaded")
    optimised = greedy_assign(task(), CREW, AT, P)
    assert (nearest.username, least.username, optimised.username) == ("near", "light", "middle")
    assert {nearest.method, least.method, optimised.method} == {"greedy"}
    assert nearest.reason.startswith("near is the nearest of 3 workers able to take it: 0.50 km away;")
    assert least.reason.startswith("light has the lightest load of 3 workers able to take it: 0 task(s)")
    assert optimised.reason.startswith("middle has the lowest cost (37.8) of 3 workers able to take it;")
    assert (
        "expected to finish in 28 min (travel 1.9 km ≈ 8 min, handling 20 min), no due time"
        in optimised.reason
    )


def test_runners_up_say_why_they_lost() -> None:
    optimised = greedy_assign(task(), CREW, AT, P)
    assert [(a.cost.username, a.why) for a in optimised.alternatives] == [
        ("light", "cost +13.4: 5.8 km farther"),
        ("near", "cost +54.8: busy 60 min longer"),
    ]
    nearest = greedy_assign(task(), CREW, AT, P, policy="nearest")
    assert [a.why for a in nearest.alternatives] == ["1.00 km farther (1.50 km)", "5.50 km farther (6.00 km)"]
    least = greedy_assign(task(), CREW, AT, P, policy="least-loaded")
    assert [a.why for a in least.alternatives] == ["more load: 2 task(s) vs 0", "more load: 2 task(s) vs 0"]


def test_the_due_is_named_in_the_reason() -> None:
    early = greedy_assign(task(due_at=AT + timedelta(minutes=60)), CREW, AT, P)
    assert early.reason.endswith("32 min before the due")
    late = greedy_assign(task(due_at=AT + timedelta(minutes=10)), CREW, AT, P)
    assert late.username == "middle"
    assert late.reason.endswith("18 min after the due")


def test_off_shift_and_unskilled_workers_are_listed_with_their_reasons() -> None:
    crew = [
        worker(1, "asleep", 0.1, on_shift_until=None),
        worker(2, "gardener", 0.2, skills=frozenset({"greening"})),
        worker(3, "roadman", 3.0, skills=frozenset({"road"})),
    ]
    decision = greedy_assign(task(skill="road"), crew, AT, P)
    assert decision.username == "roadman"
    assert [(i.username, i.code) for i in decision.infeasible] == [
        ("asleep", "off_shift"),
        ("gardener", "lacks_skill"),
    ]
    assert "of 1 worker able to take it (1 without the skill, 1 off shift)" in decision.reason


def test_nobody_able_gives_no_worker_and_says_why() -> None:
    decision = greedy_assign(task(), [worker(1, "asleep", 0.1, on_shift_until=None)], AT, P)
    assert decision.worker is None and decision.cost is None
    assert decision.reason == "no worker can take it: asleep is not on shift"
    empty = greedy_assign(task(), [], AT, P)
    assert empty.worker is None and empty.reason == "no field worker of the department is known"


def test_a_worker_who_returned_the_case_is_passed_over_while_others_can() -> None:
    returned = task(
        excluded=MappingProxyType({3: "they returned this case on 2026-11-01 02:00 UTC: 不归我管"})
    )
    decision = greedy_assign(returned, CREW, AT, P)
    assert decision.username == "light"
    assert not decision.despite_exclusion
    assert [(i.username, i.code, i.reason) for i in decision.infeasible] == [
        ("middle", "excluded", "they returned this case on 2026-11-01 02:00 UTC: 不归我管")
    ]


def test_a_worker_who_returned_the_case_gets_it_when_nobody_else_can() -> None:
    crew = [worker(1, "asleep", 0.1, on_shift_until=None), MIDDLE]
    returned = task(excluded=MappingProxyType({3: "their fix failed the check on 2026-11-01 02:00 UTC"}))
    decision = greedy_assign(returned, crew, AT, P)
    assert decision.username == "middle"
    assert decision.despite_exclusion
    assert decision.reason.split("; ")[-1] == (
        "chosen although their fix failed the check on 2026-11-01 02:00 UTC, because nobody else can take it"
    )
    assert [i.code for i in decision.infeasible] == ["off_shift"]


def test_decisions_do_not_depend_on_the_order_of_workers_and_ties_go_by_username() -> None:
    twins = [worker(9, "bravo", 1.0), worker(4, "alpha", 1.0), worker(7, "charlie", 1.0)]
    expected = greedy_assign(task(), twins, AT, P)
    assert expected.username == "alpha"
    assert expected.alternatives[0].why == "cost +0.0: equal cost; ties go by username"
    rng = random.Random(5)
    for _ in range(10):
        shuffled = list(twins)
        rng.shuffle(shuffled)
        again = greedy_assign(task(), shuffled, AT, P)
        assert (again.username, again.reason, again.alternatives) == (
            expected.username,
            expected.reason,
            expected.alternatives,
        )


def test_fairness_prefers_the_less_loaded_of_two_equal_workers() -> None:
    busy, fresh = worker(1, "a-busy", 1.0, done_today=5), worker(2, "b-fresh", 1.0, done_today=1)
    decision = greedy_assign(task(), [busy, fresh], AT, P)
    assert decision.username == "b-fresh"
    assert decision.alternatives[0].why == "cost +20.0: more load (5 vs 1 tasks)"


def test_a_sequence_spreads_tasks_and_sees_the_queues_it_builds() -> None:
    twins = [worker(1, "a", 0.0), worker(2, "b", 0.0)]
    tasks = [task(i, km=0.2 * i) for i in range(1, 5)]
    assignments, after = greedy_sequence(tasks, twins, AT, P)
    assert [a.username for a in assignments] == ["a", "b", "a", "b"]
    assert [len(w.queue) for w in after] == [2, 2]
    assert [q.task_id for q in after[0].queue] == [1, 3]
    # The third task waits for the first: its cost includes the queue the sequence made.
    assert assignments[2].cost is not None and assignments[2].cost.wait_minutes > 20


def test_urgent_tasks_are_decided_first_in_a_sequence() -> None:
    one = [worker(1, "solo", 0.0)]
    tasks = [task(1, km=0.1), task(2, km=0.2, urgency="urgent")]
    assignments, _ = greedy_sequence(tasks, one, AT, P)
    first, second = (a.cost for a in assignments)
    assert first is not None and second is not None
    assert second.wait_minutes == 0.0 and first.wait_minutes > 20  # the urgent one went first


def test_assign_runs_the_named_policy_and_refuses_unknown_ones() -> None:
    tasks = [task(1), task(2, km=0.5)]
    assert [a.username for a in assign(tasks, CREW, AT, P, policy="nearest")] == ["near", "near"]
    assert [a.policy for a in assign(tasks, CREW, AT, P, policy="least-loaded")] == ["least-loaded"] * 2
    assert [a.method for a in assign(tasks[:1], CREW, AT, P)] == ["greedy"]
    with pytest.raises(UnknownPolicy) as raised:
        assign(tasks, CREW, AT, P, policy="random")
    assert raised.value.code == "dispatch.assignment.unknown_policy"
    assert raised.value.details["known"] == ["nearest", "least-loaded", "optimised"]


def test_assignment_as_dict_carries_the_decision() -> None:
    data = greedy_assign(task(), CREW, AT, P).as_dict()
    assert data["task"] == "T10" and data["worker"] == "middle" and data["policy"] == "optimised"
    assert data["cost"]["worker"] == "middle"
    assert [a["worker"] for a in data["alternatives"]] == ["light", "near"]
