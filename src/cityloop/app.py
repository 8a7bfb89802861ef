"""The ASGI application: the routers of every package under /api/v1, errors as stable JSON."""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from cityloop import __version__
from cityloop.access.principal import authenticate
from cityloop.cases import Case
from cityloop.cities.plugins import load_plugins
from cityloop.core.errors import CityLoopError
from cityloop.db.session import get_engine
from cityloop.flows.automation import advance
from cityloop.web import install as install_pages

API_PREFIX = "/api/v1"

# Routers by module path; each module exposes `router`.
ROUTERS = (
    "cityloop.cities.api",
    "cityloop.geo.api",
    "cityloop.taxonomy.api",
    "cityloop.org.api",
    "cityloop.access.api",
    "cityloop.cases.api",
    "cityloop.api.intake",
    "cityloop.api.duplicates",
    "cityloop.dispatch.api",
    "cityloop.api.callback",
    "cityloop.analytics.api",
    "cityloop.evaluation.api",
)

# Routers mounted at their own prefix (module path, prefix); each module exposes `router`.
MOUNTS = (("cityloop.api.open311.router", "/open311/v2"),)


def _error(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status)


def automatic_steps(session: Session, case: Case, at: datetime) -> None:
    advance(session, case, at)


def create_app(engine: Engine | None = None) -> FastAPI:
    """Build the app on `engine` (default: CITYLOOP_DATABASE_URL). City plugins are validated here."""
    load_plugins()
    app = FastAPI(
        title="CityLoop",
        version=__version__,
        description="A city's closed problem-solving loop (智慧城管 / 城市运行管理服务平台).",
    )
    app.state.engine = engine or get_engine()
    app.state.authenticate = authenticate
    # After a person's action, the automatic steps the city allows (cases cannot import flows).
    app.state.after_transition = (automatic_steps,)

    @app.exception_handler(CityLoopError)
    async def _cityloop_error(_request: Request, exc: CityLoopError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(p) for p in err["loc"]), "message": err["msg"]} for err in exc.errors()
        ]
        first = problems[0] if problems else {"field": "", "message": "invalid request"}
        return _error(422, "request.invalid", f"{first['field']}: {first['message']}", problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail))

    @app.get("/health", tags=["health"], summary="Liveness and database reachability")
    def health() -> dict[str, str]:
        with app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__}

    for module in ROUTERS:
        app.include_router(importlib.import_module(module).router, prefix=API_PREFIX)
    for module, prefix in MOUNTS:
        app.include_router(importlib.import_module(module).router, prefix=prefix)
    install_pages(app)  # the web pages (citizen, track, login) and /static
    return app
