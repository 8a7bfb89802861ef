"""The console's case page (`/console/cases/{number}`): map, photos, the timeline with the reasons of
automatic decisions, duplicate suggestions with a merge button, and the actions the role may take.

Actions are plain form posts: on success the page is shown again (303, so a reload does not
repeat the action); a refused action shows the page with the refusal and changes nothing.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cityloop.cases import Actor, do_recategorise
from cityloop.cases.errors import CaseNotFound
from cityloop.cases.queries import case_light, get_case, timeline
from cityloop.cases.workflow import SATISFACTION, URGENCIES
from cityloop.cities import get_city
from cityloop.core.clock import get_clock
from cityloop.core.errors import CityLoopError
from cityloop.core.principal import Principal
from cityloop.db.deps import SESSION
from cityloop.deadlines import get_calendar
from cityloop.org import list_departments
from cityloop.web.citizen import not_found
from cityloop.web.console.access import console_form_principal, console_principal
from cityloop.web.console.operations import do_action, do_console_merge, preview_dispatch
from cityloop.web.console.pages import category_name
from cityloop.web.console.queues import SOURCE_LABELS
from cityloop.web.console.views import (
    action_label,
    allowed_actions,
    can_merge,
    event_views,
    intake_duplicates,
    state_label,
    suggestions,
)
from cityloop.web.i18n import request_locale
from cityloop.web.templating import render

router = APIRouter(include_in_schema=False)

_CASE = "/console/cases/{number}"


def case_page(
    request: Request, session: Session, principal: Principal, number: str, *, error: str | None = None
) -> Response:
    locale, _ = request_locale(request)
    city_code = principal.city_code or ""
    try:
        case = get_case(session, city_code, number)
    except CaseNotFound:
        return not_found(request, session)
    at = get_clock().now()
    events = timeline(session, case)
    plan = preview_dispatch(session, case, at)
    done = request.query_params.get("done", "")
    context: dict[str, Any] = {
        "case": case,
        "city": get_city(session, city_code),
        "state": state_label(case.state, locale),
        "category": category_name(session, case, locale),
        "source": SOURCE_LABELS[case.source].get(locale) if case.source in SOURCE_LABELS else case.source,
        "light": case_light(case, get_calendar(session, city_code), at),
        "events": event_views(events, locale),
        "photos": [e for e in case.evidence if e.content_type.startswith("image/")],
        "duplicates": intake_duplicates(events),
        "suggestions": suggestions(session, case, intake_duplicates(events), locale),
        "can_merge": can_merge(case, principal),
        "actions": [(a, a.label.get(locale)) for a in allowed_actions(case, principal)],
        "plan": plan,
        "departments": list(session.scalars(list_departments(session, city_code))),
        "urgencies": URGENCIES,
        "ratings": SATISFACTION,
        "master": None,
        "error": error,
        "done": action_label(done, locale) if done else None,
    }
    if case.master_id is not None:
        master = session.get(type(case), case.master_id)
        context["master"] = master.number if master else None
    return render(request, "console/case.html", context, principal=principal)


@router.get(_CASE, response_class=HTMLResponse)
def show_case(request: Request, number: str, session: Session = SESSION) -> Response:
    """One case as the console shows it."""
    principal = console_principal(session, request)
    if isinstance(principal, Response):
        return principal
    return case_page(request, session, principal, number)


@router.post(_CASE + "/actions/{action}", response_class=HTMLResponse)
def take_action(
    request: Request,
    number: str,
    action: str,
    reason: Annotated[str, Form(max_length=4000)] = "",
    department: Annotated[str, Form(max_length=32)] = "",
    urgency: Annotated[str, Form(max_length=10)] = "",
    rating: Annotated[str, Form(max_length=10)] = "",
    session: Session = SESSION,
) -> Response:
    """Take a workflow action on the case (then the automatic steps that follow it)."""
    principal = console_form_principal(session, request)
    if isinstance(principal, Response):
        return principal
    data: dict[str, Any] = {}
    if department:
        data["department"] = department
    if urgency:
        data["urgency"] = urgency
    if rating:
        data["rating"] = rating
    try:
        do_action(
            session, city_code=principal.city_code or "", number=number, action=action,
            actor=Actor.from_principal(principal), at=get_clock().now(),
            follow_up=getattr(request.app.state, "after_transition", ()), reason=reason.strip() or None, data=data,
        )  # fmt: skip
    except CityLoopError as exc:
        return case_page(request, session, principal, number, error=exc.message)
    return RedirectResponse(
        f"/console/cases/{quote(number, safe='')}?done={quote(action, safe='')}", status_code=303
    )


@router.post(_CASE + "/merge", response_class=HTMLResponse)
def merge(
    request: Request,
    number: str,
    master: Annotated[str, Form(max_length=40)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    session: Session = SESSION,
) -> Response:
    """Void the case as a repeat report of `master` (a suggestion of intake, or a number typed in)."""
    principal = console_form_principal(session, request)
    if isinstance(principal, Response):
        return principal
    try:
        do_console_merge(
            session, city_code=principal.city_code or "", number=number, master=master,
            actor=Actor.from_principal(principal), reason=reason, at=get_clock().now(),
        )  # fmt: skip
    except CityLoopError as exc:
        return case_page(request, session, principal, number, error=exc.message)
    return RedirectResponse(f"/console/cases/{quote(number, safe='')}?done=merge", status_code=303)


@router.post(_CASE + "/category", response_class=HTMLResponse)
def change_category(
    request: Request,
    number: str,
    category_code: Annotated[str, Form(max_length=5)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    session: Session = SESSION,
) -> Response:
    """Correct the case's category before filing (the timeline keeps both codes and the reason)."""
    principal = console_form_principal(session, request)
    if isinstance(principal, Response):
        return principal
    try:
        with session.begin_nested():
            do_recategorise(
                session, city_code=principal.city_code or "", number=number, category_code=category_code.strip(),
                actor=Actor.from_principal(principal), reason=reason, now=get_clock().now(),
            )  # fmt: skip
    except CityLoopError as exc:
        return case_page(request, session, principal, number, error=exc.message)
    return RedirectResponse(f"/console/cases/{quote(number, safe='')}?done=category", status_code=303)
