"""Staff roles (DOMAIN.md §1). Citizens report and rate, but they are not staff."""

from __future__ import annotations

from enum import StrEnum

from cityloop.core.i18n import Text


class StaffRole(StrEnum):
    INSPECTOR = "inspector"
    OPERATOR = "operator"
    SHIFT_LEADER = "shift_leader"
    DISPATCHER = "dispatcher"
    DEPARTMENT = "department"
    FIELD_WORKER = "field_worker"
    LEADER = "leader"
    AUDITOR = "auditor"
    ADMIN = "admin"

    @property
    def label(self) -> Text:
        """The role's name in Chinese and English."""
        return _LABELS[self]

    @property
    def description(self) -> str:
        """One line saying what a person with this role does."""
        return _DESCRIPTIONS[self]


_LABELS: dict[StaffRole, Text] = {
    StaffRole.INSPECTOR: Text("监督员", "Inspector"),
    StaffRole.OPERATOR: Text("受理员", "Operator"),
    StaffRole.SHIFT_LEADER: Text("值班长", "Shift leader"),
    StaffRole.DISPATCHER: Text("派遣员", "Dispatcher"),
    StaffRole.DEPARTMENT: Text("专业部门", "Department"),
    StaffRole.FIELD_WORKER: Text("处置人员", "Field worker"),
    StaffRole.LEADER: Text("领导", "Leader"),
    StaffRole.AUDITOR: Text("审计员", "Auditor"),
    StaffRole.ADMIN: Text("系统管理员", "Administrator"),
}

_DESCRIPTIONS: dict[StaffRole, str] = {
    StaffRole.INSPECTOR: "Patrols a patrol zone, reports problems, verifies public reports and checks fixes.",
    StaffRole.OPERATOR: "Registers reports and sends verify (核实) and check (核查) tasks.",
    StaffRole.SHIFT_LEADER: "Files (立案), voids (作废) and closes (结案) cases.",
    StaffRole.DISPATCHER: "Dispatches cases to departments and approves extensions, returns and suspensions.",
    StaffRole.DEPARTMENT: "Signs for, handles and feeds back cases on behalf of a department.",
    StaffRole.FIELD_WORKER: "Fixes problems on site for a department, working in shifts from a home base.",
    StaffRole.LEADER: "Reads dashboards, evaluations and staff lists of the city.",
    StaffRole.AUDITOR: "Reads cases and timelines for audit, changes nothing.",
    StaffRole.ADMIN: "Configures the city: departments, staff, categories, time limits and rules.",
}

#: Roles that act for a department, so a staff member holding one must belong to a department.
DEPARTMENT_ROLES = frozenset({StaffRole.DEPARTMENT, StaffRole.FIELD_WORKER})

ROLE_VALUES = frozenset(role.value for role in StaffRole)
