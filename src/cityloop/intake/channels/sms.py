"""SMS / plain text from a gateway webhook: the sender's number, the text, maybe a place.

A text message rarely carries a point: with place text only it waits for a person to place
it on the map (`manual_location`), with nothing it waits too; a gateway that forwards a
location (lon/lat) gets it located like any other report. The category comes from the text.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from cityloop.core.clock import utc
from cityloop.intake.channels.base import ChannelContext, NormalizedReport
from cityloop.intake.channels.common import Description, ExternalId, reporter_ref, set_point

PhoneNumber = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9]{3,20}$")]


class SmsMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: The gateway's id of the message; the gateway's retries are idempotent by it.
    message_id: ExternalId
    from_number: PhoneNumber
    text: Description
    place: str | None = Field(default=None, max_length=300)
    lon: float | None = None
    lat: float | None = None
    received_at: AwareDatetime | None = None


class SmsChannel:
    name: ClassVar[str] = "sms"
    schema: ClassVar[type[BaseModel]] = SmsMessage

    def normalise(self, payload: BaseModel, context: ChannelContext) -> NormalizedReport:
        assert isinstance(payload, SmsMessage)
        report = NormalizedReport(
            source="sms",
            description=payload.text,
            external_id=payload.message_id,
            category_text=payload.text,
            address=payload.place,
            reporter_ref=reporter_ref(payload.from_number),
            contact={"phone": payload.from_number},
        )
        set_point(report, payload.lon, payload.lat)
        if payload.received_at is not None:
            report.extra["sms_received_at"] = utc(payload.received_at).isoformat()
        return report
