"""The public tracking page of a case (`/track/{number}`): state, timeline, photos after the fix.

What the public sees is chosen here, not in the template: the state and action labels,
the time of each step and whether a person, the system or the citizen acted — never the
reporter's contact, never a staff member's name, never the internal reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cityloop.api.callback import do_citizen_callback
from cityloop.cases import Case
from cityloop.cases.errors import CaseNotFound
from cityloop.cases.queries import get_case, timeline
from cityloop.cases.workflow import ACTIONS, CREATE_ACTIONS, SATISFACTION, STATE_LABELS, State
from cityloop.cities import get_city
from cityloop.core.errors import CityLoopError
from cityloop.core.i18n import Text
from cityloop.db.deps import SESSION
from cityloop.taxonomy import find_category
from cityloop.web.citizen import not_found
from cityloop.web.i18n import request_locale
from cityloop.web.session import check_same_origin, page_principal
from cityloop.web.templating import render

router = APIRouter(include_in_schema=False)

#: Events shown to the public besides the workflow actions: a repeat report merged into another case.
PUBLIC_EXTRA = {"merge": Text("合并到其他案件", "Merged into another case")}
ACTOR_KINDS = {"system": "系统", "staff": "工作人员", "citizen": "市民"}


@dataclass(frozen=True)
class PublicEvent:
    at: datetime
    label: str
    state: str
    actor: str


def _label(action: str) -> Text | None:
    if action in ACTIONS:
        return ACTIONS[action].label
    return CREATE_ACTIONS.get(action) or PUBLIC_EXTRA.get(action)


def public_timeline(session: Session, case: Case, locale: str) -> list[PublicEvent]:
    """The case's steps a citizen may see, oldest first."""
    events = []
    for event in timeline(session, case):
        label = _label(event.action)
        if label is None:
            continue
        events.append(
            PublicEvent(
                at=event.at,
                label=label.get(locale),
                state=STATE_LABELS[State(event.to_state)].get(locale),
                actor=ACTOR_KINDS.get(event.actor_kind, "系统"),
            )
        )
    return events


@router.get("/track", response_class=HTMLResponse)
def track_lookup(
    request: Request, number: Annotated[str, Query(max_length=40)] = "", session: Session = SESSION
) -> Response:
    """The look-up form; with `?number=` it leads to that case's page."""
    if number.strip():
        return RedirectResponse(f"/track/{number.strip()}", status_code=303)
    return render(request, "citizen/track_lookup.html", principal=page_principal(session, request))


@router.get("/track/{number}", response_class=HTMLResponse)
def track_page(request: Request, number: str, session: Session = SESSION) -> Response:
    """A case as the public may follow it; the city is the first part of the number."""
    locale, _ = request_locale(request)
    city_code = number.split("-", 1)[0]
    try:
        city = get_city(session, city_code)
        case = get_case(session, city_code, number)
    except (CaseNotFound, CityLoopError):
        return not_found(request, session)
    category = find_category(session, code=case.category_code, kind=case.kind, city_code=city_code)
    master = session.get(Case, case.master_id) if case.master_id else None
    photos = [e for e in case.evidence if e.phase == "after" and e.content_type.startswith("image/")]
    context = {
        "case": case,
        "city": city,
        "category": (category.name_en if locale == "en" and category.name_en else category.name)
        if category
        else case.category_code,
        "state": STATE_LABELS[State(case.state)].get(locale),
        "events": public_timeline(session, case, locale),
        "photos": photos,
        "master": master.number if master else None,
        "closed": case.state == State.CLOSED,
        "ratings": SATISFACTION,
        "callback": CALLBACK_MESSAGES.get(request.query_params.get("callback", "")),
        "callback_ok": request.query_params.get("callback") == "ok",
    }
    return render(request, "citizen/track.html", context, principal=page_principal(session, request))


#: What the citizen is told after rating (the outcome travels in the redirect's query).
CALLBACK_MESSAGES = {
    "ok": "感谢您的评价。",
    "cases.not_the_reporter": "联系方式与反映问题时填写的不一致。",
    "cases.already_rated": "这个问题已经评价过了。",
    "cases.not_closed": "问题办结后才能评价。",
    "invalid": "请选择一项评价。",
}


@router.post("/track/{number}/callback", response_class=HTMLResponse)
def track_callback(
    request: Request,
    number: str,
    rating: Annotated[str, Form()] = "",
    comment: Annotated[str, Form(max_length=500)] = "",
    proof: Annotated[str, Form(max_length=200)] = "",
    session: Session = SESSION,
) -> Response:
    """The citizen rates a closed case, proving with the phone or email they reported with."""
    check_same_origin(request)
    city_code = number.split("-", 1)[0]
    outcome = "ok"
    if rating not in SATISFACTION or not proof.strip():
        outcome = "invalid"
    else:
        try:
            with session.begin_nested():
                do_citizen_callback(
                    session, request, city_code=city_code, number=number, proof=proof, rating=rating,
                    comment=comment,
                )  # fmt: skip
        except CaseNotFound:
            return not_found(request, session)
        except CityLoopError as exc:
            outcome = exc.code if exc.code in CALLBACK_MESSAGES else "invalid"
    return RedirectResponse(f"/track/{number}?callback={outcome}#callback-title", status_code=303)
