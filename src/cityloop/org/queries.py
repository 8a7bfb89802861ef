"""Reads of departments, responsibilities and staff; every query is filtered by city."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, String, cast, select
from sqlalchemy.orm import Session, selectinload

from cityloop.cities import get_city
from cityloop.org.errors import DepartmentNotFound, StaffNotFound
from cityloop.org.models import Department, Responsibility, Staff, WorkerProfile
from cityloop.org.roles import StaffRole
from cityloop.org.shifts import local_time, shift_covers


def list_departments(
    session: Session, city_code: str, *, kind: str | None = None, include_inactive: bool = False
) -> Select[Department]:
    """The city's departments ordered by code (active ones unless asked), optionally of one kind."""
    get_city(session, city_code)
    stmt = select(Department).where(Department.city_id == city_code).options(selectinload(Department.parent))
    if kind is not None:
        stmt = stmt.where(Department.kind == kind)
    if not include_inactive:
        stmt = stmt.where(Department.active.is_(True))
    return stmt.order_by(Department.code)


def get_department(session: Session, city_code: str, code: str) -> Department:
    """The department `code` of the city (also when inactive, for history); DepartmentNotFound otherwise."""
    dept = session.scalar(
        select(Department)
        .where(Department.city_id == city_code, Department.code == code)
        .options(selectinload(Department.responsibilities), selectinload(Department.parent))
    )
    if dept is None:
        raise DepartmentNotFound(
            f"department {code!r} does not exist in city {city_code}",
            details={"city": city_code, "department": code},
        )
    return dept


def _covers_category(resp: Responsibility, kind: str, code: str, standard: str | None) -> int:
    """0 when `resp` does not cover the category; otherwise how specifically it does (higher = closer)."""
    if standard is not None and resp.standard != standard:
        return 0
    if resp.kind is not None and resp.kind != kind:
        return 0
    exact = 2 if code in resp.categories else 1 if code[:2] in resp.categories else 0
    if exact == 0:
        return 0
    return exact * 2 + (1 if resp.kind is not None else 0)


def _covers_area(resp: Responsibility, area_codes: Sequence[str]) -> int:
    """-1 when `resp` covers none of the areas; else the length of its closest matching area code.

    Area codes nest by prefix (district 6 ⊂ street 9 ⊂ community 12 ⊂ grid 15 digits), so a
    responsibility for a street covers every community and grid inside it; no areas = the city (0).
    """
    if not resp.areas:
        return 0
    best = -1
    for area in resp.areas:
        if any(given.startswith(area) for given in area_codes):
            best = max(best, len(area))
    return best


def responsible_departments(
    session: Session,
    city_code: str,
    *,
    kind: str,
    code: str,
    area_codes: Sequence[str],
    standard: str | None = None,
) -> list[Department]:
    """Active departments responsible for category (kind, code) at any of `area_codes`, most specific first.

    A major ("06") covers all its codes; an area covers the areas nested in it. Ranking: the
    closest area first, then an exact code before a major, then a stated kind before "both".
    """
    rows = session.scalars(
        select(Responsibility)
        .join(Responsibility.department)
        .where(Responsibility.city_id == city_code, Department.active.is_(True))
        .options(selectinload(Responsibility.department))
    )
    best: dict[int, tuple[int, int]] = {}
    departments: dict[int, Department] = {}
    for resp in rows:
        category = _covers_category(resp, kind, code, standard)
        area = _covers_area(resp, area_codes) if category else -1
        if area < 0:
            continue
        score = (area, category)
        dept = resp.department
        if dept.id not in best or score > best[dept.id]:
            best[dept.id], departments[dept.id] = score, dept
    ranked = sorted(best, key=lambda d: (-best[d][0], -best[d][1], departments[d].code))
    return [departments[d] for d in ranked]


def list_staff(
    session: Session,
    city_code: str,
    *,
    role: StaffRole | str | None = None,
    department: str | None = None,
    include_inactive: bool = False,
) -> Select[Staff]:
    """The city's staff ordered by username, optionally with one role or of one department."""
    get_city(session, city_code)
    stmt = select(Staff).where(Staff.city_id == city_code).options(selectinload(Staff.department))
    if role is not None:
        # Roles are a JSON list of known words; matching the quoted word works on every database.
        stmt = stmt.where(cast(Staff.roles, String).contains(f'"{StaffRole(role).value}"', autoescape=True))
    if department is not None:
        stmt = stmt.join(Staff.department).where(Department.code == department)
    if not include_inactive:
        stmt = stmt.where(Staff.active.is_(True))
    return stmt.order_by(Staff.username)


def get_staff(session: Session, city_code: str, username: str) -> Staff:
    """The staff member `username` of the city (also when inactive); StaffNotFound otherwise."""
    staff = session.scalar(
        select(Staff)
        .where(Staff.city_id == city_code, Staff.username == username)
        .options(selectinload(Staff.department))
    )
    if staff is None:
        raise StaffNotFound(
            f"staff {username!r} does not exist in city {city_code}",
            details={"city": city_code, "username": username},
        )
    return staff


def workers_on_shift(
    session: Session, city_code: str, department_code: str, at: datetime, tz: str
) -> list[Staff]:
    """Active field workers of the department whose shift covers `at` in the city's time zone `tz`."""
    local = local_time(at, tz)
    rows = session.scalars(
        select(Staff)
        .join(Staff.department)
        .join(Staff.worker)
        .where(
            Staff.city_id == city_code,
            Staff.active.is_(True),
            Department.code == department_code,
        )
        .options(selectinload(Staff.worker).selectinload(WorkerProfile.shifts))
        .order_by(Staff.username)
    )
    return [
        staff
        for staff in rows
        if StaffRole.FIELD_WORKER in staff.roles
        and staff.worker is not None
        and any(shift_covers(s.weekdays, s.start, s.end, local) for s in staff.worker.shifts)
    ]
