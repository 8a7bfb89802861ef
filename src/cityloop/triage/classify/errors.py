"""Error codes of the text classifier."""

from cityloop.core.errors import NotFound, ValidationFailed


class ClassifierDataInvalid(ValidationFailed):
    """Training or evaluation data the classifier cannot use (empty, one class, too few samples)."""

    default_code = "triage.classify.invalid_data"


class ModelFileMissing(NotFound):
    """No model file at the given path."""

    default_code = "triage.classify.model_missing"


class ModelFileInvalid(ValidationFailed):
    """The file is not a CityLoop classifier model (or one of an unknown format)."""

    default_code = "triage.classify.model_invalid"


class CityCodeInvalid(ValidationFailed):
    """A city code that cannot name a models directory (empty, or with path characters)."""

    default_code = "triage.classify.invalid_city"


class ModelVersionMissing(NotFound):
    """No such installed model version for the city."""

    default_code = "triage.classify.version_missing"
