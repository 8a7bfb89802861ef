"""The contract every channel adapter in `CHANNELS` must pass.

A new channel adds a sample payload to SAMPLES (a function of the test city's point); the
suite then checks its schema, its normalisation and its trip through the whole pipeline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel

from cityloop.cases.workflow import SOURCES, URGENCIES
from cityloop.cities.params import CityParameters
from cityloop.flows.process_report import process_report
from cityloop.intake import CHANNELS, NormalizedReport
from cityloop.intake.channels.base import ChannelContext
from cityloop.intake.devices import do_import_devices
from cityloop.intake.errors import InvalidReport
from cityloop.intake.receive import parse_payload
from loopcity import LoopCity

Point = tuple[float, float]

SAMPLES: dict[str, Callable[[Point], dict[str, Any]]] = {
    "citizen": lambda p: {"description": "路口有流动摊贩", "lon": p[0], "lat": p[1], "phone": "13800001111"},
    "inspector": lambda p: {"category_code": "06010", "lon": p[0], "lat": p[1], "description": "暴露垃圾"},
    "hotline": lambda p: {"order_no": "H-1", "request_type": "投诉", "content": "流动摊贩占道", "lon": p[0],
                          "lat": p[1], "caller_phone": "13900002222"},
    "camera": lambda p: {"device_id": "CAM-1", "algorithm_class": "street_vendor", "confidence": 0.9,
                         "detected_at": "2026-11-28T09:00:00+08:00"},
    "sensor": lambda p: {"device_id": "MH-1", "metric": "tilt_deg", "value": 16.0, "unit": "deg"},
    "sms": lambda p: {"message_id": "m-1", "from_number": "13700003333", "text": "垃圾桶满了", "lon": p[0],
                      "lat": p[1]},
    "open311": lambda p: {"service_code": "09001", "lat": p[1], "long": p[0], "description": "流动摊贩",
                          "email": "a@example.org"},
}  # fmt: skip

#: Channels whose reports come from a signed-in member of staff: who sends the sample.
SENDERS = {"inspector": "inspector01"}
SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: What a report may become (intake.models.Report.status).
STATUSES = {
    "registered",
    "folded",
    "closed_at_intake",
    "manual_location",
    "manual_category",
    "recovered",
    "ignored",
}
POINT = (120.1005, 30.2515)


def _device(device_id: str) -> dict[str, Any] | None:
    known: dict[str, dict[str, Any]] = {
        "CAM-1": {"device_id": "CAM-1", "kind": "camera", "device_type": None},
        "MH-1": {"device_id": "MH-1", "kind": "sensor", "device_type": "manhole_tilt"},
    }
    found = known.get(device_id)
    return (
        {**found, "lon": POINT[0], "lat": POINT[1], "grid_code": None, "owner_department": None}
        if found
        else None
    )


CONTEXT = ChannelContext(city_code="330100", parameters=CityParameters().model_dump(), device=_device)
NAMES = sorted(CHANNELS)


def test_every_channel_has_a_sample() -> None:
    missing = sorted(set(CHANNELS) - set(SAMPLES))
    assert not missing, f"add a sample payload for {missing} to SAMPLES in {__file__}"


def _normalise(name: str) -> NormalizedReport:
    channel = CHANNELS[name]
    return channel.normalise(parse_payload(channel, SAMPLES[name](POINT)), CONTEXT)


@pytest.mark.parametrize("name", NAMES)
def test_the_schema_is_a_strict_pydantic_model(name: str) -> None:
    channel = CHANNELS[name]
    assert channel.name == name
    assert isinstance(channel.schema, type) and issubclass(channel.schema, BaseModel)
    assert channel.schema.model_config.get("extra") == "forbid"
    assert channel.schema.model_json_schema()["type"] == "object"  # documentable (OpenAPI)


@pytest.mark.parametrize("name", NAMES)
def test_unknown_fields_and_non_objects_are_refused(name: str) -> None:
    channel = CHANNELS[name]
    with pytest.raises(InvalidReport) as err:
        parse_payload(channel, {**SAMPLES[name](POINT), "zz_unknown": 1})
    assert err.value.code == "intake.invalid_report" and err.value.status == 422
    assert [d["field"] for d in err.value.details] == ["zz_unknown"]
    with pytest.raises(InvalidReport):
        parse_payload(channel, [SAMPLES[name](POINT)])


@pytest.mark.parametrize("name", NAMES)
def test_normalise_returns_a_well_formed_report(name: str) -> None:
    report = _normalise(name)
    assert isinstance(report, NormalizedReport)
    assert report.source in SOURCES
    assert report.urgency in URGENCIES
    assert report.category_kind in ("matter", "component")
    assert report.category_code is None or re.fullmatch(r"\d{5}", report.category_code)
    assert (report.lon is None) == (report.lat is None)
    if report.lon is not None and report.lat is not None:
        assert -180 <= report.lon <= 180 and -90 <= report.lat <= 90
    assert report.external_id is None or 0 < len(report.external_id) <= 100
    assert all(SHA256.match(h) for h in report.media)
    assert (report.device_id is None) == (report.alarm_class is None)
    json.dumps(report.extra), json.dumps(report.contact)  # timeline events and storage need JSON
    for contact in report.contact.values():
        assert report.reporter_ref is None or str(contact) not in report.reporter_ref
    assert _normalise(name) == report  # deterministic


@pytest.mark.parametrize("name", NAMES)
def test_the_sample_goes_through_the_pipeline_once(loop: LoopCity, name: str) -> None:
    lon, lat = loop.point
    do_import_devices(loop.session, city_code=loop.code, items=[
        {"device_id": "CAM-1", "kind": "camera", "lon": lon, "lat": lat},
        {"device_id": "MH-1", "kind": "sensor", "device_type": "manhole_tilt", "lon": lon, "lat": lat},
    ])  # fmt: skip
    body = SAMPLES[name](loop.point)
    sender = loop.actors[SENDERS[name]] if name in SENDERS else None
    first = process_report(
        loop.session, city_code=loop.code, channel=name, payload=body, idempotency_key="k", actor=sender
    )
    assert first.status in STATUSES and not first.replay
    assert first.report.payload == body and first.report.channel == name
    if first.case is not None:
        assert first.case.source == _normalise(name).source
    again = process_report(
        loop.session, city_code=loop.code, channel=name, payload=body, idempotency_key="k", actor=sender
    )
    assert again.replay and again.report.id == first.report.id
