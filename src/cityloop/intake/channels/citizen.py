"""Citizens' app and web reports: description, optional category, a point or address text, photos."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from cityloop.intake.channels.base import ChannelContext, NormalizedReport
from cityloop.intake.channels.common import (
    CategoryCode,
    Description,
    ExternalId,
    MediaList,
    reporter_ref,
    set_point,
)


class CitizenReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: Description
    category_code: CategoryCode | None = None
    category_kind: Literal["matter", "component"] = "matter"
    lon: float | None = None
    lat: float | None = None
    address: str | None = Field(default=None, max_length=300)
    anonymous: bool = False
    name: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=30)
    email: str | None = Field(default=None, max_length=200)
    media: MediaList = []
    #: The app's own id of this report, which makes its retries idempotent.
    client_id: ExternalId | None = None


class CitizenChannel:
    name: ClassVar[str] = "citizen"
    schema: ClassVar[type[BaseModel]] = CitizenReport

    def normalise(self, payload: BaseModel, context: ChannelContext) -> NormalizedReport:
        assert isinstance(payload, CitizenReport)
        report = NormalizedReport(
            source="citizen",
            description=payload.description,
            external_id=payload.client_id,
            category_code=payload.category_code,
            category_kind=payload.category_kind,
            category_text=payload.description,
            address=payload.address,
            media=list(payload.media),
        )
        set_point(report, payload.lon, payload.lat)
        if not payload.anonymous:
            report.reporter_ref = reporter_ref(payload.phone, payload.email)
            report.contact = {k: v for k, v in (("name", payload.name), ("phone", payload.phone),
                                                ("email", payload.email)) if v}  # fmt: skip
        return report
