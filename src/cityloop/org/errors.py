"""Error codes of the org package."""

from cityloop.core.errors import NotFound, ValidationFailed


class OrgImportFailed(ValidationFailed):
    """departments.yaml or staff.yaml broke a rule; `details` lists every problem found."""

    default_code = "org.import_failed"


class DepartmentNotFound(NotFound):
    default_code = "org.department_not_found"


class StaffNotFound(NotFound):
    default_code = "org.staff_not_found"
