"""How much the automation dispatches, and how often it is right, read from the timelines.

A case's first dispatch is automatic when a system actor took it. An automatic dispatch is
*corrected* when, afterwards, a department's return of the case is approved (回退), a person
dispatches it again, or a person gives its work to another worker (`reassign`); otherwise it
stood. Auto-dispatch rate = automatic ÷ dispatched; accuracy = stood ÷ automatic; both for the
city, per category and per district.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Case, TimelineEvent

#: Events that tell about a dispatch and what became of it.
_EVENTS = ("dispatch", "approve_return", "reassign")


@dataclass
class Tally:
    dispatched: int = 0
    automatic: int = 0
    corrected: int = 0

    def as_dict(self) -> dict[str, Any]:
        stood = self.automatic - self.corrected
        return {
            "dispatched": self.dispatched,
            "automatic": self.automatic,
            "corrected": self.corrected,
            "auto_dispatch_rate": round(self.automatic / self.dispatched, 4) if self.dispatched else None,
            "auto_dispatch_accuracy": round(stood / self.automatic, 4) if self.automatic else None,
        }


def _verdict(events: list[TimelineEvent]) -> tuple[bool, bool] | None:
    """(automatic, corrected) of the case's first dispatch; None when it was never dispatched."""
    first = next((i for i, e in enumerate(events) if e.action == "dispatch"), None)
    if first is None:
        return None
    automatic = events[first].actor_kind == "system"
    later = events[first + 1 :]
    corrected = automatic and any(
        e.action == "approve_return" or (e.action in ("dispatch", "reassign") and e.actor_kind != "system")
        for e in later
    )
    return automatic, corrected


def automation_stats(
    session: Session, city_code: str, *, start: datetime | None = None, end: datetime | None = None
) -> dict[str, Any]:
    """The automation's figures for cases first dispatched in [start, end) (any time when None)."""
    stmt = (
        select(TimelineEvent, Case.category_code, Case.district_code)
        .join(Case, Case.id == TimelineEvent.case_id)
        .where(TimelineEvent.city_id == city_code, TimelineEvent.action.in_(_EVENTS))
        .order_by(TimelineEvent.case_id, TimelineEvent.seq)
    )
    per_case: dict[int, list[TimelineEvent]] = defaultdict(list)
    where: dict[int, tuple[str, str | None]] = {}
    for event, category, district in session.execute(stmt):
        per_case[event.case_id].append(event)
        where[event.case_id] = (category, district)
    total = Tally()
    by_category: defaultdict[str, Tally] = defaultdict(Tally)
    by_district: defaultdict[str, Tally] = defaultdict(Tally)
    for case_id, events in per_case.items():
        first = next((e for e in events if e.action == "dispatch"), None)
        if first is None or (start is not None and first.at < start) or (end is not None and first.at >= end):
            continue
        verdict = _verdict(events)
        if verdict is None:
            continue
        automatic, corrected = verdict
        category, district = where[case_id]
        for tally in (total, by_category[category], by_district[district or "-"]):
            tally.dispatched += 1
            tally.automatic += automatic
            tally.corrected += corrected
    return {
        "city_code": city_code,
        **total.as_dict(),
        "by_category": {k: v.as_dict() for k, v in sorted(by_category.items())},
        "by_district": {k: v.as_dict() for k, v in sorted(by_district.items())},
    }
