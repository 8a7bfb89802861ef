"""Error codes of the taxonomy package."""

from cityloop.core.errors import NotFound, ValidationFailed


class UnknownStandard(NotFound):
    """The named classification edition is not one CityLoop knows."""

    default_code = "taxonomy.unknown_standard"


class UnknownCategory(NotFound):
    """No category with that code in that edition (nationally or among the city's local codes)."""

    default_code = "taxonomy.unknown_category"


class AmbiguousCategory(ValidationFailed):
    """A code names both a component and a matter: the caller must say which kind it means."""

    default_code = "taxonomy.ambiguous_category"


class InvalidKind(ValidationFailed):
    """A kind other than `component` or `matter`."""

    default_code = "taxonomy.invalid_kind"


class TaxonomyImportFailed(ValidationFailed):
    """A city's local codes file broke at least one rule; nothing was imported."""

    default_code = "taxonomy.import_failed"
