"""Error codes of the intake package."""

from cityloop.core.errors import CityLoopError, Conflict, NotFound, ValidationFailed


class InvalidReport(ValidationFailed):
    default_code = "intake.invalid_report"


class IdempotencyConflict(Conflict):
    """The same idempotency key (or channel id) came back with a different body."""

    default_code = "intake.idempotency_conflict"


class UnknownChannel(NotFound):
    default_code = "intake.unknown_channel"


class UnknownDevice(ValidationFailed):
    default_code = "intake.unknown_device"


class MediaRejected(CityLoopError):
    status = 415
    default_code = "intake.media_rejected"


class MediaTooLarge(CityLoopError):
    status = 413
    default_code = "intake.media_too_large"


class DeviceImportFailed(ValidationFailed):
    """devices.yaml has problems; `details` lists each one (item, field, rule). Nothing was written."""

    default_code = "intake.invalid_devices"


class BodyTooLarge(CityLoopError):
    status = 413
    default_code = "intake.body_too_large"


class UnknownMedia(ValidationFailed):
    default_code = "intake.unknown_media"
