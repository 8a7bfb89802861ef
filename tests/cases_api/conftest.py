"""Two small cities served over HTTP: a fresh migrated database, staff tokens from POST /auth/token."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from httpx import Response

from cases.conftest import CITY, OTHER_CITY, STAFF, loop_pack
from cityloop.app import create_app
from cityloop.core.clock import FrozenClock
from cityloop.core.passwords import use_hasher
from cityloop.db.session import create_engine_for, session_scope
from cityloop.db.setup import ensure_database
from cityloop.flows.citypack import do_import_pack
from geo.factories import center_of

PASSWORD = "loop-password"


@dataclass
class Http:
    """A test client that signs staff in once and sends requests as them."""

    client: TestClient
    clock: FrozenClock
    points: list[tuple[float, float]]
    grids: list[str]
    tokens: dict[tuple[str, str], str] = field(default_factory=dict)

    def login(self, username: str, city: str = CITY) -> str:
        if (city, username) not in self.tokens:
            resp = self.client.post(
                "/api/v1/auth/token", json={"city": city, "username": username, "password": PASSWORD}
            )
            assert resp.status_code == 200, resp.text
            self.tokens[(city, username)] = resp.json()["token"]
        return self.tokens[(city, username)]

    def headers(self, who: str | None, city: str = CITY) -> dict[str, str]:
        return {} if who is None else {"Authorization": f"Bearer {self.login(who, city)}"}

    def get(self, path: str, who: str | None, *, city: str = CITY, **params: Any) -> Response:
        return self.client.get(f"/api/v1{path}", headers=self.headers(who, city), params=params)

    def post(self, path: str, who: str | None, *, city: str = CITY, **kwargs: Any) -> Response:
        return self.client.post(f"/api/v1{path}", headers=self.headers(who, city), **kwargs)

    def report(self, who: str = "inspector01", *, point: int = 0, **body: Any) -> dict[str, Any]:
        """An inspector report of 09001 at one of the city's grid centres; returns the created case."""
        lon, lat = self.points[point]
        payload = {
            "source": "inspector",
            "category_code": "09001",
            "lon": lon,
            "lat": lat,
            "description": "路边流动摊贩",
        }
        payload.update(body)
        resp = self.post(f"/cities/{CITY}/cases", who, json=payload)
        assert resp.status_code == 201, resp.text
        return dict(resp.json())

    def act(self, number: str, action: str, who: str, **body: Any) -> Response:
        return self.post(f"/cities/{CITY}/cases/{number}/actions/{action}", who, json=body)


@pytest.fixture(autouse=True)
def fast_hasher() -> Iterator[None]:
    """Argon2 with the cheapest parameters: these tests check behaviour, not hashing cost."""
    previous = use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    use_hasher(previous)


@pytest.fixture
def http(
    fresh_db_url: str, clock: FrozenClock, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Http]:
    """The loop city (330100) and another city (110100) with the same staff, on a migrated database."""
    monkeypatch.setenv("CITYLOOP_VAR_DIR", str(tmp_path / "var"))
    engine = create_engine_for(fresh_db_url)
    ensure_database(engine, force=True)
    pack = loop_pack()
    with session_scope(engine) as session:
        do_import_pack(session, pack, password=PASSWORD)
        do_import_pack(session, loop_pack(OTHER_CITY, origin=(116.40, 39.90)), password=PASSWORD)
    grids = sorted(
        f["properties"]["code"] for f in pack.areas["features"] if f["properties"]["level"] == "grid"
    )  # type: ignore[index]
    points = [center_of(pack.areas, code) for code in grids]  # type: ignore[arg-type]
    with TestClient(create_app(engine)) as client:
        yield Http(client=client, clock=clock, points=points, grids=grids)
    engine.dispose()


__all__ = ["CITY", "OTHER_CITY", "PASSWORD", "STAFF", "Http"]
