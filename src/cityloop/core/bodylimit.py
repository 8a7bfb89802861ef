"""Request bodies refused as soon as they grow past a route's limit, with the route's own error.

Starlette would read a whole multipart upload into temporary files before a handler could
look at its size. A route of a router made with `route_class=BodyLimitRoute`, whose endpoint
is marked `@body_limit(...)`, first reads the body itself, counting, and stops at the limit
(413 with a stable code); the handler then parses the bytes already read.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.types import Message

from cityloop.core.errors import CityLoopError

F = TypeVar("F", bound=Callable[..., Any])
_MARK = "__cityloop_body_limit__"


@dataclass(frozen=True)
class BodyLimit:
    #: The most bytes the body may have (read per request, so that settings and tests can change it).
    limit: Callable[[], int]
    #: The error to raise, given the limit.
    error: Callable[[int], CityLoopError]


def body_limit(limit: Callable[[], int], error: Callable[[int], CityLoopError]) -> Callable[[F], F]:
    """Mark an endpoint whose request body may have at most `limit()` bytes (put it under `@router.post`)."""

    def mark(endpoint: F) -> F:
        setattr(endpoint, _MARK, BodyLimit(limit, error))
        return endpoint

    return mark


async def read_limited(request: Request, limit: int, error: Callable[[int], CityLoopError]) -> bytes:
    """The whole body, refused by its declared length or as soon as it grows past `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise error(limit)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise error(limit)
    return bytes(body)


class BodyLimitRoute(APIRoute):
    """A route that enforces the `@body_limit` of its endpoint before FastAPI parses the body."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        rule: BodyLimit | None = getattr(self.endpoint, _MARK, None)
        if rule is None:
            return handler

        async def limited(request: Request) -> Response:
            body = await read_limited(request, rule.limit(), rule.error)
            sent = False

            async def replay() -> Message:
                nonlocal sent
                if sent:
                    return await request.receive()
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}

            return await handler(Request(request.scope, replay))

        return limited
