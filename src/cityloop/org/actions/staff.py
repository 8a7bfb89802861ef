"""Import staff.yaml: validate every item first, then upsert by username in one go."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cities import get_city
from cityloop.core.passwords import hash_password
from cityloop.org.actions.problems import Problems
from cityloop.org.models import Department, Shift, Staff, WorkerProfile
from cityloop.org.roles import DEPARTMENT_ROLES, StaffRole
from cityloop.org.schemas import ShiftItem, StaffItem, WorkerItem


def check_staff(
    items: list[Any],
    *,
    departments: Collection[str],
    source: str = "staff.yaml",
    known_patrol_zones: Collection[str] | None = None,
) -> list[StaffItem]:
    """Parse and check all items against the city's active department codes; raise with every problem."""
    problems = Problems(source)
    parsed: list[tuple[int, StaffItem]] = []
    first_at: dict[str, int] = {}
    for index, raw in enumerate(items):
        key = problems.key_of(index, raw, "username", first_at)
        if not isinstance(raw, dict):
            problems.add(index, None, "(item)", "each item must be a mapping of keys to values")
            continue
        try:
            parsed.append((index, StaffItem.model_validate(raw)))
        except ValidationError as exc:
            problems.add_validation(index, key, exc)

    for index, item in parsed:
        roles = set(item.roles)
        needing = sorted(roles & DEPARTMENT_ROLES)
        if item.department is None:
            if needing:
                problems.add(index, item.username, "department", f"role {needing[0]} requires a department")
        elif item.department not in departments:
            problems.add(
                index, item.username, "department", f"unknown department {item.department!r} in this city"
            )
        if item.patrol_zone is not None:
            if StaffRole.INSPECTOR not in roles:
                problems.add(index, item.username, "patrol_zone", "only inspectors have a patrol zone")
            elif known_patrol_zones is not None and item.patrol_zone not in known_patrol_zones:
                problems.add(index, item.username, "patrol_zone", f"unknown patrol zone {item.patrol_zone!r}")
        if item.worker is not None and StaffRole.FIELD_WORKER not in roles:
            problems.add(index, item.username, "worker", "only field workers have a worker block")
    problems.raise_if_any()
    return [item for _, item in parsed]


def do_import_staff(
    session: Session,
    *,
    city_code: str,
    items: list[dict[str, Any]],
    source: str = "staff.yaml",
    password: str | None = None,
    known_patrol_zones: Collection[str] | None = None,
) -> list[Staff]:
    """Make the city's staff exactly `items` (upsert by username; unlisted people are deactivated).

    `password`, when given, becomes the password of every account that has none yet; existing
    hashes are never replaced. Staff are deactivated rather than deleted because cases,
    timelines and evaluations name them. Nothing is written when any item is wrong.
    """
    get_city(session, city_code)
    # One hash for all the accounts this import creates: they share the password anyway, and
    # argon2 is deliberately slow (a demo city has over a hundred accounts).
    new_hash = hash_password(password) if password is not None else None
    departments = {
        d.code: d
        for d in session.scalars(
            select(Department).where(Department.city_id == city_code, Department.active.is_(True))
        )
    }
    parsed = check_staff(
        items, departments=departments.keys(), source=source, known_patrol_zones=known_patrol_zones
    )
    existing = {s.username: s for s in session.scalars(select(Staff).where(Staff.city_id == city_code))}
    listed: dict[str, Staff] = {}
    for item in parsed:
        staff = existing.get(item.username)
        if staff is None:
            staff = Staff(city_id=city_code, username=item.username)
            session.add(staff)
        staff.name, staff.roles, staff.phone = item.name, list(item.roles), item.phone
        staff.department_id = departments[item.department].id if item.department else None
        staff.patrol_zone_code, staff.active = item.patrol_zone, True
        if new_hash is not None and staff.password_hash is None:
            staff.password_hash = new_hash
        _sync_worker(staff, item.worker)
        listed[item.username] = staff
    for username, staff in existing.items():
        if username not in listed:
            staff.active = False
    session.flush()
    return [listed[item.username] for item in parsed]


def _sync_worker(staff: Staff, item: WorkerItem | None) -> None:
    if item is None:
        staff.worker = None
        return
    profile = staff.worker
    if profile is None:
        profile = WorkerProfile(city_id=staff.city_id)
        staff.worker = profile
    profile.home_lon, profile.home_lat = item.home
    profile.skills = list(item.skills)
    _sync_shifts(profile, item.shifts)


def _sync_shifts(profile: WorkerProfile, items: list[ShiftItem]) -> None:
    rows = list(profile.shifts)
    for position, item in enumerate(items):
        if position < len(rows):
            row = rows[position]
        else:
            row = Shift(city_id=profile.city_id, position=position)
            rows.append(row)
        row.weekdays, row.start, row.end = list(item.weekdays), item.start, item.end
    profile.shifts = rows[: len(items)]
