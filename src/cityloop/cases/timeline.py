"""The hash-chained timeline: append one event per change, and verify a city's chains.

Each event's hash is the SHA-256 of a canonical JSON of its content, the previous event of
its case (`prev_hash`) and the previous event of its city (`city_prev_hash`). The city's
newest hash and event count live in `ChainHead`, so that altering any event, deleting one,
or deleting a whole case (or the newest events) is detected by `verify_city`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases.actors import Actor
from cityloop.cases.models import Case, ChainHead, TimelineEvent
from cityloop.core.clock import utc


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="microseconds")


def event_content(event: TimelineEvent, case_number: str) -> dict[str, Any]:
    """The fields the hash covers, as plain JSON values."""
    return {
        "city": event.city_id,
        "case": case_number,
        "seq": event.seq,
        "city_seq": event.city_seq,
        "at": _iso(event.at),
        "actor": [event.actor_kind, event.actor_id, event.actor_name, event.actor_role],
        "rule": event.rule,
        "confidence": event.confidence,
        "action": event.action,
        "from": event.from_state,
        "to": event.to_state,
        "reason": event.reason,
        "data": event.data,
        "evidence": list(event.evidence),
        "prev": event.prev_hash,
        "city_prev": event.city_prev_hash,
    }


def compute_hash(event: TimelineEvent, case_number: str) -> str:
    canonical = json.dumps(
        event_content(event, case_number), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _head(session: Session, city_code: str) -> ChainHead:
    head = session.scalars(select(ChainHead).where(ChainHead.city_id == city_code).with_for_update()).first()
    if head is None:
        head = ChainHead(city_id=city_code, head_hash=None, count=0)
        session.add(head)
        session.flush()
    return head


def append_event(
    session: Session,
    *,
    case: Case,
    action: str,
    actor: Actor,
    at: datetime,
    from_state: str | None,
    to_state: str,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
    evidence: Sequence[str] = (),
) -> TimelineEvent:
    """Append one event to the case's and the city's chains (the caller owns the transaction)."""
    at = utc(at)  # hashed as stored: an offset other than UTC would not verify once read back
    head = _head(session, case.city_id)
    event = TimelineEvent(
        city_id=case.city_id,
        case_id=case.id,
        seq=case.last_event_seq + 1,
        city_seq=head.count + 1,
        at=at,
        actor_kind=actor.kind,
        actor_id=actor.staff_id,
        actor_name=actor.name,
        actor_role=actor.role,
        rule=actor.rule,
        confidence=actor.confidence,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=json.loads(json.dumps(data or {}, ensure_ascii=False, default=str)),
        evidence=list(evidence),
        prev_hash=case.head_hash,
        city_prev_hash=head.head_hash,
        hash="",
    )
    event.hash = compute_hash(event, case.number)
    session.add(event)
    case.last_event_seq, case.head_hash = event.seq, event.hash
    head.count, head.head_hash = event.city_seq, event.hash
    session.flush()
    return event


@dataclass(frozen=True)
class Break:
    """The first place where a chain does not verify."""

    case: str | None
    seq: int | None
    city_seq: int | None
    problem: str


@dataclass(frozen=True)
class VerifyReport:
    city: str
    cases: int
    events: int
    breaks: list[Break]

    @property
    def ok(self) -> bool:
        return not self.breaks


def verify_city(session: Session, city_code: str, *, limit: int = 20) -> VerifyReport:
    """Recompute every event hash of the city and check both chains and the city head."""
    numbers = dict(session.execute(select(Case.id, Case.number).where(Case.city_id == city_code)).all())
    heads = {c.id: c for c in session.scalars(select(Case).where(Case.city_id == city_code))}
    breaks: list[Break] = []
    last_by_case: dict[int, TimelineEvent] = {}
    previous_city_hash: str | None = None
    expected_city_seq = 1
    count = 0
    events = session.scalars(
        select(TimelineEvent).where(TimelineEvent.city_id == city_code).order_by(TimelineEvent.city_seq)
    )
    for event in events:
        count += 1
        number = numbers.get(event.case_id, f"case id {event.case_id}")
        where = (number, event.seq, event.city_seq)
        if event.city_seq != expected_city_seq:
            breaks.append(
                Break(*where, f"city event {expected_city_seq} is missing (next is {event.city_seq})")
            )
            expected_city_seq = event.city_seq
        if event.city_prev_hash != previous_city_hash:
            breaks.append(Break(*where, "does not follow the previous event of the city"))
        prior = last_by_case.get(event.case_id)
        if event.seq != (prior.seq + 1 if prior else 1):
            breaks.append(Break(*where, f"case event {(prior.seq + 1) if prior else 1} is missing"))
        if event.prev_hash != (prior.hash if prior else None):
            breaks.append(Break(*where, "does not follow the previous event of its case"))
        if compute_hash(event, number) != event.hash:
            breaks.append(Break(*where, "content does not match its hash (altered)"))
        last_by_case[event.case_id] = event
        previous_city_hash = event.hash
        expected_city_seq += 1
        if len(breaks) >= limit:
            break
    else:
        head = session.get(ChainHead, city_code)
        stored_count, stored_hash = (head.count, head.head_hash) if head else (0, None)
        if stored_count != count or stored_hash != previous_city_hash:
            breaks.append(
                Break(
                    None, None, stored_count, f"city head says {stored_count} events, {count} found (deleted)"
                )
            )
        for case_id, case in heads.items():
            last = last_by_case.get(case_id)
            if (last.hash if last else None) != case.head_hash:
                breaks.append(
                    Break(case.number, last.seq if last else None, None, "case head does not match")
                )
    return VerifyReport(city=city_code, cases=len(numbers), events=count, breaks=breaks[:limit])
