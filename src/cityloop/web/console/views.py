"""What the case page shows, prepared in the reader's language: the timeline with the reasons of
automatic decisions, the duplicate suggestions recorded at intake, the actions the role may take.

Every automatic decision recorded its rule, confidence and reason (ARCHITECTURE.md §8); here
they are turned into readable lines so that a person can see why the system did what it did,
and overrule it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Case, State, TimelineEvent
from cityloop.cases.merge import MERGEABLE
from cityloop.cases.workflow import (
    ACTIONS,
    APPROVERS,
    CREATE_ACTIONS,
    DEPARTMENT_ROLES,
    STATE_LABELS,
    Action,
    actions_from,
)
from cityloop.core.i18n import Text
from cityloop.core.principal import Principal

ACTOR_KINDS = {"system": "系统", "staff": "工作人员", "citizen": "市民"}
EXTRA_ACTIONS = {
    "merge": Text("合并到其他案件", "Merged into another case"),
    "duplicate_linked": Text("关联重复上报", "Duplicate linked"),
    "assign": Text("指派", "Assigned"),
}
DETAIL_LABELS = {
    "category": Text("分类", "Category"),
    "candidates": Text("候选分类", "Candidates"),
    "location": Text("定位", "Location"),
    "duplicates": Text("查重", "Duplicates"),
    "routing": Text("派遣路由", "Routing"),
    "assignment": Text("人员指派", "Assignment"),
    "inspector": Text("监督员", "Inspector"),
    "department": Text("部门", "Department"),
    "worker": Text("处置人员", "Worker"),
    "master": Text("主案件", "Master case"),
    "duplicate": Text("重复案件", "Duplicate"),
    "limit": Text("处置时限", "Disposal limit"),
    "urgency": Text("紧急程度", "Urgency"),
    "rating": Text("评价", "Rating"),
}


@dataclass(frozen=True)
class EventView:
    seq: int
    at: datetime
    label: str
    kind: str
    actor_kind: str
    actor: str
    role: str | None
    from_state: str | None
    to_state: str
    reason: str | None
    rule: str | None
    confidence: float | None
    details: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    number: str
    score: float | None
    reason: str
    state: str | None


def action_label(action: str, locale: str) -> str:
    if action in ACTIONS:
        return ACTIONS[action].label.get(locale)
    label = CREATE_ACTIONS.get(action) or EXTRA_ACTIONS.get(action)
    return label.get(locale) if label else action


def state_label(state: str | None, locale: str) -> str | None:
    if state is None:
        return None
    try:
        return STATE_LABELS[State(state)].get(locale)
    except ValueError:
        return state


def _pct(value: Any) -> str:
    return f"{float(value):.2f}" if isinstance(value, int | float) else ""


def _join(*parts: Any) -> str:
    return " · ".join(str(p) for p in parts if p not in (None, "", [], {}))


def _explain(key: str, value: Any) -> str:
    """One line of an event's data: what was decided, with which confidence, and why."""
    if not isinstance(value, dict):
        if isinstance(value, list) and key == "candidates":
            return "; ".join(
                _join(c.get("code"), c.get("name"), _pct(c.get("confidence")))
                for c in value
                if isinstance(c, dict)
            )
        return "" if isinstance(value, list) else str(value)
    if key == "category":
        return _join(value.get("code"), value.get("name"), _pct(value.get("confidence")), value.get("reason"))
    if key == "duplicates":
        return _join(value.get("verdict"), _pct(value.get("score")), value.get("master"), value.get("reason"))
    if key == "routing":
        return _join(value.get("department"), value.get("how"), value.get("reason"))
    if key == "assignment":
        return _join(value.get("worker"), value.get("policy"), value.get("reason"))
    if key == "inspector":
        return _join(value.get("username"), value.get("reason"))
    if key == "limit":
        return _join(value.get("amount"), value.get("unit"))
    if key == "location":
        return _join(value.get("by"), value.get("kind"), value.get("name"), _pct(value.get("confidence")))
    return ""


def _details(data: dict[str, Any], locale: str) -> list[tuple[str, str]]:
    flat = dict(data)
    decision = flat.pop("decision", None)
    if isinstance(decision, dict):
        flat = {**flat, **decision}  # the decision's category (with confidence) over the plain code
    lines = []
    for key, label in DETAIL_LABELS.items():
        if key in flat:
            text = _explain(key, flat[key])
            if text:
                lines.append((label.get(locale), text))
    return lines


def event_views(events: list[TimelineEvent], locale: str) -> list[EventView]:
    return [
        EventView(
            seq=e.seq,
            at=e.at,
            label=action_label(e.action, locale),
            kind=e.actor_kind,
            actor_kind=ACTOR_KINDS.get(e.actor_kind, "系统"),
            actor=e.actor_name or "",
            role=e.actor_role,
            from_state=state_label(e.from_state, locale),
            to_state=state_label(e.to_state, locale) or e.to_state,
            reason=e.reason,
            rule=e.rule,
            confidence=e.confidence,
            details=_details(e.data or {}, locale),
        )
        for e in events
    ]


def intake_duplicates(events: list[TimelineEvent]) -> dict[str, Any]:
    """The de-duplicator's verdict recorded at intake (the first event's data.decision.duplicates)."""
    if not events:
        return {}
    decision = (events[0].data or {}).get("decision")
    found = decision.get("duplicates") if isinstance(decision, dict) else None
    return found if isinstance(found, dict) else {}


def suggestions(session: Session, case: Case, found: dict[str, Any], locale: str) -> list[Suggestion]:
    """The earlier cases intake suggested as the same problem, with their current state."""
    rows = [s for s in found.get("suggestions", []) if isinstance(s, dict) and s.get("case")]
    numbers = [str(s["case"]) for s in rows]
    found_states = session.execute(
        select(Case.number, Case.state).where(Case.city_id == case.city_id, Case.number.in_(numbers))
    )
    states = {number: state for number, state in found_states}
    return [
        Suggestion(
            number=str(s["case"]),
            score=float(s["score"]) if isinstance(s.get("score"), int | float) else None,
            reason=str(s.get("reason") or ""),
            state=state_label(states.get(str(s["case"])), locale),
        )
        for s in rows
    ]


def can_merge(case: Case, principal: Principal) -> bool:
    return "operator" in principal.roles and State(case.state) in MERGEABLE


def allowed_actions(case: Case, principal: Principal) -> list[Action]:
    """The actions the workflow allows now and the signed-in roles may take (department-only
    actions and a citizen's callback without anyone to call aside)."""
    pending = case.pending
    found = []
    for act in actions_from(State(case.state)):
        roles = set(act.roles)
        if act.needs_pending:
            if pending is None or (act.needs_pending != "*" and pending.get("kind") != act.needs_pending):
                continue
            roles = {APPROVERS[pending["kind"]]}
        elif pending is not None and (act.opens_pending or act.target is not None):
            continue
        held = roles & principal.roles
        if not held or (act.own_department and held <= DEPARTMENT_ROLES):
            continue
        if act.name == "callback" and (case.satisfaction is not None or not case.followers):
            continue
        if act.name == "reopen" and case.satisfaction != "不满意":
            continue
        found.append(act)
    return found
