"""People resolve what the pipeline could not decide: waiting reports, and a wrong category."""

from __future__ import annotations

import pytest

from cityloop.cases import TimelineEvent, do_recategorise, do_transition
from cityloop.core.errors import CityLoopError
from cityloop.flows.process_report import process_report
from cityloop.flows.resolve import resolve_report
from intake.conftest import Api
from loopcity import CITY, OTHER_CITY, LoopCity


def waiting(loop: LoopCity, **body: object) -> int:
    payload: dict[str, object] = {
        "description": "这里有个问题请看看",
        "lon": loop.point[0],
        "lat": loop.point[1],
    }
    payload.update(body)
    result = process_report(loop.session, city_code=loop.code, channel="citizen", payload=payload)
    assert result.case is None
    return result.report.id


def test_an_operator_chooses_the_category_of_a_waiting_report(loop: LoopCity) -> None:
    report_id = waiting(loop)
    result = resolve_report(
        loop.session,
        city_code=loop.code,
        report_id=report_id,
        actor=loop.actors["operator01"],
        category_code="09001",
    )
    assert result.case is not None and result.status == "registered"
    assert result.case.category_code == "09001"
    assert result.report.decision["resolved_by"] == "operator01"
    first = loop.session.query(TimelineEvent).filter_by(case_id=result.case.id, seq=1).one()
    assert first.data["decision"]["category"]["reason"] == "chosen by operator01 from the queue"
    assert first.actor_name == "operator01"


def test_an_operator_places_a_report_the_gazetteer_could_not(loop: LoopCity) -> None:
    report_id = waiting(loop, lon=None, lat=None, address="不存在的地方123号", category_code="09001")
    lon, lat = loop.point
    result = resolve_report(loop.session, city_code=loop.code, report_id=report_id, actor=loop.actors["operator01"], lon=lon, lat=lat)  # fmt: skip
    assert result.case is not None and (result.case.lon, result.case.lat) == (lon, lat)


def test_refusals_leave_the_report_waiting(loop: LoopCity) -> None:
    report_id = waiting(loop)
    operator = loop.actors["operator01"]
    cases = [
        ({"actor": loop.actors["inspector01"], "category_code": "09001"}, "cases.action_not_allowed"),
        ({"actor": operator}, "intake.nothing_chosen"),
        ({"actor": operator, "lon": 120.1}, "intake.nothing_chosen"),
        ({"actor": operator, "category_code": "99999"}, "intake.unknown_category"),
    ]
    for kwargs, code in cases:
        with pytest.raises(CityLoopError) as error:
            resolve_report(loop.session, city_code=loop.code, report_id=report_id, **kwargs)  # type: ignore[arg-type]
        assert error.value.code == code
    done = resolve_report(
        loop.session, city_code=loop.code, report_id=report_id, actor=operator, category_code="06010"
    )
    assert done.status == "registered"
    with pytest.raises(CityLoopError) as again:
        resolve_report(
            loop.session, city_code=loop.code, report_id=report_id, actor=operator, category_code="06010"
        )
    assert again.value.code == "intake.report_not_waiting"


def test_a_wrong_category_is_corrected_before_filing_only(loop: LoopCity) -> None:
    case = loop.report(category_code="09001")
    operator = loop.actors["operator01"]
    do_recategorise(loop.session, city_code=loop.code, number=case.number, category_code="06010", actor=operator,
                    reason="是暴露垃圾，不是摊贩")  # fmt: skip
    assert case.category_code == "06010"
    event = (
        loop.session.query(TimelineEvent)
        .filter_by(case_id=case.id)
        .order_by(TimelineEvent.seq.desc())
        .first()
    )
    assert event is not None and event.action == "recategorise"
    assert (event.data["from"]["code"], event.data["to"]["code"]) == ("09001", "06010")
    for code, expected in [("06010", "cases.invalid_data"), ("99999", "cases.unknown_category")]:
        with pytest.raises(CityLoopError) as error:
            do_recategorise(loop.session, city_code=loop.code, number=case.number, category_code=code, actor=operator, reason="x")  # fmt: skip
        assert error.value.code == expected
    do_transition(loop.session, city_code=loop.code, number=case.number, action="accept", actor=operator)
    do_transition(
        loop.session, city_code=loop.code, number=case.number, action="file", actor=loop.actors["leader01"]
    )
    with pytest.raises(CityLoopError) as filed:
        do_recategorise(loop.session, city_code=loop.code, number=case.number, category_code="09001", actor=operator, reason="x")  # fmt: skip
    assert filed.value.code == "cases.action_not_allowed"


def test_resolve_and_category_over_http(api: Api) -> None:
    lon, lat = api.points[0]
    resp = api.report("citizen", {"description": "这里有个问题请看看", "lon": lon, "lat": lat})
    report_id = resp.json()["report_id"]
    assert resp.json()["status"] == "manual_category"
    url = f"/api/v1/cities/{CITY}/reports/{report_id}/resolve"
    assert (
        api.client.post(url, json={"category_code": "09001"}, headers=api.headers("inspector01")).status_code
        == 403
    )
    other = api.client.post(
        url, json={"category_code": "09001"}, headers=api.headers("operator01", OTHER_CITY)
    )
    assert other.status_code == 403
    done = api.client.post(url, json={"category_code": "09001"}, headers=api.headers("operator01"))
    assert done.status_code == 200, done.text
    number = done.json()["case_number"]
    assert done.json()["status"] == "registered" and number
    change = api.client.post(
        f"/api/v1/cities/{CITY}/cases/{number}/category",
        json={"category_code": "06010", "reason": "看错了"},
        headers=api.headers("operator01"),
    )
    assert change.status_code == 200, change.text
    assert change.json()["category_code"] == "06010"
    assert change.json()["timeline"][-1]["action"] == "recategorise"
    missing = api.client.post(f"/api/v1/cities/{CITY}/reports/999999/resolve", json={"category_code": "09001"},
                              headers=api.headers("operator01"))  # fmt: skip
    assert missing.status_code == 404
