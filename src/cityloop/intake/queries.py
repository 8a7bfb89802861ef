"""Reads of the intake package: reports by status (the human queues), devices."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from cityloop.intake.models import Device, Report


def list_reports(session: Session, city_code: str, *, status: str | None = None) -> Select[Report]:
    """The city's reports, newest first; `status` selects a queue (manual_location, manual_category, …)."""
    stmt = select(Report).where(Report.city_id == city_code)
    if status is not None:
        stmt = stmt.where(Report.status == status)
    return stmt.order_by(Report.received_at.desc(), Report.id.desc())


def get_device(session: Session, city_code: str, device_id: str) -> Device | None:
    return session.scalars(
        select(Device).where(Device.city_id == city_code, Device.device_id == device_id)
    ).first()


def device_record(session: Session, city_code: str, device_id: str) -> dict[str, Any] | None:
    """A registered, active device as plain data for channel adapters; None when unknown or inactive."""
    device = get_device(session, city_code, device_id)
    if device is None or not device.active:
        return None
    return {
        "device_id": device.device_id,
        "kind": device.kind,
        "device_type": device.device_type,
        "name": device.name,
        "lon": device.lon,
        "lat": device.lat,
        "grid_code": device.grid_code,
        "owner_department": device.owner_department,
    }
