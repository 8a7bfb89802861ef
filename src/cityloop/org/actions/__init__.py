"""Writes of the org package: importing departments.yaml and staff.yaml."""

from cityloop.org.actions.departments import check_departments, do_import_departments
from cityloop.org.actions.positions import do_set_worker_position
from cityloop.org.actions.staff import check_staff, do_import_staff

__all__ = [
    "check_departments",
    "check_staff",
    "do_import_departments",
    "do_import_staff",
    "do_set_worker_position",
]
