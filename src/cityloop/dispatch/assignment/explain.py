"""Reasons in words: why the chosen worker won and why each runner-up lost.

The texts name the figures that decided (kilometres, minutes, tasks), so a dispatcher can check
them against the map and the queue without reading the cost formula.
"""

from __future__ import annotations

from collections.abc import Sequence

from cityloop.dispatch.assignment.model import CostBreakdown, Infeasible, Policy, TaskRequest


def _minutes(value: float) -> str:
    return f"{value:.0f} min"


def due_phrase(cost: CostBreakdown, task: TaskRequest) -> str:
    """How the expected finish relates to the task's due."""
    if task.due_at is None:
        return "no due time"
    if cost.late_minutes > 0:
        return f"{_minutes(cost.late_minutes)} after the due"
    margin = (task.due_at - cost.finish_at).total_seconds() / 60
    return f"{_minutes(margin)} before the due"


def finish_phrase(cost: CostBreakdown) -> str:
    """Expected finish with its parts: queue, travel, handling."""
    parts = []
    if cost.wait_minutes >= 0.5:
        parts.append(f"after {_minutes(cost.wait_minutes)} of work already queued")
    parts.append(f"travel {cost.travel_km:.1f} km ≈ {_minutes(cost.travel_minutes)}")
    parts.append(f"handling {_minutes(cost.handling_minutes)}")
    return f"expected to finish in {_minutes(cost.finish_minutes)} ({', '.join(parts)})"


def _unable(infeasible: Sequence[Infeasible]) -> str:
    if not infeasible:
        return ""
    counts: dict[str, int] = {}
    for item in infeasible:
        counts[item.code] = counts.get(item.code, 0) + 1
    words = {"off_shift": "off shift", "lacks_skill": "without the skill", "excluded": "handled it before"}
    listed = ", ".join(f"{n} {words[code]}" for code, n in sorted(counts.items()))
    return f" ({listed})"


def winner_reason(
    policy: Policy,
    task: TaskRequest,
    winner: CostBreakdown,
    ranked: Sequence[CostBreakdown],
    infeasible: Sequence[Infeasible],
) -> str:
    """Why `winner` (ranked[0]) got the task under `policy`."""
    pool = f"{len(ranked)} worker{'s' if len(ranked) != 1 else ''} able to take it{_unable(infeasible)}"
    if policy == "nearest":
        head = f"{winner.username} is the nearest of {pool}: {winner.direct_km:.2f} km away"
    elif policy == "least-loaded":
        head = (
            f"{winner.username} has the lightest load of {pool}: {winner.load} task(s) done today or queued"
        )
    else:
        head = f"{winner.username} has the lowest cost ({winner.total:.1f}) of {pool}"
    return f"{head}; {finish_phrase(winner)}, {due_phrase(winner, task)}"


def why_lost(policy: Policy, winner: CostBreakdown, other: CostBreakdown) -> str:
    """The main reason `other` lost to `winner`, with the figures."""
    if policy == "nearest":
        if other.direct_km == winner.direct_km:
            return f"as near ({other.direct_km:.2f} km); ties go by username"
        return f"{other.direct_km - winner.direct_km:.2f} km farther ({other.direct_km:.2f} km)"
    if policy == "least-loaded":
        if other.load != winner.load:
            return f"more load: {other.load} task(s) vs {winner.load}"
        return f"same load, {other.direct_km - winner.direct_km:.2f} km farther"
    return f"cost {other.total - winner.total:+.1f}: {_main_difference(winner, other)}"


def _main_difference(winner: CostBreakdown, other: CostBreakdown) -> str:
    """The cost term that differs most between two breakdowns, in words."""
    terms = [
        (
            other.travel_minutes - winner.travel_minutes,
            f"{other.travel_km - winner.travel_km:.1f} km farther",
        ),
        (
            other.wait_minutes - winner.wait_minutes,
            f"busy {_minutes(other.wait_minutes - winner.wait_minutes)} longer",
        ),
        (other.late_minutes - winner.late_minutes, f"{_minutes(other.late_minutes)} late"),
        (other.fairness - winner.fairness, f"more load ({other.load} vs {winner.load} tasks)"),
        (
            other.overtime_minutes - winner.overtime_minutes,
            f"{_minutes(other.overtime_minutes)} past the end of the shift",
        ),
    ]
    delta, text = max(terms, key=lambda term: term[0])
    if delta <= 0:
        return "equal cost; ties go by username"
    return text
