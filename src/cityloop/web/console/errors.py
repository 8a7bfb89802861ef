"""Error codes of the console's own checks (the workflow's refusals keep their `cases.*` codes)."""

from __future__ import annotations

from cityloop.core.errors import ValidationFailed


class NoDepartment(ValidationFailed):
    default_code = "console.no_department"


class NoMaster(ValidationFailed):
    default_code = "console.no_master"


class UnknownBulkAction(ValidationFailed):
    default_code = "console.unknown_bulk_action"
