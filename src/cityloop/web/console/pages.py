"""The console's queue page (`/console`): tabs with counts, filters, pages, and batch actions.

Rendered on the server from the domain queries; a batch is a plain form post whose result
lists every case with "done" or the reason it was refused.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case
from cityloop.cases.queries import case_light
from cityloop.cases.workflow import SOURCES
from cityloop.cities import get_city
from cityloop.core.clock import get_clock
from cityloop.core.principal import Principal
from cityloop.db.deps import SESSION
from cityloop.deadlines import get_calendar
from cityloop.dispatch import load_routing_table, returned_departments, route_case
from cityloop.intake import Report
from cityloop.org import list_departments
from cityloop.taxonomy import find_category
from cityloop.web.console.access import console_form_principal, console_principal
from cityloop.web.console.operations import BULK_ACTIONS, Outcome, run_bulk
from cityloop.web.console.queues import (
    QUEUE_BY_KEY,
    QUEUES,
    SOURCE_LABELS,
    Filters,
    Queue,
    case_page,
    case_statement,
    default_queue,
    pages,
    queue_counts,
    report_page,
    report_statement,
)
from cityloop.web.console.views import state_label
from cityloop.web.i18n import request_locale
from cityloop.web.templating import render

router = APIRouter(include_in_schema=False)

Code = Annotated[str, Query(max_length=15, pattern=r"^[0-9A-Za-z]*$")]


def category_name(session: Session, case: Case, locale: str) -> str:
    row = find_category(session, code=case.category_code, kind=case.kind, city_code=case.city_id)
    if row is None:
        return ""
    return row.name_en if locale == "en" and row.name_en else row.name


def _case_rows(
    session: Session, queue: Queue, cases: list[Case], locale: str, at: datetime
) -> list[dict[str, Any]]:
    calendar = get_calendar(session, cases[0].city_id) if cases else None
    table = load_routing_table(session, cases[0].city_id) if cases and queue.key == "dispatch" else None
    rows = []
    for case in cases:
        routed = None
        if table is not None:
            decision = route_case(
                session, case, at=at, exclude=returned_departments(session, case), table=table
            )
            routed = {"department": decision.department, "how": decision.how, "reason": decision.reason}
        rows.append(
            {
                "case": case,
                "state": state_label(case.state, locale),
                "category": category_name(session, case, locale),
                "source": SOURCE_LABELS[case.source].get(locale)
                if case.source in SOURCE_LABELS
                else case.source,
                "light": case_light(case, calendar, at) if calendar else None,
                "pending": case.pending or None,
                "routed": routed,
            }
        )
    return rows


def _report_rows(reports: list[Report]) -> list[dict[str, Any]]:
    rows = []
    for report in reports:
        payload = report.payload if isinstance(report.payload, dict) else {}
        decision = report.decision or {}
        rows.append(
            {
                "report": report,
                "description": str(payload.get("description") or "")[:300],
                "address": str(payload.get("address") or ""),
                "candidates": [c for c in decision.get("candidates", []) if isinstance(c, dict)],
                "location": decision.get("location") if isinstance(decision.get("location"), dict) else None,
            }
        )
    return rows


def queue_url(filters: Filters, key: str, page: int = 1) -> str:
    """The link to page `page` of queue `key` under the same filters."""
    return "/console?" + urlencode({"queue": key, "page": page, **filters.query()})


def queue_page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    queue_key: str,
    filters: Filters,
    page: int,
    outcomes: list[Outcome] | None = None,
    bulk_action: str | None = None,
) -> Response:
    locale, _ = request_locale(request)
    city_code = principal.city_code or ""
    at = get_clock().now()
    queue = QUEUE_BY_KEY.get(queue_key) or QUEUE_BY_KEY[default_queue(principal.roles)]
    counts = queue_counts(session, city_code, filters, at)
    total = counts[queue.key]
    page = max(1, min(page, pages(total)))
    context: dict[str, Any] = {
        "queues": [{"key": q.key, "label": q.label.get(locale), "count": counts[q.key]} for q in QUEUES],
        "queue": queue,
        "queue_label": queue.label.get(locale),
        "filters": filters,
        "queue_url": partial(queue_url, filters),
        "tz": get_city(session, city_code).timezone,
        "sources": [(s, SOURCE_LABELS[s].get(locale)) for s in SOURCES],
        "page": page,
        "pages": pages(total),
        "total": total,
        "bulk_actions": [(k, v.get(locale)) for k, v in BULK_ACTIONS.items()],
        "departments": list(session.scalars(list_departments(session, city_code))),
        "outcomes": outcomes,
        "bulk_action": BULK_ACTIONS[bulk_action].get(locale) if bulk_action in BULK_ACTIONS else None,
        "rows": [],
        "reports": [],
    }
    if queue.of_reports:
        stmt = report_statement(session, city_code, queue, filters)
        context["reports"] = _report_rows(report_page(session, stmt, page))
    else:
        stmt_cases = case_statement(city_code, queue, filters, at)
        context["rows"] = _case_rows(session, queue, case_page(session, stmt_cases, page), locale, at)
    return render(request, "console/queue.html", context, principal=principal)


@router.get("/console", response_class=HTMLResponse)
def console(
    request: Request,
    queue: Annotated[str, Query(max_length=20)] = "",
    category: Code = "",
    area: Code = "",
    source: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    session: Session = SESSION,
) -> Response:
    """The queues of the signed-in operator, shift leader or dispatcher."""
    principal = console_principal(session, request)
    if isinstance(principal, Response):
        return principal
    filters = Filters(category=category, area=area, source=source if source in SOURCES else "")
    return queue_page(request, session, principal, queue_key=queue, filters=filters, page=page)


@router.post("/console/bulk", response_class=HTMLResponse)
def bulk(
    request: Request,
    action: Annotated[str, Form(max_length=20)],
    numbers: Annotated[list[str] | None, Form(max_length=200)] = None,
    queue: Annotated[str, Form(max_length=20)] = "",
    category: Annotated[str, Form(max_length=15)] = "",
    area: Annotated[str, Form(max_length=15)] = "",
    source: Annotated[str, Form(max_length=20)] = "",
    department: Annotated[str, Form(max_length=32)] = "",
    master: Annotated[str, Form(max_length=40)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    category_code: Annotated[str, Form(max_length=5)] = "",
    session: Session = SESSION,
) -> Response:
    """Take one action on every selected case; the page lists each case's outcome."""
    principal = console_form_principal(session, request)
    if isinstance(principal, Response):
        return principal
    outcomes = run_bulk(
        session,
        city_code=principal.city_code or "",
        action=action,
        numbers=numbers or [],
        actor=Actor.from_principal(principal),
        at=get_clock().now(),
        follow_up=getattr(request.app.state, "after_transition", ()),
        department=department or None,
        master=master or None,
        reason=reason or None,
        category_code=category_code or None,
    )
    filters = Filters(category=category, area=area, source=source if source in SOURCES else "")
    return queue_page(
        request,
        session,
        principal,
        queue_key=queue,
        filters=filters,
        page=1,
        outcomes=outcomes,
        bulk_action=action,
    )
