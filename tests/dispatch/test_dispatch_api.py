"""The dispatch API: who may read and replace rules and owners, dry runs, and the routing preview."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from httpx import Response

from cityloop.app import create_app
from cityloop.core.clock import FrozenClock
from cityloop.core.passwords import use_hasher
from cityloop.db.base import import_models
from cityloop.db.session import create_engine_for, session_scope
from cityloop.flows.citypack import do_import_pack
from dispatch.conftest import CITY, GRID1, OTHER_CITY, PASSWORD, routing_pack
from geo.factories import center_of

RULES: list[dict[str, Any]] = [
    {"name": "夜间违停", "department": "JJ", "conditions": {"categories": ["09009"]}},
    {"name": "游商", "department": "HW", "conditions": {"categories": ["09001"]}, "note": "试行"},
]


@dataclass
class Api:
    client: TestClient
    point: tuple[float, float]
    tokens: dict[tuple[str, str], str] = field(default_factory=dict)

    def headers(self, who: str | None, city: str = CITY) -> dict[str, str]:
        if who is None:
            return {}
        if (city, who) not in self.tokens:
            resp = self.client.post(
                "/api/v1/auth/token", json={"city": city, "username": who, "password": PASSWORD}
            )
            assert resp.status_code == 200, resp.text
            self.tokens[(city, who)] = resp.json()["token"]
        return {"Authorization": f"Bearer {self.tokens[(city, who)]}"}

    def call(self, method: str, path: str, who: str | None, *, city: str = CITY, **kwargs: Any) -> Response:
        url = f"/api/v1/cities/{CITY}/dispatch{path}"
        return self.client.request(method, url, headers=self.headers(who, city), **kwargs)


@pytest.fixture(autouse=True)
def fast_hasher() -> Iterator[None]:
    previous = use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    use_hasher(previous)


@pytest.fixture
def api(fresh_db_url: str, clock: FrozenClock) -> Iterator[Api]:
    """Two cities with the same staff on a fresh database; the dispatch router mounted if app.py lacks it."""
    engine = create_engine_for(fresh_db_url)
    import_models().create_all(engine)
    pack = routing_pack()
    with session_scope(engine) as session:
        do_import_pack(session, pack, password=PASSWORD)
        do_import_pack(session, routing_pack(OTHER_CITY, origin=(116.40, 39.90)), password=PASSWORD)
    app = create_app(engine)
    assert pack.areas is not None
    with TestClient(app) as client:
        yield Api(client=client, point=center_of(pack.areas, GRID1))
    engine.dispose()


def _report(api: Api, category: str = "09001") -> str:
    lon, lat = api.point
    resp = api.client.post(
        f"/api/v1/cities/{CITY}/cases",
        headers=api.headers("inspector01"),
        json={"source": "inspector", "category_code": category, "lon": lon, "lat": lat},
    )
    assert resp.status_code == 201, resp.text
    return str(resp.json()["number"])


def test_readers_see_rules_admins_replace_them_and_others_are_refused(api: Api) -> None:
    put = api.call("PUT", "/rules", "admin01", json=RULES)
    assert put.status_code == 200, put.text
    body = put.json()
    assert [(r["position"], r["name"], r["department"], r["conditions"], r["note"]) for r in body] == [
        (0, "夜间违停", "JJ", {"categories": ["09009"]}, None),
        (1, "游商", "HW", {"categories": ["09001"]}, "试行"),
    ]
    for who in ("dispatcher01", "leader01", "admin01"):
        got = api.call("GET", "/rules", who)
        assert (got.status_code, got.json()["total"], got.json()["items"]) == (200, 2, body)
    page = api.call("GET", "/rules", "dispatcher01", params={"page": 2, "page_size": 1}).json()
    assert (page["total"], [r["name"] for r in page["items"]]) == (2, ["游商"])
    for who, method, status, code in [
        ("operator01", "GET", 403, "access.forbidden_role"),
        ("dispatcher01", "PUT", 403, "access.forbidden_role"),
        ("leader01", "PUT", 403, "access.forbidden_role"),
        (None, "GET", 401, "access.authentication_required"),
    ]:
        resp = api.call(method, "/rules", who, json=[] if method == "PUT" else None)
        assert (resp.status_code, resp.json()["error"]["code"]) == (status, code), (who, method)
    for method in ("GET", "PUT"):
        other = api.call(method, "/rules", "admin01", city=OTHER_CITY, json=[] if method == "PUT" else None)
        assert (other.status_code, other.json()["error"]["code"]) == (403, "access.forbidden_city")
    assert api.call("GET", "/rules", "admin01").json()["items"] == body  # nothing was replaced


def test_an_invalid_put_lists_every_problem_and_changes_nothing_and_a_dry_run_writes_nothing(
    api: Api,
) -> None:
    assert api.call("PUT", "/rules", "admin01", json=RULES).status_code == 200
    bad = [
        {"name": "a", "department": "NOPE", "conditions": {"grids": ["330102001001099"]}},
        {"name": "b", "department": "CG", "conditions": {"time": {"start": "08:00", "end": "8:00"}}},
    ]
    refused = api.call("PUT", "/rules", "admin01", json=bad)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert (error["code"], error["details"]) == (
        "dispatch.invalid_rules",
        [
            {
                "index": 0,
                "key": "a",
                "field": "department",
                "message": "unknown department 'NOPE' in city 330100",
            },
            {
                "index": 0,
                "key": "a",
                "field": "conditions.grids[0]",
                "message": "unknown grid 330102001001099 in city 330100",
            },
            {
                "index": 1,
                "key": "b",
                "field": "conditions.time.end",
                "message": "time '8:00' must be HH:MM between 00:00 and 23:59",
            },
        ],
    )
    dry = api.call("POST", "/rules/validate", "dispatcher01", json=bad)
    assert dry.status_code == 200
    assert (dry.json()["ok"], dry.json()["count"], dry.json()["problems"]) == (False, 2, error["details"])
    fine = api.call("POST", "/rules/validate", "admin01", json=[{"name": "c", "department": "CG"}]).json()
    assert fine == {"ok": True, "count": 1, "problems": []}
    assert api.call("POST", "/rules/validate", "leader01", json=[]).status_code == 403
    assert [r["name"] for r in api.call("GET", "/rules", "admin01").json()["items"]] == ["夜间违停", "游商"]
    not_a_list = api.call("PUT", "/rules", "admin01", json={"name": "x"})
    assert (not_a_list.status_code, not_a_list.json()["error"]["code"]) == (422, "request.invalid")


def test_component_owners_over_http(api: Api) -> None:
    rows = [{"prefix": "33010201002", "owner": "GPS", "maintainer": "SZ"}]
    put = api.call("PUT", "/component-owners", "admin01", json=rows)
    assert put.status_code == 200, put.text
    assert [(o["prefix"], o["owner"], o["maintainer"]) for o in put.json()] == [("33010201002", "GPS", "SZ")]
    got = api.call("GET", "/component-owners", "leader01").json()
    assert (got["total"], got["items"]) == (1, put.json())
    bad = api.call("PUT", "/component-owners", "admin01", json=[{"prefix": "3301020", "owner": "GPS"}])
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "dispatch.invalid_component_owners")
    dry = api.call(
        "POST", "/component-owners/validate", "admin01", json=[{"prefix": "33010299001", "owner": "X"}]
    )
    assert [p["message"] for p in dry.json()["problems"]] == [
        "unknown component category 99001",
        "unknown department 'X' in city 330100",
    ]
    assert api.call("PUT", "/component-owners", "dispatcher01", json=rows).status_code == 403
    other = api.call("GET", "/component-owners", "admin01", city=OTHER_CITY)
    assert (other.status_code, other.json()["error"]["code"]) == (403, "access.forbidden_city")
    assert api.call("GET", "/component-owners", "admin01").json()["items"] == put.json()


def test_a_dispatcher_previews_where_a_case_would_go_and_returns_are_passed_over(api: Api) -> None:
    assert api.call("PUT", "/rules", "admin01", json=RULES).status_code == 200
    number = _report(api)
    preview = api.call("GET", f"/cases/{number}/routing", "dispatcher01")
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["rule"]["name"] == "游商"
    assert {k: v for k, v in body.items() if k != "rule"} == {
        "case": number,
        "at": "2026-11-02T01:00:00+00:00",
        "department": "HW",
        "how": "rule",
        "component_prefix": None,
        "skipped": [
            {
                "rule": body["skipped"][0]["rule"],
                "name": "夜间违停",
                "position": 0,
                "condition": "categories",
                "why": "category 09001 is not one of 09009",
            }
        ],
        "passed_over": [],
        "returned_before": False,
        "reason": 'rule 2 "游商" matched (categories) → HW',
    }
    for action, who, payload in [
        ("accept", "operator01", {}),
        ("file", "shiftleader01", {}),
        ("dispatch", "dispatcher01", {"data": {"department": "HW"}}),
        ("request_return", "hw01", {"reason": "不是环卫的事"}),
        ("approve_return", "dispatcher01", {}),
    ]:
        resp = api.client.post(
            f"/api/v1/cities/{CITY}/cases/{number}/actions/{action}", headers=api.headers(who), json=payload
        )
        assert resp.status_code == 200, resp.text
    after = api.call("GET", f"/cases/{number}/routing", "dispatcher01").json()
    assert (after["department"], after["how"], after["passed_over"]) == ("CG", "responsibility", ["HW"])
    ignoring = api.call(
        "GET",
        f"/cases/{number}/routing",
        "admin01",
        params={"exclude_returned": "false", "at": "2026-11-02T14:00:00Z"},
    ).json()
    assert (ignoring["department"], ignoring["at"]) == ("HW", "2026-11-02T14:00:00+00:00")
    for who, status, code in [
        ("operator01", 403, "access.forbidden_role"),
        ("leader01", 403, "access.forbidden_role"),
        (None, 401, "access.authentication_required"),
    ]:
        resp = api.call("GET", f"/cases/{number}/routing", who)
        assert (resp.status_code, resp.json()["error"]["code"]) == (status, code)
    other = api.call("GET", f"/cases/{number}/routing", "dispatcher01", city=OTHER_CITY)
    assert (other.status_code, other.json()["error"]["code"]) == (403, "access.forbidden_city")
    missing = api.call("GET", "/cases/330100-20261102-00999/routing", "dispatcher01")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "cases.not_found")


def test_the_automation_figures_are_for_readers_of_the_city(api: Api) -> None:
    number = _report(api)
    for action, who, payload in [
        ("accept", "operator01", {}),
        ("file", "shiftleader01", {}),
        ("dispatch", "dispatcher01", {"data": {"department": "HW"}}),
    ]:
        resp = api.client.post(
            f"/api/v1/cities/{CITY}/cases/{number}/actions/{action}", headers=api.headers(who), json=payload
        )
        assert resp.status_code == 200, resp.text
    got = api.call("GET", "/automation", "leader01")
    assert got.status_code == 200, got.text
    assert {k: got.json()[k] for k in ("dispatched", "automatic", "auto_dispatch_rate")} == {
        "dispatched": 1,
        "automatic": 0,
        "auto_dispatch_rate": 0.0,
    }
    assert api.call("GET", "/automation", "inspector01").status_code == 403
    assert api.call("GET", "/automation", "leader01", city=OTHER_CITY).status_code == 403
    window = api.call("GET", "/automation", "leader01", params={"from": "2030-01-01T00:00:00+08:00"})
    assert window.json()["dispatched"] == 0
