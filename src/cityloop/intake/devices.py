"""The device registry (city pack `devices.yaml`): cameras and sensors, where they are, who owns them.

Import validates every item before it writes anything, then upserts by `device_id`; devices
no longer listed are deactivated (not deleted: reports and alarm states keep naming them),
and an inactive device's alarms are refused as unknown.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cities import get_city, get_parameters
from cityloop.geo import locate
from cityloop.intake.errors import DeviceImportFailed
from cityloop.intake.models import Device


class DeviceItem(BaseModel):
    """One item of devices.yaml."""

    model_config = ConfigDict(extra="forbid")

    device_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
    kind: Literal["camera", "sensor"]
    #: Sensors: a key of the city parameter `sensor_thresholds`; cameras: free text (e.g. ptz, fixed).
    device_type: str | None = Field(default=None, max_length=40)
    name: str | None = Field(default=None, max_length=200)
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    owner_department: str | None = Field(default=None, max_length=40)


def _problem(index: int, key: str | None, field: str, rule: str) -> dict[str, Any]:
    return {"index": index, "key": key, "field": field, "rule": rule}


def check_devices(
    session: Session,
    *,
    city_code: str,
    items: list[Any],
    source: str = "devices.yaml",
    known_departments: Collection[str] | None = None,
) -> list[tuple[DeviceItem, str | None]]:
    """Parse and check every item; raise DeviceImportFailed listing all problems, else (item, grid code)."""
    sensor_types = set(get_parameters(session, city_code).sensor_thresholds)
    problems: list[dict[str, Any]] = []
    checked: list[tuple[DeviceItem, str | None]] = []
    first_at: dict[str, int] = {}
    for index, raw in enumerate(items):
        key = raw.get("device_id") if isinstance(raw, dict) else None
        key = key if isinstance(key, str) and key else None
        if not isinstance(raw, dict):
            problems.append(_problem(index, None, "(item)", "each item must be a mapping of keys to values"))
            continue
        if key is not None:
            if key in first_at:
                problems.append(
                    _problem(
                        index, key, "device_id", f"duplicate device_id, already used by item {first_at[key]}"
                    )
                )
            else:
                first_at[key] = index
        try:
            item = DeviceItem.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "(item)"
                rule = "unknown key" if err["type"] == "extra_forbidden" else str(err["msg"])
                problems.append(_problem(index, key, field, rule))
            continue
        if item.kind == "sensor" and item.device_type not in sensor_types:
            problems.append(
                _problem(index, key, "device_type", f"a sensor's device_type must be one of the city's "
                         f"sensor_thresholds ({', '.join(sorted(sensor_types))}), got {item.device_type!r}")
            )  # fmt: skip
        owner = item.owner_department
        if known_departments is not None and owner is not None and owner not in known_departments:
            problems.append(_problem(index, key, "owner_department", f"unknown department {owner!r}"))
        found = locate(session, city_code, item.lon, item.lat)
        if found is None:
            problems.append(
                _problem(index, key, "lon/lat", f"({item.lon}, {item.lat}) lies outside the city's areas")
            )
            continue
        checked.append((item, found.grid.code if found.grid else None))
    if problems:
        for problem in problems:
            problem["file"] = source
        first = problems[0]
        who = f" ({first['key']})" if first["key"] else ""
        raise DeviceImportFailed(
            f"{source}: {len(problems)} problem(s), nothing imported; first: "
            f"item {first['index']}{who}, {first['field']}: {first['rule']}",
            details=problems,
        )
    return checked


def do_import_devices(
    session: Session,
    *,
    city_code: str,
    items: list[Any],
    source: str = "devices.yaml",
    known_departments: Collection[str] | None = None,
) -> list[Device]:
    """Make the city's active devices exactly `items`: upsert by device_id, deactivate the unlisted.

    Nothing is written when any item is wrong. The grid of each device is found from its point.
    """
    get_city(session, city_code)
    checked = check_devices(
        session, city_code=city_code, items=items, source=source, known_departments=known_departments
    )
    existing = {d.device_id: d for d in session.scalars(select(Device).where(Device.city_id == city_code))}
    listed: list[Device] = []
    for item, grid_code in checked:
        device = existing.get(item.device_id)
        if device is None:
            device = Device(city_id=city_code, device_id=item.device_id)
            session.add(device)
        device.kind, device.device_type, device.name = item.kind, item.device_type, item.name
        device.lon, device.lat, device.grid_code = item.lon, item.lat, grid_code
        device.owner_department, device.active = item.owner_department, True
        listed.append(device)
    keep = {item.device_id for item, _ in checked}
    for device_id, device in existing.items():
        if device_id not in keep:
            device.active = False
    session.flush()
    return listed


def export_devices(session: Session, city_code: str) -> list[dict[str, Any]]:
    """The city's active devices as devices.yaml items, by device_id (export → import round-trips)."""
    rows = session.scalars(
        select(Device).where(Device.city_id == city_code, Device.active.is_(True)).order_by(Device.device_id)
    )
    return [
        {
            "device_id": d.device_id,
            "kind": d.kind,
            "device_type": d.device_type,
            "name": d.name,
            "lon": d.lon,
            "lat": d.lat,
            "owner_department": d.owner_department,
        }
        for d in rows
    ]
