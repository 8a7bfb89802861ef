"""Error codes of the flows package."""

from cityloop.core.errors import ValidationFailed


class PackInvalid(ValidationFailed):
    """A city pack that cannot be read or imported; `details` names the file, line and rule."""

    default_code = "citypack.invalid"
