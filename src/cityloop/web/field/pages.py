"""The field page (`/field`, mobile first): a worker's, a department's or an inspector's open tasks
by due time, with the traffic light, navigation to the point and the actions of each task.

Server-rendered forms, posted back here (photos as multipart): they work on any phone without
JavaScript; `static/js/field.js` only adds the distance from where the phone is and the map
of one case. After a successful post the browser is sent back to the list (post/redirect/get);
a refused one shows the list again with the reason, and nothing is kept.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cityloop.cases.errors import CaseNotFound
from cityloop.cases.evidence import upload_limit, upload_too_large
from cityloop.cases.queries import get_case
from cityloop.cases.workflow import ACTIONS
from cityloop.cities import get_city
from cityloop.core.bodylimit import BodyLimitRoute, body_limit
from cityloop.core.clock import get_clock
from cityloop.core.errors import CityLoopError
from cityloop.core.principal import Principal
from cityloop.db.deps import SESSION
from cityloop.web.field.actions import EXTENSION_UNITS, MAX_EXTENSION, Upload, do_field_action, do_field_photo
from cityloop.web.field.views import FIELD_ROLES, task_cards
from cityloop.web.i18n import request_locale
from cityloop.web.session import check_same_origin, page_principal
from cityloop.web.templating import render

router = APIRouter(include_in_schema=False, route_class=BodyLimitRoute)


def field_principal(session: Session, request: Request) -> Principal | Response:
    """The signed-in staff member when they hold a field role; else a redirect to sign in, or the 403 page."""
    principal = page_principal(session, request)
    if not principal.authenticated or principal.kind != "staff" or principal.city_code is None:
        return RedirectResponse("/login", status_code=303)
    if not principal.roles & FIELD_ROLES:
        context = {"required": sorted(FIELD_ROLES)}
        return render(request, "field/forbidden.html", context, status=403, principal=principal)
    return principal


def _error(request: Request) -> dict[str, str] | None:
    """The refusal a redirect names (`?refused=code&case=number`), shown above the list."""
    code = request.query_params.get("refused", "")
    if not code:
        return None
    return {"code": code[:60], "case": request.query_params.get("case", "")[:40]}


def _tasks_page(request: Request, session: Session, principal: Principal) -> HTMLResponse:
    locale, _chosen = request_locale(request)
    city_code = principal.city_code or ""
    cards = task_cards(session, city_code, principal, locale, get_clock().now())
    done = request.query_params.get("done", "")
    values = {
        "cards": cards,
        "city_code": city_code,
        "timezone": get_city(session, city_code).timezone,
        "done": done if done in ACTIONS or done == "photo" else "",
        "done_label": ACTIONS[done].label.get(locale) if done in ACTIONS else "",
        "done_case": request.query_params.get("case", "")[:40],
        "error": _error(request),
        "extension_units": EXTENSION_UNITS,
        "max_extension": MAX_EXTENSION,
    }
    return render(request, "field/tasks.html", values, principal=principal)


@router.get("/field", response_class=HTMLResponse)
def field_tasks(request: Request, session: Session = SESSION) -> Response:
    """The signed-in person's open tasks, soonest due first."""
    principal = field_principal(session, request)
    if not isinstance(principal, Principal):
        return principal
    return _tasks_page(request, session, principal)


@router.get("/field/map/{number}", response_class=HTMLResponse)
def field_map(request: Request, number: str, session: Session = SESSION) -> Response:
    """The point of one case of the person's city on the city's own map (no tiles from another host)."""
    principal = field_principal(session, request)
    if not isinstance(principal, Principal):
        return principal
    try:
        case = get_case(session, principal.city_code or "", number)
    except CaseNotFound:
        return render(request, "not_found.html", status=404, principal=principal)
    return render(request, "field/map.html", {"case": case}, principal=principal)


def _upload(file: UploadFile | None) -> Upload | None:
    if file is None or not file.filename:
        return None
    return Upload(filename=file.filename, content=file.file.read())


def _refused(session: Session, exc: CityLoopError, number: str) -> RedirectResponse:
    """Back to the list naming the refusal: nothing of the post is kept (a stored photo included),
    and a reload of the page does not post again."""
    session.rollback()
    query = urlencode({"refused": exc.code, "case": number})
    return RedirectResponse(f"/field?{query}#task-{quote(number, safe='-')}", status_code=303)


def _back(action: str, number: str) -> RedirectResponse:
    query = urlencode({"done": action, "case": number})
    return RedirectResponse(f"/field?{query}#task-{quote(number, safe='-')}", status_code=303)


@router.post("/field/cases/{number}/photo", response_class=HTMLResponse)
@body_limit(upload_limit, upload_too_large)
def field_photo(
    request: Request,
    number: str,
    file: Annotated[UploadFile | None, File()] = None,
    phase: Annotated[str, Form(max_length=10)] = "after",
    session: Session = SESSION,
) -> Response:
    """Keep a before or after photo of a case the person is handling."""
    check_same_origin(request)
    principal = field_principal(session, request)
    if not isinstance(principal, Principal):
        return principal
    upload = _upload(file)
    try:
        do_field_photo(
            session, principal=principal, number=number, phase=phase,
            upload=upload or Upload(None, b""),
        )  # fmt: skip
    except CityLoopError as exc:
        return _refused(session, exc, number)
    return _back("photo", number)


@router.post("/field/cases/{number}/act", response_class=HTMLResponse)
@body_limit(upload_limit, upload_too_large)
def field_action(
    request: Request,
    number: str,
    action: Annotated[str, Form(max_length=30)],
    reason: Annotated[str, Form(max_length=500)] = "",
    extra_amount: Annotated[str, Form(max_length=5)] = "",
    extra_unit: Annotated[str, Form(max_length=20)] = "working_hours",
    file: Annotated[UploadFile | None, File()] = None,
    session: Session = SESSION,
) -> Response:
    """Take a step on a case among the person's tasks (sign, feed back, ask, verify, check)."""
    check_same_origin(request)
    principal = field_principal(session, request)
    if not isinstance(principal, Principal):
        return principal
    upload = _upload(file)
    try:
        do_field_action(
            session,
            principal=principal,
            number=number,
            action=action,
            reason=reason,
            upload=upload,
            extra_amount=int(extra_amount) if extra_amount.strip().isdigit() else None,
            extra_unit=extra_unit,
            follow_ups=getattr(request.app.state, "after_transition", ()),
        )
    except CityLoopError as exc:
        return _refused(session, exc, number)
    return _back(action, number)
