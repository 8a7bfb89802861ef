"""The device registry: devices.yaml import (validate all first, upsert, deactivate), export, city pack."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from cityloop.flows.citypack import do_import_pack, export_pack
from cityloop.intake import Device, device_record
from cityloop.intake.devices import DeviceImportFailed, do_import_devices, export_devices
from loopcity import LoopCity, loop_pack


def items(loop: LoopCity) -> list[dict[str, Any]]:
    lon, lat = loop.point
    return [
        {"device_id": "CAM-1", "kind": "camera", "device_type": "fixed", "name": "路口监控",
         "lon": lon, "lat": lat, "owner_department": "CG"},
        {"device_id": "MH-1", "kind": "sensor", "device_type": "manhole_tilt", "name": None,
         "lon": lon + 0.001, "lat": lat, "owner_department": None},
    ]  # fmt: skip


def test_import_stores_devices_with_their_grid_and_export_round_trips(loop: LoopCity) -> None:
    rows = do_import_devices(
        loop.session, city_code=loop.code, items=items(loop), known_departments={"CG", "HW"}
    )
    assert [(d.device_id, d.kind, d.grid_code, d.active) for d in rows] == [
        ("CAM-1", "camera", "330102001001001", True),
        ("MH-1", "sensor", "330102001001002", True),
    ]
    exported = export_devices(loop.session, loop.code)
    assert exported == sorted(items(loop), key=lambda i: i["device_id"])
    do_import_devices(loop.session, city_code=loop.code, items=exported)
    assert export_devices(loop.session, loop.code) == exported


def test_unlisted_devices_are_deactivated_and_come_back_when_listed(loop: LoopCity) -> None:
    do_import_devices(loop.session, city_code=loop.code, items=items(loop))
    do_import_devices(loop.session, city_code=loop.code, items=items(loop)[:1])
    assert [d["device_id"] for d in export_devices(loop.session, loop.code)] == ["CAM-1"]
    assert device_record(loop.session, loop.code, "MH-1") is None
    do_import_devices(loop.session, city_code=loop.code, items=items(loop))
    assert device_record(loop.session, loop.code, "MH-1") is not None
    assert loop.session.scalar(select(func.count()).select_from(Device)) == 2


def test_every_problem_is_named_and_nothing_is_written(loop: LoopCity) -> None:
    good = items(loop)
    bad: list[Any] = [
        good[0],
        {**good[0]},  # duplicate id
        {**good[1], "device_id": "S-2", "device_type": "thermometer"},
        {**good[1], "device_id": "S-3", "lon": 116.4, "lat": 39.9},
        {**good[0], "device_id": "C-4", "owner_department": "NOPE"},
        {**good[0], "device_id": "C-5", "kind": "drone"},
        {**good[0], "device_id": "C-6", "colour": "red"},
        "not a mapping",
    ]
    with pytest.raises(DeviceImportFailed) as err:
        do_import_devices(loop.session, city_code=loop.code, items=bad, known_departments={"CG", "HW"})
    assert err.value.code == "intake.invalid_devices" and err.value.status == 422
    found = [(p["index"], p["key"], p["field"]) for p in err.value.details]
    assert found == [
        (1, "CAM-1", "device_id"),
        (2, "S-2", "device_type"),
        (3, "S-3", "lon/lat"),
        (4, "C-4", "owner_department"),
        (5, "C-5", "kind"),
        (6, "C-6", "colour"),
        (7, None, "(item)"),
    ]
    assert err.value.message.startswith("devices.yaml: 7 problem(s), nothing imported; first: item 1 (CAM-1)")
    assert "thermometer" in err.value.details[1]["rule"] and "manhole_tilt" in err.value.details[1]["rule"]
    assert "outside the city" in err.value.details[2]["rule"]
    assert all(p["file"] == "devices.yaml" for p in err.value.details)
    assert loop.session.scalar(select(func.count()).select_from(Device)) == 0


def test_the_city_pack_imports_and_exports_devices(loop: LoopCity) -> None:
    pack = loop_pack()
    pack.devices = items(loop)
    summary = do_import_pack(loop.session, pack, password="loop-password")
    assert summary.steps["devices"] == 2
    assert export_pack(loop.session, loop.code).devices == sorted(items(loop), key=lambda i: i["device_id"])


def test_a_pack_device_with_an_unknown_department_imports_nothing(loop: LoopCity) -> None:
    pack = loop_pack()
    pack.devices = [{**items(loop)[0], "owner_department": "GONE"}]
    with pytest.raises(DeviceImportFailed) as err:
        do_import_pack(loop.session, pack, password="loop-password")
    assert err.value.details[0]["field"] == "owner_department"
