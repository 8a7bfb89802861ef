"""IoT sensor readings through the whole pipeline: one case per crossing, hysteresis, recovery."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from cityloop.cases import TimelineEvent, verify_city
from cityloop.cases.models import Case
from cityloop.flows.process_report import process_report
from cityloop.intake import DeviceState, Report
from cityloop.intake.channels.sensor import WITHIN_LIMITS
from cityloop.intake.devices import do_import_devices
from cityloop.intake.errors import InvalidReport, UnknownDevice
from loopcity import LoopCity


def register(loop: LoopCity) -> None:
    lon, lat = loop.point
    do_import_devices(loop.session, city_code=loop.code, items=[
        {"device_id": "MH-1", "kind": "sensor", "device_type": "manhole_tilt", "lon": lon, "lat": lat},
        {"device_id": "CAM-1", "kind": "camera", "lon": lon, "lat": lat},
    ])  # fmt: skip


def reading(value: float, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"device_id": "MH-1", "metric": "tilt_deg", "value": value, "unit": "deg"}
    body.update(over)
    return body


def send(loop: LoopCity, body: dict[str, Any]) -> Any:
    loop.clock.advance(minutes=1)
    return process_report(loop.session, city_code=loop.code, channel="sensor", payload=body)


def _events(loop: LoopCity, case: Case) -> list[str]:
    rows = loop.session.scalars(
        select(TimelineEvent).where(TimelineEvent.case_id == case.id).order_by(TimelineEvent.seq)
    )
    return [e.action for e in rows]


def _count(loop: LoopCity, model: type) -> int:
    return int(loop.session.scalar(select(func.count()).select_from(model)) or 0)


def test_crossing_raises_one_case_with_hysteresis(loop: LoopCity) -> None:
    register(loop)
    results = [send(loop, reading(v)) for v in (16, 17, 10, 4)]
    assert [r.status for r in results] == ["registered", "folded", "closed_at_intake", "recovered"]
    case = results[0].case
    assert case is not None and (case.source, case.category_code) == ("sensor", "01023")
    assert case.description == "物联感知：MH-1 tilt_deg = 16 deg（阈值 15）"
    assert [r.case for r in results] == [case, case, None, case]
    assert results[2].report.reason == WITHIN_LIMITS
    assert _events(loop, case)[-2:] == ["alarm_repeat", "sensor_recovered"]
    state = loop.session.scalars(select(DeviceState)).one()
    assert (state.alarm_class, state.in_alarm, state.count, state.last_value) == ("tilt_deg", False, 2, 4.0)
    assert _count(loop, Case) == 1
    assert verify_city(loop.session, loop.code).ok


def test_a_new_crossing_while_the_case_is_still_open_folds_into_it(loop: LoopCity) -> None:
    register(loop)
    first, *_ = [send(loop, reading(v)) for v in (16, 17, 10, 4)]
    again = send(loop, reading(18))
    assert again.status == "folded" and again.case is first.case
    assert _count(loop, Case) == 1


def test_readings_below_the_clearing_value_without_an_alarm_are_ignored(loop: LoopCity) -> None:
    register(loop)
    low, between = send(loop, reading(3)), send(loop, reading(12))
    assert (low.status, low.case) == ("ignored", None)
    assert (between.status, between.report.reason) == ("closed_at_intake", WITHIN_LIMITS)
    assert _count(loop, Case) == 0 and _count(loop, Report) == 2 and _count(loop, DeviceState) == 0


def test_a_retried_reading_is_a_replay(loop: LoopCity) -> None:
    register(loop)
    first = send(loop, reading(16, reading_id="r-1", measured_at="2026-11-28T09:00:00+08:00"))
    again = send(loop, reading(16, reading_id="r-1", measured_at="2026-11-28T09:00:00+08:00"))
    assert again.replay and again.case is first.case
    assert loop.session.scalars(select(DeviceState)).one().count == 1


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        (reading(16, device_id="MH-404"), "intake.unknown_device", "device_id"),
        (reading(16, device_id="CAM-1"), "intake.unknown_device", "device_id"),
        (reading(16, metric="level_cm"), "intake.metric_mismatch", "metric"),
        (reading(16, unit=""), "intake.invalid_report", "unit"),
        ({**reading(16), "value": "NaN"}, "intake.invalid_report", "value"),
        ({**reading(16), "battery": 80}, "intake.invalid_report", "battery"),
    ],
)
def test_refused_readings_store_nothing(loop: LoopCity, body: dict[str, Any], code: str, field: str) -> None:
    register(loop)
    with pytest.raises((InvalidReport, UnknownDevice)) as err:
        send(loop, body)
    assert (err.value.code, err.value.status) == (code, 422)
    assert field in [d["field"] for d in err.value.details]
    assert _count(loop, Report) == 0 and _count(loop, Case) == 0


def test_a_metric_mismatch_names_the_expected_metric(loop: LoopCity) -> None:
    register(loop)
    with pytest.raises(InvalidReport) as err:
        send(loop, reading(16, metric="level_cm"))
    assert err.value.message == "sensor 'MH-1' (manhole_tilt) measures 'tilt_deg', not 'level_cm'"
