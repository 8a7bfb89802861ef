"""The pipeline with the citizen and inspector channels: cases, queues, idempotency, refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cityloop.cases.models import Case
from cityloop.flows.process_report import process_report
from cityloop.intake import Report
from cityloop.intake.errors import IdempotencyConflict, InvalidReport
from loopcity import LoopCity


def _count(loop: LoopCity, model: type) -> int:
    return int(loop.session.scalar(select(func.count()).select_from(model)) or 0)


def citizen(loop: LoopCity, **over: object) -> dict[str, object]:
    body: dict[str, object] = {
        "description": "路口有流动摊贩占道",
        "lon": loop.point[0],
        "lat": loop.point[1],
        "phone": "13800001111",
    }
    body.update(over)
    return body


def test_a_citizen_report_becomes_a_case_waiting_for_verification(loop: LoopCity) -> None:
    result = process_report(
        loop.session, city_code=loop.code, channel="citizen", payload=citizen(loop, category_code="09001")
    )
    case = result.case
    assert case is not None and result.status == "registered"
    assert (case.state, case.source, case.category_code) == ("PENDING_VERIFY", "citizen", "09001")
    assert case.reporter_ref is not None and case.reporter_ref.startswith("citizen:")
    assert "13800001111" not in case.reporter_ref  # the contact itself never reaches the case
    assert [f.ref for f in case.followers] == [case.reporter_ref]
    assert [t.kind for t in case.tasks] == ["verify_dispatch"]


def test_the_cold_start_categorises_when_no_category_is_chosen(loop: LoopCity) -> None:
    from cityloop.cases import TimelineEvent

    result = process_report(loop.session, city_code=loop.code, channel="citizen", payload=citizen(loop))
    assert result.case is not None and result.case.category_code == "09001"
    decision = result.report.decision
    assert decision["category"]["confidence"] >= 0.5
    assert decision["category"]["reason"].startswith("cold-start knowledge")
    assert [c["code"] for c in decision["candidates"]][:2] == ["09001", "09006"]
    created = loop.session.query(TimelineEvent).filter_by(case_id=result.case.id, seq=1).one()
    assert created.data["decision"]["candidates"] == decision["candidates"]


def test_a_weak_guess_waits_with_the_top_three(loop: LoopCity) -> None:
    from cityloop.cities import do_set_parameters

    do_set_parameters(loop.session, loop.code, {"category_confidence_threshold": 0.9})
    result = process_report(loop.session, city_code=loop.code, channel="citizen", payload=citizen(loop))
    assert (result.status, result.case) == ("manual_category", None)
    assert result.report.decision["candidates"][0]["code"] == "09001"
    assert "too low" in (result.report.reason or "")


def test_the_keyword_match_still_answers_when_the_cold_start_finds_nothing(loop: LoopCity) -> None:
    result = process_report(
        loop.session, city_code=loop.code, channel="citizen", payload=citizen(loop, description="有人 摊贩")
    )
    assert result.case is not None and result.case.category_code == "09001"
    assert result.report.decision["category"]["confidence"] == 0.4
    assert "candidates" not in result.report.decision


def test_unrecognised_text_waits_for_a_person(loop: LoopCity) -> None:
    result = process_report(
        loop.session,
        city_code=loop.code,
        channel="citizen",
        payload=citizen(loop, description="这里有个问题请看看"),
    )
    assert (result.status, result.case) == ("manual_category", None)


@pytest.mark.parametrize(
    ("over", "reason"),
    [
        ({"lon": 200.0, "lat": 30.0}, "is not a longitude/latitude"),
        ({"lon": 116.4, "lat": 39.9}, "outside the city"),
        ({"lon": None, "lat": None, "address": "文三路与学院路交叉口"}, "matches no road, place or area"),
    ],
)
def test_unusable_locations_are_kept_for_manual_location(
    loop: LoopCity, over: dict[str, object], reason: str
) -> None:
    result = process_report(
        loop.session, city_code=loop.code, channel="citizen", payload=citizen(loop, **over)
    )
    assert result.status == "manual_location" and reason in (result.report.reason or "")
    assert _count(loop, Case) == 0


def test_retries_return_the_first_result(loop: LoopCity) -> None:
    body = citizen(loop, client_id="app-42", category_code="09001")
    first = process_report(loop.session, city_code=loop.code, channel="citizen", payload=body)
    again = process_report(loop.session, city_code=loop.code, channel="citizen", payload=dict(body))
    assert again.replay and again.report.id == first.report.id and again.case is first.case
    with pytest.raises(IdempotencyConflict) as err:
        process_report(
            loop.session, city_code=loop.code, channel="citizen", payload={**body, "description": "别的"}
        )
    assert err.value.status == 409
    keyed = process_report(
        loop.session, city_code=loop.code, channel="citizen", payload=citizen(loop), idempotency_key="k1"
    )
    assert (
        process_report(
            loop.session, city_code=loop.code, channel="citizen", payload=citizen(loop), idempotency_key="k1"
        ).report.id
        == keyed.report.id
    )
    assert _count(loop, Case) == 2 and _count(loop, Report) == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"description": "摊贩", "media": ["not-a-hash"]}, "media.0"),
        ({"description": "摊贩", "surprise": 1}, "surprise"),
        ({"description": "摊贩", "category_code": "9001"}, "category_code"),
    ],
)
def test_bad_payloads_store_nothing(loop: LoopCity, payload: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidReport) as err:
        process_report(loop.session, city_code=loop.code, channel="citizen", payload=payload)
    assert err.value.code == "intake.invalid_report"
    assert field in [d["field"] for d in err.value.details]
    assert _count(loop, Report) == 0


def test_an_unknown_category_stores_nothing(loop: LoopCity) -> None:
    with pytest.raises(InvalidReport) as err:
        process_report(
            loop.session, city_code=loop.code, channel="citizen", payload=citizen(loop, category_code="09999")
        )
    assert err.value.code == "intake.unknown_category"
    assert _count(loop, Report) == 0 and _count(loop, Case) == 0


def test_markup_is_stored_as_given(loop: LoopCity) -> None:
    text = "<script>alert(1)</script>'; DROP TABLE cases; -- 摊贩"
    result = process_report(
        loop.session, city_code=loop.code, channel="citizen", payload=citizen(loop, description=text)
    )
    assert result.case is not None and result.case.description == text


def test_an_inspector_report_is_reported_at_once(loop: LoopCity) -> None:
    body = {"category_code": "06010", "lon": loop.point[0], "lat": loop.point[1], "description": "暴露垃圾"}
    result = process_report(
        loop.session, city_code=loop.code, channel="inspector", payload=body, actor=loop.actors["inspector01"]
    )
    assert result.case is not None and result.case.state == "REPORTED"
    assert result.case.reporter_ref == "inspector01"


def test_trusted_channels_skip_verification(loop: LoopCity) -> None:
    from cityloop.cities import do_set_parameters

    do_set_parameters(loop.session, loop.code, {"trusted_sources": ["citizen"]})
    result = process_report(loop.session, city_code=loop.code, channel="citizen", payload=citizen(loop))
    assert result.case is not None and result.case.state == "REPORTED"


def test_an_address_is_placed_through_the_gazetteer(loop: LoopCity) -> None:
    from cityloop.cases import TimelineEvent
    from cityloop.geo import do_import_places

    poi = {
        "type": "Feature",
        "properties": {"kind": "poi", "name": "中心菜场", "poi_kind": "market", "aliases": ["中心市场"]},
        "geometry": {"type": "Point", "coordinates": list(loop.point)},
    }
    do_import_places(
        loop.session, city_code=loop.code, collection={"type": "FeatureCollection", "features": [poi]}
    )
    body = citizen(loop, lon=None, lat=None, address="中心菜场旁边", category_code="09001")
    result = process_report(loop.session, city_code=loop.code, channel="citizen", payload=body)
    case = result.case
    assert case is not None and (case.lon, case.lat) == loop.point and case.grid_code is not None
    location = result.report.decision["location"]
    assert (location["by"], location["kind"], location["name"]) == ("gazetteer", "poi", "中心菜场")
    created = loop.session.query(TimelineEvent).filter_by(case_id=case.id, seq=1).one()
    assert created.data["decision"]["location"]["kind"] == "poi"
    assert created.data["decision"]["category"]["code"] == "09001"


def test_a_weak_address_match_waits_with_its_suggestion(loop: LoopCity) -> None:
    from cityloop.geo import do_import_places

    road = {
        "type": "Feature",
        "properties": {"kind": "road", "name": "中心路"},
        "geometry": {
            "type": "LineString",
            "coordinates": [[loop.point[0] - 0.0004, loop.point[1]], list(loop.point)],
        },
    }
    do_import_places(
        loop.session, city_code=loop.code, collection={"type": "FeatureCollection", "features": [road]}
    )
    body = citizen(loop, lon=None, lat=None, address="中心路", category_code="09001")
    result = process_report(loop.session, city_code=loop.code, channel="citizen", payload=body)
    assert result.status == "manual_location" and result.case is None
    assert result.report.decision["location"]["kind"] == "road"
    assert "below 0.70" in (result.report.reason or "")
