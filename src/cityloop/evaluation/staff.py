"""Indicators of the people of the two centres: inspectors, operators, shift leaders, dispatchers.

P is the period (local days, a half-open UTC interval), `end` its end. "A task settles in P"
(see `facts.settled_task`): done in P (on time as recorded against its due), or still not done
at `end` with its due inside P (late). A done task counts for the staff who did it
(`done_by_id`), a late open task for its assignee. Actions of the system have no staff actor
and count for nobody.

| kind | indicator | numerator | denominator | from |
|---|---|---|---|---|
| inspector | reports (上报数) | `report`/`self_handle` events by i in P | — | events |
| inspector | valid_report_rate (有效上报率) | those cases with a `file` or `confirm_self_handled` event before `end` | those cases decided before `end` (valid, or reaching VOID) | events |
| inspector | missed_report_rate (漏报率) | public-source cases created in P in a grid of i's patrol zone and found true (`confirm` or `file` before `end`) | valid reports + missed | events, patrol zones |
| inspector | on_time_verify_rate (按时核实率) | `verify` tasks settled in P on time | `verify` tasks settled in P | tasks |
| inspector | on_time_check_rate (按时核查率) | `check` tasks on time | `check` tasks settled in P | tasks |
| operator | accepted (受理数, band) | `accept` and `register` events by o in P | — | events |
| operator | on_time_verify_dispatch_rate (核实按时派发率) | `verify_dispatch` tasks on time | `verify_dispatch` tasks settled in P | tasks |
| operator | on_time_check_dispatch_rate (核查按时派发率) | `check_dispatch` tasks on time | `check_dispatch` tasks settled in P | tasks |
| shift_leader | filed (立案数), closed (结案数) | `file` / `close` events by s in P | — | events |
| shift_leader | on_time_file_rate (按时立案率) | `file` tasks on time | `file` tasks settled in P | tasks |
| shift_leader | accurate_file_rate (准确立案率) | filed − those reaching VOID after filing, before `end` | filed | events |
| shift_leader | on_time_close_rate (按时结案率) | `close` tasks on time | `close` tasks settled in P | tasks |
| dispatcher | dispatched (派遣数, band), approvals | `dispatch` / `approve_*` events by d in P | — | events |
| dispatcher | on_time_dispatch_rate (按时派遣率) | `dispatch` tasks on time | `dispatch` tasks settled in P | tasks |
| dispatcher | accurate_dispatch_rate (准确派遣率) | dispatched − dispatches followed by `approve_return` (before the next dispatch and `end`) | dispatched | events |

Open tasks without an assignee (e.g. a verify_dispatch nobody took) count for nobody.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from cityloop.evaluation.facts import CaseFacts, settled_task
from cityloop.evaluation.period import Period
from cityloop.evaluation.tally import Tally, rate

STAFF_KINDS = ("inspector", "operator", "shift_leader", "dispatcher")

#: Task kind → (staff kind, indicator).
TASK_INDICATORS = {
    "verify": "on_time_verify_rate",
    "check": "on_time_check_rate",
    "verify_dispatch": "on_time_verify_dispatch_rate",
    "check_dispatch": "on_time_check_dispatch_rate",
    "file": "on_time_file_rate",
    "close": "on_time_close_rate",
    "dispatch": "on_time_dispatch_rate",
}
VALID = ("file", "confirm_self_handled")


def collect_staff(
    facts: Iterable[CaseFacts], period: Period, zone_of_grid: dict[str, list[int]], public: set[str]
) -> Tally:
    """Count every staff figure of `period` in one pass over the cases (keys are staff ids as text)."""
    tally = Tally()
    for case in facts:
        _tasks(tally, case, period)
        _events(tally, case, period)
        _missed(tally, case, period, zone_of_grid, public)
    return tally


def _tasks(tally: Tally, case: CaseFacts, period: Period) -> None:
    for task in case.tasks:
        indicator = TASK_INDICATORS.get(task.kind)
        if indicator is None:
            continue
        on_time = settled_task(task, period)
        if on_time is None:
            continue
        who = task.done_by_id if task.status == "done" and period.contains(task.done_at) else task.assignee_id
        if who is None:
            continue
        key = str(who)
        tally.add(key, f"task.{task.kind}.due")
        if on_time:
            tally.add(key, f"task.{task.kind}.on_time")
        else:
            tally.blame(key, indicator, case.number)


def _events(tally: Tally, case: CaseFacts, period: Period) -> None:
    end = period.end
    for i, event in enumerate(case.events):
        if event.actor_id is None or not period.contains(event.at):
            continue
        key = str(event.actor_id)
        if event.action in ("report", "self_handle"):
            tally.add(key, "reports")
            if case.has(VALID, end):
                tally.add(key, "valid")
            elif case.has(("not_found", "approve_void", "merge"), end) or case.state_at(end) == "VOID":
                tally.add(key, "invalid")
                tally.blame(key, "valid_report_rate", case.number)
        elif event.action in ("accept", "register"):
            tally.add(key, "accepted")
        elif event.action == "file":
            tally.add(key, "filed")
            if any(e.to_state == "VOID" and event.at < e.at < end for e in case.events):
                tally.add(key, "filed_void")
                tally.blame(key, "accurate_file_rate", case.number)
        elif event.action == "close":
            tally.add(key, "closed")
        elif event.action == "dispatch":
            tally.add(key, "dispatched")
            if _returned(case, i, end):
                tally.add(key, "returned")
                tally.blame(key, "accurate_dispatch_rate", case.number)
        if event.action.startswith("approve_"):
            tally.add(key, "approvals")


def _returned(case: CaseFacts, index: int, end: datetime) -> bool:
    for later in case.events[index + 1 :]:
        if later.at >= end or later.action == "dispatch":
            return False
        if later.action == "approve_return":
            return True
    return False


def _missed(
    tally: Tally, case: CaseFacts, period: Period, zone_of_grid: dict[str, list[int]], public: set[str]
) -> None:
    created = case.created
    grid = case.areas["grid"]
    if created is None or grid is None or case.source not in public or not period.contains(created.at):
        return
    if not case.has(("confirm", "file"), period.end):
        return
    for inspector in zone_of_grid.get(grid, []):
        tally.add(str(inspector), "missed")
        tally.blame(str(inspector), "missed_report_rate", case.number)


def _task_rate(tally: Tally, key: str, kind: str) -> float | None:
    return rate(tally.get(key, f"task.{kind}.on_time"), tally.get(key, f"task.{kind}.due"))


def staff_indicators(kind: str, tally: Tally, key: str) -> dict[str, float | None]:
    """The indicators of one staff member of `kind` (rates in %, None when nothing was due)."""
    g = tally.get
    if kind == "inspector":
        valid, invalid, missed = g(key, "valid"), g(key, "invalid"), g(key, "missed")
        return {
            "reports": g(key, "reports"), "valid_reports": valid, "invalid_reports": invalid,
            "missed_reports": missed, "valid_report_rate": rate(valid, valid + invalid),
            "missed_report_rate": rate(missed, valid + missed),
            "on_time_verify_rate": _task_rate(tally, key, "verify"),
            "on_time_check_rate": _task_rate(tally, key, "check"),
            "verify_tasks": g(key, "task.verify.due"), "check_tasks": g(key, "task.check.due"),
        }  # fmt: skip
    if kind == "operator":
        return {
            "accepted": g(key, "accepted"),
            "on_time_verify_dispatch_rate": _task_rate(tally, key, "verify_dispatch"),
            "on_time_check_dispatch_rate": _task_rate(tally, key, "check_dispatch"),
        }
    if kind == "shift_leader":
        filed = g(key, "filed")
        return {
            "filed": filed, "closed": g(key, "closed"),
            "on_time_file_rate": _task_rate(tally, key, "file"),
            "accurate_file_rate": rate(filed - g(key, "filed_void"), filed),
            "on_time_close_rate": _task_rate(tally, key, "close"),
        }  # fmt: skip
    dispatched = g(key, "dispatched")
    return {
        "dispatched": dispatched, "returned_dispatches": g(key, "returned"), "approvals": g(key, "approvals"),
        "on_time_dispatch_rate": _task_rate(tally, key, "dispatch"),
        "accurate_dispatch_rate": rate(dispatched - g(key, "returned"), dispatched),
    }  # fmt: skip
