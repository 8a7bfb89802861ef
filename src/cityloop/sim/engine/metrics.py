"""The figures of a run, read back from the cases' tasks and timelines (and the engine's board).

- `cases`: cases registered during the run (duplicates merged at intake included).
- `auto_dispatch_rate`: share of dispatched cases whose first dispatch was taken by a system
  actor; `auto_dispatch_accuracy`: share of those never corrected or returned afterwards (no
  approved return, no later dispatch to another department).
- `on_time_rate`: share of finished disposal (handle) tasks fed back before their due.
- `mean_closure_hours`, `p90_closure_hours`: reported → closed, over closed cases.
- `travel_km_per_case`: field workers' km per case they visited; `hindsight_travel_km_per_case`:
  the oracle's km for the same visits (`hindsight`), a lower bound.
- `worker_utilisation`: field workers' time travelling and handling ÷ their shift time, for
  work started while reports were arriving.
- duplicates: second reports in the scenario (ground truth) and how many the pipeline merged
  into the case of the same problem; device repeats and how many were folded.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Case, State, Task, TimelineEvent
from cityloop.sim.engine.board import Board
from cityloop.sim.engine.hindsight import hindsight_km
from cityloop.sim.engine.model import Outcome
from cityloop.sim.scenario import Scenario

_CHUNK = 500


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield list(ids[i : i + _CHUNK])


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _dispatch_figures(events: list[TimelineEvent]) -> dict[str, Any]:
    by_case: dict[int, list[TimelineEvent]] = {}
    for event in events:
        by_case.setdefault(event.case_id, []).append(event)
    dispatched = automatic = kept = 0
    for items in by_case.values():
        items.sort(key=lambda e: e.seq)
        dispatches = [e for e in items if e.action == "dispatch"]
        if not dispatches:
            continue
        dispatched += 1
        first = dispatches[0]
        if first.actor_kind != "system":
            continue
        automatic += 1
        later = [e for e in items if e.seq > first.seq]
        returned = any(e.action == "approve_return" for e in later)
        moved = any(
            e.action == "dispatch"
            and (e.data or {}).get("department") != (first.data or {}).get("department")
            for e in later
        )
        kept += not (returned or moved)
    return {
        "dispatched_cases": dispatched,
        "auto_dispatch_rate": _ratio(automatic, dispatched),
        "auto_dispatch_accuracy": _ratio(kept, automatic),
    }


def _duplicates(session: Session, scenario: Scenario, outcome: Outcome) -> dict[str, Any]:
    numbers = {sim.number: sim.case_id for sim in outcome.cases.values()}
    masters: dict[int, int | None] = {}
    for chunk in _chunks(sorted(numbers.values())):
        masters.update(
            (row[0], row[1])
            for row in session.execute(select(Case.id, Case.master_id).where(Case.id.in_(chunk)))
        )

    def root(case_id: int | None) -> int | None:
        seen = set()
        while case_id is not None and masters.get(case_id) is not None and case_id not in seen:
            seen.add(case_id)
            case_id = masters[case_id]
        return case_id

    seconds = [a for a in scenario.arrivals if a.duplicate_of is not None]
    merged = 0
    for arrival in seconds:
        mine = numbers.get(outcome.arrival_case.get(arrival.index, ""))
        theirs = numbers.get(outcome.arrival_case.get(arrival.duplicate_of or -1, ""))
        if mine is not None and theirs is not None and mine != theirs and root(mine) == root(theirs):
            merged += 1
    repeats = [a for a in scenario.arrivals if a.repeat_of is not None and not a.recovery]
    return {
        "duplicates_in_scenario": len(seconds),
        "duplicates_merged": merged,
        "merged_by_pipeline": sum(1 for m in masters.values() if m is not None),
        "device_repeats_in_scenario": len(repeats),
        "device_repeats_folded": outcome.statuses.get("folded", 0),
    }


def _utilisation(board: Board, scenario: Scenario) -> float | None:
    busy = sum(v.minutes * 60 for v in board.visits if v.started < scenario.end)
    shift = sum(board.shift_seconds(w, scenario.start, scenario.end) for w in board.workers.values())
    return _ratio(busy, shift)


def compute_metrics(session: Session, scenario: Scenario, outcome: Outcome, board: Board) -> dict[str, Any]:
    """The run's figures (see the module docstring)."""
    ids = sorted(sim.case_id for sim in outcome.cases.values())
    events: list[TimelineEvent] = []
    tasks: list[Task] = []
    cases: list[Case] = []
    for chunk in _chunks(ids):
        events.extend(session.scalars(select(TimelineEvent).where(TimelineEvent.case_id.in_(chunk))))
        tasks.extend(session.scalars(select(Task).where(Task.case_id.in_(chunk), Task.kind == "handle")))
        cases.extend(session.scalars(select(Case).where(Case.id.in_(chunk))))
    done = [t for t in tasks if t.status == "done"]
    closure = [(c.closed_at - c.reported_at).total_seconds() / 3600 for c in cases if c.closed_at is not None]
    visited = {v.number for v in board.visits}
    travel = sum(v.km for v in board.visits)
    oracle = hindsight_km(board, board.visits, scenario.start, outcome.stopped_at or scenario.end)
    states: dict[str, int] = {}
    for case in cases:
        states[case.state] = states.get(case.state, 0) + 1
    truth = {sim.case_id: sim.arrival.code for sim in outcome.cases.values()}
    by_text = [c for c in cases if c.source == "hotline"]
    figures: dict[str, Any] = {
        "cases": len(cases),
        "reports": len(scenario.arrivals),
        **_dispatch_figures(events),
        "on_time_rate": _ratio(sum(1 for t in done if t.on_time), len(done)),
        "mean_closure_hours": round(float(np.mean(closure)), 2) if closure else None,
        "p90_closure_hours": round(float(np.percentile(closure, 90)), 2) if closure else None,
        "closed_cases": len(closure),
        "open_cases": sum(n for s, n in states.items() if s not in (State.CLOSED.value, State.VOID.value)),
        "travel_km_per_case": _ratio(travel, len(visited)),
        "hindsight_travel_km_per_case": _ratio(oracle, len(visited)),
        "inspector_travel_km_per_case": _ratio(
            sum(i.travel_km for i in board.inspectors.values()), len(cases)
        ),
        "worker_utilisation": _utilisation(board, scenario),
        **_duplicates(session, scenario, outcome),
        "hotline_category_correct": _ratio(
            sum(1 for c in by_text if truth[c.id] == c.category_code), len(by_text)
        ),
        "reports_by_status": dict(sorted(outcome.statuses.items())),
        "reports_refused": dict(sorted(outcome.refused.items())),
        "cases_by_state": dict(sorted(states.items())),
        "errors": dict(sorted(outcome.errors.items())),
    }
    return figures
