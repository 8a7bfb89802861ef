"""The geo HTTP routes, through a tiny app on a fresh database (the request session commits)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from cityloop.cities.models import City
from cityloop.core.errors import CityLoopError
from cityloop.core.principal import ANONYMOUS, Principal
from cityloop.db.base import import_models
from cityloop.db.session import create_engine_for, session_scope
from cityloop.geo import do_import_areas
from cityloop.geo.api import router
from geo.factories import find, square_grid_collection

C1 = "330102001001"


def _authenticate(_session: Any, *, authorization: str | None, api_key: str | None, now: Any) -> Principal:
    """A test authenticator: any bearer token is an operator of Ningbo (330200)."""
    if authorization is None:
        return ANONYMOUS
    return Principal(kind="staff", city_code="330200", username="nb", roles=frozenset({"operator"}))


@pytest.fixture
def client(fresh_db_url: str) -> Iterator[TestClient]:
    engine = create_engine_for(fresh_db_url)
    import_models().create_all(engine)
    with session_scope(engine) as session:
        session.add(City(code="330100", name_zh="示范市", name_en="Demo City"))
        session.flush()
        do_import_areas(session, city_code="330100", collection=square_grid_collection())
    app = FastAPI()
    app.include_router(router, prefix="/api/v1")
    app.state.engine = engine
    app.state.authenticate = _authenticate

    @app.exception_handler(CityLoopError)
    def _error(_request: Request, exc: CityLoopError) -> JSONResponse:
        return JSONResponse({"error": exc.to_dict()}, status_code=exc.status)

    with TestClient(app) as test_client:
        yield test_client
    engine.dispose()


def test_list_areas_paginated_and_filtered(client: TestClient) -> None:
    body = client.get("/api/v1/cities/330100/areas", params={"page_size": 3}).json()
    assert (body["total"], body["page"], body["page_size"]) == (16, 1, 3)
    assert [a["code"] for a in body["items"]] == ["330102", "330102001", C1]
    assert body["items"][2] == {
        "level": "community",
        "code": C1,
        "parent_code": "330102001",
        "name": "第1-1社区",
        "name_en": None,
        "area_class": "urban",
        "bbox": [120.1, 30.25, 120.103, 30.252],
        "centroid": pytest.approx([120.1015, 30.251]),
        "area_m2": pytest.approx(64_084, abs=1),
    }
    grids = client.get(
        "/api/v1/cities/330100/areas", params={"level": "grid", "page": 2, "page_size": 5}
    ).json()
    assert (grids["total"], [a["code"] for a in grids["items"]]) == (
        12,
        [f"{C1}006", "330102001002001", "330102001002002", "330102001002003", "330102001002004"],
    )
    children = client.get("/api/v1/cities/330100/areas", params={"parent": C1}).json()
    assert [a["code"] for a in children["items"]] == [f"{C1}{n:03d}" for n in range(1, 7)]


def test_list_refusals(client: TestClient) -> None:
    bad_level = client.get("/api/v1/cities/330100/areas", params={"level": "village"})
    assert bad_level.status_code == 422
    assert bad_level.json()["error"]["code"] == "geo.unknown_level"
    missing_city = client.get("/api/v1/cities/110100/areas")
    assert missing_city.status_code == 404
    assert missing_city.json()["error"]["code"] == "cities.not_found"


def test_area_detail_has_geometry(client: TestClient) -> None:
    response = client.get(f"/api/v1/cities/330100/areas/{C1}001")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["level"], body["parent_code"]) == (f"{C1}001", "grid", C1)
    assert body["geometry"] == find(square_grid_collection(), f"{C1}001")["geometry"]
    missing = client.get("/api/v1/cities/330100/areas/330102009")
    assert missing.status_code == 404
    assert missing.json()["error"] == {
        "code": "geo.area_not_found",
        "message": "city 330100 has no area 330102009",
        "details": {"city": "330100", "code": "330102009"},
    }


def test_areas_geojson(client: TestClient) -> None:
    response = client.get("/api/v1/cities/330100/areas.geojson", params={"level": "community"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in body["features"]] == [C1, "330102001002"]
    everything = client.get("/api/v1/cities/330100/areas.geojson").json()
    assert len(everything["features"]) == 16


def test_locate(client: TestClient) -> None:
    response = client.get("/api/v1/cities/330100/locate", params={"lon": 120.1005, "lat": 30.2515})
    assert response.status_code == 200
    assert response.json() == {
        "grid": {"code": f"{C1}001", "name": None, "name_en": None},
        "community": {"code": C1, "name": "第1-1社区", "name_en": None},
        "street": {"code": "330102001", "name": "第1街道", "name_en": "Street 1"},
        "district": {"code": "330102", "name": "示范区", "name_en": "Demo District"},
        "area_class": "urban",
    }
    outside = client.get("/api/v1/cities/330100/locate", params={"lon": -71.0, "lat": 42.3})
    assert outside.status_code == 404
    assert outside.json()["error"]["code"] == "geo.not_located"
    assert client.get("/api/v1/cities/330100/locate", params={"lon": 200, "lat": 30}).status_code == 422
    assert client.get("/api/v1/cities/110100/locate", params={"lon": 120.1, "lat": 30.25}).status_code == 404


def test_a_credential_of_another_city_is_refused(client: TestClient) -> None:
    response = client.get("/api/v1/cities/330100/areas", headers={"Authorization": "Bearer nb"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "access.forbidden_city"
