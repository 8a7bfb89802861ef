"""Sign in and out, anonymous and other-city callers on every endpoint, and `cityloop apikey`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from cases_api.conftest import CITY, OTHER_CITY, PASSWORD, Http
from cases_api.test_cases_api_flow import png_bytes
from cityloop.cli import app as cli


def _endpoints(number: str) -> list[tuple[str, str, dict[str, Any]]]:
    case = f"/cities/{{city}}/cases/{number}"
    return [
        (
            "POST",
            "/cities/{city}/cases",
            {"json": {"category_code": "09001", "lon": 120.1005, "lat": 30.2505}},
        ),
        ("GET", "/cities/{city}/cases", {}),
        ("GET", case, {}),
        ("POST", case + "/actions/accept", {"json": {}}),
        ("GET", "/cities/{city}/tasks/mine", {}),
        ("POST", case + "/evidence", {"files": {"file": ("a.png", png_bytes(), "image/png")}}),
    ]


def test_token_by_json_or_form_and_one_answer_for_every_wrong_credential(http: Http) -> None:
    form = http.client.post(
        "/api/v1/auth/token", data={"city": CITY, "username": "operator01", "password": PASSWORD}
    )
    assert form.status_code == 200, form.text
    body = form.json()
    assert (body["token_type"], body["expires_at"], body["token"][:4]) == (
        "bearer",
        "2026-11-02T13:00:00Z",
        "clt_",
    )
    wrong = http.client.post(
        "/api/v1/auth/token", json={"city": CITY, "username": "operator01", "password": "nope"}
    )
    unknown = http.client.post(
        "/api/v1/auth/token", json={"city": CITY, "username": "ghost", "password": "nope"}
    )
    other = http.client.post(
        "/api/v1/auth/token", json={"city": OTHER_CITY, "username": "ghost", "password": PASSWORD}
    )
    for resp in (wrong, unknown, other):
        assert (resp.status_code, resp.json()["error"]) == (
            401,
            {"code": "access.invalid_credentials", "message": "unknown username or wrong password"},
        )
    missing = http.client.post("/api/v1/auth/token", json={"city": CITY, "username": "operator01"})
    assert (missing.status_code, missing.json()["error"]["code"]) == (422, "request.invalid")


def test_logout_revokes_the_token(http: Http) -> None:
    headers = http.headers("operator01")
    assert http.client.get(f"/api/v1/cities/{CITY}/cases", headers=headers).status_code == 200
    assert http.client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    after = http.client.get(f"/api/v1/cities/{CITY}/cases", headers=headers)
    assert (after.status_code, after.json()["error"]["code"]) == (401, "access.invalid_token")
    anonymous = http.client.post("/api/v1/auth/logout")
    assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (
        401,
        "access.authentication_required",
    )


def test_anonymous_callers_and_other_cities_are_refused_everywhere(http: Http) -> None:
    number = http.report()["number"]
    before = http.get(f"/cities/{CITY}/cases/{number}", "leader01").json()
    for method, path, kwargs in _endpoints(number):
        url = "/api/v1" + path.format(city=CITY)
        anonymous = http.client.request(method, url, **kwargs)
        assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (
            401,
            "access.authentication_required",
        ), (method, path)
        for who in ("operator01", "leader01", "inspector01"):
            other = http.client.request(method, url, headers=http.headers(who, OTHER_CITY), **kwargs)
            assert (other.status_code, other.json()["error"]["code"]) == (403, "access.forbidden_city"), (
                method,
                path,
                who,
            )
    assert http.get(f"/cities/{CITY}/cases/{number}", "leader01").json() == before
    assert http.get(f"/cities/{CITY}/cases", "leader01").json()["items"][0]["number"] == number
    # The other city's staff see their own (empty) city.
    assert http.get(f"/cities/{OTHER_CITY}/cases", "leader01", city=OTHER_CITY).json() == {
        "items": [],
        "next_cursor": None,
    }


def test_apikey_cli_creates_lists_and_revokes(
    http: Http, fresh_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITYLOOP_DATABASE_URL", fresh_db_url)
    runner = CliRunner()
    created = runner.invoke(cli, ["apikey", "create", "--city", CITY, "--name", "camera platform", "--json"])
    assert created.exit_code == 0, created.output
    key = json.loads(created.stdout)
    assert (key["id"], key["roles"], key["key"][:8]) == (1, ["operator"], key["prefix"])
    # The key registers a camera report, as the system it stands for.
    resp = http.client.post(
        f"/api/v1/cities/{CITY}/cases",
        headers={"X-API-Key": key["key"]},
        json={
            "source": "camera",
            "category_code": "09001",
            "lon": http.points[0][0],
            "lat": http.points[0][1],
        },
    )
    assert resp.status_code == 201, resp.text
    assert (resp.json()["state"], resp.json()["timeline"][0]["actor_name"]) == ("PENDING_VERIFY", "api-key:1")
    listed = runner.invoke(cli, ["apikey", "list", "--city", CITY, "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [(r["id"], r["name"], r["roles"], r["revoked_at"]) for r in rows] == [
        (1, "camera platform", ["operator"], None)
    ]
    assert key["key"] not in listed.stdout and "secret" not in listed.stdout
    assert runner.invoke(cli, ["apikey", "revoke", "--city", CITY, "1"]).exit_code == 0
    refused = http.client.get(f"/api/v1/cities/{CITY}/cases", headers={"X-API-Key": key["key"]})
    assert (refused.status_code, refused.json()["error"]["code"]) == (401, "access.invalid_token")
    missing = runner.invoke(cli, ["apikey", "revoke", "--city", CITY, "99"])
    assert missing.exit_code == 1 and "access.api_key_not_found" in missing.output
    roles = runner.invoke(
        cli, ["apikey", "create", "--city", CITY, "--name", "ops", "--role", "dispatcher", "--json"]
    )
    assert json.loads(roles.stdout)["roles"] == ["dispatcher"]
