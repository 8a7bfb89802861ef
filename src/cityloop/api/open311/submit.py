"""Creating a service request ("POST Service Request") through `flows.process_report`.

The API key (form field `api_key`, or the `X-API-Key` header) names the city; a key of
another city than `jurisdiction_id` is refused (403). The form becomes the `open311`
channel's payload. A request that became a case answers its `service_request_id` (the case
number); one that waits in a human queue (no usable location yet) answers a `token`.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from cityloop.access import Principal, authenticate
from cityloop.access.errors import InvalidToken
from cityloop.api.open311.errors import Open311Error, bad_request, forbidden, not_found
from cityloop.api.open311.params import as_float
from cityloop.api.open311.requests import state_label
from cityloop.api.open311.services import ATTRIBUTES, service_category
from cityloop.cases import Actor
from cityloop.cities import find_city
from cityloop.cities.models import City
from cityloop.core.clock import get_clock
from cityloop.core.errors import CityLoopError
from cityloop.flows.process_report import process_report

Fields = dict[str, list[str]]
_ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
#: Plain fields of the spec passed to the channel as given.
_TEXT_FIELDS = (
    "address_string", "address_id", "email", "device_id", "account_id",
    "first_name", "last_name", "phone", "description", "media_url",
)  # fmt: skip


def one(fields: Fields, name: str) -> str | None:
    values = fields.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise bad_request(f"{name} was given {len(values)} times; give it once")
    return values[0]


def check_key(session: Session, fields: Fields, header_key: str | None) -> Principal:
    """The system principal of the request's API key; missing or wrong keys are a 403."""
    key = one(fields, "api_key") or header_key
    if not key or not key.strip():
        raise forbidden("api_key is required to submit a service request")
    try:
        principal = authenticate(session, authorization=None, api_key=key, now=get_clock().now())
    except InvalidToken:
        raise forbidden("api_key is unknown, expired or revoked") from None
    if "operator" not in principal.roles:
        raise forbidden("this api_key may not submit service requests (it needs the role operator)")
    return principal


def key_city(session: Session, principal: Principal, jurisdiction_id: str | None) -> City:
    """The city the request goes to: the key's, which must be `jurisdiction_id` when one is given."""
    if jurisdiction_id:
        city = find_city(session, jurisdiction_id.strip())
        if city is None:
            raise not_found(f"jurisdiction_id {jurisdiction_id!r} is not a city served here")
        if city.code != principal.city_code:
            raise forbidden(f"this api_key belongs to another jurisdiction than {city.code}")
        return city
    city = find_city(session, principal.city_code or "")
    if city is None:  # pragma: no cover - a key always belongs to an existing city
        raise forbidden("this api_key belongs to no city")
    return city


def _attributes(fields: Fields) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, values in fields.items():
        matched = _ATTRIBUTE.match(name)
        if matched is None:
            continue
        code = matched.group(1)
        if code not in ATTRIBUTES:
            raise bad_request(f"attribute[{code}] is not an attribute of this service")
        allowed = ATTRIBUTES[code]
        if len(values) != 1:
            raise bad_request(f"attribute[{code}] takes one value")
        if allowed is not None and values[0] not in allowed:
            raise bad_request(f"attribute[{code}] must be one of {', '.join(allowed)}")
        if values[0].strip():
            found[code] = values[0].strip()
    return found


def payload_of(session: Session, city: City, fields: Fields) -> dict[str, Any]:
    """The `open311` channel payload of a POST form; missing or invalid parameters are a 400."""
    service_code = one(fields, "service_code")
    if not service_code:
        raise bad_request("service_code is required")
    service_category(session, city, service_code)
    lat, lon = as_float("lat", one(fields, "lat")), as_float("long", one(fields, "long"))
    if (lat is None) != (lon is None):
        raise bad_request("lat and long must be given together")
    payload: dict[str, Any] = {"service_code": service_code}
    if lat is not None:
        payload["lat"], payload["long"] = lat, lon
    for name in _TEXT_FIELDS:
        value = one(fields, name)
        if value is not None and value.strip():
            payload[name] = value
    if lat is None and not payload.get("address_string") and not payload.get("address_id"):
        raise bad_request("a location is required: lat and long, address_string or address_id")
    if len(payload.get("description", "")) > 4000:
        raise bad_request("description may be at most 4,000 characters")
    attributes = _attributes(fields)
    if attributes:
        payload["attributes"] = attributes
    return payload


def submit(
    session: Session, *, principal: Principal, city: City, fields: Fields, idempotency_key: str | None
) -> dict[str, Any]:
    """Submit one request; returns the spec's response row (service_request_id or token)."""
    payload = payload_of(session, city, fields)
    try:
        result = process_report(
            session,
            city_code=city.code,
            channel="open311",
            payload=payload,
            idempotency_key=idempotency_key,
            actor=Actor.from_principal(principal, rule="intake:open311"),
        )
    except CityLoopError as exc:
        raise Open311Error(_status(exc.status), exc.message) from exc
    if result.case is not None:
        return {
            "service_request_id": result.case.number,
            "service_notice": state_label(result.case.state, city.locale),
            "account_id": None,
        }
    return {
        "token": str(result.report.id),
        "service_notice": "等待人工定位 / Waiting for a person to place it on the map"
        if result.status == "manual_location"
        else "等待人工分类 / Waiting for a person to classify it",
        "account_id": None,
    }


def _status(status: int) -> int:
    """Our statuses in the spec's vocabulary: refusals of the data are 400, of the caller 403."""
    if status in (401, 403):
        return 403
    if status in (404, 409):
        return status
    return 400
