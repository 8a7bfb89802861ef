"""Who may open a staff page: signed in (else to /login) and holding one of the page's roles (else 403)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from cityloop.access import Principal
from cityloop.web.session import page_principal
from cityloop.web.templating import render

#: Who may watch the command centre and its portraits.
DASHBOARD_ROLES = frozenset({"leader", "shift_leader", "admin", "dispatcher"})


def staff_page(session: Session, request: Request, roles: frozenset[str]) -> Principal | Response:
    """The signed-in staff member when they hold one of `roles`; otherwise the response to send:
    a redirect to the sign-in page, or the 403 page naming the roles needed."""
    principal = page_principal(session, request)
    if not principal.authenticated or principal.kind != "staff" or principal.city_code is None:
        return RedirectResponse("/login", status_code=303)
    if not principal.roles & roles:
        context = {"required": sorted(roles)}
        return render(request, "dashboard/forbidden.html", context, status=403, principal=principal)
    return principal
