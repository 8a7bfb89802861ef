"""AI camera alarms (视频发现): a registered camera, an algorithm class, a confidence, a snapshot, a box.

The case is placed at the camera's registered point, categorised through the city parameter
`camera_classes`, and sent to human verification when the confidence is below
`camera_confidence_threshold` (even when the city trusts cameras). Repeats of one camera and
class fold into the open case (`flows.alarms`), keyed by (device_id, algorithm class).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from cityloop.core.clock import utc
from cityloop.intake.channels.base import ChannelContext, NormalizedReport
from cityloop.intake.channels.common import ExternalId, Sha256
from cityloop.intake.errors import InvalidReport, UnknownDevice


class BoundingBox(BaseModel):
    """Where in the snapshot the algorithm saw it, in pixels from the top-left corner."""

    model_config = ConfigDict(extra="forbid")

    x: int = Field(ge=0)
    y: int = Field(ge=0)
    width: int = Field(gt=0)
    height: int = Field(gt=0)


class CameraAlarm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    device_id: str = Field(min_length=1, max_length=64)
    algorithm_class: str = Field(min_length=1, max_length=60)
    confidence: float = Field(ge=0, le=1)
    detected_at: AwareDatetime
    snapshot: Sha256 | None = None
    bbox: BoundingBox | None = None
    #: The video platform's own id of this alarm; retries of one alarm are idempotent by it.
    alarm_id: ExternalId | None = None


def registered(context: ChannelContext, device_id: str, kind: str) -> dict[str, Any]:
    """The active registered device of this kind, else `intake.unknown_device` (422)."""
    device = context.device(device_id)
    if device is None or device.get("kind") != kind:
        raise UnknownDevice(
            f"{kind} {device_id!r} is not an active {kind} of the city's device registry",
            details=[{"field": "device_id", "message": f"not a registered active {kind}"}],
        )
    return device


class CameraChannel:
    name: ClassVar[str] = "camera"
    schema: ClassVar[type[BaseModel]] = CameraAlarm

    def normalise(self, payload: BaseModel, context: ChannelContext) -> NormalizedReport:
        assert isinstance(payload, CameraAlarm)
        device = registered(context, payload.device_id, "camera")
        classes: dict[str, str] = context.parameters.get("camera_classes", {})
        code = classes.get(payload.algorithm_class)
        if code is None:
            raise InvalidReport(
                f"camera algorithm class {payload.algorithm_class!r} is not mapped to a category in the "
                f"city parameter camera_classes (known: {', '.join(sorted(classes))})",
                code="intake.unknown_alarm_class",
                details=[{"field": "algorithm_class", "message": "not in the city's camera_classes"}],
            )
        threshold = float(context.parameters.get("camera_confidence_threshold", 0.8))
        where = device.get("name") or payload.device_id
        extra: dict[str, object] = {
            "algorithm_class": payload.algorithm_class,
            "confidence": payload.confidence,
            "detected_at": utc(payload.detected_at).isoformat(),
        }
        if payload.bbox is not None:
            extra["bbox"] = payload.bbox.model_dump()
        return NormalizedReport(
            source="camera",
            description=f"视频发现：{where} 识别到 {payload.algorithm_class}（置信度 {payload.confidence:.2f}）",
            external_id=payload.alarm_id,
            category_code=code,
            category_confidence=payload.confidence,
            lon=float(device["lon"]),
            lat=float(device["lat"]),
            media=[payload.snapshot] if payload.snapshot else [],
            device_id=payload.device_id,
            alarm_class=payload.algorithm_class,
            needs_verification=payload.confidence < threshold,
            extra=extra,
        )
