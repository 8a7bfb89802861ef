"""Refused actions change nothing: the exact error code, and the case, its tasks, its timeline and the city head as before."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select

from cases.conftest import OTHER_CITY, LoopCity
from cases.helpers import act, drive, snapshot, verified_public_case
from cityloop.cases import Actor, Case, Evidence, TimelineEvent, do_create_case, do_transition
from cityloop.core.errors import CityLoopError
from cityloop.taxonomy import list_registration_conditions

HASH = "ab" * 32


def _state(state: str) -> Callable[[LoopCity], Case]:
    return lambda loop: drive(loop, loop.report(), state)


def _pending(
    state: str, action: str, who: str, data: dict[str, Any] | None = None
) -> Callable[[LoopCity], Case]:
    def setup(loop: LoopCity) -> Case:
        case = drive(loop, loop.report(), state)
        act(loop, case, action, who, reason="申请", data=data)
        return case

    return setup


def _suspended(loop: LoopCity) -> Case:
    case = _pending("PROCESSING", "request_suspension", "cg01")(loop)
    act(loop, case, "approve_suspension", "dispatcher01")
    return case


def _public_closed(rating: str | None) -> Callable[[LoopCity], Case]:
    def setup(loop: LoopCity) -> Case:
        case = drive(loop, verified_public_case(loop), "CLOSED")
        if rating:
            act(loop, case, "callback", "operator01", data={"rating": rating})
        return case

    return setup


def _with_evidence(loop: LoopCity) -> Case:
    case = loop.report()
    loop.session.add(
        Evidence(
            city_id=loop.code,
            case=case,
            sha256="cd" * 32,
            phase="before",
            content_type="image/jpeg",
            size=10,
            uploaded_at=loop.clock.now(),
        )
    )
    loop.session.flush()
    return case


@dataclass
class Refusal:
    setup: Callable[[LoopCity], Case]
    action: str
    who: str
    code: str
    status: int
    reason: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()
    city: str | None = None


_other_condition = "other-category-condition"

REFUSALS: dict[str, Refusal] = {
    "unknown action": Refusal(_state("REPORTED"), "teleport", "operator01", "cases.unknown_action", 422),
    "not allowed in the state": Refusal(
        _state("REPORTED"),
        "dispatch",
        "dispatcher01",
        "cases.action_not_allowed",
        409,
        data={"department": "CG"},
    ),
    "close before checked": Refusal(
        _state("PROCESSED"), "close", "leader01", "cases.action_not_allowed", 409
    ),
    "wrong role": Refusal(_state("REPORTED"), "accept", "inspector01", "access.forbidden_role", 403),
    "citizen accepts": Refusal(_state("REPORTED"), "accept", "citizen:1", "access.forbidden_role", 403),
    "another city's actor": Refusal(_state("REPORTED"), "accept", "other-city", "access.forbidden_city", 403),
    "case of another city": Refusal(
        _state("REPORTED"), "accept", "other-city", "cases.not_found", 404, city=OTHER_CITY
    ),
    "another department signs": Refusal(_state("DISPATCHED"), "sign", "hw01", "cases.wrong_department", 403),
    "another department feeds back": Refusal(
        _state("PROCESSING"), "feedback", "hw01", "cases.wrong_department", 403
    ),
    "another department resumes": Refusal(_suspended, "resume", "hw01", "cases.wrong_department", 403),
    "return without reason": Refusal(
        _state("PROCESSING"), "request_return", "cg01", "cases.reason_required", 422
    ),
    "rework with a blank reason": Refusal(
        _state("CHECKING"), "check_fail", "inspector01", "cases.reason_required", 422, reason="  "
    ),
    "void without reason": Refusal(
        _state("REPORTED"), "request_void", "operator01", "cases.reason_required", 422
    ),
    "extension due in the past": Refusal(
        _state("PROCESSING"),
        "request_extension",
        "cg01",
        "cases.due_in_past",
        422,
        reason="需协调",
        data={"due_at": "2026-11-02T09:00:00+08:00"},
    ),
    "extension due before the current due": Refusal(
        _state("PROCESSING"),
        "request_extension",
        "cg01",
        "cases.invalid_data",
        422,
        reason="需协调",
        data={"due_at": "2026-11-03T09:00:00+08:00"},
    ),
    "extension without an amount": Refusal(
        _state("PROCESSING"), "request_extension", "cg01", "cases.invalid_data", 422, reason="需协调"
    ),
    "extension with a negative amount": Refusal(
        _state("PROCESSING"),
        "request_extension",
        "cg01",
        "deadlines.invalid_limit",
        422,
        reason="需协调",
        data={"extra": {"amount": -1, "unit": "working_hours"}},
    ),
    "malformed evidence hash": Refusal(
        _with_evidence, "accept", "operator01", "cases.invalid_evidence", 422, evidence=("not-a-hash",)
    ),
    "evidence not uploaded": Refusal(
        _with_evidence, "accept", "operator01", "cases.unknown_evidence", 422, evidence=("cd" * 32, HASH)
    ),
    "approve with no pending request": Refusal(
        _state("PROCESSING"), "approve_extension", "dispatcher01", "cases.action_not_allowed", 409
    ),
    "approve another kind of request": Refusal(
        _pending(
            "PROCESSING", "request_extension", "cg01", {"extra": {"amount": 1, "unit": "working_hours"}}
        ),
        "approve_suspension",
        "dispatcher01",
        "cases.action_not_allowed",
        409,
    ),
    "reject with no pending request": Refusal(
        _state("PROCESSING"), "reject_request", "dispatcher01", "cases.action_not_allowed", 409, reason="无"
    ),
    "void approved by the dispatcher": Refusal(
        _pending("REPORTED", "request_void", "operator01"),
        "reject_request",
        "dispatcher01",
        "access.forbidden_role",
        403,
        reason="无",
    ),
    "second request while one is pending": Refusal(
        _pending(
            "PROCESSING", "request_extension", "cg01", {"extra": {"amount": 1, "unit": "working_hours"}}
        ),
        "request_suspension",
        "cg01",
        "cases.action_not_allowed",
        409,
        reason="挂账",
    ),
    "feedback while a return is pending": Refusal(
        _pending("PROCESSING", "request_return", "cg01"), "feedback", "cg01", "cases.action_not_allowed", 409
    ),
    "accept while a void is pending": Refusal(
        _pending("REPORTED", "request_void", "operator01"),
        "accept",
        "operator01",
        "cases.action_not_allowed",
        409,
    ),
    "reopen a satisfied case": Refusal(
        _public_closed("满意"), "reopen", "operator01", "cases.action_not_allowed", 409, reason="再看看"
    ),
    "reopen without a callback": Refusal(
        _public_closed(None), "reopen", "operator01", "cases.action_not_allowed", 409, reason="再看看"
    ),
    "second callback": Refusal(
        _public_closed("基本满意"),
        "callback",
        "operator01",
        "cases.action_not_allowed",
        409,
        data={"rating": "满意"},
    ),
    "callback by a stranger": Refusal(
        _public_closed(None), "callback", "citizen:2", "access.forbidden_role", 403, data={"rating": "不满意"}
    ),
    "callback with an unknown rating": Refusal(
        _public_closed(None), "callback", "citizen:1", "cases.invalid_data", 422, data={"rating": "很好"}
    ),
    "file with an unknown urgency": Refusal(
        _state("ACCEPTED"), "file", "leader01", "cases.invalid_data", 422, data={"urgency": "soon"}
    ),
    "file with another category's condition": Refusal(
        _state("ACCEPTED"),
        "file",
        "leader01",
        "cases.invalid_data",
        422,
        data={"condition_id": _other_condition},
    ),
    "dispatch without a department": Refusal(
        _state("FILED"), "dispatch", "dispatcher01", "cases.invalid_data", 422
    ),
    "dispatch to an unknown department": Refusal(
        _state("FILED"),
        "dispatch",
        "dispatcher01",
        "cases.invalid_data",
        422,
        data={"department": "XX"},
    ),
    "dispatch to a worker of another department": Refusal(
        _state("FILED"),
        "dispatch",
        "dispatcher01",
        "cases.invalid_data",
        422,
        data={"department": "HW", "worker": "cgworker01"},
    ),
}


def _actor(loop: LoopCity, who: str) -> Actor:
    if who == "other-city":
        return Actor(
            kind="staff", city_code=OTHER_CITY, roles=frozenset({"operator"}), staff_id=None, name="bj01"
        )
    if who.startswith("citizen:"):
        return Actor.citizen(loop.code, who)
    return loop.actors[who]


@pytest.mark.parametrize("name", list(REFUSALS))
def test_refused_action_changes_nothing(loop: LoopCity, name: str) -> None:
    refusal = REFUSALS[name]
    case = refusal.setup(loop)
    data = dict(refusal.data)
    if data.get("condition_id") == _other_condition:
        data["condition_id"] = list_registration_conditions(loop.session, loop.code, code="06010")[0].id
    loop.clock.advance(minutes=5)
    before = snapshot(loop.session, [case.id])
    with pytest.raises(CityLoopError) as caught:
        do_transition(
            loop.session,
            city_code=refusal.city or loop.code,
            number=case.number,
            action=refusal.action,
            actor=_actor(loop, refusal.who),
            reason=refusal.reason,
            data=data,
            evidence=refusal.evidence,
        )
    assert (caught.value.code, caught.value.status) == (refusal.code, refusal.status)
    assert caught.value.message
    assert snapshot(loop.session, [case.id]) == before


def _counts(loop: LoopCity) -> tuple[int, int]:
    s = loop.session
    return (
        s.scalar(select(func.count()).select_from(Case).where(Case.city_id == loop.code)) or 0,
        s.scalar(select(func.count()).select_from(TimelineEvent).where(TimelineEvent.city_id == loop.code))
        or 0,
    )


@pytest.mark.parametrize(
    ("who", "options", "code"),
    [
        ("operator01", {"source": "inspector"}, "access.forbidden_role"),
        ("inspector01", {"source": "citizen"}, "access.forbidden_role"),
        ("other-city", {"source": "citizen"}, "access.forbidden_city"),
        ("inspector01", {"source": "inspector", "lon": 116.4, "lat": 39.9}, "cases.outside_city"),
        ("inspector01", {"source": "inspector", "lon": None, "lat": None}, "cases.invalid_data"),
        ("inspector01", {"source": "inspector", "urgency": "soon"}, "cases.invalid_data"),
        ("operator01", {"source": "fax"}, "cases.invalid_data"),
    ],
)
def test_refused_creation_creates_nothing(
    loop: LoopCity, who: str, options: dict[str, Any], code: str
) -> None:
    loop.report()
    before = _counts(loop)
    kwargs: dict[str, Any] = {"category_code": "09001", "lon": loop.point[0], "lat": loop.point[1]} | options
    with pytest.raises(CityLoopError) as caught:
        do_create_case(loop.session, city_code=loop.code, actor=_actor(loop, who), **kwargs)
    assert caught.value.code == code
    assert _counts(loop) == before
