"""The evaluation API: who may read grades and portraits, and what a bad request gets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from cityloop.app import create_app
from cityloop.core.passwords import use_hasher
from cityloop.evaluation.api import router
from evaluation.conftest import PASSWORD
from loopcity import CITY, OTHER_CITY


@pytest.fixture(autouse=True)
def fast_hasher() -> Iterator[None]:
    previous = use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    use_hasher(previous)


class Api:
    def __init__(self, client: TestClient) -> None:
        self.client, self.tokens = client, {}  # type: ignore[var-annotated]

    def get(self, path: str, who: str | None, *, city: str = CITY, **params: Any) -> Response:
        headers = {}
        if who is not None:
            if (city, who) not in self.tokens:
                resp = self.client.post(
                    "/api/v1/auth/token", json={"city": city, "username": who, "password": PASSWORD}
                )
                assert resp.status_code == 200, resp.text
                self.tokens[(city, who)] = resp.json()["token"]
            headers["Authorization"] = f"Bearer {self.tokens[(city, who)]}"
        return self.client.get(f"/api/v1/cities/{CITY}/evaluation{path}", headers=headers, params=params)


@pytest.fixture
def api(month_db: tuple[str, Engine, dict[str, str]]) -> Iterator[Api]:
    app = create_app(month_db[1])
    if not any(getattr(r, "path", "").endswith("/evaluation") for r in app.routes):
        app.include_router(router, prefix="/api/v1")
    with TestClient(app) as client:
        yield Api(client)


def test_shift_leaders_and_dispatchers_read_the_grades(api: Api) -> None:
    for who in ("leader01", "dispatcher01"):
        resp = api.get("", who, kind="department", **{"from": "2026-11-01", "to": "2026-11-30"})
        assert resp.status_code == 200, resp.text
        assert [(r["id"], r["composite"], r["grade"], r["tier"]) for r in resp.json()] == [
            ("CG", 84.0, "B", "normal"), ("HW", 60.0, "C", "supervision"),
        ]  # fmt: skip
    everything = api.get("", "leader01").json()
    assert {r["kind"] for r in everything} >= {"department", "inspector", "street", "district"}


def test_a_portrait_through_the_api(api: Api, month_db: tuple[str, Engine, dict[str, str]]) -> None:
    resp = api.get("/inspector/inspector01/portrait", "dispatcher01", months=2)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert [m["month"] for m in body["months"]] == ["2026-10", "2026-11"]
    assert body["months"][1]["cases"]["valid_report_rate"] == [month_db[2]["F"]]


@pytest.mark.parametrize(
    ("path", "who", "city", "params", "status", "code"),
    [
        ("", "operator01", CITY, {}, 403, "access.forbidden_role"),
        ("", "inspector01", CITY, {}, 403, "access.forbidden_role"),
        ("", None, CITY, {}, 401, "access.authentication_required"),
        ("", "leader01", OTHER_CITY, {}, 403, "access.forbidden_city"),
        ("", "leader01", CITY, {"kind": "mayor"}, 422, "evaluation.unknown_kind"),
        ("", "leader01", CITY, {"from": "yesterday"}, 422, "evaluation.invalid_period"),
        ("/department/NOPE/portrait", "leader01", CITY, {}, 404, "evaluation.entity_not_found"),
        ("/mayor/x/portrait", "leader01", CITY, {}, 422, "evaluation.unknown_kind"),
        ("/department/CG/portrait", "cg01", CITY, {}, 403, "access.forbidden_role"),
    ],
)
def test_refusals(
    api: Api, path: str, who: str | None, city: str, params: dict[str, str], status: int, code: str
) -> None:
    resp = api.get(path, who, city=city, **params)
    assert (resp.status_code, resp.json()["error"]["code"]) == (status, code)
