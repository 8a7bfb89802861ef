"""Error codes of the cases package."""

from cityloop.core.errors import CityLoopError, Conflict, NotFound, ValidationFailed


class CaseNotFound(NotFound):
    default_code = "cases.not_found"


class UnknownAction(ValidationFailed):
    default_code = "cases.unknown_action"


class ActionNotAllowed(Conflict):
    """The action is not allowed in the case's current state (or a request is in the way)."""

    default_code = "cases.action_not_allowed"


class ReasonRequired(ValidationFailed):
    default_code = "cases.reason_required"


class InvalidCaseData(ValidationFailed):
    default_code = "cases.invalid_data"


class WrongDepartment(CityLoopError):
    status = 403
    default_code = "cases.wrong_department"
