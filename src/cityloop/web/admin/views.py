"""The administration's pages that read: calendar, time limits, staff and devices."""

from __future__ import annotations

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from cityloop.access import Principal
from cityloop.db.deps import SESSION
from cityloop.deadlines import export_calendar, list_policies
from cityloop.intake.devices import export_devices
from cityloop.org import list_staff
from cityloop.web.admin.common import admin_page, admin_principal

router = APIRouter(include_in_schema=False)


def calendar_text(session: Session, city_code: str) -> str:
    """The city's calendar in its file form (YAML), as an admin edits and imports it."""
    return yaml.safe_dump(export_calendar(session, city_code), allow_unicode=True, sort_keys=False)


@router.get("/admin/calendar", response_class=HTMLResponse)
def calendar_page(request: Request, session: Session = SESSION) -> Response:
    """The working calendar: week, holidays and make-up days, and a form to import a new one."""
    who = admin_principal(session, request)
    if not isinstance(who, Principal):
        return who
    assert who.city_code is not None
    data = export_calendar(session, who.city_code)
    context = {"calendar": data, "text": calendar_text(session, who.city_code), "error": None}
    return admin_page(request, session, who, "calendar", context)


@router.get("/admin/limits", response_class=HTMLResponse)
def limits_page(request: Request, session: Session = SESSION) -> Response:
    """The time limits of each step and urgency."""
    who = admin_principal(session, request)
    if not isinstance(who, Principal):
        return who
    assert who.city_code is not None
    policies = list_policies(session, who.city_code)
    return admin_page(request, session, who, "limits", {"policies": policies})


@router.get("/admin/staff", response_class=HTMLResponse)
def staff_page(request: Request, session: Session = SESSION) -> Response:
    """The city's staff with their roles, departments and whether they are active."""
    who = admin_principal(session, request)
    if not isinstance(who, Principal):
        return who
    assert who.city_code is not None
    staff = list(session.scalars(list_staff(session, who.city_code, include_inactive=True)))
    return admin_page(request, session, who, "staff", {"staff": staff})


@router.get("/admin/devices", response_class=HTMLResponse)
def devices_page(request: Request, session: Session = SESSION) -> Response:
    """The city's active cameras and sensors."""
    who = admin_principal(session, request)
    if not isinstance(who, Principal):
        return who
    assert who.city_code is not None
    return admin_page(request, session, who, "devices", {"devices": export_devices(session, who.city_code)})
