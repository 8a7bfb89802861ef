"""Before a citizen reports: the open cases nearby that may be the same problem, and following one.

FixMyStreet's most valued feature: a citizen about to report a broken lamp sees that it was
reported yesterday and follows that case instead. Operators merge a case into its master
when the de-duplicator only suggested it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case, add_follower, do_merge
from cityloop.cases.errors import ActionNotAllowed
from cityloop.cases.merge import OPEN_STATES
from cityloop.cases.queries import get_case
from cityloop.cases.workflow import STATE_LABELS, State
from cityloop.cities import get_city, list_cities
from cityloop.core.clock import get_clock
from cityloop.core.errors import NotFound
from cityloop.core.principal import Principal
from cityloop.db.deps import SESSION, public_or_city_principal, require_roles
from cityloop.flows.duplicates import similar_open_cases
from cityloop.geo import locate
from cityloop.taxonomy import find_category

router = APIRouter(tags=["duplicates"])

OPERATORS = require_roles("operator")


class CityNotFoundHere(NotFound):
    default_code = "duplicates.no_city_here"


class SimilarCaseOut(BaseModel):
    number: str
    category_code: str
    category_name: str | None
    state: str
    state_label: str
    description: str = Field(description="The first 200 characters of the description.")
    address: str | None
    lon: float | None
    lat: float | None
    reported_at: datetime
    followers: int
    score: float = Field(description="0..1: how likely this is the same problem.")
    reason: str


class SimilarOut(BaseModel):
    city_code: str
    cases: list[SimilarCaseOut]


class FollowIn(BaseModel):
    ref: str = Field(
        min_length=1,
        max_length=100,
        description="An opaque reference of the citizen (an app user id, a hashed phone number).",
    )


class FollowOut(BaseModel):
    case_number: str
    following: bool = True
    added: bool = Field(description="False when this reference already followed the case.")


class MergeIn(BaseModel):
    master: str = Field(description="The number of the case this one repeats.")
    reason: str = Field(min_length=1, max_length=500)


class MergeOut(BaseModel):
    case_number: str
    master: str
    state: str


def _city_at(session: Session, lon: float, lat: float) -> str:
    for city in list_cities(session):
        if locate(session, city.code, lon, lat) is not None:
            return city.code
    raise CityNotFoundHere(
        f"({lon}, {lat}) lies in no city of this deployment", details={"lon": lon, "lat": lat}
    )


@router.get("/reports/similar", response_model=SimilarOut)
def similar_reports(
    lat: Annotated[float, Query(ge=-90, le=90)],
    lon: Annotated[float, Query(ge=-180, le=180)],
    category: Annotated[
        str | None, Query(pattern=r"^\d{5}$", description="A matter code, e.g. 06013 (道路破损).")
    ] = None,
    text: Annotated[str, Query(max_length=2000)] = "",
    city: Annotated[
        str | None, Query(pattern=r"^\d{6}$", description="The city; default: the city containing the point.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    session: Session = SESSION,
) -> SimilarOut:
    """Open cases near the point that may be what you are about to report, most similar first.
    Public: shows no reporter and no contact. Follow one with POST …/cases/{number}/followers."""
    if city is not None:
        get_city(session, city)
        city_code = city
    else:
        city_code = _city_at(session, lon, lat)
    found = similar_open_cases(
        session, city_code, lon=lon, lat=lat, category_code=category, text=text,
        at=get_clock().now(), limit=limit,
    )  # fmt: skip
    names: dict[str, str | None] = {}
    out = []
    for candidate in found:
        case = candidate.case
        if case.category_code not in names:
            row = find_category(session, code=case.category_code, kind=case.kind, city_code=city_code)
            names[case.category_code] = row.name if row is not None else None
        state = State(case.state)
        view = SimilarCaseOut(
            number=case.number, category_code=case.category_code, category_name=names[case.category_code],
            state=state.value, state_label=STATE_LABELS[state].zh, description=case.description[:200],
            address=case.address, lon=case.lon, lat=case.lat, reported_at=case.reported_at,
            followers=len(case.followers), score=round(candidate.score, 4), reason=candidate.reason,
        )  # fmt: skip
        out.append(view)
    return SimilarOut(city_code=city_code, cases=out)


@router.post("/cities/{city_code}/cases/{number}/followers", response_model=FollowOut, status_code=201)
def follow_case(
    city_code: str,
    number: str,
    body: FollowIn,
    principal: Principal = Depends(public_or_city_principal),
    session: Session = SESSION,
) -> FollowOut:
    """Follow an open case instead of reporting it again: you get its news as its reporter does."""
    get_city(session, city_code)
    case = get_case(session, city_code, number)
    if State(case.state) not in OPEN_STATES:
        raise ActionNotAllowed(
            f"case {number} is {case.state}: only open cases can be followed", details={"state": case.state}
        )
    added = add_follower(session, case, body.ref, get_clock().now())
    return FollowOut(case_number=case.number, added=added)


@router.post("/cities/{city_code}/cases/{number}/merge", response_model=MergeOut)
def merge_case(
    city_code: str,
    number: str,
    body: MergeIn,
    principal: Principal = Depends(OPERATORS),
    session: Session = SESSION,
) -> MergeOut:
    """Void this case as a repeat report (重复上报) of `master`; its reporter follows the master."""
    case = do_merge(
        session, city_code=city_code, number=number, master_number=body.master,
        actor=Actor.from_principal(principal), reason=body.reason,
    )  # fmt: skip
    master = session.get(Case, case.master_id) if case.master_id else None
    return MergeOut(
        case_number=case.number, master=master.number if master else body.master, state=case.state
    )
