"""Error codes of the dispatch package."""

from cityloop.core.errors import ValidationFailed


class InvalidRules(ValidationFailed):
    """Dispatch rules broke a rule; `details` lists every problem (index, name, field, message)."""

    default_code = "dispatch.invalid_rules"


class InvalidComponentOwners(ValidationFailed):
    """Component owners broke a rule; `details` lists every problem (index, prefix, field, message)."""

    default_code = "dispatch.invalid_component_owners"
