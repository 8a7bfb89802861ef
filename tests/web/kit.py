"""Helpers of the browser tests: the live site, the watch on every page, screenshots."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import Browser, BrowserContext, Page

from loopcity import CITY

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "loop-password"
ARTIFACTS = Path(__file__).parent / "artifacts"
#: The middle of the loop city's grids (south-west corner 120.10, 30.25; 6 × 2 cells of 0.001°),
#: where the map centres after fitting the city's bounds.
CENTRE = (120.103, 30.251)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Site:
    """The live server: its base URL, an HTTP client for setting up data, the database engine."""

    base: str
    http: httpx.Client
    engine: Any
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, username: str, city: str = CITY) -> str:
        if username not in self.tokens:
            resp = self.http.post(
                "/api/v1/auth/token", json={"city": city, "username": username, "password": PASSWORD}
            )
            assert resp.status_code == 200, resp.text
            self.tokens[username] = resp.json()["token"]
        return self.tokens[username]

    def citizen_report(self, **body: Any) -> str:
        """A citizen report through the API; the case number it became."""
        body.setdefault("lon", CENTRE[0])
        body.setdefault("lat", CENTRE[1])
        resp = self.http.post(f"/api/v1/cities/{CITY}/reports/citizen", json=body)
        assert resp.status_code == 201, resp.text
        number = resp.json()["case_number"]
        assert number, resp.json()
        return str(number)


@dataclass
class Watch:
    """What went wrong on the pages of one test."""

    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


def open_context(browser: Browser, site: Site, watch: Watch, **options: Any) -> BrowserContext:
    """A browser context that aborts (and records) every request to another host."""
    options.setdefault("locale", "zh-CN")
    context = browser.new_context(base_url=site.base, **options)
    own = urlsplit(site.base).netloc

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == own:
            request_route.continue_()
        else:
            watch.foreign.append(url)
            request_route.abort()

    context.route("**/*", route)

    def on_page(page: Page) -> None:
        page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: watch.errors.append(str(exc)))

    context.on("page", on_page)
    context.set_default_timeout(10_000)
    return context


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
