"""12345 hotline work orders (热线转办): a request type, the caller, an address, the content, the order number.

What is closed at intake, recorded without a case [ours, DOMAIN.md §5 request types]:
- 咨询 (enquiry) and 表扬 (praise): answered or acknowledged on the spot, never a case;
- 建议 (suggestion): closed too unless the hotline operator classified it (gave a
  `category_code`): a suggestion that names a problem of the taxonomy becomes a case. Keyword
  matching is not used to decide, because "建议增加垃圾桶" mentions 垃圾 without reporting any.
求助, 投诉 and 举报 always enter the pipeline.

The 12345 answer limit of DOMAIN.md §4 (urgent: the same day; 咨询/求助: 3 working days;
投诉/举报: 13 working days; 建议/表扬: the 13-day default) is the hotline's limit towards the
caller and is kept in `extra["hotline_limit"]`; the case's own time limits come from filing
(立案), as for every source. `hotline_due` turns it into an instant with the city's calendar.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any, ClassVar, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from cityloop.core.clock import utc
from cityloop.deadlines import TimeLimit, WorkingCalendar, due_at
from cityloop.intake.channels.base import ChannelContext, NormalizedReport
from cityloop.intake.channels.common import (
    CategoryCode,
    Description,
    ExternalId,
    reporter_ref,
    set_point,
)

RequestType = Literal["咨询", "求助", "投诉", "举报", "建议", "表扬"]

#: The 12345 answer limit per request type (DOMAIN.md §4, [local] defaults).
LIMITS: dict[str, TimeLimit] = {
    "咨询": TimeLimit(3, "working_days"),
    "求助": TimeLimit(3, "working_days"),
    "投诉": TimeLimit(13, "working_days"),
    "举报": TimeLimit(13, "working_days"),
    "建议": TimeLimit(13, "working_days"),
    "表扬": TimeLimit(13, "working_days"),
}

CLOSE_REASONS = {
    "咨询": "12345 enquiry (咨询) answered by the hotline: not a case",
    "表扬": "12345 praise (表扬) recorded: not a case",
    "建议": "12345 suggestion (建议) without a category: forwarded as a suggestion, not a case",
}


class HotlineOrder(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: The hotline's own work order number (工单号); retries of one order are idempotent by it.
    order_no: ExternalId
    request_type: RequestType
    content: Description
    caller_name: str | None = Field(default=None, max_length=100)
    caller_phone: str | None = Field(default=None, max_length=30)
    address: str | None = Field(default=None, max_length=300)
    lon: float | None = None
    lat: float | None = None
    category_code: CategoryCode | None = None
    category_kind: Literal["matter", "component"] = "matter"
    urgent: bool = False
    #: When the hotline took the call (the start of its answer limit); default: when intake received it.
    received_at: AwareDatetime | None = None


def hotline_limit(request_type: str, urgent: bool) -> dict[str, Any]:
    """The 12345 answer limit as data: `{"same_day": True}` when urgent, else `{"amount", "unit"}`."""
    if urgent:
        return {"same_day": True}
    return LIMITS[request_type].to_dict()


def hotline_due(limit: dict[str, Any], start: datetime, calendar: WorkingCalendar) -> datetime:
    """When the hotline must answer: the end of the start's local day when urgent, else the limit on the calendar."""
    if limit.get("same_day"):
        local = utc(start).astimezone(calendar.zone)
        midnight = datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=calendar.zone)
        return utc(midnight)
    return due_at(start, TimeLimit.parse(limit), calendar)


class HotlineChannel:
    name: ClassVar[str] = "hotline"
    schema: ClassVar[type[BaseModel]] = HotlineOrder

    def normalise(self, payload: BaseModel, context: ChannelContext) -> NormalizedReport:
        assert isinstance(payload, HotlineOrder)
        report = NormalizedReport(
            source="hotline",
            description=payload.content,
            external_id=payload.order_no,
            category_code=payload.category_code,
            category_kind=payload.category_kind,
            category_text=payload.content,
            address=payload.address,
            urgency="urgent" if payload.urgent else "normal",
            reporter_ref=reporter_ref(payload.caller_phone),
        )
        report.contact = {
            k: v for k, v in (("name", payload.caller_name), ("phone", payload.caller_phone)) if v
        }
        set_point(report, payload.lon, payload.lat)
        report.extra.update(
            order_no=payload.order_no,
            request_type=payload.request_type,
            hotline_limit=hotline_limit(payload.request_type, payload.urgent),
        )
        if payload.received_at is not None:
            report.extra["hotline_received_at"] = utc(payload.received_at).isoformat()
        closes = payload.request_type in ("咨询", "表扬") or (
            payload.request_type == "建议" and payload.category_code is None
        )
        if closes:
            report.close_reason = CLOSE_REASONS[payload.request_type]
        return report
