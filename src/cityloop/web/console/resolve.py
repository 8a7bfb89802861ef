"""The operator resolves a waiting report from its queue: a category for manual_category, a
place (longitude, latitude) for manual_location; the pipeline then goes on (`flows.resolve`)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cityloop.cases import Actor
from cityloop.core.clock import get_clock
from cityloop.core.errors import CityLoopError
from cityloop.db.deps import SESSION
from cityloop.flows.resolve import resolve_report
from cityloop.web.console.access import console_form_principal

router = APIRouter(include_in_schema=False)


def _float(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return None


@router.post("/console/reports/{report_id}/resolve", response_class=HTMLResponse)
def resolve(
    request: Request,
    report_id: int,
    queue: Annotated[str, Form(max_length=20)] = "",
    category_code: Annotated[str, Form(max_length=5)] = "",
    lon: Annotated[str, Form(max_length=30)] = "",
    lat: Annotated[str, Form(max_length=30)] = "",
    session: Session = SESSION,
) -> Response:
    """Apply the operator's choice; back to the queue with the outcome (a case number, or why not)."""
    principal = console_form_principal(session, request)
    if isinstance(principal, Response):
        return principal
    query = {"queue": queue or "manual_category", "report": str(report_id)}
    try:
        with session.begin_nested():
            result = resolve_report(
                session, city_code=principal.city_code or "", report_id=report_id,
                actor=Actor.from_principal(principal), category_code=category_code.strip() or None,
                lon=_float(lon), lat=_float(lat), now=get_clock().now(),
            )  # fmt: skip
        query["resolved"] = result.case.number if result.case is not None else result.status
    except CityLoopError as exc:
        query["refused"] = exc.message
    return RedirectResponse(f"/console?{urlencode(query)}#reports", status_code=303)
