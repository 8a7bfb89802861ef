"""Errors with stable codes.

Every error CityLoop raises on purpose is a `CityLoopError` with a stable, dotted `code`
(for example `geo.invalid_grid_code`), a readable message, an HTTP status for the API and
optional `details` (the feature, line or field at fault). Packages declare their codes in
their own `errors.py` by subclassing or by passing `code=`.
"""

from __future__ import annotations

from typing import Any, ClassVar


class CityLoopError(Exception):
    status: ClassVar[int] = 400
    default_code: ClassVar[str] = "error"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return body


class ValidationFailed(CityLoopError):
    status = 422
    default_code = "validation_failed"


class NotFound(CityLoopError):
    status = 404
    default_code = "not_found"


class Conflict(CityLoopError):
    status = 409
    default_code = "conflict"


class Unauthenticated(CityLoopError):
    status = 401
    default_code = "unauthenticated"


class PermissionDenied(CityLoopError):
    status = 403
    default_code = "permission_denied"
