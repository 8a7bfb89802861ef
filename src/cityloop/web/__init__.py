"""Web pages: server-rendered Jinja2 with htmx, Leaflet and ECharts served from `static/vendor/`.

`install(app)` adds the pages and the static files to the ASGI app; `router` holds the pages
alone. The vendor files are a build product of `web/` (npm): `cd web && npm ci && npm run build`.
"""

from __future__ import annotations

import importlib

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from cityloop.web import auth, citizen, track
from cityloop.web.templating import STATIC

#: Areas of pages beyond the citizen side, each a subpackage exposing `router`; those present
#: are included (an area still being built has no package yet). Their phrases are in the one
#: catalogue of `web/locale`.
AREAS = (
    "cityloop.web.console",
    "cityloop.web.field",
    "cityloop.web.dashboard",
    "cityloop.web.admin",
)

router = APIRouter(include_in_schema=False)
router.include_router(citizen.router)
router.include_router(track.router)
router.include_router(auth.router)
for _name in AREAS:
    try:
        _area = importlib.import_module(_name)
    except ModuleNotFoundError as _exc:
        if _exc.name != _name:
            raise
        continue
    router.include_router(_area.router)

STATIC_PREFIX = "/static"


def install(app: FastAPI) -> None:
    """Serve the pages at `/`, `/track/…`, `/login`, `/logout`, `/home` and the files at /static."""
    app.include_router(router)
    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC), name="static")


__all__ = ["STATIC_PREFIX", "install", "router"]
