"""Error codes of assignment (task → worker or inspector)."""

from cityloop.core.errors import ValidationFailed


class UnknownPolicy(ValidationFailed):
    """The policy is not one of nearest, least-loaded, optimised."""

    default_code = "dispatch.assignment.unknown_policy"


class CaseNotLocated(ValidationFailed):
    """A case without a point cannot be assigned by travel: it must be located first."""

    default_code = "dispatch.assignment.case_not_located"
