"""Before reporting, a citizen sees the open cases nearby and follows one; operators merge."""

from __future__ import annotations

from typing import Any

from intake.conftest import Api
from loopcity import CITY, OTHER_CITY


def _report(api: Api, code: str, text: str, point: tuple[float, float], phone: str = "13800001111") -> str:
    body = {"description": text, "lon": point[0], "lat": point[1], "phone": phone, "category_code": code}
    resp = api.report("citizen", body)
    assert resp.status_code == 201, resp.text
    return str(resp.json()["case_number"])


def _similar(api: Api, point: tuple[float, float], **params: Any) -> Any:
    return api.client.get("/api/v1/reports/similar", params={"lon": point[0], "lat": point[1], **params})


def test_open_cases_nearby_are_listed_without_personal_data(api: Api) -> None:
    point = api.points[0]
    number = _report(api, "01037", "路灯不亮", point)
    resp = _similar(api, point, category="01037", text="路灯坏了")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["city_code"] == CITY
    assert [c["number"] for c in body["cases"]] == [number]
    found = body["cases"][0]
    assert found["category_name"] == "路灯异常" and found["followers"] == 1
    assert 0 < found["score"] <= 1 and found["reason"]
    assert "13800001111" not in resp.text and "reporter" not in resp.text
    assert _similar(api, point, category="06010").json()["cases"] == []


def test_a_point_in_no_city_and_bad_parameters_are_clear_errors(api: Api) -> None:
    resp = _similar(api, (10.0, 10.0))
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "duplicates.no_city_here"
    resp = _similar(api, api.points[0], category="abc")
    assert resp.status_code == 422
    resp = _similar(api, api.points[0], city="999999")
    assert resp.status_code == 404


def test_a_citizen_follows_an_open_case_once(api: Api) -> None:
    number = _report(api, "06036", "门口堆了杂物", api.points[1])
    url = f"/api/v1/cities/{CITY}/cases/{number}/followers"
    first = api.client.post(url, json={"ref": "app:user-42"})
    assert first.status_code == 201 and first.json() == {
        "case_number": number,
        "following": True,
        "added": True,
    }
    again = api.client.post(url, json={"ref": "app:user-42"})
    assert again.json()["added"] is False
    assert api.client.post(url, json={"ref": ""}).status_code == 422
    missing = api.client.post(
        f"/api/v1/cities/{CITY}/cases/{CITY}-20990101-00001/followers", json={"ref": "x"}
    )
    assert missing.status_code == 404
    other_city = api.client.post(url, json={"ref": "x"}, headers=api.headers("operator01", OTHER_CITY))
    assert other_city.status_code == 403


def test_an_operator_merges_a_suggested_duplicate(api: Api) -> None:
    master = _report(api, "06036", "小区门口堆了很多建筑垃圾", api.points[2])
    repeat = _report(api, "06036", "垃圾", api.points[2], phone="13900002222")
    url = f"/api/v1/cities/{CITY}/cases/{repeat}/merge"
    body = {"master": master, "reason": "the same heap"}
    assert api.client.post(url, json=body).status_code == 401
    assert api.client.post(url, json=body, headers=api.headers("inspector01")).status_code == 403
    assert api.client.post(url, json=body, headers=api.headers("operator01", OTHER_CITY)).status_code == 403
    itself = api.client.post(url, json={"master": repeat, "reason": "x"}, headers=api.headers("operator01"))
    assert itself.status_code == 422
    resp = api.client.post(url, json=body, headers=api.headers("operator01"))
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"case_number": repeat, "master": master, "state": "VOID"}
    again = api.client.post(url, json=body, headers=api.headers("operator01"))
    assert again.status_code == 409 and again.json()["error"]["code"] == "cases.action_not_allowed"
    detail = api.get(f"/cases/{master}", "operator01").json()
    assert detail["timeline"][-1]["action"] == "duplicate_linked"
