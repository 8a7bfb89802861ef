"""The command centre: the page, its figures as JSON, and a server-sent event stream of them.

The stream never holds a database session between sends: each look opens a short session,
reads, and closes it. It checks a cheap fingerprint of the city's cases every POLL_SECONDS
and sends a fresh summary when it changed or REFRESH_SECONDS have passed (the traffic lights
move with time alone); it ends when the client goes away or after MAX_STREAM_SECONDS (the
browser's EventSource then reconnects, which checks the session cookie again).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from cityloop.access import Principal
from cityloop.cities import get_city
from cityloop.core.clock import get_clock
from cityloop.db.deps import SESSION
from cityloop.db.session import make_session_factory, transaction
from cityloop.web.dashboard.guard import DASHBOARD_ROLES, staff_page
from cityloop.web.dashboard.summary import WINDOW_DAYS, case_fingerprint, dashboard_summary
from cityloop.web.i18n import request_locale
from cityloop.web.session import page_principal
from cityloop.web.templating import SECURITY_HEADERS, render

router = APIRouter(include_in_schema=False)

ROLES = DASHBOARD_ROLES
POLL_SECONDS = 1.0
REFRESH_SECONDS = 10.0
MIN_SECONDS = 2.0
MAX_STREAM_SECONDS = 3600.0


def _factory(request: Request) -> sessionmaker[Session]:
    """The app's session factory (the same one the request dependency makes and keeps)."""
    factory: sessionmaker[Session] | None = getattr(request.app.state, "session_factory", None)
    if factory is None:
        factory = request.app.state.session_factory = make_session_factory(request.app.state.engine)
    return factory


def _refusal(principal: Principal) -> JSONResponse | None:
    if not principal.authenticated or principal.city_code is None:
        return JSONResponse({"code": "access.authentication_required"}, 401, headers=SECURITY_HEADERS)
    if not principal.roles & ROLES:
        return JSONResponse({"code": "access.forbidden_role"}, 403, headers=SECURITY_HEADERS)
    return None


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, session: Session = SESSION) -> Response:
    """The command centre of the signed-in staff member's city, for a large screen."""
    allowed = staff_page(session, request, ROLES)
    if not isinstance(allowed, Principal):
        return allowed
    assert allowed.city_code is not None
    city = get_city(session, allowed.city_code)
    context = {"city": city, "window_days": WINDOW_DAYS}
    return render(request, "dashboard/index.html", context, principal=allowed)


@router.get("/dashboard/data.json")
def dashboard_data(request: Request, session: Session = SESSION) -> Response:
    """Every figure of the command centre, as JSON."""
    principal = page_principal(session, request)
    refused = _refusal(principal)
    if refused is not None:
        return refused
    assert principal.city_code is not None
    locale, _ = request_locale(request)
    summary = dashboard_summary(session, principal.city_code, at=get_clock().now(), locale=locale)
    return JSONResponse(summary, headers=SECURITY_HEADERS)


def _check(factory: sessionmaker[Session], request: Request) -> Principal:
    with transaction(factory) as session:
        return page_principal(session, request)


def _fingerprint(factory: sessionmaker[Session], city_code: str) -> tuple[int, int]:
    with transaction(factory) as session:
        return case_fingerprint(session, city_code)


class SummaryCache:
    """The newest summary of each (city, language), shared by every open dashboard of the process.

    A summary is reused while the cases' fingerprint is unchanged and it is younger than
    REFRESH_SECONDS, and in any case for MIN_SECONDS: while the simulator changes cases every
    second, each city's figures are computed at most every MIN_SECONDS, however many screens watch.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[tuple[str, str], tuple[tuple[int, int], float, dict[str, Any]]] = {}

    def get(self, factory: sessionmaker[Session], city_code: str, locale: str) -> dict[str, Any]:
        with transaction(factory) as session:
            mark = case_fingerprint(session, city_code)
            with self._lock:
                found = self._rows.get((city_code, locale))
            now = time.monotonic()
            if found is not None:
                seen, made, summary = found
                age = now - made
                if age < MIN_SECONDS or (seen == mark and age < REFRESH_SECONDS):
                    return summary
            summary = dashboard_summary(session, city_code, at=get_clock().now(), locale=locale)
        with self._lock:
            self._rows[(city_code, locale)] = (mark, now, summary)
        return summary


SUMMARIES = SummaryCache()


async def summary_events(
    request: Request, factory: sessionmaker[Session], city_code: str, locale: str
) -> AsyncIterator[str]:
    """`summary` events: at once, then on every change of the cases and every REFRESH_SECONDS."""
    yield "retry: 3000\n\n"
    last: tuple[int, int] | None = None
    sent_at, sent = "", 0.0
    began = time.monotonic()
    while time.monotonic() - began < MAX_STREAM_SECONDS:
        if await request.is_disconnected():
            return
        mark = await run_in_threadpool(_fingerprint, factory, city_code)
        if mark != last or time.monotonic() - sent >= REFRESH_SECONDS:
            summary = await run_in_threadpool(SUMMARIES.get, factory, city_code, locale)
            # The fingerprint the summary was made at: a change it missed (throttled) shows next time.
            last = (summary["fingerprint"][0], summary["fingerprint"][1])
            if summary["at"] != sent_at:
                sent_at, sent = summary["at"], time.monotonic()
                yield f"event: summary\ndata: {json.dumps(summary, ensure_ascii=False)}\n\n"
        await asyncio.sleep(POLL_SECONDS)


@router.get("/dashboard/events")
async def dashboard_events(request: Request) -> Response:
    """A server-sent event stream of the command centre's figures."""
    factory = _factory(request)
    principal = await run_in_threadpool(_check, factory, request)
    refused = _refusal(principal)
    if refused is not None:
        return refused
    assert principal.city_code is not None
    locale, _ = request_locale(request)
    headers = {**SECURITY_HEADERS, "X-Accel-Buffering": "no"}
    stream = summary_events(request, factory, principal.city_code, locale)
    return StreamingResponse(stream, media_type="text/event-stream", headers=headers)
