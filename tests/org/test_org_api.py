from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from cityloop.access import authenticate, do_create_api_key, do_issue_token
from cityloop.cities.models import City
from cityloop.core.clock import FrozenClock
from cityloop.core.errors import CityLoopError
from cityloop.db.base import import_models
from cityloop.db.session import create_engine_for, session_scope
from cityloop.org import do_import_departments, do_import_staff
from cityloop.org.api import router

A, B = "330100", "110100"


@dataclass
class Api:
    client: TestClient
    tokens: dict[tuple[str, str], str]
    keys: dict[str, str]

    def get(
        self, path: str, *, as_: tuple[str, str] | None = None, key: str | None = None, **params: Any
    ) -> Any:
        headers = {}
        if as_ is not None:
            headers["Authorization"] = f"Bearer {self.tokens[as_]}"
        if key is not None:
            headers["X-API-Key"] = self.keys[key]
        return self.client.get(f"/api/v1{path}", headers=headers, params=params)


def build_app(engine: Any) -> FastAPI:
    app = FastAPI()
    app.include_router(router, prefix="/api/v1")
    app.state.engine = engine
    app.state.authenticate = authenticate

    @app.exception_handler(CityLoopError)
    def _error(request: Request, exc: CityLoopError) -> JSONResponse:
        return JSONResponse({"error": exc.to_dict()}, status_code=exc.status)

    return app


@pytest.fixture
def api(
    fresh_db_url: str,
    clock: FrozenClock,
    departments: list[dict[str, Any]],
    staff_items: list[dict[str, Any]],
    known: Any,
) -> Iterator[Api]:
    """Two cities with the same organisation, tokens for three people in each, and two API keys of A."""
    engine = create_engine_for(fresh_db_url)
    import_models().create_all(engine)
    tokens: dict[tuple[str, str], str] = {}
    keys: dict[str, str] = {}
    with session_scope(engine) as session:
        for code, name in ((A, "示范市"), (B, "北京")):
            session.add(City(code=code, name_zh=name))
            session.flush()
            do_import_departments(session, city_code=code, items=departments)
            do_import_staff(session, city_code=code, items=staff_items, password="secret-pass")
            for username in ("admin", "leader", "inspector01"):
                _, secret = do_issue_token(
                    session, city_code=code, username=username, password="secret-pass", now=clock.now()
                )
                tokens[(code, username)] = secret
        keys["admin"] = do_create_api_key(session, city_code=A, name="ops", roles=["admin"])[1]
        keys["camera"] = do_create_api_key(session, city_code=A, name="camera", roles=["inspector"])[1]
    with TestClient(build_app(engine)) as client:
        yield Api(client, tokens, keys)
    engine.dispose()


def test_departments_are_public_and_paginated(api: Api) -> None:
    resp = api.get(f"/cities/{A}/departments")
    assert resp.status_code == 200
    body = resp.json()
    assert (body["total"], body["page"], body["page_size"]) == (4, 1, 50)
    assert body["items"][1] == {
        "code": "CG-HW",
        "name_zh": "环卫处",
        "name_en": "Sanitation Division",
        "kind": "professional",
        "parent": "CG",
        "street": None,
        "phone": None,
        "active": True,
    }
    page2 = api.get(f"/cities/{A}/departments", page=2, page_size=3).json()
    assert ([d["code"] for d in page2["items"]], page2["total"]) == (["ZX"], 4)
    offices = api.get(f"/cities/{A}/departments", kind="street_office").json()
    assert [d["code"] for d in offices["items"]] == ["JD-01"]
    assert api.get(f"/cities/{A}/departments", kind="office").status_code == 422


def test_department_detail_with_responsibilities(api: Api, known: Any) -> None:
    resp = api.get(f"/cities/{A}/departments/JD-01", as_=(A, "inspector01"))
    assert resp.status_code == 200
    body = resp.json()
    assert (body["kind"], body["street"]) == ("street_office", known.street)
    assert body["responsibilities"] == [
        {"standard": "GB/T 47678.5-2026", "kind": None, "categories": ["09001"], "areas": [known.street]}
    ]
    missing = api.get(f"/cities/{A}/departments/NOPE")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "org.department_not_found"
    assert api.get("/cities/990100/departments").json()["error"]["code"] == "cities.not_found"


def test_a_token_of_one_city_never_reads_another(api: Api) -> None:
    for path in (f"/cities/{B}/departments", f"/cities/{B}/departments/CG", f"/cities/{B}/staff"):
        for who in ("admin", "leader", "inspector01"):
            resp = api.get(path, as_=(A, who))
            assert resp.status_code == 403, (path, who)
            assert resp.json()["error"]["code"] == "access.forbidden_city"
        resp = api.get(path, key="admin")
        assert (resp.status_code, resp.json()["error"]["code"]) == (403, "access.forbidden_city")
    assert api.get(f"/cities/{B}/staff", as_=(B, "admin")).status_code == 200
    assert api.get(f"/cities/{B}/departments", as_=(B, "inspector01")).status_code == 200


def test_staff_list_needs_admin_or_leader(api: Api) -> None:
    anonymous = api.get(f"/cities/{A}/staff")
    assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (
        401,
        "access.authentication_required",
    )
    inspector = api.get(f"/cities/{A}/staff", as_=(A, "inspector01"))
    assert (inspector.status_code, inspector.json()["error"]["code"]) == (403, "access.forbidden_role")
    camera = api.get(f"/cities/{A}/staff", key="camera")
    assert (camera.status_code, camera.json()["error"]["code"]) == (403, "access.forbidden_role")
    assert api.get(f"/cities/{A}/staff", key="admin").status_code == 200


def test_phones_only_for_admins_and_hashes_for_nobody(api: Api) -> None:
    admin_view = api.get(f"/cities/{A}/staff", as_=(A, "admin")).json()
    assert admin_view["total"] == 5
    assert admin_view["items"][0] == {
        "username": "admin",
        "name": "管理员",
        "roles": ["admin"],
        "department": None,
        "patrol_zone": None,
        "active": True,
        "phone": "13800000000",
    }
    assert admin_view["items"][4]["phone"] is None  # worker02 has no phone
    leader_view = api.get(f"/cities/{A}/staff", as_=(A, "leader")).json()
    assert leader_view["total"] == 5
    assert all("phone" not in item for item in leader_view["items"])
    for view in (admin_view, leader_view):
        text = str(view)
        assert "argon2" not in text and "password" not in text
    assert "13800000001" not in str(leader_view)


def test_staff_list_filters(api: Api) -> None:
    workers = api.get(f"/cities/{A}/staff", as_=(A, "leader"), role="field_worker").json()
    assert [s["username"] for s in workers["items"]] == ["worker01", "worker02"]
    in_hw = api.get(f"/cities/{A}/staff", as_=(A, "leader"), department="CG-HW", page_size=1).json()
    assert ([s["username"] for s in in_hw["items"]], in_hw["total"]) == (["worker01"], 2)
    assert api.get(f"/cities/{A}/staff", as_=(A, "leader"), role="citizen").status_code == 422


def test_bad_expired_tokens_are_refused(api: Api, clock: FrozenClock) -> None:
    bad = api.client.get(f"/api/v1/cities/{A}/departments", headers={"Authorization": "Bearer clt_nope"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (401, "access.invalid_token")
    assert api.get(f"/cities/{A}/staff", as_=(A, "admin")).status_code == 200
    clock.advance(hours=12)
    expired = api.get(f"/cities/{A}/staff", as_=(A, "admin"))
    assert (expired.status_code, expired.json()["error"]["code"]) == (401, "access.invalid_token")
