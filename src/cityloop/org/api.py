"""HTTP routes of the org package (mounted under /api/v1).

Departments are public (citizen pages name the handling department), but a signed-in caller
may only read its own city. The staff list needs an admin or leader of the city; phone
numbers are shown to admins only, password hashes to nobody.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from cityloop.core.pagination import Page, PageParams, page_of
from cityloop.core.principal import Principal
from cityloop.db.deps import SESSION, public_or_city_principal, require_roles
from cityloop.db.pagination import paginate
from cityloop.org.models import Department, Staff
from cityloop.org.queries import get_department, list_departments, list_staff
from cityloop.org.roles import StaffRole
from cityloop.org.schemas import DepartmentDetailOut, DepartmentOut, ResponsibilityOut, StaffOut

router = APIRouter(tags=["org"])

DepartmentKind = Literal["professional", "street_office", "centre"]


def department_out(dept: Department) -> DepartmentOut:
    """A department as the API shows it (parent by code)."""
    return DepartmentOut(
        code=dept.code,
        name_zh=dept.name_zh,
        name_en=dept.name_en,
        kind=dept.kind,
        parent=dept.parent.code if dept.parent else None,
        street=dept.street_code,
        phone=dept.phone,
        active=dept.active,
    )


def staff_out(staff: Staff, *, with_phone: bool) -> StaffOut:
    """A staff member without secrets; the phone is set (and so serialised) only when asked."""
    out = StaffOut(
        username=staff.username,
        name=staff.name,
        roles=list(staff.roles),
        department=staff.department.code if staff.department else None,
        patrol_zone=staff.patrol_zone_code,
        active=staff.active,
    )
    if with_phone:
        out.phone = staff.phone
    return out


@router.get("/cities/{city_code}/departments", response_model=Page[DepartmentOut])
def get_departments(
    city_code: str,
    params: Annotated[PageParams, Query()],
    kind: DepartmentKind | None = None,
    session: Session = SESSION,
    _principal: Principal = Depends(public_or_city_principal),
) -> dict[str, Any]:
    """The city's active departments, by code."""
    stmt = list_departments(session, city_code, kind=kind)
    rows: list[Department]
    rows, total = paginate(session, stmt, params)
    return page_of([department_out(d) for d in rows], total, params)


@router.get("/cities/{city_code}/departments/{code}", response_model=DepartmentDetailOut)
def get_department_detail(
    city_code: str,
    code: str,
    session: Session = SESSION,
    _principal: Principal = Depends(public_or_city_principal),
) -> DepartmentDetailOut:
    """One department with what it is responsible for (inactive ones too, for history)."""
    dept = get_department(session, city_code, code)
    return DepartmentDetailOut(
        **department_out(dept).model_dump(),
        responsibilities=[
            ResponsibilityOut(standard=r.standard, kind=r.kind, categories=r.categories, areas=r.areas)
            for r in dept.responsibilities
        ],
    )


@router.get(
    "/cities/{city_code}/staff",
    response_model=Page[StaffOut],
    response_model_exclude_unset=True,
)
def get_staff_list(
    city_code: str,
    params: Annotated[PageParams, Query()],
    role: StaffRole | None = None,
    department: str | None = None,
    session: Session = SESSION,
    principal: Principal = Depends(require_roles(StaffRole.ADMIN, StaffRole.LEADER)),
) -> dict[str, Any]:
    """The city's active staff, by username; admins and leaders of the city only."""
    stmt = list_staff(session, city_code, role=role, department=department)
    rows: list[Staff]
    rows, total = paginate(session, stmt, params)
    with_phone = StaffRole.ADMIN in principal.roles
    return page_of([staff_out(s, with_phone=with_phone) for s in rows], total, params)
