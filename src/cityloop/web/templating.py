"""Rendering a page: the Jinja2 environment (autoescape, i18n), the shared context, the security headers.

Every page is sent with a strict Content-Security-Policy: scripts, styles, images and
connections come from this host only, and no inline script or event handler runs. That is
also how "a page makes no request to any other host" is kept true in production, not only
in the tests.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from cityloop.cities import get_parameters
from cityloop.core.errors import CityLoopError
from cityloop.core.i18n import LOCALES
from cityloop.core.principal import Principal
from cityloop.web.i18n import LANG_COOKIE, gettext, ngettext, request_locale, role_name

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
LANG_NAMES = {"zh-CN": "中文", "en": "English"}


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(LOCALES=LOCALES, LANG_NAMES=LANG_NAMES, role_name=role_name)
    return env


ENV = _environment()


def local_time(value: datetime | None, timezone: str = "Asia/Shanghai") -> str:
    """A timestamp as the city reads it: local date and minute."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


ENV.filters["local_time"] = local_time


def lang_url(request: Request, locale: str) -> str:
    """This page in `locale`: the same path and query with `lang` replaced."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    query.append(("lang", locale))
    return f"{request.url.path}?{urlencode(query)}"


def tile_origin(url: str) -> str:
    """The origin of a tile URL template for the CSP ({s} subdomains become a wildcard)."""
    parts = urlsplit(url.replace("{s}", "a"))
    host = parts.netloc
    if "{s}" in url.split("/")[2]:
        host = "*." + host.split(".", 1)[1] if "." in host else host
    return f"{parts.scheme}://{host}"


def csp_with(tile_url: str) -> str:
    """The pages' CSP, letting images come from the city's tile server too."""
    return CSP.replace("img-src 'self' data: blob:", f"img-src 'self' data: blob: {tile_origin(tile_url)}")


def map_tiles(
    request: Request, principal: Principal | None, values: dict[str, Any]
) -> tuple[str, str] | None:
    """(tile URL, attribution) of the page's city when it has a tile server, else None; read with
    the request's own session (a second one would wait for its lock on SQLite)."""
    city = values.get("city")
    code = (
        principal.city_code if principal is not None and principal.city_code else getattr(city, "code", None)
    )
    session = getattr(request.state, "session", None)
    if not code or not isinstance(session, Session):
        return None
    try:
        params = get_parameters(session, code)
    except CityLoopError:
        return None
    return (params.map_tile_url, params.map_tile_attribution) if params.map_tile_url else None


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    principal: Principal | None = None,
) -> HTMLResponse:
    """The page `template` in the request's language, with the security headers; a language
    chosen by `?lang=` is remembered in a cookie."""
    locale, chosen = request_locale(request)
    values: dict[str, Any] = {
        "request": request,
        "locale": locale,
        "lang_urls": {code: lang_url(request, code) for code in LOCALES},
        "principal": principal,
        **(context or {}),
    }
    tiles = map_tiles(request, principal, values)
    values["tiles"] = tiles
    html = ENV.get_template(template).render(values)
    headers = (
        SECURITY_HEADERS
        if tiles is None
        else {**SECURITY_HEADERS, "Content-Security-Policy": csp_with(tiles[0])}
    )
    response = HTMLResponse(html, status_code=status, headers=headers)
    if chosen:
        response.set_cookie(
            LANG_COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax", secure=True, httponly=True
        )
    return response
