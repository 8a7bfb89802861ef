"""POST Service Request: keys, jurisdictions, the form's rules, and what reaches the case."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cityloop.access import do_create_api_key
from cityloop.cases.models import Case
from cityloop.intake import Report
from open311.conftest import CITY, OTHER_CITY, Server
from open311.helpers import children, json_errors, json_of, xml_errors, xml_of


def counts(server: Server) -> tuple[int, int]:
    with Session(server.engine) as session:
        reports = session.scalar(select(func.count()).select_from(Report)) or 0
        cases = session.scalar(select(func.count()).select_from(Case)) or 0
    return int(reports), int(cases)


def test_an_operator_key_posts_a_request_that_becomes_a_case(one_city: Server) -> None:
    resp = one_city.post(
        "/requests.xml",
        one_city.form(
            **{"attribute[urgency]": "urgent", "attribute[landmark]": "银行门口", "phone": "13800001111"},
            first_name="Li",
            media_url="https://example.org/p.jpg",
        ),
    )
    assert resp.status_code == 201, resp.text
    root = xml_of(resp)
    assert root.tag == "service_requests" and [c.tag for c in root] == ["request"]
    assert children(root[0]) == {
        "service_request_id": "330100-20261102-00001",
        "service_notice": "待核实",
        "account_id": None,
    }
    with Session(one_city.engine) as session:
        case = session.scalars(select(Case)).one()
        report = session.scalars(select(Report)).one()
        assert (case.source, case.category_code, case.kind, case.state, case.urgency) == (
            "open311", "09001", "matter", "PENDING_VERIFY", "urgent",
        )  # fmt: skip
        assert case.address == "银行门口"
        assert case.reporter_ref is not None and case.reporter_ref.startswith("citizen:")
        assert "example.org" not in case.reporter_ref and "1380" not in case.reporter_ref
        assert (report.channel, report.status, report.case_id) == ("open311", "registered", case.id)
    shown = one_city.get("/requests/330100-20261102-00001.json")
    assert shown.status_code == 200
    assert "someone@example.org" not in shown.text and "13800001111" not in shown.text
    assert json_of(shown)[0]["media_url"] == "https://example.org/p.jpg"


def test_a_request_without_a_usable_point_answers_a_token(one_city: Server) -> None:
    by_address = one_city.post(
        "/requests.json", one_city.form(lat="", long="", address_string="文三路 88 号")
    )
    assert by_address.status_code == 201
    body = json_of(by_address)
    assert list(body[0]) == ["token", "service_notice", "account_id"]
    token = body[0]["token"]
    assert json_of(one_city.get(f"/tokens/{token}.json")) == [{"service_request_id": None, "token": token}]
    root = xml_of(one_city.get(f"/tokens/{token}.xml"))
    assert root.tag == "service_requests" and children(root[0]) == {
        "service_request_id": None,
        "token": token,
    }
    # A point that is no longer/latitude is kept for manual location, with the reason.
    off_map = json_of(one_city.post("/requests.json", one_city.form(lat="95", long="200")))
    assert "token" in off_map[0]
    with Session(one_city.engine) as session:
        reports = list(session.scalars(select(Report).order_by(Report.id)))
    assert [(r.status, r.case_id) for r in reports] == [("manual_location", None)] * 2
    assert reports[1].reason == "(200.0, 95.0) is not a longitude/latitude"
    assert counts(one_city) == (2, 0)
    missing = one_city.get("/tokens/999.xml")
    assert missing.status_code == 404
    assert xml_errors(missing) == [("404", "token '999' is not known in jurisdiction 330100")]


@pytest.mark.parametrize(
    ("change", "status", "description"),
    [
        ({"api_key": ""}, 403, "api_key is required to submit a service request"),
        ({"api_key": "clk_wrong"}, 403, "api_key is unknown, expired or revoked"),
        ({"service_code": ""}, 400, "service_code is required"),
        ({"service_code": "99999"}, 400, "service_code '99999' is not a service of jurisdiction 330100"),
        ({"lat": "", "long": ""}, 400, "a location is required: lat and long, address_string or address_id"),
        ({"long": ""}, 400, "lat and long must be given together"),
        ({"lat": "north"}, 400, "lat must be a decimal number, not 'north'"),
        ({"attribute[urgency]": "soon"}, 400, "attribute[urgency] must be one of normal, urgent"),
        ({"attribute[colour]": "red"}, 400, "attribute[colour] is not an attribute of this service"),
        ({"description": "长" * 4001}, 400, "description may be at most 4,000 characters"),
        ({"jurisdiction_id": "999999"}, 404, "jurisdiction_id '999999' is not a city served here"),
    ],
)
def test_refused_requests_store_nothing(
    one_city: Server, change: dict[str, str], status: int, description: str
) -> None:
    form = one_city.form()
    form.update(change)
    for fmt in ("json", "xml"):
        resp = one_city.post(f"/requests.{fmt}", {k: v for k, v in form.items() if v != ""})
        assert resp.status_code == status
        errors = json_errors(resp) if fmt == "json" else xml_errors(resp)
        assert [(str(code), text) for code, text in errors] == [(str(status), description)]
    assert counts(one_city) == (0, 0)


def test_bodies_that_are_not_utf8_forms_are_refused(one_city: Server) -> None:
    bad = one_city.client.post(
        f"{one_city.base}/requests.json",
        content=b"service_code=09001&description=%FF%FE",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert (bad.status_code, json_errors(bad)) == (400, [(400, "the request body is not valid UTF-8")])
    as_json = one_city.client.post(f"{one_city.base}/requests.xml", json=one_city.form())
    assert as_json.status_code == 400
    assert xml_errors(as_json)[0][1].startswith("POST a form")
    huge = one_city.post("/requests.json", one_city.form(description="x" * 1_000_000))
    assert (huge.status_code, json_errors(huge)) == (400, [(400, "the request body is larger than 64 KB")])
    assert counts(one_city) == (0, 0)


def test_keys_without_the_role_or_revoked_are_refused(one_city: Server) -> None:
    with Session(one_city.engine) as session:
        _, reader = do_create_api_key(session, city_code=CITY, name="reader", roles=["viewer"])
        session.commit()
    resp = one_city.post("/requests.json", one_city.form(api_key=reader))
    assert resp.status_code == 403
    assert json_errors(resp) == [
        (403, "this api_key may not submit service requests (it needs the role operator)")
    ]
    assert counts(one_city) == (0, 0)


def test_html_and_sql_are_stored_as_given_and_escaped_when_shown(one_city: Server) -> None:
    text = "<script>alert('x')</script>'; DROP TABLE cases; -- & \x01"
    resp = one_city.post("/requests.json", one_city.form(description=text))
    number = json_of(resp)[0]["service_request_id"]
    with Session(one_city.engine) as session:
        assert session.scalars(select(Case.description)).one() == text
    shown = one_city.get(f"/requests/{number}.xml")
    assert b"<script>" not in shown.content
    assert xml_of(shown).findtext("./request/description") == text.replace("\x01", "\ufffd")
    assert json_of(one_city.get(f"/requests/{number}.json"))[0]["description"] == text


def test_keys_act_only_in_their_own_jurisdiction(two_cities: Server) -> None:
    other_key = two_cities.keys[OTHER_CITY]
    refused = two_cities.post("/requests.xml", two_cities.form(api_key=other_key, jurisdiction_id=CITY))
    assert refused.status_code == 403
    assert xml_errors(refused) == [("403", "this api_key belongs to another jurisdiction than 330100")]
    assert counts(two_cities) == (0, 0)
    # Without jurisdiction_id the key's own city receives the request.
    mine = two_cities.post("/requests.json", two_cities.form(OTHER_CITY))
    assert mine.status_code == 201
    assert json_of(mine)[0]["service_request_id"] == "110100-20261102-00001"
    with Session(two_cities.engine) as session:
        assert session.scalars(select(Case.city_id)).all() == [OTHER_CITY]
    assert json_of(two_cities.get("/requests.json", jurisdiction_id=CITY)) == []
    listed = json_of(two_cities.get("/requests.json", jurisdiction_id=OTHER_CITY))
    assert [r["service_request_id"] for r in listed] == ["110100-20261102-00001"]
