"""12345 hotline work orders through the whole pipeline: closed at intake, registered, idempotent by order number."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from cityloop.cases.models import Case
from cityloop.deadlines import WorkingCalendar
from cityloop.flows.process_report import process_report
from cityloop.intake import Report
from cityloop.intake.channels.hotline import hotline_due, hotline_limit
from cityloop.intake.errors import IdempotencyConflict, InvalidReport
from loopcity import LoopCity


def order(loop: LoopCity, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "order_no": "12345-20261128-0001",
        "request_type": "投诉",
        "caller_name": "王女士",
        "caller_phone": "13900002222",
        "address": "文三路学院路口",
        "lon": loop.point[0],
        "lat": loop.point[1],
        "content": "学院路口每天晚上有流动摊贩占道经营",
    }
    body.update(over)
    return body


def send(loop: LoopCity, body: dict[str, Any]) -> Any:
    return process_report(loop.session, city_code=loop.code, channel="hotline", payload=body)


def _count(loop: LoopCity, model: type) -> int:
    return int(loop.session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(
    ("request_type", "reason"),
    [
        ("咨询", "12345 enquiry (咨询) answered by the hotline: not a case"),
        ("表扬", "12345 praise (表扬) recorded: not a case"),
        ("建议", "12345 suggestion (建议) without a category: forwarded as a suggestion, not a case"),
    ],
)
def test_consultations_praise_and_plain_suggestions_are_closed_at_intake(
    loop: LoopCity, request_type: str, reason: str
) -> None:
    result = send(loop, order(loop, request_type=request_type, content="请问占道经营归哪个部门管"))
    assert (result.status, result.case, result.report.reason) == ("closed_at_intake", None, reason)
    assert result.report.payload["request_type"] == request_type  # the order is kept as given
    assert _count(loop, Case) == 0


def test_a_suggestion_the_operator_classified_becomes_a_case(loop: LoopCity) -> None:
    result = send(
        loop, order(loop, request_type="建议", category_code="06042", content="建议及时清运满溢垃圾桶")
    )
    assert result.status == "registered" and result.case is not None
    assert result.case.category_code == "06042"


def test_a_complaint_is_registered_and_its_order_number_makes_it_idempotent(loop: LoopCity) -> None:
    first = send(loop, order(loop))
    case = first.case
    assert case is not None and first.status == "registered"
    assert (case.source, case.category_code, case.state, case.address) == (
        "hotline", "09006", "PENDING_VERIFY", "文三路学院路口",
    )  # fmt: skip
    assert case.reporter_ref is not None and "13900002222" not in case.reporter_ref
    assert first.report.idempotency_key == "hotline:12345-20261128-0001"
    again = send(loop, order(loop))
    assert again.replay and again.case is case and again.report.id == first.report.id
    with pytest.raises(IdempotencyConflict):
        send(loop, order(loop, content="另一件事：路灯不亮"))
    assert _count(loop, Case) == 1 and _count(loop, Report) == 1


def test_an_urgent_order_is_an_urgent_case(loop: LoopCity) -> None:
    result = send(loop, order(loop, request_type="求助", urgent=True, content="井盖丢失，有人差点掉下去"))
    assert result.case is not None and result.case.urgency == "urgent"


def test_an_order_without_a_point_waits_for_manual_location(loop: LoopCity) -> None:
    result = send(loop, order(loop, lon=None, lat=None))
    assert result.status == "manual_location" and result.case is None
    assert result.report.reason == "the address 「文三路学院路口」 matches no road, place or area of the city"


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"request_type": "投诉建议"}, "request_type"),
        ({"order_no": ""}, "order_no"),
        ({"content": " "}, "content"),
        ({"caller_phone": "1" * 31}, "caller_phone"),
        ({"received_at": "2026-11-28 09:00"}, "received_at"),
        ({"priority": "high"}, "priority"),
    ],
)
def test_bad_orders_store_nothing(loop: LoopCity, over: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidReport) as err:
        send(loop, order(loop, **over))
    assert field in [d["field"] for d in err.value.details]
    assert _count(loop, Report) == 0


def test_hotline_limits_follow_the_12345_rules() -> None:
    assert hotline_limit("咨询", False) == {"amount": 3, "unit": "working_days"}
    assert hotline_limit("求助", False) == {"amount": 3, "unit": "working_days"}
    assert hotline_limit("投诉", False) == {"amount": 13, "unit": "working_days"}
    assert hotline_limit("举报", False) == {"amount": 13, "unit": "working_days"}
    assert hotline_limit("举报", True) == {"same_day": True}


def test_hotline_due_dates_use_the_city_calendar() -> None:
    calendar = WorkingCalendar()  # Monday–Friday 08:30–12:00, 13:30–17:30 in Asia/Shanghai
    monday_10 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 local
    assert hotline_due({"amount": 3, "unit": "working_days"}, monday_10, calendar) == datetime(
        2026, 11, 26, 2, 0, tzinfo=UTC
    )
    assert hotline_due({"amount": 13, "unit": "working_days"}, monday_10, calendar) == datetime(
        2026, 12, 10, 2, 0, tzinfo=UTC
    )
    # Urgent: by the end of the local day (midnight in Shanghai is 16:00 UTC).
    assert hotline_due({"same_day": True}, monday_10, calendar) == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)


def test_the_limit_and_the_order_are_kept_for_the_hotline(loop: LoopCity) -> None:
    from cityloop.intake.channels.base import ChannelContext
    from cityloop.intake.channels.hotline import HotlineChannel, HotlineOrder

    payload = HotlineOrder.model_validate(order(loop, received_at="2026-11-28T09:00:00+08:00"))
    report = HotlineChannel().normalise(payload, ChannelContext(city_code=loop.code))
    assert report.extra == {
        "order_no": "12345-20261128-0001",
        "request_type": "投诉",
        "hotline_limit": {"amount": 13, "unit": "working_days"},
        "hotline_received_at": "2026-11-28T01:00:00+00:00",
    }
    assert report.contact == {"name": "王女士", "phone": "13900002222"}
