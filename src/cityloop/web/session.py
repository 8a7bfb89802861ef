"""Staff sessions of the web pages: a staff token (access package) kept in a cookie.

The cookie is HttpOnly (no script can read it), Secure (sent over HTTPS only; browsers
treat http://localhost and 127.0.0.1 as secure for development) and SameSite=Lax (no
cross-site form post carries it). Posts of the pages also check the Origin header, so a
form on another site cannot sign someone in or out.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import Request, Response
from sqlalchemy.orm import Session

from cityloop.access import ANONYMOUS, Principal, authenticate
from cityloop.core.clock import get_clock
from cityloop.core.errors import CityLoopError, PermissionDenied

SESSION_COOKIE = "cityloop_session"


class CrossSiteForm(PermissionDenied):
    default_code = "web.cross_site_form"


def cookie_token(request: Request) -> str | None:
    value = request.cookies.get(SESSION_COOKIE, "").strip()
    return value or None


def page_principal(session: Session, request: Request) -> Principal:
    """Who is looking at the page: the staff member of a valid session cookie, or anonymous.
    An expired or revoked cookie reads as anonymous (the page then offers to sign in)."""
    token = cookie_token(request)
    if token is None:
        return ANONYMOUS
    try:
        return authenticate(session, authorization=f"Bearer {token}", api_key=None, now=get_clock().now())
    except CityLoopError:
        return ANONYMOUS


def set_session_cookie(response: Response, token: str, expires_at: datetime) -> None:
    max_age = max(0, int((expires_at - get_clock().now()).total_seconds()))
    response.set_cookie(
        SESSION_COOKIE, token, max_age=max_age, path="/", secure=True, httponly=True, samesite="lax"
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="lax")


def check_same_origin(request: Request) -> None:
    """Refuse a form posted from another site (the Origin header names the page that sent it)."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    own = f"{request.url.scheme}://{request.url.netloc}"
    if origin != own:
        raise CrossSiteForm(f"a form of {origin} cannot post to {own}", details={"origin": origin})
