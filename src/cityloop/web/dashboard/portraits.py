"""The portrait page (`/dashboard/portrait/{kind}/{id}`) and the slow figures of the command centre.

The portrait is `evaluation.portrait` drawn as it is: the trend of the composite and of each
indicator score by month, the rank among peers, the strongest and weakest indicator, the city
median and, per indicator, the case numbers behind its bad part as links to the console.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from cityloop.access import Principal
from cityloop.core.clock import get_clock
from cityloop.db.deps import SESSION
from cityloop.evaluation import KINDS, EntityNotFound, portrait
from cityloop.web.citizen import not_found
from cityloop.web.dashboard.guard import DASHBOARD_ROLES as ROLES
from cityloop.web.dashboard.guard import staff_page
from cityloop.web.dashboard.insights import INSIGHTS
from cityloop.web.i18n import request_locale
from cityloop.web.session import page_principal
from cityloop.web.templating import SECURITY_HEADERS, render

router = APIRouter(include_in_schema=False)

#: Months drawn on a portrait.
MONTHS = 6


def shown_month(months: list[dict[str, Any]]) -> dict[str, Any]:
    """The month the page details: the newest one with a composite, else the newest."""
    graded = [m for m in months if m["composite"] is not None]
    return graded[-1] if graded else months[-1]


def chart_data(data: dict[str, Any]) -> dict[str, Any]:
    """The series of the trend chart: composite and each score by month (None where no data)."""
    names = list(data["months"][-1]["scores"])
    return {
        "months": [m["month"] for m in data["months"]],
        "composite": [m["composite"] for m in data["months"]],
        "scores": {name: [m["scores"].get(name) for m in data["months"]] for name in names},
    }


@router.get("/dashboard/portrait/{kind}/{entity_id}", response_class=HTMLResponse)
def portrait_page(kind: str, entity_id: str, request: Request, session: Session = SESSION) -> Response:
    """One entity month by month beside its peers, one click from the cases behind a bad figure."""
    allowed = staff_page(session, request, ROLES)
    if not isinstance(allowed, Principal):
        return allowed
    assert allowed.city_code is not None
    if kind not in KINDS:
        return not_found(request, session)
    try:
        data = portrait(session, allowed.city_code, kind, entity_id, months=MONTHS)
    except EntityNotFound:
        return not_found(request, session)
    context = {"data": data, "month": shown_month(data["months"]), "chart": chart_data(data)}
    return render(request, "dashboard/portrait.html", context, principal=allowed)


@router.get("/dashboard/insights.json")
def dashboard_insights_json(request: Request, session: Session = SESSION) -> Response:
    """The department ranking, hot spots and recurrence rate of the command centre, as JSON."""
    principal = page_principal(session, request)
    if not principal.authenticated or principal.city_code is None:
        return JSONResponse({"code": "access.authentication_required"}, 401, headers=SECURITY_HEADERS)
    if not principal.roles & ROLES:
        return JSONResponse({"code": "access.forbidden_role"}, 403, headers=SECURITY_HEADERS)
    locale, _ = request_locale(request)
    insights = INSIGHTS.get(session, principal.city_code, locale, get_clock().now())
    return JSONResponse(insights, headers=SECURITY_HEADERS)
