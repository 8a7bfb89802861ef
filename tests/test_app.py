"""The assembled application: health, routers mounted, errors as stable JSON."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cityloop.app import create_app
from cityloop.cities.models import City
from cityloop.db.session import create_engine_for, session_scope
from cityloop.db.setup import ensure_database


@pytest.fixture
def client(fresh_db_url: str) -> Iterator[TestClient]:
    engine = create_engine_for(fresh_db_url)
    ensure_database(engine, force=True)
    with session_scope(engine) as session:
        session.add(City(code="330100", name_zh="示范市", name_en="Demo City"))
    with TestClient(create_app(engine)) as test_client:
        yield test_client
    engine.dispose()


def test_health(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"


def test_cities_and_one_city(client: TestClient) -> None:
    assert [c["code"] for c in client.get("/api/v1/cities").json()] == ["330100"]
    assert client.get("/api/v1/cities/330100").json()["name_en"] == "Demo City"


def test_unknown_city_is_a_stable_404(client: TestClient) -> None:
    resp = client.get("/api/v1/cities/110100")
    assert resp.status_code == 404
    assert resp.json() == {
        "error": {
            "code": "cities.not_found",
            "message": "city 110100 does not exist",
            "details": {"city": "110100"},
        }
    }


def test_bad_query_is_a_stable_422(client: TestClient) -> None:
    resp = client.get("/api/v1/cities/330100/areas", params={"page": 0})
    assert resp.status_code == 422
    assert resp.json()["error"]["code"] == "request.invalid"
    assert "page" in resp.json()["error"]["message"]


def test_parameters_are_documented(client: TestClient) -> None:
    keys = {row["key"] for row in client.get("/api/v1/parameters").json()}
    assert {"road_factor", "h3_resolution", "auto_accept_confidence"} <= keys


def test_every_router_is_mounted(client: TestClient) -> None:
    paths = set(client.app.openapi()["paths"])  # type: ignore[attr-defined]
    for path in (
        "/api/v1/cities/{city_code}/areas",
        "/api/v1/cities/{city_code}/locate",
        "/api/v1/taxonomy/categories",
        "/api/v1/cities/{city_code}/departments",
        "/api/v1/cities/{city_code}/staff",
    ):
        assert path in paths


def test_unknown_paths_get_the_same_error_shape(client: TestClient) -> None:
    resp = client.get("/api/v1/no-such-thing")
    assert (resp.status_code, resp.json()["error"]["code"]) == (404, "not_found")
    assert client.post("/health").json()["error"]["code"] == "method_not_allowed"


def test_the_front_door_is_the_citizen_page(client: TestClient) -> None:
    resp = client.get("/", follow_redirects=False)
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN"' in resp.text
