"""The citizen's callback (回访) over HTTP: rate a closed case, proving to be its reporter or a follower.

No account is needed: the proof is the phone number or email the citizen reported with. It is
turned into the same opaque reference intake keeps for a reporter (`reporter_ref`), so the
contact itself is never stored or compared in clear. A wrong proof is refused before anything
about the case's progress is told; the rating is a `callback` action of the workflow, on the
timeline as the citizen's.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case, State, do_transition
from cityloop.cases.queries import get_case
from cityloop.cities import get_city
from cityloop.core.clock import get_clock
from cityloop.core.errors import Conflict, PermissionDenied
from cityloop.core.principal import Principal
from cityloop.db.deps import SESSION, public_or_city_principal
from cityloop.intake.channels.common import reporter_ref

router = APIRouter(tags=["callback"])

Rating = Literal["满意", "基本满意", "不满意"]


class NotTheReporter(PermissionDenied):
    default_code = "cases.not_the_reporter"


class CaseNotClosed(Conflict):
    default_code = "cases.not_closed"


class AlreadyRated(Conflict):
    default_code = "cases.already_rated"


class CallbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rating: Rating = Field(
        description="满意 (satisfied), 基本满意 (fairly satisfied) or 不满意 (not satisfied)."
    )
    comment: str | None = Field(default=None, max_length=500)
    proof: str = Field(
        min_length=3,
        max_length=200,
        description="The phone number or email the case was reported (or followed) with.",
    )


class CallbackOut(BaseModel):
    case_number: str
    state: str
    satisfaction: str


def check_callback_proof(session: Session, *, city_code: str, number: str, proof: str) -> str:
    """The citizen reference `proof` stands for, when it is the case's reporter or a follower;
    `cases.not_the_reporter` (403) otherwise, `cases.not_found` when there is no such case."""
    case = get_case(session, city_code, number)
    ref = reporter_ref(proof)
    known = {f.ref for f in case.followers} | ({case.reporter_ref} if case.reporter_ref else set())
    if ref is None or ref not in known:
        raise NotTheReporter(
            f"the proof given is not the contact case {number} was reported or followed with",
            details={"case": number},
        )
    if case.state != State.CLOSED:
        raise CaseNotClosed(
            f"case {number} is {case.state}: only a closed case can be rated", details={"state": case.state}
        )
    if case.satisfaction is not None:
        raise AlreadyRated(f"case {number} was already rated", details={"case": number})
    return ref


def do_citizen_callback(
    session: Session,
    request: Request,
    *,
    city_code: str,
    number: str,
    proof: str,
    rating: str,
    comment: str | None,
) -> Case:
    """The citizen's rating of a closed case (after the proof), then the deployment's follow-up after a
    person's action (`flows.automation`), as for staff actions. Raises, changing nothing, when refused."""
    get_city(session, city_code)
    ref = check_callback_proof(session, city_code=city_code, number=number, proof=proof)
    case = do_transition(
        session, city_code=city_code, number=number, action="callback", actor=Actor.citizen(city_code, ref),
        data={"rating": rating}, reason=(comment or "").strip() or None,
    )  # fmt: skip
    for follow_up in getattr(request.app.state, "after_transition", ()):
        follow_up(session, case, get_clock().now())
    return case


@router.post("/cities/{city_code}/cases/{number}/callback", response_model=CallbackOut)
def give_callback(
    city_code: str,
    number: str,
    body: CallbackIn,
    request: Request,
    _principal: Principal = Depends(public_or_city_principal),
    session: Session = SESSION,
) -> CallbackOut:
    """Rate a closed case as its reporter or a follower (proof: the phone number or email reported with).
    403 `cases.not_the_reporter` for a wrong proof; 409 `cases.not_closed` or `cases.already_rated`."""
    case = do_citizen_callback(
        session, request, city_code=city_code, number=number, proof=body.proof, rating=body.rating,
        comment=body.comment,
    )  # fmt: skip
    return CallbackOut(case_number=case.number, state=case.state, satisfaction=body.rating)
