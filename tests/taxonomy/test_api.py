"""The taxonomy routes, served by a tiny app on a fresh database (the request session commits)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from cityloop.cities.models import City
from cityloop.core.errors import CityLoopError
from cityloop.db.base import import_models
from cityloop.db.session import create_engine_for, session_scope
from cityloop.taxonomy import do_import_local_codes, do_seed_registration_conditions, do_seed_standards
from cityloop.taxonomy.api import router


@pytest.fixture
def client(fresh_db_url: str) -> Iterator[TestClient]:
    engine = create_engine_for(fresh_db_url)
    import_models().create_all(engine)
    with session_scope(engine) as session:
        do_seed_standards(session)
        session.add(City(code="330100", name_zh="示范市", name_en="Demo City"))
        session.flush()
        do_seed_registration_conditions(session, city_code="330100")
        do_import_local_codes(
            session,
            city_code="330100",
            csv_text="kind,major_code,code,name,name_en,note\nmatter,09,09901,占道晾晒,Drying laundry,\n",
        )
    app = FastAPI()
    app.include_router(router, prefix="/api/v1")
    app.state.engine = engine

    @app.exception_handler(CityLoopError)
    def _error(_request: Request, exc: CityLoopError) -> JSONResponse:
        return JSONResponse({"error": exc.to_dict()}, status_code=exc.status)

    with TestClient(app) as test_client:
        yield test_client
    engine.dispose()


def test_standards(client: TestClient) -> None:
    body = client.get("/api/v1/taxonomy/standards").json()
    assert [(s["name"], s["components"], s["matters"]) for s in body] == [
        ("GB/T 47678.5-2026", 153, 250),
        ("legacy", 80, 54),
    ]


def test_categories_paginated(client: TestClient) -> None:
    body = client.get("/api/v1/taxonomy/categories", params={"page_size": 100, "page": 5}).json()
    assert (body["total"], body["page"], body["page_size"], len(body["items"])) == (403, 5, 100, 3)
    assert body["items"][-1]["code"] == "10002"
    body = client.get(
        "/api/v1/taxonomy/categories", params={"kind": "matter", "major": "09", "city": "330100"}
    ).json()
    assert body["total"] == 22
    assert body["items"][-1] == {
        "standard": "GB/T 47678.5-2026",
        "kind": "matter",
        "code": "09901",
        "major_code": "09",
        "major_name": "街面秩序类",
        "major_name_en": "Street order",
        "name": "占道晾晒",
        "name_en": "Drying laundry",
        "city_id": "330100",
        "active": True,
        "note": None,
    }
    body = client.get(
        "/api/v1/taxonomy/categories", params={"search": "rubbish", "standard": "GB/T 47678.5-2026"}
    )
    assert [i["code"] for i in body.json()["items"]] == ["06010", "06011", "06020"]


def test_categories_errors(client: TestClient) -> None:
    response = client.get("/api/v1/taxonomy/categories", params={"standard": "GB/T 30428.2-2013"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "taxonomy.unknown_standard"
    response = client.get("/api/v1/taxonomy/categories", params={"kind": "event"})
    assert (response.status_code, response.json()["error"]["code"]) == (422, "taxonomy.invalid_kind")
    assert client.get("/api/v1/taxonomy/categories", params={"page_size": 0}).status_code == 422


def test_category_detail_with_crosswalk(client: TestClient) -> None:
    body = client.get("/api/v1/taxonomy/categories/09001").json()
    assert (body["name"], body["name_en"]) == ("无照经营游商", "Unlicensed street vending")
    assert body["crosswalk"] == [
        {
            "standard": "legacy",
            "kind": "matter",
            "code": "0501",
            "name": "无照经营游商",
            "rule": "same_name",
            "note": "major_plus_5 gives 10001 道路积雪、结冰, a different name",
        }
    ]
    legacy = client.get(
        "/api/v1/taxonomy/categories/0401", params={"standard": "legacy", "kind": "matter"}
    ).json()
    assert legacy["crosswalk"] == []
    assert legacy["unmapped_reason"].startswith("major_plus_5 gives 09001")


def test_category_detail_errors(client: TestClient) -> None:
    response = client.get("/api/v1/taxonomy/categories/01001")
    assert response.status_code == 422
    assert response.json()["error"]["details"]["kinds"] == ["component", "matter"]
    assert (
        client.get("/api/v1/taxonomy/categories/01001", params={"kind": "component"}).json()["name"]
        == "供水井盖"
    )
    response = client.get("/api/v1/taxonomy/categories/09901")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "taxonomy.unknown_category")
    assert (
        client.get("/api/v1/taxonomy/categories/09901", params={"city": "330100"}).json()["name"]
        == "占道晾晒"
    )


def test_registration_conditions(client: TestClient) -> None:
    body = client.get("/api/v1/cities/330100/registration-conditions").json()
    assert body["total"] == 9
    body = client.get("/api/v1/cities/330100/registration-conditions", params={"code": "06001"}).json()
    assert [(i["situation"], i["limits"]["normal"]) for i in body["items"]] == [
        ("正在搭建，需制止", {"amount": 4, "unit": "working_hours"}),
        ("已建成，需查处", {"amount": 7, "unit": "working_days"}),
        ("经认定需拆除", {"amount": 20, "unit": "working_days"}),
    ]
    response = client.get("/api/v1/cities/110100/registration-conditions")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "cities.not_found")
