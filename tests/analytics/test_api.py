"""The analytics API: leaders, admins, shift leaders and dispatchers of the city read; nobody else."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from cityloop.analytics.api import router
from cityloop.app import create_app
from cityloop.core.clock import FrozenClock
from cityloop.core.passwords import use_hasher
from cityloop.db.base import import_models
from cityloop.db.session import create_engine_for, session_scope
from cityloop.flows.citypack import do_import_pack
from dispatch.conftest import CITY, OTHER_CITY, PASSWORD, routing_pack

KINDS = ("hotspots", "recurrence", "patterns", "emerging", "forecast")


@pytest.fixture(autouse=True)
def fast_hasher() -> Iterator[None]:
    previous = use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    use_hasher(previous)


@pytest.fixture
def client(fresh_db_url: str, clock: FrozenClock) -> Iterator[TestClient]:
    engine = create_engine_for(fresh_db_url)
    import_models().create_all(engine)
    with session_scope(engine) as session:
        do_import_pack(session, routing_pack(), password=PASSWORD)
        do_import_pack(session, routing_pack(OTHER_CITY, origin=(116.40, 39.90)), password=PASSWORD)
    app = create_app(engine)
    if not any(getattr(r, "path", "").endswith("/analytics/forecast") for r in app.routes):
        app.include_router(router, prefix="/api/v1")
    with TestClient(app) as test_client:
        yield test_client
    engine.dispose()


def token(client: TestClient, who: str, city: str = CITY) -> dict[str, str]:
    resp = client.post("/api/v1/auth/token", json={"city": city, "username": who, "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['token']}"}


@pytest.mark.parametrize("who", ["leader01", "admin01", "shiftleader01", "dispatcher01"])
def test_readers_of_the_city_read_every_analysis(client: TestClient, who: str) -> None:
    headers = token(client, who)
    for kind in KINDS:
        resp = client.get(f"/api/v1/cities/{CITY}/analytics/{kind}", headers=headers)
        assert resp.status_code == 200, (kind, resp.text)
    body = client.get(f"/api/v1/cities/{CITY}/analytics/recurrence", headers=headers).json()
    assert (body["closed"], body["rate"], body["spots"]) == (0, None, [])


def test_others_are_refused(client: TestClient) -> None:
    url = f"/api/v1/cities/{CITY}/analytics/hotspots"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=token(client, "inspector01")).status_code == 403
    assert client.get(url, headers=token(client, "dispatcher01", OTHER_CITY)).status_code == 403


def test_bad_knobs_are_refused(client: TestClient) -> None:
    headers = token(client, "leader01")
    base = f"/api/v1/cities/{CITY}/analytics"
    assert client.get(base + "/recurrence?place=street", headers=headers).status_code == 422
    resp = client.get(base + "/patterns?from=2026-11-02T00:00:00Z&to=2026-10-01T00:00:00Z", headers=headers)
    assert resp.status_code == 422 and resp.json()["error"]["code"] == "analytics.invalid_period"
