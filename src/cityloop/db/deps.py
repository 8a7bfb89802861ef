"""FastAPI dependency: one session per request, committed when the handler returns."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from cityloop.db.session import make_session_factory


def get_session(request: Request) -> Iterator[Session]:
    """The request's session, bound to the app's engine (`app.state.engine`)."""
    factory = getattr(request.app.state, "session_factory", None)
    if factory is None:
        factory = request.app.state.session_factory = make_session_factory(request.app.state.engine)
    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
