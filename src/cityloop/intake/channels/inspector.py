"""Grid inspectors on patrol: a category chosen from the taxonomy, a GPS point, photos, maybe a fix on the spot."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from cityloop.intake.channels.base import ChannelContext, NormalizedReport
from cityloop.intake.channels.common import CategoryCode, ExternalId, MediaList


class InspectorReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category_code: CategoryCode
    category_kind: Literal["matter", "component"] = "matter"
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    description: str = Field(default="", max_length=2000)
    component_id: str | None = Field(default=None, pattern=r"^\d{17}$")
    urgency: Literal["normal", "urgent"] = "normal"
    self_handled: bool = False
    media: MediaList = []
    client_id: ExternalId | None = None


class InspectorChannel:
    name: ClassVar[str] = "inspector"
    schema: ClassVar[type[BaseModel]] = InspectorReport

    def normalise(self, payload: BaseModel, context: ChannelContext) -> NormalizedReport:
        assert isinstance(payload, InspectorReport)
        return NormalizedReport(
            source="inspector",
            description=payload.description,
            external_id=payload.client_id,
            category_code=payload.category_code,
            category_kind=payload.category_kind,
            lon=payload.lon,
            lat=payload.lat,
            urgency=payload.urgency,
            component_id=payload.component_id,
            self_handled=payload.self_handled,
            media=list(payload.media),
        )
