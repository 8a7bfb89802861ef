"""The citizen's callback over HTTP: only the reporter or a follower rates, only a closed case, once."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Case, State, TimelineEvent, do_transition
from cityloop.cases.merge import add_follower
from cityloop.core.clock import get_clock
from cityloop.db.session import session_scope
from intake.conftest import Api
from loopcity import CITY, OTHER_CITY, actor_for

PHONE = "13800001111"

#: Who moves a case on from each state, and how, until it is closed.
STEPS: dict[str, tuple[str, str, dict[str, Any]]] = {
    State.PENDING_VERIFY: ("operator01", "send_verify", {}),
    State.VERIFYING: ("inspector01", "confirm", {}),
    State.REPORTED: ("operator01", "accept", {}),
    State.ACCEPTED: ("leader01", "file", {}),
    State.FILED: ("dispatcher01", "dispatch", {"department": "CG"}),
    State.DISPATCHED: ("cg01", "sign", {}),
    State.PROCESSING: ("cg01", "feedback", {}),
    State.PROCESSED: ("operator01", "send_check", {}),
    State.CHECKING: ("inspector01", "check_ok", {}),
    State.CHECKED_OK: ("leader01", "close", {}),
}


@pytest.fixture
def app_api(api: Api) -> Api:
    """The intake client (the app serves the callback routes)."""
    return api


def report(api: Api, **over: Any) -> str:
    lon, lat = api.points[0]
    body: dict[str, Any] = {"description": "路口有流动摊贩占道", "lon": lon, "lat": lat, "phone": PHONE}
    body.update(over)
    resp = api.report("citizen", body)
    assert resp.status_code == 201, resp.text
    return str(resp.json()["case_number"])


def drive(api: Api, number: str, until: str = State.CLOSED) -> None:
    """Take each person's step on the case until it reaches `until`."""
    with session_scope(api.engine) as session:
        for _ in range(len(STEPS) + 1):
            case = session.scalars(select(Case).where(Case.city_id == CITY, Case.number == number)).one()
            if case.state == until:
                return
            who, action, data = STEPS[case.state]
            do_transition(
                session, city_code=CITY, number=number, action=action,
                actor=actor_for(session, CITY, who), data=data,
            )  # fmt: skip
    raise AssertionError(f"case {number} did not reach {until}")


def rate(api: Api, number: str, *, city: str = CITY, **body: Any) -> Response:
    body.setdefault("rating", "满意")
    body.setdefault("proof", PHONE)
    return api.client.post(f"/api/v1/cities/{city}/cases/{number}/callback", json=body)


def case_row(api: Api, number: str) -> tuple[str, str | None, list[TimelineEvent]]:
    with Session(api.engine) as session:
        case = session.scalars(select(Case).where(Case.number == number)).one()
        events = list(
            session.scalars(
                select(TimelineEvent)
                .where(TimelineEvent.case_id == case.id, TimelineEvent.action == "callback")
                .order_by(TimelineEvent.seq)
            )
        )
        session.expunge_all()
        return case.state, case.satisfaction, events


def _error(resp: Response) -> tuple[int, str]:
    return resp.status_code, resp.json()["error"]["code"]


def test_the_reporter_rates_a_closed_case_with_the_phone_reported_with(app_api: Api) -> None:
    number = report(app_api)
    drive(app_api, number)
    resp = rate(app_api, number, rating="基本满意", comment="  处理及时，路面还有点脏  ", proof=f" {PHONE} ")
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"case_number": number, "state": "CLOSED", "satisfaction": "基本满意"}
    state, satisfaction, events = case_row(app_api, number)
    assert (state, satisfaction) == ("CLOSED", "基本满意")
    (event,) = events
    assert (event.actor_kind, event.actor_role) == ("citizen", "citizen")
    assert event.actor_name is not None and event.actor_name.startswith("citizen:")
    assert PHONE not in (event.actor_name or "")
    assert event.reason == "处理及时，路面还有点脏"
    assert event.data == {"rating": "基本满意"}


def test_a_follower_rates_with_the_email_they_follow_with(app_api: Api) -> None:
    from cityloop.intake.channels.common import reporter_ref

    number = report(app_api)
    with session_scope(app_api.engine) as session:
        case = session.scalars(select(Case).where(Case.number == number)).one()
        add_follower(session, case, str(reporter_ref("Li.Si@Example.org")), get_clock().now())
    drive(app_api, number)
    resp = rate(app_api, number, rating="不满意", proof="li.si@example.org")
    assert resp.status_code == 200, resp.text
    assert case_row(app_api, number)[1] == "不满意"


def test_a_wrong_proof_is_refused_and_changes_nothing(app_api: Api) -> None:
    number = report(app_api)
    drive(app_api, number)
    assert _error(rate(app_api, number, proof="13900009999")) == (403, "cases.not_the_reporter")
    assert case_row(app_api, number)[1:] == (None, [])
    anonymous = report(app_api, phone=None, anonymous=True, description="另一处路口有摊贩")
    drive(app_api, anonymous)
    assert _error(rate(app_api, anonymous)) == (403, "cases.not_the_reporter")


def test_only_a_closed_case_is_rated_and_only_once(app_api: Api) -> None:
    number = report(app_api)
    drive(app_api, number, until=State.CHECKED_OK)
    assert _error(rate(app_api, number)) == (409, "cases.not_closed")
    assert case_row(app_api, number)[1:] == (None, [])
    drive(app_api, number)
    assert rate(app_api, number).status_code == 200
    assert _error(rate(app_api, number, rating="不满意")) == (409, "cases.already_rated")
    state, satisfaction, events = case_row(app_api, number)
    assert (state, satisfaction, len(events)) == ("CLOSED", "满意", 1)


def test_bad_bodies_and_unknown_cases_are_clear_errors(app_api: Api) -> None:
    number = report(app_api)
    drive(app_api, number)
    assert _error(rate(app_api, number, rating="很好")) == (422, "request.invalid")
    assert _error(rate(app_api, number, comment="x" * 501)) == (422, "request.invalid")
    assert _error(rate(app_api, number, extra="field")) == (422, "request.invalid")
    assert _error(rate(app_api, f"{CITY}-20260101-999")) == (404, "cases.not_found")
    assert _error(rate(app_api, number, city="999999")) == (404, "cities.not_found")
    # A staff credential of another city may not act on this city's route.
    headers = app_api.headers("operator01", OTHER_CITY)
    resp = app_api.client.post(
        f"/api/v1/cities/{CITY}/cases/{number}/callback",
        json={"rating": "满意", "proof": PHONE},
        headers=headers,
    )
    assert resp.status_code == 403
    assert case_row(app_api, number)[1] is None


def test_the_track_page_form_rates_with_the_phone_and_says_why_not(app_api: Api) -> None:
    number = report(app_api, category_code="09001")
    page = app_api.client.get(f"/track/{number}")
    assert page.status_code == 200 and "callback-form" not in page.text  # not closed yet
    drive(app_api, number)
    assert 'id="callback-form"' in app_api.client.get(f"/track/{number}").text
    url, origin = f"/track/{number}/callback", {"Origin": str(app_api.client.base_url)}
    wrong = app_api.client.post(
        url, data={"rating": "满意", "proof": "13900000000"}, headers=origin, follow_redirects=False
    )
    assert wrong.status_code == 303 and wrong.headers["location"].endswith(
        "callback=cases.not_the_reporter#callback-title"
    )
    assert "联系方式与反映问题时填写的不一致" in app_api.client.get(wrong.headers["location"]).text
    ok = app_api.client.post(
        url,
        data={"rating": "基本满意", "comment": "<b>ok</b>", "proof": PHONE},
        headers=origin,
        follow_redirects=False,
    )
    assert ok.headers["location"].endswith("callback=ok#callback-title")
    state, satisfaction, events = case_row(app_api, number)
    assert (state, satisfaction) == ("CLOSED", "基本满意")
    assert events[-1].action == "callback" and events[-1].reason == "<b>ok</b>"
    again = app_api.client.post(
        url, data={"rating": "满意", "proof": PHONE}, headers=origin, follow_redirects=False
    )
    assert again.headers["location"].endswith("callback=cases.already_rated#callback-title")
    foreign = app_api.client.post(
        url,
        data={"rating": "满意", "proof": PHONE},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert foreign.status_code == 403
