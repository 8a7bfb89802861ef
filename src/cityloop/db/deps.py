"""FastAPI dependencies: one session per request (committed when the handler returns), and who is calling."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Protocol

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from cityloop.core.clock import get_clock
from cityloop.core.principal import ANONYMOUS, Principal, check_city, check_role
from cityloop.db.session import make_session_factory, transaction


class Authenticator(Protocol):
    def __call__(
        self, session: Session, *, authorization: str | None, api_key: str | None, now: datetime
    ) -> Principal: ...


def get_session(request: Request) -> Iterator[Session]:
    """The request's session, bound to the app's engine (`app.state.engine`).

    Declare it as `Depends(get_session, scope="function")`: the commit then happens before the
    response is sent, so a client never reads a result that is not yet committed, and a
    failing commit still becomes an error response.
    """
    factory = getattr(request.app.state, "session_factory", None)
    if factory is None:
        factory = request.app.state.session_factory = make_session_factory(request.app.state.engine)
    with transaction(factory) as session:
        request.state.session = session  # for helpers of the same request (e.g. the page renderer)
        yield session


def current_principal(
    request: Request, session: Session = Depends(get_session, scope="function")
) -> Principal:
    """The caller named by the `Authorization: Bearer …` or `X-API-Key` header, or anonymous.

    The app provides the authenticator (`app.state.authenticate`, the access package's
    `authenticate`), so that routes of every package can ask who is calling without
    importing the package that knows. Without one, every caller is anonymous.
    """
    authenticate: Authenticator | None = getattr(request.app.state, "authenticate", None)
    if authenticate is None:
        return ANONYMOUS
    return authenticate(
        session,
        authorization=request.headers.get("authorization"),
        api_key=request.headers.get("x-api-key"),
        now=get_clock().now(),
    )


def _path_city(request: Request) -> str | None:
    value = request.path_params.get("city_code")
    return value if isinstance(value, str) else None


def require_roles(*roles: str) -> Callable[..., Principal]:
    """A dependency requiring one of `roles`; on routes with a `{city_code}` it also requires that city."""

    def dependency(request: Request, principal: Principal = Depends(current_principal)) -> Principal:
        city_code = _path_city(request)
        if city_code is not None:
            check_city(principal, city_code)
        check_role(principal, *roles)
        return principal

    return dependency


def public_or_city_principal(
    request: Request, principal: Principal = Depends(current_principal)
) -> Principal:
    """For public city routes: anonymous callers are welcome, but a credential must be of the route's city."""
    city_code = _path_city(request)
    if principal.authenticated and city_code is not None:
        check_city(principal, city_code)
    return principal


#: The request's session, committed before the response is sent: `session: Session = SESSION`.
SESSION = Depends(get_session, scope="function")
