"""Error codes of the cities package."""

from cityloop.core.errors import Conflict, NotFound, ValidationFailed


class CityNotFound(NotFound):
    default_code = "cities.not_found"


class InvalidCity(ValidationFailed):
    default_code = "cities.invalid"


class CityExists(Conflict):
    default_code = "cities.exists"


class InvalidParameter(ValidationFailed):
    default_code = "cities.invalid_parameter"


class InvalidPlugin(ValidationFailed):
    default_code = "cities.invalid_plugin"
