"""Error codes of the analytics package."""

from cityloop.core.errors import ValidationFailed


class InvalidPeriod(ValidationFailed):
    """The period asked for is empty or reversed."""

    default_code = "analytics.invalid_period"


class InvalidArgument(ValidationFailed):
    """A knob of an analysis is out of its range (a radius, a window, a count)."""

    default_code = "analytics.invalid_argument"


class NotEnoughHistory(ValidationFailed):
    """A forecast or backtest needs more history than the data holds."""

    default_code = "analytics.not_enough_history"
