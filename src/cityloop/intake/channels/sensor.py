"""IoT sensor readings (物联感知): a registered sensor, a metric, a value and its unit.

The sensor's device type selects its threshold in the city parameter `sensor_thresholds`
(metric, high, clear, category), with hysteresis:
- value ≥ high: an alarm; the first raises a case of the threshold's category, later ones fold
  into it while it is open (`flows.alarms`, keyed by (device_id, metric));
- value ≤ clear: the alarm clears; the recovery is recorded on the open case (a reading at or
  below `clear` with no alarm open is stored as `ignored`);
- clear < value < high: the reading changes nothing — no alarm, no recovery. It is stored and
  closed at intake with the reason "reading within limits" so every reading stays auditable.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from cityloop.core.clock import utc
from cityloop.intake.channels.base import ChannelContext, NormalizedReport
from cityloop.intake.channels.camera import registered
from cityloop.intake.channels.common import ExternalId
from cityloop.intake.errors import InvalidReport

WITHIN_LIMITS = "reading within limits: between the clearing value and the alarm threshold"


class SensorReading(BaseModel):
    model_config = ConfigDict(extra="forbid")

    device_id: str = Field(min_length=1, max_length=64)
    metric: str = Field(min_length=1, max_length=60)
    value: float
    unit: str = Field(min_length=1, max_length=20)
    measured_at: AwareDatetime | None = None
    #: The IoT platform's own id of this reading; retries are idempotent by it.
    reading_id: ExternalId | None = None

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value


def _threshold(context: ChannelContext, device: dict[str, Any], metric: str) -> dict[str, Any]:
    thresholds: dict[str, dict[str, Any]] = context.parameters.get("sensor_thresholds", {})
    threshold = thresholds.get(str(device.get("device_type")))
    if threshold is None:
        raise InvalidReport(
            f"sensor {device['device_id']!r} has device type {device.get('device_type')!r}, "
            "which has no entry in the city parameter sensor_thresholds",
            code="intake.unknown_sensor_type",
            details=[{"field": "device_id", "message": "device type without a threshold"}],
        )
    if threshold.get("metric") != metric:
        raise InvalidReport(
            f"sensor {device['device_id']!r} ({device.get('device_type')}) measures "
            f"{threshold.get('metric')!r}, not {metric!r}",
            code="intake.metric_mismatch",
            details=[{"field": "metric", "message": f"expected {threshold.get('metric')!r}"}],
        )
    return threshold


class SensorChannel:
    name: ClassVar[str] = "sensor"
    schema: ClassVar[type[BaseModel]] = SensorReading

    def normalise(self, payload: BaseModel, context: ChannelContext) -> NormalizedReport:
        assert isinstance(payload, SensorReading)
        device = registered(context, payload.device_id, "sensor")
        threshold = _threshold(context, device, payload.metric)
        high, clear = float(threshold["high"]), float(threshold["clear"])
        where = device.get("name") or payload.device_id
        extra: dict[str, Any] = {
            "metric": payload.metric,
            "value": payload.value,
            "unit": payload.unit,
            "high": high,
            "clear": clear,
        }
        if payload.measured_at is not None:
            extra["measured_at"] = utc(payload.measured_at).isoformat()
        report = NormalizedReport(
            source="sensor",
            description=f"物联感知：{where} {payload.metric} = {payload.value:g} {payload.unit}（阈值 {high:g}）",
            external_id=payload.reading_id,
            category_code=str(threshold["category"]),
            category_confidence=1.0,
            lon=float(device["lon"]),
            lat=float(device["lat"]),
            device_id=payload.device_id,
            alarm_class=payload.metric,
            extra=extra,
        )
        if payload.value <= clear:
            report.recovery = True
        elif payload.value < high:
            report.close_reason = WITHIN_LIMITS
        return report
