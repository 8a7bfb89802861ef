"""Error codes of the evaluation package."""

from cityloop.core.errors import NotFound, ValidationFailed


class InvalidPeriod(ValidationFailed):
    """The period is not two ISO dates with `from` on or before `to`."""

    default_code = "evaluation.invalid_period"


class UnknownKind(ValidationFailed):
    """The kind of entity is not one that is evaluated."""

    default_code = "evaluation.unknown_kind"


class EntityNotFound(NotFound):
    """No evaluated entity of that kind has that id in the city."""

    default_code = "evaluation.entity_not_found"
