"""Export departments and staff in exactly the departments.yaml / staff.yaml item format."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cityloop.org.models import Department, Responsibility, Staff, WorkerProfile


def export_departments(session: Session, city_code: str) -> list[dict[str, Any]]:
    """The city's active departments as import items, ordered by code (export → import round-trips)."""
    rows = session.scalars(
        select(Department)
        .where(Department.city_id == city_code, Department.active.is_(True))
        .options(selectinload(Department.parent), selectinload(Department.responsibilities))
        .order_by(Department.code)
    )
    return [
        {
            "code": d.code,
            "name_zh": d.name_zh,
            "name_en": d.name_en,
            "kind": d.kind,
            "parent": d.parent.code if d.parent else None,
            "street": d.street_code,
            "phone": d.phone,
            "responsibilities": [_responsibility(r) for r in d.responsibilities],
        }
        for d in rows
    ]


def _responsibility(row: Responsibility) -> dict[str, Any]:
    return {
        "categories": list(row.categories),
        "standard": row.standard,
        "kind": row.kind,
        "areas": list(row.areas),
    }


def export_staff(session: Session, city_code: str) -> list[dict[str, Any]]:
    """The city's active staff as import items, ordered by username; passwords are never exported."""
    rows = session.scalars(
        select(Staff)
        .where(Staff.city_id == city_code, Staff.active.is_(True))
        .options(
            selectinload(Staff.department),
            selectinload(Staff.worker).selectinload(WorkerProfile.shifts),
        )
        .order_by(Staff.username)
    )
    return [
        {
            "username": s.username,
            "name": s.name,
            "roles": list(s.roles),
            "department": s.department.code if s.department else None,
            "patrol_zone": s.patrol_zone_code,
            "phone": s.phone,
            "worker": _worker(s.worker) if s.worker else None,
        }
        for s in rows
    ]


def _worker(profile: WorkerProfile) -> dict[str, Any]:
    return {
        "home": [profile.home_lon, profile.home_lat],
        "skills": list(profile.skills),
        "shifts": [{"weekdays": list(s.weekdays), "start": s.start, "end": s.end} for s in profile.shifts],
    }
