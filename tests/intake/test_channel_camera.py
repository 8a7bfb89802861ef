"""AI camera alarms through the whole pipeline: folding repeats, verification, unknown devices and classes."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from cityloop.cases import TimelineEvent, do_transition, verify_city
from cityloop.cases.models import Case
from cityloop.cities import do_set_parameters
from cityloop.core.errors import CityLoopError
from cityloop.flows.process_report import process_report
from cityloop.intake import DeviceState, Report
from cityloop.intake.devices import do_import_devices
from cityloop.intake.errors import InvalidReport, UnknownDevice
from cityloop.intake.media import store_media
from loopcity import LoopCity


@pytest.fixture
def snapshot(loop: LoopCity, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The sha256 of a snapshot uploaded to the city's media store (in a temporary var dir)."""
    monkeypatch.setenv("CITYLOOP_VAR_DIR", str(tmp_path / "var"))
    buffer = io.BytesIO()
    Image.new("RGB", (16, 9), (90, 90, 90)).save(buffer, "JPEG")
    return store_media(
        loop.session, city_code=loop.code, content=buffer.getvalue(), now=loop.clock.now()
    ).sha256


def register(loop: LoopCity) -> None:
    lon, lat = loop.point
    do_import_devices(loop.session, city_code=loop.code, items=[
        {"device_id": "CAM-1", "kind": "camera", "name": "文三路口监控", "lon": lon, "lat": lat},
        {"device_id": "MH-1", "kind": "sensor", "device_type": "manhole_tilt", "lon": lon, "lat": lat},
    ])  # fmt: skip


def alarm(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "device_id": "CAM-1",
        "algorithm_class": "street_vendor",
        "confidence": 0.93,
        "detected_at": "2026-11-28T09:00:00+08:00",
        "bbox": {"x": 10, "y": 20, "width": 100, "height": 80},
    }
    body.update(over)
    return body


def send(loop: LoopCity, body: dict[str, Any]) -> Any:
    return process_report(loop.session, city_code=loop.code, channel="camera", payload=body)


def _count(loop: LoopCity, model: type) -> int:
    return int(loop.session.scalar(select(func.count()).select_from(model)) or 0)


def test_repeated_alarms_fold_into_one_case(loop: LoopCity, snapshot: str) -> None:
    register(loop)
    first = send(loop, alarm(alarm_id="a1", snapshot=snapshot))
    case = first.case
    assert case is not None and first.status == "registered"
    created = loop.session.scalars(
        select(TimelineEvent).where(TimelineEvent.case_id == case.id, TimelineEvent.seq == 1)
    ).one()
    assert list(created.evidence) == [snapshot]
    assert (case.source, case.category_code, case.state) == ("camera", "09001", "PENDING_VERIFY")
    assert (case.lon, case.lat) == loop.point
    loop.clock.advance(minutes=5)
    second = send(loop, alarm(alarm_id="a2", confidence=0.97))
    loop.clock.advance(minutes=5)
    third = send(loop, alarm(alarm_id="a3"))
    assert [second.status, third.status] == ["folded", "folded"]
    assert second.case is case and third.case is case
    assert third.report.reason == "alarm 3 of device CAM-1 for street_vendor"
    state = loop.session.scalars(select(DeviceState)).one()
    assert (state.device_id, state.alarm_class, state.count, state.in_alarm, state.case_id) == (
        "CAM-1", "street_vendor", 3, True, case.id,
    )  # fmt: skip
    assert state.last_seen is not None and state.first_seen is not None
    assert state.last_seen - state.first_seen == timedelta(minutes=10)
    repeats = loop.session.scalars(
        select(TimelineEvent).where(TimelineEvent.case_id == case.id, TimelineEvent.action == "alarm_repeat")
    ).all()
    assert [(e.data["count"], e.data["confidence"]) for e in repeats] == [(2, 0.97), (3, 0.93)]
    assert repeats[0].data["bbox"] == {"x": 10, "y": 20, "width": 100, "height": 80}
    assert _count(loop, Case) == 1 and _count(loop, Report) == 3
    assert verify_city(loop.session, loop.code).ok


def test_a_retried_alarm_is_a_replay_not_a_repeat(loop: LoopCity) -> None:
    register(loop)
    first = send(loop, alarm(alarm_id="a1"))
    again = send(loop, alarm(alarm_id="a1"))
    assert again.replay and again.report.id == first.report.id
    assert loop.session.scalars(select(DeviceState)).one().count == 1


def test_a_new_alarm_after_the_case_is_void_opens_a_new_case(loop: LoopCity) -> None:
    register(loop)
    case = send(loop, alarm()).case
    assert case is not None
    for action, who in (("send_verify", "operator01"), ("not_found", "inspector01")):
        loop.clock.advance(minutes=5)
        do_transition(loop.session, city_code=loop.code, number=case.number, action=action,
                      actor=loop.actors[who], reason="现场未发现")  # fmt: skip
    assert case.state == "VOID"
    loop.clock.advance(minutes=5)
    again = send(loop, alarm())
    assert again.status == "registered" and again.case is not None and again.case.id != case.id
    state = loop.session.scalars(select(DeviceState)).one()
    assert (state.case_id, state.count, state.in_alarm) == (again.case.id, 1, True)
    assert verify_city(loop.session, loop.code).ok


def test_low_confidence_goes_to_verification_even_when_cameras_are_trusted(loop: LoopCity) -> None:
    register(loop)
    do_set_parameters(loop.session, loop.code, {"trusted_sources": ["camera"]})
    sure = send(loop, alarm(confidence=0.9))
    unsure = send(loop, alarm(algorithm_class="garbage_exposed", confidence=0.79))
    assert sure.case is not None and sure.case.state == "REPORTED"
    assert unsure.case is not None and unsure.case.state == "PENDING_VERIFY"
    assert unsure.case.category_code == "06010"


@pytest.mark.parametrize(
    ("over", "error", "code"),
    [
        ({"device_id": "CAM-404"}, UnknownDevice, "intake.unknown_device"),
        ({"device_id": "MH-1"}, UnknownDevice, "intake.unknown_device"),  # a sensor is not a camera
        ({"algorithm_class": "ufo"}, InvalidReport, "intake.unknown_alarm_class"),
        ({"confidence": 1.2}, InvalidReport, "intake.invalid_report"),
        ({"snapshot": "ab" * 32}, InvalidReport, "intake.unknown_media"),
        ({"detected_at": "2026-11-28T09:00:00"}, InvalidReport, "intake.invalid_report"),
        ({"bbox": {"x": 0, "y": 0, "width": 0, "height": 5}}, InvalidReport, "intake.invalid_report"),
    ],
)
def test_refused_alarms_store_nothing(
    loop: LoopCity, over: dict[str, Any], error: type[CityLoopError], code: str
) -> None:
    register(loop)
    with pytest.raises(error) as err:
        send(loop, alarm(**over))
    assert err.value.code == code and err.value.status == 422
    assert _count(loop, Report) == 0 and _count(loop, Case) == 0


def test_an_unknown_class_names_the_known_ones(loop: LoopCity) -> None:
    register(loop)
    with pytest.raises(InvalidReport) as err:
        send(loop, alarm(algorithm_class="ufo"))
    assert err.value.message.startswith("camera algorithm class 'ufo' is not mapped")
    assert "street_vendor" in err.value.message


def test_a_deactivated_camera_is_unknown(loop: LoopCity) -> None:
    register(loop)
    do_import_devices(loop.session, city_code=loop.code, items=[])
    with pytest.raises(UnknownDevice):
        send(loop, alarm())
