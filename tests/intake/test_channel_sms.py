"""SMS from a gateway webhook through the whole pipeline: queued for location, or registered with a point."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from cityloop.cases.models import Case
from cityloop.flows.process_report import process_report
from cityloop.intake import Report
from cityloop.intake.errors import InvalidReport
from loopcity import LoopCity


def sms(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "message_id": "gw-0001",
        "from_number": "+8613700003333",
        "text": "翠苑一区门口垃圾桶满了没人清",
        "place": "翠苑一区北门",
    }
    body.update(over)
    return body


def send(loop: LoopCity, body: dict[str, Any]) -> Any:
    return process_report(loop.session, city_code=loop.code, channel="sms", payload=body)


def _count(loop: LoopCity, model: type) -> int:
    return int(loop.session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_text_with_place_text_waits_for_manual_location(loop: LoopCity) -> None:
    result = send(loop, sms())
    assert (result.status, result.case) == ("manual_location", None)
    assert (result.report.reason or "").endswith("matches no road, place or area of the city")
    assert result.report.payload == sms()


def test_a_text_with_nothing_but_words_waits_too(loop: LoopCity) -> None:
    result = send(loop, sms(place=None))
    assert (result.status, result.report.reason) == ("manual_location", "no location was given")


def test_a_text_with_a_point_is_registered_from_its_words(loop: LoopCity) -> None:
    result = send(loop, sms(lon=loop.point[0], lat=loop.point[1]))
    case = result.case
    assert case is not None and result.status == "registered"
    assert (case.source, case.category_code, case.state) == ("sms", "06042", "PENDING_VERIFY")
    assert case.reporter_ref is not None and "13700003333" not in case.reporter_ref


def test_the_gateway_message_id_makes_retries_idempotent(loop: LoopCity) -> None:
    first = send(loop, sms())
    again = send(loop, sms())
    assert again.replay and again.report.id == first.report.id
    assert first.report.idempotency_key == "sms:gw-0001"
    assert _count(loop, Report) == 1


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"from_number": "call me"}, "from_number"),
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"message_id": None}, "message_id"),
        ({"sender": "x"}, "sender"),
    ],
)
def test_bad_messages_store_nothing(loop: LoopCity, over: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidReport) as err:
        send(loop, sms(**over))
    assert field in [d["field"] for d in err.value.details]
    assert _count(loop, Report) == 0 and _count(loop, Case) == 0
