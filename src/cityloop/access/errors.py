"""Error codes of the access package."""

from cityloop.core.errors import NotFound, Unauthenticated, ValidationFailed
from cityloop.core.passwords import WeakPassword
from cityloop.core.principal import AuthenticationRequired, ForbiddenCity, ForbiddenRole


class InvalidCredentials(Unauthenticated):
    """Unknown user, wrong password or inactive account: one message for all, to reveal nothing."""

    default_code = "access.invalid_credentials"


class InvalidToken(Unauthenticated):
    """A bearer token or API key that is malformed, unknown, expired or revoked."""

    default_code = "access.invalid_token"


class InvalidApiKey(ValidationFailed):
    default_code = "access.invalid_api_key"


class ApiKeyNotFound(NotFound):
    default_code = "access.api_key_not_found"


class TokenNotFound(NotFound):
    default_code = "access.token_not_found"


__all__ = [
    "ApiKeyNotFound",
    "AuthenticationRequired",
    "ForbiddenCity",
    "ForbiddenRole",
    "InvalidApiKey",
    "InvalidCredentials",
    "InvalidToken",
    "TokenNotFound",
    "WeakPassword",
]
