"""Where a field worker is now: the position the phone app (or the simulator) last reported."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.org.errors import StaffNotFound
from cityloop.org.models import Staff, WorkerProfile


def do_set_worker_position(
    session: Session, *, city_code: str, username: str, lon: float, lat: float, at: datetime
) -> None:
    """Record the worker's current position at `at`; StaffNotFound when `username` has no worker profile."""
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"({lon}, {lat}) is not a longitude/latitude")
    profile = session.scalars(
        select(WorkerProfile)
        .join(Staff, Staff.id == WorkerProfile.staff_id)
        .where(Staff.city_id == city_code, Staff.username == username)
    ).first()
    if profile is None:
        raise StaffNotFound(
            f"{username} is not a field worker of city {city_code}", details={"username": username}
        )
    profile.current_lon, profile.current_lat, profile.located_at = lon, lat, at
