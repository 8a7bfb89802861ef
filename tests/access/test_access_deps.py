from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from cityloop.access import Principal, authenticate, do_create_api_key, do_issue_token
from cityloop.cities.models import City
from cityloop.core.clock import FrozenClock
from cityloop.core.errors import CityLoopError
from cityloop.db.base import import_models
from cityloop.db.deps import current_principal, public_or_city_principal, require_roles
from cityloop.db.session import create_engine_for, session_scope
from cityloop.org import do_import_staff


def _body(principal: Principal) -> dict[str, Any]:
    return {"kind": principal.kind, "city": principal.city_code, "who": principal.username}


def build_app(engine: Any) -> FastAPI:
    app = FastAPI()
    app.state.engine = engine
    app.state.authenticate = authenticate

    @app.exception_handler(CityLoopError)
    def _error(request: Request, exc: CityLoopError) -> JSONResponse:
        return JSONResponse({"error": exc.to_dict()}, status_code=exc.status)

    @app.get("/whoami")
    def whoami(principal: Principal = Depends(current_principal)) -> dict[str, Any]:
        return _body(principal)

    @app.get("/operators")
    def operators(principal: Principal = Depends(require_roles("operator"))) -> dict[str, Any]:
        return _body(principal)

    @app.get("/cities/{city_code}/public")
    def public(city_code: str, principal: Principal = Depends(public_or_city_principal)) -> dict[str, Any]:
        return _body(principal)

    return app


@pytest.fixture
def client(fresh_db_url: str, clock: FrozenClock) -> Iterator[tuple[TestClient, str, str]]:
    engine = create_engine_for(fresh_db_url)
    import_models().create_all(engine)
    with session_scope(engine) as session:
        session.add(City(code="330100", name_zh="示范市"))
        session.flush()
        do_import_staff(
            session,
            city_code="330100",
            items=[{"username": "op", "name": "受理员", "roles": ["operator"]}],
            password="secret-pass",
        )
        _, token = do_issue_token(
            session, city_code="330100", username="op", password="secret-pass", now=clock.now()
        )
        _, key = do_create_api_key(session, city_code="330100", name="hotline", roles=["intake:write"])
    with TestClient(build_app(engine)) as test_client:
        yield test_client, token, key
    engine.dispose()


def test_headers_become_principals(client: tuple[TestClient, str, str]) -> None:
    http, token, key = client
    assert http.get("/whoami").json() == {"kind": "anonymous", "city": None, "who": None}
    assert http.get("/whoami", headers={"Authorization": f"bearer {token}"}).json() == {
        "kind": "staff",
        "city": "330100",
        "who": "op",
    }
    assert http.get("/whoami", headers={"X-API-Key": key}).json() == {
        "kind": "system",
        "city": "330100",
        "who": None,
    }
    bad = http.get("/whoami", headers={"X-API-Key": "clk_nope"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (401, "access.invalid_token")


def test_require_roles_without_a_city_in_the_path(client: tuple[TestClient, str, str]) -> None:
    http, token, key = client
    assert http.get("/operators", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    refused = http.get("/operators", headers={"X-API-Key": key})
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "access.forbidden_role")
    anonymous = http.get("/operators")
    assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (
        401,
        "access.authentication_required",
    )


def test_public_city_routes_welcome_anonymous_but_not_other_cities(
    client: tuple[TestClient, str, str],
) -> None:
    http, token, _ = client
    assert http.get("/cities/110100/public").json()["kind"] == "anonymous"
    assert http.get("/cities/330100/public", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    other = http.get("/cities/110100/public", headers={"Authorization": f"Bearer {token}"})
    assert (other.status_code, other.json()["error"]["code"]) == (403, "access.forbidden_city")
