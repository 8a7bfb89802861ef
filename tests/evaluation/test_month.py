"""A hand-built month: every figure recomputed by hand from the story in `month.py`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from cityloop.cases import Case, Task, TimelineEvent
from cityloop.evaluation import evaluate
from evaluation.month import act, build_month
from loopcity import LoopCity

NOV = {"from": "2026-11-01", "to": "2026-11-30"}


def rows(loop: LoopCity, kind: str) -> dict[str, dict[str, Any]]:
    got = evaluate(
        loop.session, loop.code, kinds=[kind], first=NOV["from"], last=NOV["to"], include_cases=True
    )
    return {r["id"]: r for r in got}


def test_people_of_the_centres_are_counted_as_the_story_says(loop: LoopCity) -> None:
    c = {k: v.number for k, v in build_month(loop).items()}
    inspector = rows(loop, "inspector")["inspector01"]
    assert inspector["period"] == NOV
    # Reports A B C D F; valid = filed A B C D; F voided; E and G are true public reports in its zone.
    assert inspector["indicators"] == {
        "reports": 5, "valid_reports": 4, "invalid_reports": 1, "missed_reports": 2,
        "valid_report_rate": 80.0, "missed_report_rate": 33.33,  # 2 / (4 + 2)
        "on_time_verify_rate": 100.0, "on_time_check_rate": 100.0,
        "verify_tasks": 2, "check_tasks": 6,  # E G verified; A B B C E G checked
    }  # fmt: skip
    # (80·40 + (100 − 33.33)·20 + 100·20 + 100·20) / 100
    assert (inspector["composite"], inspector["grade"], inspector["tier"]) == (85.33, "B", "normal")
    assert inspector["cases"] == {
        "valid_report_rate": [c["F"]],
        "missed_report_rate": sorted([c["E"], c["G"]]),
    }

    operator = rows(loop, "operator")["operator01"]
    # accept: A B C D E G; register: E G. 8 in 30 days → band 60.
    assert operator["indicators"] == {
        "accepted": 8,
        "on_time_verify_dispatch_rate": 100.0,
        "on_time_check_dispatch_rate": 100.0,
    }
    assert (operator["scores"]["accepted"], operator["composite"], operator["grade"]) == (60.0, 90.0, "A")
    assert operator["tier"] == "reward"

    leader = rows(loop, "shift_leader")["leader01"]
    assert leader["indicators"] == {
        "filed": 6, "closed": 5, "on_time_file_rate": 83.33,  # C filed two days late
        "accurate_file_rate": 100.0, "on_time_close_rate": 100.0,
    }  # fmt: skip
    assert leader["cases"] == {"on_time_file_rate": [c["C"]]}
    assert (leader["composite"], leader["grade"]) == (95.83, "A")  # 83.33·.25 + 100·.40 + 100·.35

    dispatcher = rows(loop, "dispatcher")["dispatcher01"]
    # A B C(HW) C(CG) D E G; the HW dispatch of C came back; approvals: return, extension, suspension.
    assert dispatcher["indicators"] == {
        "dispatched": 7, "returned_dispatches": 1, "approvals": 3,
        "on_time_dispatch_rate": 100.0, "accurate_dispatch_rate": 85.71,
    }  # fmt: skip
    assert (dispatcher["composite"], dispatcher["grade"], dispatcher["tier"]) == (86.28, "B", "normal")


def test_departments_and_areas_are_counted_as_the_story_says(loop: LoopCity) -> None:
    c = {k: v.number for k, v in build_month(loop).items()}
    departments = rows(loop, "department")
    cg = departments["CG"]
    # Due: A B C E G (D is suspended at the month's end); B late and reworked; C extended.
    want = {
        "dispatched": 6, "due": 5, "on_time": 4, "overdue": 1, "closed": 5, "close_rate": 100.0,
        "on_time_disposal_rate": 80.0, "rework_rate": 20.0, "extension_rate": 20.0,
        "hotline_due": 1, "hotline_response_rate": 100.0, "hotline_resolution_rate": 100.0,
        "hotline_satisfaction_rate": 100.0, "return_requests": 0, "evasions": 0, "evasion_rate": None,
    }  # fmt: skip
    assert {k: v for k, v in cg["indicators"].items() if k != "avg_handling_hours"} == want
    assert cg["scores"] == {
        "dispatched": 60.0,
        "close_rate": 100.0,
        "on_time_disposal_rate": 80.0,
        "rework_rate": 80.0,
    }
    assert (cg["composite"], cg["grade"]) == (84.0, "B")  # (60·10 + 100·30 + 80·30 + 80·30) / 100
    assert cg["cases"]["on_time_disposal_rate"] == [c["B"]] and cg["cases"]["rework_rate"] == [c["B"]]
    assert cg["cases"]["extension_rate"] == [c["C"]]
    hw = departments["HW"]["indicators"]
    assert (hw["dispatched"], hw["due"], hw["return_requests"], hw["evasions"], hw["evasion_rate"]) == (
        1,
        0,
        2,
        1,
        50.0,
    )
    assert departments["HW"]["cases"] == {"evasions": [c["C"]]}

    street = next(iter(rows(loop, "street").values()))["indicators"]
    assert (street["reports"], street["public_reports"], street["public_report_rate"]) == (7, 2, 28.57)
    assert (street["filed"], street["due"], street["closed"], street["on_time_close_rate"]) == (6, 5, 5, 80.0)


def test_the_figures_recomputed_from_the_raw_timeline_and_tasks_agree(loop: LoopCity) -> None:
    """An independent count straight from the rows, for CG and the dispatcher."""
    build_month(loop)
    s = loop.session
    events = s.scalars(select(TimelineEvent).where(TimelineEvent.city_id == loop.code)).all()
    dispatched_cg = sum(1 for e in events if e.action == "dispatch" and e.data.get("department") == "CG")
    by_dispatcher = sum(1 for e in events if e.action == "dispatch" and e.actor_name == "dispatcher01")
    suspended = {c.id for c in s.scalars(select(Case).where(Case.state == "SUSPENDED"))}
    # Only CG ever signed (HW's dispatch came back unsigned), so every live handle task is CG's.
    handle = [
        t for t in s.scalars(select(Task).where(Task.kind == "handle", Task.status != "cancelled"))
        if t.case_id not in suspended
    ]  # fmt: skip
    per_case: dict[int, list[Task]] = {}
    for task in handle:
        per_case.setdefault(task.case_id, []).append(task)
    on_time = sum(1 for tasks in per_case.values() if all(t.on_time for t in tasks))
    reworked = len({e.case_id for e in events if e.action == "check_fail"})
    got = rows(loop, "department")["CG"]["indicators"]
    assert (got["dispatched"], got["due"], got["on_time"], got["rework_rate"]) == (
        dispatched_cg,
        len(per_case),
        on_time,
        round(100 * reworked / len(per_case), 2),
    )
    assert rows(loop, "dispatcher")["dispatcher01"]["indicators"]["dispatched"] == by_dispatcher


def test_a_suspended_case_leaves_the_denominators_until_it_is_resumed(loop: LoopCity) -> None:
    d = build_month(loop)["D"]
    before = rows(loop, "department")["CG"]["indicators"]
    assert (before["due"], before["on_time"]) == (5, 4)
    act(loop, d, "resume", "dispatcher01")
    act(loop, d, "feedback", "cgworker01")  # 5 minutes after resuming: in time
    after = rows(loop, "department")["CG"]["indicators"]
    assert (after["due"], after["on_time"], after["on_time_disposal_rate"]) == (6, 5, 83.33)


def test_a_period_without_the_month_counts_nothing_and_grades_nobody(loop: LoopCity) -> None:
    build_month(loop)
    got = evaluate(
        loop.session, loop.code, kinds=["department", "inspector"], first="2026-10-01", last="2026-10-31"
    )
    cg = next(r for r in got if r["id"] == "CG")
    assert (cg["indicators"]["dispatched"], cg["indicators"]["due"], cg["composite"], cg["grade"]) == (
        0,
        0,
        None,
        None,
    )
    inspector = next(r for r in got if r["id"] == "inspector01")
    assert (inspector["indicators"]["reports"], inspector["composite"], inspector["grade"]) == (0, None, None)
