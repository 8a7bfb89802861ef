"""A real Open311 server: uvicorn in a thread on a free localhost port, over a fresh database.

The database is migrated (with the national taxonomy) and holds the loop city's pack (and,
when asked, a second city), so that the server answers exactly as `cityloop serve` would.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine

from cityloop.access import do_create_api_key
from cityloop.app import create_app
from cityloop.core.clock import FrozenClock
from cityloop.db.session import create_engine_for, session_scope
from cityloop.db.setup import ensure_database
from cityloop.flows.citypack import do_import_pack
from geo.factories import center_of
from loopcity import CITY, OTHER_CITY, loop_pack

OTHER_ORIGIN = (116.40, 39.90)


@dataclass
class Server:
    base: str
    client: httpx.Client
    engine: Engine
    clock: FrozenClock
    #: A grid centre of each city.
    points: dict[str, tuple[float, float]]
    #: An operator API key of each city.
    keys: dict[str, str]

    def get(self, path: str, **params: object) -> httpx.Response:
        return self.client.get(f"{self.base}{path}", params=params)  # type: ignore[arg-type]

    def post(
        self, path: str, data: dict[str, str] | list[tuple[str, str]], **kwargs: object
    ) -> httpx.Response:
        return self.client.post(f"{self.base}{path}", data=data, **kwargs)  # type: ignore[arg-type]

    def form(self, city: str = CITY, **over: str) -> dict[str, str]:
        """A valid POST form of 09001 at a grid centre of `city`, with the city's key."""
        lon, lat = self.points[city]
        body = {
            "api_key": self.keys[city],
            "service_code": "09001",
            "lat": str(lat),
            "long": str(lon),
            "description": "路口有流动摊贩",
            "email": "someone@example.org",
        }
        body.update(over)
        return {k: v for k, v in body.items() if v != ""}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _build(
    url: str, cities: tuple[str, ...]
) -> tuple[Engine, dict[str, tuple[float, float]], dict[str, str]]:
    engine = create_engine_for(url)
    ensure_database(engine, force=True)  # migrations, and the national taxonomy
    points: dict[str, tuple[float, float]] = {}
    keys: dict[str, str] = {}
    with session_scope(engine) as session:
        for code in cities:
            pack = loop_pack(code) if code == CITY else loop_pack(code, origin=OTHER_ORIGIN)
            do_import_pack(session, pack)
            grid = next(f for f in pack.areas["features"] if f["properties"]["level"] == "grid")  # type: ignore[index]
            points[code] = center_of(pack.areas, grid["properties"]["code"])  # type: ignore[arg-type]
            keys[code] = do_create_api_key(
                session, city_code=code, name="open311 client", roles=["operator"]
            )[1]
    return engine, points, keys


@pytest.fixture
def serve(fresh_db_url: str, clock: FrozenClock) -> Iterator[Callable[..., Server]]:
    """Start a server over the given cities (default: the loop city alone)."""
    started: list[tuple[uvicorn.Server, threading.Thread, httpx.Client, Engine]] = []

    def start(*cities: str) -> Server:
        engine, points, keys = _build(fresh_db_url, cities or (CITY,))
        port = _free_port()
        config = uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the Open311 test server did not start")
            time.sleep(0.01)
        client = httpx.Client(timeout=10)
        started.append((server, thread, client, engine))
        return Server(f"http://127.0.0.1:{port}/open311/v2", client, engine, clock, points, keys)

    yield start
    for server, thread, client, engine in started:
        client.close()
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


@pytest.fixture
def one_city(serve: Callable[..., Server]) -> Server:
    return serve(CITY)


@pytest.fixture
def two_cities(serve: Callable[..., Server]) -> Server:
    return serve(CITY, OTHER_CITY)


__all__ = ["CITY", "OTHER_CITY", "Server"]
