"""What every administration page shares: the admin check and the page's frame."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cityloop.access import Principal
from cityloop.cities import get_city
from cityloop.web.dashboard.guard import staff_page
from cityloop.web.templating import render

ROLES = frozenset({"admin"})

#: The sections of the administration, in the order of the navigation: (path, template, title key).
SECTIONS = (
    ("/admin", "parameters"),
    ("/admin/calendar", "calendar"),
    ("/admin/limits", "limits"),
    ("/admin/rules", "rules"),
    ("/admin/taxonomy", "taxonomy"),
    ("/admin/staff", "staff"),
    ("/admin/devices", "devices"),
)


def admin_principal(session: Session, request: Request) -> Principal | Response:
    """The signed-in admin, or the redirect / 403 page to send instead."""
    return staff_page(session, request, ROLES)


def admin_page(
    request: Request, session: Session, principal: Principal, section: str, context: dict[str, Any]
) -> Response:
    """Render the section's template in the administration's frame."""
    assert principal.city_code is not None
    values = {
        "city": get_city(session, principal.city_code),
        "section": section,
        "sections": SECTIONS,
        "saved": request.query_params.get("saved") == "1",
        **context,
    }
    return render(request, f"admin/{section}.html", values, principal=principal)
