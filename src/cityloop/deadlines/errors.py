"""Error codes of the deadlines package."""

from cityloop.core.errors import Conflict, ValidationFailed


class InvalidCalendar(ValidationFailed):
    default_code = "deadlines.invalid_calendar"


class InvalidLimit(ValidationFailed):
    default_code = "deadlines.invalid_limit"


class InvalidInstant(ValidationFailed):
    """An instant given to a running deadline lies before the moment it has to follow."""

    default_code = "deadlines.invalid_instant"


class InvalidExtension(ValidationFailed):
    default_code = "deadlines.invalid_extension"


class AlreadyPaused(Conflict):
    default_code = "deadlines.already_paused"


class NotPaused(Conflict):
    default_code = "deadlines.not_paused"
