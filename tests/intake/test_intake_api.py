"""Reports over HTTP: who may use which channel, idempotency, bad bodies, media checks, the queues."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from httpx import Response

from cityloop.cases.models import Case, TimelineEvent
from cityloop.intake.models import Report
from intake.conftest import Api, image_bytes
from loopcity import CITY, OTHER_CITY

URL = f"/api/v1/cities/{CITY}/reports"


def citizen(api: Api, **over: Any) -> dict[str, Any]:
    lon, lat = api.points[0]
    body: dict[str, Any] = {
        "description": "路口有流动摊贩占道",
        "lon": lon,
        "lat": lat,
        "name": "张三",
        "phone": "13800001111",
    }
    body.update(over)
    return body


def _error(resp: Response) -> tuple[int, str]:
    return resp.status_code, resp.json()["error"]["code"]


def _counts(api: Api) -> tuple[int, int]:
    return api.count(Report), api.count(Case)


def test_an_anonymous_citizen_reports_with_a_photo(api: Api) -> None:
    sha = api.upload(image_bytes("JPEG")).json()["sha256"]
    resp = api.report("citizen", citizen(api, media=[sha], category_code="09001"))
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body == {
        "report_id": body["report_id"],
        "status": "registered",
        "reason": None,
        "case_number": "330100-20261102-00001",
        "master_case_number": None,
        "replay": False,
    }
    case = api.get(f"/cases/{body['case_number']}", "leader01").json()
    assert (case["state"], case["source"]) == ("PENDING_VERIFY", "citizen")
    assert case["timeline"][0]["evidence"] == [sha]


def test_a_retry_returns_the_first_result_and_another_body_is_refused(api: Api) -> None:
    first = api.report("citizen", citizen(api), key="app-7f3a")
    again = api.report("citizen", citizen(api), key="app-7f3a")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {**first.json(), "replay": True}
    other = api.report("citizen", citizen(api, description="另一处有摊贩"), key="app-7f3a")
    assert _error(other) == (409, "intake.idempotency_conflict")
    assert other.json()["error"]["details"] == {"key": "app-7f3a", "first_report": first.json()["report_id"]}
    assert _counts(api) == (1, 1)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b'{"description": "\xff\xfe\xe6\x91\x8a"}', "request.invalid"),  # not UTF-8
        (b"description=hello", "request.invalid"),  # not JSON
        ('{"description": "摊贩", "lon": NaN, "lat": 30}'.encode(), "request.invalid"),  # not a JSON number
        (b"[" * 100_000, "request.invalid"),  # nested past any sense
        (b'["a report must be an object"]', "intake.invalid_report"),
        (b"", "request.invalid"),
    ],
)
def test_bodies_that_are_not_a_json_report_store_nothing(api: Api, content: bytes, code: str) -> None:
    resp = api.client.post(URL + "/citizen", content=content, headers={"Content-Type": "application/json"})
    assert _error(resp) == (422, code), resp.text
    assert _counts(api) == (0, 0)


def test_long_descriptions_and_large_bodies_are_refused(api: Api) -> None:
    resp = api.report("citizen", citizen(api, description="摊" * 2001))
    assert _error(resp) == (422, "intake.invalid_report")
    assert resp.json()["error"]["details"][0]["field"] == "description"
    resp = api.report("citizen", citizen(api, description="摊" * 1_000_000))  # 3 MB of UTF-8
    assert _error(resp) == (413, "intake.body_too_large")
    # Without a declared length (chunked), it is cut off as soon as it passes 256 KB.

    def chunks() -> Iterator[bytes]:
        yield b'{"description": "'
        for _ in range(100):
            yield b"x" * 10_000
        yield b'"}'

    resp = api.client.post(URL + "/citizen", content=chunks(), headers={"Content-Type": "application/json"})
    assert _error(resp) == (413, "intake.body_too_large")
    assert _counts(api) == (0, 0)


def test_media_must_have_been_uploaded_to_the_city(api: Api) -> None:
    mine = api.upload(image_bytes("JPEG")).json()["sha256"]
    elsewhere = api.upload(image_bytes("PNG"), city=OTHER_CITY).json()["sha256"]
    resp = api.report("citizen", citizen(api, media=[mine, elsewhere, "ab" * 32]))
    assert _error(resp) == (422, "intake.unknown_media")
    assert resp.json()["error"]["details"] == [
        {"field": "media.1", "message": "not an uploaded media of the city"},
        {"field": "media.2", "message": "not an uploaded media of the city"},
    ]
    assert _counts(api) == (0, 0)


def test_html_and_sql_in_text_are_stored_as_given(api: Api) -> None:
    text = "<script>alert('x')</script>'; DROP TABLE cases; -- 摊贩"
    report_id = api.report("citizen", citizen(api, description=text)).json()["report_id"]
    assert api.get(f"/reports/{report_id}", "operator01").json()["description"] == text


def test_the_inspector_channel_needs_an_inspector_token(api: Api) -> None:
    lon, lat = api.points[1]
    body = {"category_code": "09001", "lon": lon, "lat": lat, "description": "路边摊贩"}
    assert _error(api.report("inspector", body)) == (401, "access.authentication_required")
    resp = api.client.post(URL + "/inspector", content=b"\xff not even JSON")
    assert _error(resp) == (401, "access.authentication_required")  # who asks is checked before the body
    assert _error(api.report("inspector", body, "operator01")) == (403, "access.forbidden_role")
    assert _error(api.report("inspector", body, "key")) == (403, "access.forbidden_role")
    resp = api.client.post(URL + "/inspector", headers=api.headers("inspector01", OTHER_CITY), json=body)
    assert _error(resp) == (403, "access.forbidden_city")
    assert _counts(api) == (0, 0)
    resp = api.report("inspector", body, "inspector01")
    assert resp.status_code == 201, resp.text
    case = api.get(f"/cases/{resp.json()['case_number']}", "leader01").json()
    assert case["state"] == "REPORTED"
    event = case["timeline"][0]
    assert (event["actor_kind"], event["actor_name"], event["actor_role"]) == (
        "staff",
        "inspector01",
        "inspector",
    )
    assert api.count(TimelineEvent) == 1


def test_system_channels_need_an_api_key_of_the_city(api: Api) -> None:
    order = {"order_no": "GD-20261102-0001", "request_type": "咨询", "content": "请问占道经营怎么申请许可"}
    assert _error(api.report("hotline", order)) == (401, "access.authentication_required")
    assert _error(api.report("hotline", order, "operator01")) == (403, "access.forbidden_role")
    assert _error(api.report("camera", {}, "inspector01")) == (403, "access.forbidden_role")
    resp = api.client.post(URL + "/hotline", headers={"X-API-Key": api.keys[OTHER_CITY]}, json=order)
    assert _error(resp) == (403, "access.forbidden_city")
    assert _counts(api) == (0, 0)
    resp = api.report("hotline", order, "key")
    assert resp.status_code == 201, resp.text
    assert (resp.json()["status"], resp.json()["case_number"]) == ("closed_at_intake", None)


def test_public_channels_and_unknown_ones(api: Api) -> None:
    assert _error(api.report("fax", citizen(api))) == (404, "intake.unknown_channel")
    resp = api.client.post(URL + "/citizen", headers=api.headers("operator01", OTHER_CITY), json=citizen(api))
    assert _error(resp) == (403, "access.forbidden_city")
    assert _error(api.report("citizen", citizen(api), city="999999")) == (404, "cities.not_found")
    assert _counts(api) == (0, 0)


def test_the_queues_show_contact_to_operators_only(api: Api) -> None:
    placed = api.report("citizen", citizen(api, client_id="a1")).json()
    waiting = api.report(
        "citizen", citizen(api, lon=None, lat=None, address="文三路口", client_id="a2")
    ).json()
    assert waiting["status"] == "manual_location"
    for who in ("operator01", "leader01", "dispatcher01"):
        page = api.get("/reports", who).json()
        assert (page["total"], page["page"], page["page_size"]) == (2, 1, 50)
        assert [r["id"] for r in page["items"]] == [waiting["report_id"], placed["report_id"]]
        first = page["items"][0]
        assert (first["status"], first["address"], first["case_number"]) == (
            "manual_location",
            "文三路口",
            None,
        )
        assert page["items"][1]["case_number"] == placed["case_number"]
        if who == "operator01":
            assert first["contact"] == {"name": "张三", "phone": "13800001111"}
        else:
            assert "contact" not in first
            assert "13800001111" not in api.get("/reports", who).text
            assert "13800001111" not in api.get(f"/reports/{placed['report_id']}", who).text
    queue = api.get("/reports", "dispatcher01", status="manual_location", page_size=1).json()
    assert (queue["total"], [r["id"] for r in queue["items"]]) == (1, [waiting["report_id"]])
    one = api.get(f"/reports/{placed['report_id']}", "operator01").json()
    assert one["contact"] == {"name": "张三", "phone": "13800001111"}
    assert one["reporter_ref"].startswith("citizen:")


def test_the_queues_are_for_the_intake_desk(api: Api) -> None:
    report_id = api.report("citizen", citizen(api)).json()["report_id"]
    assert _error(api.get("/reports")) == (401, "access.authentication_required")
    assert _error(api.get("/reports", "inspector01")) == (403, "access.forbidden_role")
    assert _error(api.get("/reports", "operator01", city=OTHER_CITY, status="nope")) == (
        422,
        "request.invalid",
    )
    assert _error(api.get(f"/reports/{report_id}", "operator01", city=OTHER_CITY)) == (
        404,
        "intake.report_not_found",
    )
    assert _error(api.get("/reports/99999", "operator01")) == (404, "intake.report_not_found")
