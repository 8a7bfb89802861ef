"""Error codes of the 311 importers."""

from cityloop.core.errors import ValidationFailed


class ImportFailed(ValidationFailed):
    """A 311 export is missing, has the wrong columns or an unreadable row (file and line named)."""

    default_code = "triage.import_failed"
