"""GET Service Requests: the 90-day window, filters, paging, updated_after and the extensions."""

from __future__ import annotations

from datetime import timedelta

from open311.conftest import Server
from open311.helpers import children, json_errors, json_of, xml_of

SPEC_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
]  # fmt: skip


def post(server: Server, **over: str) -> str:
    resp = server.post("/requests.json", server.form(**over))
    assert resp.status_code == 201, resp.text
    return str(json_of(resp)[0]["service_request_id"])


def ids(resp_body: list[dict[str, object]]) -> list[object]:
    return [row["service_request_id"] for row in resp_body]


def test_the_window_defaults_to_90_days_and_may_not_be_wider(one_city: Server) -> None:
    old = post(one_city)  # 2026-11-02 09:00 +08:00
    one_city.clock.advance(timedelta(days=100))
    new = post(one_city, service_code="06010", description="暴露垃圾")
    assert ids(json_of(one_city.get("/requests.json"))) == [new]
    window = {"start_date": "2026-11-01T00:00:00+08:00", "end_date": "2026-11-03T00:00:00+08:00"}
    assert ids(json_of(one_city.get("/requests.json", **window))) == [old]
    assert ids(json_of(one_city.get("/requests.json", start_date="2026-11-02T00:00:00Z"))) == [old]
    wide = one_city.get(
        "/requests.json", start_date="2026-11-01T00:00:00+08:00", end_date="2027-02-01T00:00:00+08:00"
    )
    assert wide.status_code == 400
    assert json_errors(wide) == [(400, "start_date and end_date may not be more than 90 days apart")]
    backwards = one_city.get("/requests.json", start_date="2026-11-03", end_date="2026-11-01")
    assert json_errors(backwards) == [(400, "end_date is before start_date")]
    bad = one_city.get("/requests.json", start_date="yesterday")
    assert bad.status_code == 400
    # service_request_id overrides every other argument, the window included.
    assert ids(json_of(one_city.get("/requests.json", service_request_id=f"{new},{old},nope"))) == [new, old]


def test_filters_paging_and_the_spec_fields(one_city: Server) -> None:
    first = post(one_city)
    one_city.clock.advance(timedelta(minutes=5))
    second = post(one_city, service_code="06010", description="暴露垃圾")
    one_city.clock.advance(timedelta(minutes=5))
    third = post(one_city, description="另一个")  # too unlike the first to be merged as its duplicate
    assert ids(json_of(one_city.get("/requests.json"))) == [third, second, first]
    assert ids(json_of(one_city.get("/requests.json", service_code="09001"))) == [third, first]
    assert ids(json_of(one_city.get("/requests.json", service_code="06010,09001"))) == [third, second, first]
    assert json_of(one_city.get("/requests.json", status="closed")) == []
    assert ids(json_of(one_city.get("/requests.json", status="open"))) == [third, second, first]
    assert ids(json_of(one_city.get("/requests.json", page="2", page_size="2"))) == [first]
    assert ids(json_of(one_city.get("/requests.json", updated_after="2026-11-02T09:07:00+08:00"))) == [third]
    for params, message in [
        ({"status": "pending"}, "status must be open or closed (comma delimited)"),
        ({"service_code": "12345"}, "service_code '12345' is not a service of jurisdiction 330100"),
        ({"page_size": "1001"}, "page_size must be between 1 and 1000"),
        ({"extensions": "maybe"}, "extensions must be true or false, not 'maybe'"),
    ]:
        resp = one_city.get("/requests.json", **params)
        assert (resp.status_code, json_errors(resp)) == (400, [(400, message)])
    root = xml_of(one_city.get("/requests.xml"))
    assert root.tag == "service_requests" and [r.tag for r in root] == ["request"] * 3
    oldest = root[2]
    assert [c.tag for c in oldest] == SPEC_FIELDS
    assert children(oldest) == {
        "service_request_id": first,
        "status": "open",
        "status_notes": "待核实",
        "service_name": "无照经营游商",
        "service_code": "09001",
        "description": "路口有流动摊贩",
        "agency_responsible": None,
        "service_notice": None,
        "requested_datetime": "2026-11-02T09:00:00+08:00",
        "updated_datetime": "2026-11-02T09:00:00+08:00",
        "expected_datetime": None,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": str(one_city.points["330100"][1]),
        "long": str(one_city.points["330100"][0]),
        "media_url": None,
    }
    assert list(json_of(one_city.get(f"/requests/{first}.json"))[0]) == SPEC_FIELDS


def test_extensions_add_the_state_and_a_public_timeline(one_city: Server) -> None:
    number = post(one_city)
    body = json_of(one_city.get(f"/requests/{number}.json", extensions="true"))
    assert body[0]["extended_attributes"] == {
        "detailed_status": "PENDING_VERIFY",
        "detailed_status_label": "待核实",
        "timeline": [
            {"action": "register", "datetime": "2026-11-02T09:00:00+08:00", "status": "PENDING_VERIFY"}
        ],
    }
    root = xml_of(one_city.get("/requests.xml", extensions="true"))
    event = root.find("./request/extended_attributes/timeline/event")
    assert event is not None and children(event) == {
        "action": "register",
        "datetime": "2026-11-02T09:00:00+08:00",
        "status": "PENDING_VERIFY",
    }
    assert "api-key" not in "".join(root.itertext()) and "cityloop" not in "".join(root.itertext())
    assert "extended_attributes" not in json_of(one_city.get(f"/requests/{number}.json"))[0]


def test_unknown_requests_are_404(one_city: Server) -> None:
    resp = one_city.get("/requests/330100-20261102-99999.json")
    assert resp.status_code == 404
    assert json_errors(resp) == [
        (404, "service request '330100-20261102-99999' is not known in jurisdiction 330100")
    ]
