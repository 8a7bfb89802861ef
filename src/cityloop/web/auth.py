"""Sign-in and sign-out pages for staff, and the landing page after signing in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cityloop.access import do_issue_token, do_revoke_token
from cityloop.cities import list_cities
from cityloop.core.clock import get_clock
from cityloop.core.errors import CityLoopError
from cityloop.db.deps import SESSION
from cityloop.web.session import (
    check_same_origin,
    clear_session_cookie,
    cookie_token,
    page_principal,
    set_session_cookie,
)
from cityloop.web.templating import SECURITY_HEADERS, render

router = APIRouter(include_in_schema=False)


def _login_page(
    request: Request, session: Session, *, error: bool = False, values: dict[str, str]
) -> HTMLResponse:
    context = {"cities": list_cities(session), "error": error, "values": values}
    return render(request, "staff/login.html", context)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, session: Session = SESSION) -> Response:
    """The sign-in form; someone already signed in goes to their workspace."""
    if page_principal(session, request).authenticated:
        return RedirectResponse("/home", status_code=303)
    return _login_page(request, session, values={"city": request.query_params.get("city", "")})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    city: Annotated[str, Form(max_length=6)] = "",
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    session: Session = SESSION,
) -> Response:
    """Check the password, keep the staff token in the session cookie, go to the workspace.
    Every failure shows the same message, as the API's sign-in does."""
    check_same_origin(request)
    try:
        row, secret = do_issue_token(
            session, city_code=city, username=username, password=password, now=get_clock().now()
        )
    except CityLoopError:
        # The form again with the message; 200, as a page (a 401 would need WWW-Authenticate).
        return _login_page(request, session, error=True, values={"city": city, "username": username})
    response = RedirectResponse("/home", status_code=303, headers=SECURITY_HEADERS)
    set_session_cookie(response, secret, row.expires_at)
    return response


@router.post("/logout")
def logout(request: Request, session: Session = SESSION) -> Response:
    """Revoke the session's token and forget the cookie."""
    check_same_origin(request)
    principal = page_principal(session, request)
    token = cookie_token(request)
    if principal.authenticated and principal.city_code and token:
        do_revoke_token(session, city_code=principal.city_code, secret=token, now=get_clock().now())
    response = RedirectResponse("/login", status_code=303, headers=SECURITY_HEADERS)
    clear_session_cookie(response)
    return response


@router.get("/home", response_class=HTMLResponse)
def home(request: Request, session: Session = SESSION) -> Response:
    """The signed-in staff member's landing page (the role pages come in the next slices)."""
    principal = page_principal(session, request)
    if not principal.authenticated:
        return RedirectResponse("/login", status_code=303)
    return render(request, "staff/home.html", principal=principal)
