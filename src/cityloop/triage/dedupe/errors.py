"""Error codes of the de-duplicator."""

from cityloop.core.errors import ValidationFailed


class DedupeModelInvalid(ValidationFailed):
    """A learned de-duplication model file is missing, broken or made for other features."""

    default_code = "triage.dedupe_model_invalid"


class TrainingFailed(ValidationFailed):
    """The labelled history cannot train a model (too few reports, or no duplicate among them)."""

    default_code = "triage.dedupe_training_failed"
