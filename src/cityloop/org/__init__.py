"""Departments, their responsibilities, staff, field workers and shifts (DOMAIN.md §1)."""

from cityloop.org.actions import (
    check_departments,
    check_staff,
    do_import_departments,
    do_import_staff,
    do_set_worker_position,
)
from cityloop.org.export import export_departments, export_staff
from cityloop.org.queries import (
    get_department,
    get_staff,
    list_departments,
    list_staff,
    responsible_departments,
    workers_on_shift,
)
from cityloop.org.roles import DEPARTMENT_ROLES, StaffRole

__all__ = [
    "DEPARTMENT_ROLES",
    "StaffRole",
    "check_departments",
    "check_staff",
    "do_import_departments",
    "do_import_staff",
    "do_set_worker_position",
    "export_departments",
    "export_staff",
    "get_department",
    "get_staff",
    "list_departments",
    "list_staff",
    "responsible_departments",
    "workers_on_shift",
]
