"""The field page in a real browser: a worker signs for a task, uploads a photo after the fix and
feeds back; an inspector checks a case; a phone-sized screen; the role check; English."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Case, Evidence, TimelineEvent, do_create_case, do_transition
from cityloop.db.session import session_scope
from loopcity import CITY, actor_for
from web.kit import CENTRE, PASSWORD, Site, Watch, open_context, shot

#: Who moves a case on from each state to the next, and how.
STEPS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "REPORTED": ("operator01", "accept", {}),
    "ACCEPTED": ("leader01", "file", {}),
    "FILED": ("dispatcher01", "dispatch", {"department": "CG", "worker": "cgworker01"}),
    "DISPATCHED": ("cgworker01", "sign", {}),
    "PROCESSING": ("cgworker01", "feedback", {}),
    "PROCESSED": ("operator01", "send_check", {}),
}


def make_case(site: Site, until: str, description: str = "路边流动摊贩占道经营") -> str:
    """An inspector's report of street vending at the city's centre, moved on until `until`."""
    with session_scope(site.engine) as session:
        case = do_create_case(
            session, city_code=CITY, actor=actor_for(session, CITY, "inspector01"), source="inspector",
            category_code="09001", lon=CENTRE[0], lat=CENTRE[1], description=description,
            address="文三路 100 号",
        )  # fmt: skip
        number = case.number
        while case.state != until:
            who, action, data = STEPS[case.state]
            case = do_transition(
                session, city_code=CITY, number=number, action=action,
                actor=actor_for(session, CITY, who), data=data,
            )  # fmt: skip
    return number


def case_state(site: Site, number: str) -> tuple[str, list[TimelineEvent], list[Evidence]]:
    with Session(site.engine) as session:
        case = session.scalars(select(Case).where(Case.city_id == CITY, Case.number == number)).one()
        events = list(session.scalars(select(TimelineEvent).where(TimelineEvent.case_id == case.id)))
        evidence = list(session.scalars(select(Evidence).where(Evidence.case_id == case.id)))
        session.expunge_all()
        return case.state, sorted(events, key=lambda e: e.seq), evidence


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.select_option("#city", CITY)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    expect(page).to_have_url(re.compile("/home$"))


def test_a_worker_signs_uploads_a_photo_after_the_fix_and_feeds_back(
    browser: Browser, site: Site, watch: Watch, photo: Path
) -> None:
    number = make_case(site, "DISPATCHED")
    context = open_context(
        browser,
        site,
        watch,
        geolocation={"latitude": 30.2545, "longitude": 120.1030},
        permissions=["geolocation"],
    )
    page = context.new_page()
    sign_in(page, "cgworker01")
    page.goto("/field")
    card = page.locator(f"#task-{number}")
    expect(card).to_have_attribute("data-kind", "sign")
    expect(card).to_have_attribute("data-light", "green")
    expect(card.locator(".light")).to_have_text("绿灯")
    expect(card.locator(".mine")).to_be_visible()
    expect(card.locator(".address")).to_have_text("文三路 100 号")
    expect(card.locator(".distance")).to_have_text(re.compile(r"^\d+ m$"))  # some 300 m north
    expect(card.locator("a.nav-geo")).to_have_attribute("href", re.compile(r"^geo:30\.25\d+,120\.10\d+\?q="))
    shot(page, "field-sign")

    card.locator("form[data-action=sign] button").click()
    expect(page.locator("#notice")).to_contain_text("签收")
    card = page.locator(f"#task-{number}")
    expect(card).to_have_attribute("data-kind", "handle")
    assert case_state(site, number)[0] == "PROCESSING"

    # Feeding back without a photo after the fix is refused, and changes nothing.
    card.locator("form[data-action=feedback] button").click()
    expect(page.locator("#refused")).to_have_attribute("data-code", "field.after_photo_required")
    expect(page.locator("#refused")).to_contain_text("请先上传处置后照片")
    assert case_state(site, number)[0] == "PROCESSING"

    card = page.locator(f"#task-{number}")
    card.locator(f"[id='{number}-photo-file']").set_input_files(str(photo))
    card.locator("form[data-action=photo] button").click()
    expect(page.locator("#notice")).to_contain_text("照片已上传")
    card = page.locator(f"#task-{number}")
    expect(card.locator(".photos li[data-phase=after] img")).to_be_visible()
    sha = card.locator(".photos li[data-phase=after]").get_attribute("data-sha256")
    shot(page, "field-handle")

    card.locator(f"[id='{number}-feedback-reason']").fill("摊贩已劝离，路面已清理")
    card.locator("form[data-action=feedback] button").click()
    expect(page.locator("#notice")).to_contain_text("处理反馈")
    expect(page.locator(f"#task-{number}")).to_have_count(0)
    state, events, evidence = case_state(site, number)
    assert state == "PROCESSED"
    assert [(e.phase, e.sha256, e.uploaded_by) for e in evidence] == [("after", sha, "cgworker01")]
    feedback = events[-1]
    assert (feedback.action, feedback.actor_name, feedback.actor_role) == (
        "feedback",
        "cgworker01",
        "field_worker",
    )
    assert (feedback.reason, list(feedback.evidence)) == ("摊贩已劝离，路面已清理", [sha])
    context.close()


def test_an_inspector_checks_a_case_ok_with_a_photo(page: Page, site: Site, photo: Path) -> None:
    number = make_case(site, "CHECKING")
    sign_in(page, "inspector01")
    page.goto("/field")
    card = page.locator(f"#task-{number}")
    expect(card).to_have_attribute("data-kind", "check")
    expect(card.locator("form[data-action=check_ok] button")).to_have_text("核查通过")
    expect(card.locator("details[data-action=check_fail] summary")).to_be_visible()
    card.locator(f"[id='{number}-check_ok-file']").set_input_files(str(photo))
    shot(page, "field-check")
    card.locator("form[data-action=check_ok] button").click()
    expect(page.locator("#notice")).to_contain_text("核查通过")
    expect(page.locator(f"#task-{number}")).to_have_count(0)
    state, events, evidence = case_state(site, number)
    assert state == "CHECKED_OK"
    (after,) = evidence
    assert (after.phase, after.uploaded_by) == ("after", "inspector01")
    assert (events[-1].action, events[-1].actor_name, list(events[-1].evidence)) == (
        "check_ok",
        "inspector01",
        [after.sha256],
    )


def test_a_check_fail_needs_a_reason(page: Page, site: Site) -> None:
    number = make_case(site, "CHECKING")
    sign_in(page, "inspector01")
    page.goto("/field")
    card = page.locator(f"#task-{number}")
    card.locator("details[data-action=check_fail] summary").click()
    card.locator(f"[id='{number}-check_fail-reason']").fill("仍有摊位")
    card.locator("form[data-action=check_fail] button").click()
    expect(page.locator("#notice")).to_contain_text("返工")
    state, events, _evidence = case_state(site, number)
    assert (state, events[-1].action, events[-1].reason) == ("PROCESSING", "check_fail", "仍有摊位")


def test_the_page_fits_a_phone_and_opens_the_case_on_our_own_map(
    browser: Browser, site: Site, watch: Watch
) -> None:
    number = make_case(site, "DISPATCHED", description="很长的描述" * 40)
    context = open_context(browser, site, watch, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sign_in(page, "cgworker01")
    page.goto("/field")
    expect(page.locator(f"#task-{number}")).to_be_visible()
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1] == 390, widths
    shot(page, "field-phone")
    page.locator(f"#task-{number} a.nav-map").click()
    expect(page).to_have_url(re.compile(f"/field/map/{number}$"))
    expect(page.locator("#case-map[data-map-ready='1']")).to_have_count(1)
    expect(page.locator("#case-map path.leaflet-interactive").first).to_be_attached()
    expect(page.locator("#case-map .leaflet-marker-icon")).to_be_visible()
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    shot(page, "field-map")
    context.close()


def test_only_field_roles_may_open_the_page(page: Page, site: Site) -> None:
    anonymous = site.http.get("/field", follow_redirects=False)
    assert (anonymous.status_code, anonymous.headers["location"]) == (303, "/login")
    posted = site.http.post(f"/field/cases/{CITY}-x/act", data={"action": "sign"}, follow_redirects=False)
    assert (posted.status_code, posted.headers["location"]) == (303, "/login")
    sign_in(page, "operator01")
    # Through the page's own cookie, but not as a navigation: a 403 document is a console error.
    response = page.request.get("/field")
    assert response.status == 403
    assert 'id="forbidden"' in response.text()
    acted = page.request.post(f"/field/cases/{CITY}-x/act", form={"action": "sign"}, max_redirects=0)
    assert acted.status == 403


def test_a_worker_cannot_act_on_a_case_that_is_not_their_task(page: Page, site: Site) -> None:
    number = make_case(site, "DISPATCHED")
    sign_in(page, "hw01")  # the other department
    page.goto("/field")
    expect(page.locator(f"#task-{number}")).to_have_count(0)
    response = page.request.post(f"/field/cases/{number}/act", form={"action": "sign"}, max_redirects=0)
    assert response.status == 303
    assert response.headers["location"] == f"/field?refused=field.not_your_task&case={number}#task-{number}"
    page.goto(response.headers["location"])
    expect(page.locator("#refused")).to_have_attribute("data-code", "field.not_your_task")
    assert case_state(site, number)[0] == "DISPATCHED"


def test_the_page_in_english(page: Page, site: Site) -> None:
    number = make_case(site, "CHECKING")
    sign_in(page, "inspector01")
    page.goto("/field?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("My tasks")
    card = page.locator(f"#task-{number}")
    expect(card.locator(".light")).to_have_text("Green")
    expect(card.locator(".kind")).to_have_text("Check on site")
    expect(card.locator("form[data-action=check_ok] button")).to_have_text("Fixed")
    expect(card.locator("a.nav-geo")).to_have_text("Navigate")
    expect(card.locator(".left")).to_contain_text("Time left")
    shot(page, "field-en")


def test_a_worker_asks_for_more_time_with_a_reason(page: Page, site: Site) -> None:
    number = make_case(site, "PROCESSING")
    sign_in(page, "cgworker01")
    page.goto("/field")
    card = page.locator(f"#task-{number}")
    card.locator("details[data-action=request_extension] summary").click()
    card.locator(f"[id='{number}-extra-amount']").fill("2")
    card.locator("form[data-action=request_extension] select[name=extra_unit]").select_option("working_days")
    card.locator(f"[id='{number}-request_extension-reason']").fill("需等待设备到货")
    card.locator("form[data-action=request_extension] button").click()
    expect(page.locator("#notice")).to_contain_text("申请延期")
    card = page.locator(f"#task-{number}")
    expect(card.locator(".pending")).to_be_visible()
    expect(card.locator("form[data-action=feedback]")).to_have_count(0)  # until the request is decided
    with Session(site.engine) as session:
        case = session.scalars(select(Case).where(Case.number == number)).one()
        assert case.pending is not None
        assert (case.pending["kind"], case.pending["reason"]) == ("extension", "需等待设备到货")
        assert case.pending["data"]["by"] == {"amount": 2, "unit": "working_days"}
