"""Discovery, service list and service definitions, read as the spec shapes them (XML and JSON)."""

from __future__ import annotations

from open311.conftest import CITY, OTHER_CITY, Server
from open311.helpers import children, json_errors, json_of, xml_errors, xml_of


def test_discovery_names_the_endpoint_and_its_formats(one_city: Server) -> None:
    root = xml_of(one_city.get("/discovery.xml"))
    assert root.tag == "discovery"
    assert [c.tag for c in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoints = root.findall("./endpoints/endpoint")
    assert len(endpoints) == 1
    endpoint = endpoints[0]
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == one_city.base
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.findall("./formats/format")] == ["text/xml", "application/json"]
    body = json_of(one_city.get("/discovery.json"))
    assert body["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert body["changeset"] == "2026-11-01T00:00:00+08:00"


def test_service_list_offers_the_city_parameter_over_the_taxonomy(one_city: Server) -> None:
    services = json_of(one_city.get("/services.json"))
    assert len(services) == 20
    vending = next(s for s in services if s["service_code"] == "09001")
    assert vending == {
        "service_code": "09001",
        "service_name": "无照经营游商",
        "description": vending["description"],
        "metadata": True,
        "type": "realtime",
        "keywords": vending["keywords"],
        "group": "街面秩序类",
    }
    assert vending["description"].startswith("无照经营游商")
    assert "摊贩" in vending["keywords"].split(",")
    root = xml_of(one_city.get("/services.xml"))
    assert root.tag == "services" and {c.tag for c in root} == {"service"} and len(root) == 20
    first = children(root[0])
    assert list(first) == [
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group",
    ]  # fmt: skip
    assert (first["service_code"], first["metadata"], first["type"]) == ("01023", "true", "realtime")


def test_service_definition_has_the_urgency_list_and_a_landmark(one_city: Server) -> None:
    root = xml_of(one_city.get("/services/09001.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "09001"
    attributes = root.findall("./attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["urgency", "landmark"]
    urgency, landmark = attributes
    assert [c.tag for c in urgency] == [
        "variable", "code", "datatype", "required", "datatype_description", "order", "description", "values",
    ]  # fmt: skip
    assert children(urgency) == {
        "variable": "true",
        "code": "urgency",
        "datatype": "singlevaluelist",
        "required": "false",
        "datatype_description": "normal or urgent",
        "order": "1",
        "description": "紧急程度 / How urgent is it?",
    }
    assert [v.findtext("key") for v in urgency.findall("./values/value")] == ["normal", "urgent"]
    assert (landmark.findtext("datatype"), landmark.findtext("order")) == ("string", "2")
    body = json_of(one_city.get("/services/09001.json"))
    assert [a["code"] for a in body["attributes"]] == ["urgency", "landmark"]
    assert body["attributes"][0]["values"][1] == {
        "key": "urgent",
        "name": "紧急 / Urgent (a danger to people or traffic)",
    }


def test_unknown_service_code_and_format(one_city: Server) -> None:
    resp = one_city.get("/services/99999.xml")
    assert resp.status_code == 400
    assert xml_errors(resp) == [("400", "service_code '99999' is not a service of jurisdiction 330100")]
    resp = one_city.get("/services.html")
    assert resp.status_code == 404
    assert json_errors(resp) == [(404, "unknown format 'html': use .json or .xml")]


def test_jurisdiction_is_optional_with_one_city_and_checked(one_city: Server) -> None:
    assert len(json_of(one_city.get("/services.json", jurisdiction_id=CITY))) == 20
    resp = one_city.get("/services.xml", jurisdiction_id="999999")
    assert resp.status_code == 404
    assert xml_errors(resp) == [("404", "jurisdiction_id '999999' is not a city served here")]


def test_jurisdiction_is_required_with_two_cities(two_cities: Server) -> None:
    resp = two_cities.get("/services.json")
    assert resp.status_code == 400
    assert json_errors(resp) == [(400, "jurisdiction_id is required: this server holds several cities")]
    for path in ("/requests.json", "/requests/x.json", "/tokens/1.json", "/services/09001.json"):
        assert two_cities.get(path).status_code == 400, path
    assert len(json_of(two_cities.get("/services.json", jurisdiction_id=OTHER_CITY))) == 20
