"""Who may use the console: signed-in staff of the supervision and command centres.

The console serves the city of the signed-in staff member only (the session's token names
it). Someone not signed in goes to the sign-in page; staff of another role see a 403 page.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from cityloop.core.principal import Principal
from cityloop.web.session import check_same_origin, page_principal
from cityloop.web.templating import render

#: Leaders and admins read the console (the case behind a figure of a portrait, a queue); the
#: actions offered are those of their roles, so they change nothing there.
CONSOLE_ROLES = frozenset({"operator", "dispatcher", "shift_leader", "leader", "admin"})


def console_principal(session: Session, request: Request) -> Principal | Response:
    """The signed-in console user, or the response to send instead (sign-in redirect or 403 page)."""
    principal = page_principal(session, request)
    if not principal.authenticated:
        return RedirectResponse("/login", status_code=303)
    if principal.kind != "staff" or principal.city_code is None or not principal.roles & CONSOLE_ROLES:
        return render(request, "console/forbidden.html", status=403, principal=principal)
    return principal


def console_form_principal(session: Session, request: Request) -> Principal | Response:
    """`console_principal` for a form post, which must also come from our own pages (same origin)."""
    check_same_origin(request)
    return console_principal(session, request)
