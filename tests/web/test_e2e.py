"""One case through every role's page in a real browser, from the citizen's report to the rating.

A citizen reports on `/` with a pin and a phone number; the operator sends it for verification
and the inspector confirms it on `/field`; the operator accepts, the shift leader files, the
dispatcher dispatches on the console; the worker signs, uploads a photo after the fix and feeds
back on `/field`; the operator sends it for checking, the inspector checks it on `/field`, the
shift leader closes it; the citizen rates it on `/track/{number}` with the phone reported with.
Each person has their own browser context (their own cookie), and every page is watched for
console errors and requests to other hosts (`web.kit.open_context`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Case, Evidence, TimelineEvent, verify_city
from loopcity import CITY
from web.kit import PASSWORD, Site, Watch, open_context, shot

#: The CPU is shared: every wait may take up to this long (ms).
TIMEOUT = 15_000
PHONE = "13900000007"
DESCRIPTION = "小区门口有流动摊贩占道经营"
FIX = "摊贩已劝离，路面已清理"
COMMENT = "处理很快，谢谢"
#: A phone-sized screen for the pages meant for a phone (the citizen's and the field pages).
PHONE_SCREEN: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}


@pytest.fixture
def patient() -> Iterator[None]:
    """Assertions wait longer than Playwright's 5 s default while the machine is busy."""
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=5_000)


class People:
    """One browser context per person, opened on first use and closed at the end."""

    def __init__(self, browser: Browser, site: Site, watch: Watch) -> None:
        self.browser, self.site, self.watch = browser, site, watch
        self.contexts: list[BrowserContext] = []
        self.pages: dict[str, Page] = {}

    def page(self, name: str, *, staff: bool = True, **options: Any) -> Page:
        if name not in self.pages:
            context = open_context(self.browser, self.site, self.watch, **options)
            context.set_default_timeout(TIMEOUT)
            self.contexts.append(context)
            page = context.new_page()
            if staff:
                sign_in(page, name)
            self.pages[name] = page
        return self.pages[name]

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.select_option("#city", CITY)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    expect(page).to_have_url(re.compile("/home$"))
    expect(page.locator("#who")).to_have_text(username)


def stored_case(site: Site, number: str) -> Case:
    with Session(site.engine) as session:
        case = session.scalars(select(Case).where(Case.city_id == CITY, Case.number == number)).one()
        session.expunge(case)
        return case


def state_of(site: Site, number: str) -> str:
    return stored_case(site, number).state


def open_from_queue(page: Page, number: str, queue: str) -> None:
    """Find the case in the console's queue and open its page from there."""
    page.goto(f"/console?queue={queue}")
    expect(page.locator(f"#queues li[data-queue={queue}] a")).to_have_attribute("aria-current", "page")
    row = page.locator(f"#cases tr[data-number='{number}']")
    expect(row).to_contain_text(DESCRIPTION)
    row.locator("a.case-link").click()
    expect(page).to_have_url(re.compile(f"/console/cases/{number}$"))
    expect(page.locator("#case-map[data-ready]")).to_have_count(1)


def console_action(page: Page, action: str, after: str) -> None:
    """Take `action` with its button on the open console case page; the case is then in `after`."""
    page.click(f"#action-{action}")
    expect(page.locator("#done")).to_be_visible()
    expect(page.locator("#action-error")).to_have_count(0)
    expect(page.locator("#case-state")).to_have_attribute("data-state", after)


def field_task(page: Page, number: str, kind: str) -> Any:
    """The person's task card of the case on `/field`, of the expected kind."""
    page.goto("/field")
    card = page.locator(f"#task-{number}")
    expect(card).to_have_attribute("data-kind", kind)
    return card


def report_as_citizen(page: Page) -> str:
    """The citizen's report on `/`: category, pin, description, phone; the case number shown."""
    page.goto(f"/?city={CITY}")
    expect(page.locator("#report-form[data-map-ready]")).to_have_count(1)
    expect(page.locator("#map path.leaflet-interactive").first).to_be_visible()
    page.fill("#category-search", "游商")
    option = page.locator("input[name=category][value='matter:09001']")
    option.check()
    expect(option).to_be_checked()
    page.click("#map")  # the middle of the map, inside the city whose bounds it fits
    expect(page.locator("#lat")).not_to_have_value("")
    page.fill("#description", DESCRIPTION)
    page.fill("#phone", PHONE)
    shot(page, "e2e-01-report")
    page.click("#submit")
    expect(page.locator("#done")).to_be_visible()
    number = page.locator("#done-number").inner_text()
    assert re.match(rf"^{CITY}-\d{{8}}-\d+$", number), number
    shot(page, "e2e-02-reported")
    return number


def test_a_case_goes_through_every_role_page_from_report_to_rating(
    browser: Browser, site: Site, watch: Watch, photo: Path, patient: None
) -> None:
    people = People(browser, site, watch)
    try:
        walk(people, site, photo)
    finally:
        people.close()


def walk(people: People, site: Site, photo: Path) -> None:
    # 1. The citizen reports, on a phone, with a pin and a phone number.
    citizen = people.page("citizen", staff=False, **PHONE_SCREEN)
    number = report_as_citizen(citizen)
    case = stored_case(site, number)
    assert (case.source, case.category_code, case.description) == ("citizen", "09001", DESCRIPTION)
    assert case.lon is not None and case.grid_code is not None
    # The loop city trusts no public channel and automates nothing: a person verifies first.
    assert case.state == "PENDING_VERIFY"

    # 2. The operator sees it among the reports to verify and sends an inspector.
    operator = people.page("operator01")
    open_from_queue(operator, number, "verify")
    shot(operator, "e2e-03-console-verify")
    console_action(operator, "send_verify", "VERIFYING")

    # 3. The inspector confirms it on site.
    inspector = people.page("inspector01", **PHONE_SCREEN)
    card = field_task(inspector, number, "verify")
    expect(card.locator(".description")).to_have_text(DESCRIPTION)
    shot(inspector, "e2e-04-field-verify")
    card.locator("form[data-action=confirm] button").click()
    expect(inspector.locator("#notice")).to_contain_text("核实属实")
    expect(inspector.locator(f"#task-{number}")).to_have_count(0)
    assert state_of(site, number) == "REPORTED"

    # 4. The operator accepts it.
    open_from_queue(operator, number, "accept")
    console_action(operator, "accept", "ACCEPTED")
    shot(operator, "e2e-05-console-accepted")

    # 5. The shift leader files it.
    leader = people.page("leader01")
    open_from_queue(leader, number, "file")
    console_action(leader, "file", "FILED")
    shot(leader, "e2e-06-console-filed")

    # 6. The dispatcher dispatches it where routing sends it, on the case page.
    dispatcher = people.page("dispatcher01")
    open_from_queue(dispatcher, number, "dispatch")
    expect(dispatcher.locator("#preview-department")).to_have_text("CG")
    expect(dispatcher.locator("#dispatch-department")).to_have_value("CG")
    shot(dispatcher, "e2e-07-console-dispatch")
    console_action(dispatcher, "dispatch", "DISPATCHED")
    expect(dispatcher.locator("#case-department")).to_contain_text("CG")
    dispatched = stored_case(site, number)
    assert dispatched.department_id is not None

    # 7. The field worker signs, uploads a photo after the fix and feeds back.
    worker = people.page("cgworker01", **PHONE_SCREEN)
    card = field_task(worker, number, "sign")
    card.locator("form[data-action=sign] button").click()
    expect(worker.locator("#notice")).to_contain_text("签收")
    card = worker.locator(f"#task-{number}")
    expect(card).to_have_attribute("data-kind", "handle")
    card.locator(f"[id='{number}-photo-file']").set_input_files(str(photo))
    card.locator("form[data-action=photo] button").click()
    expect(worker.locator("#notice")).to_contain_text("照片已上传")
    card = worker.locator(f"#task-{number}")
    expect(card.locator(".photos li[data-phase=after] img")).to_be_visible()
    after = card.locator(".photos li[data-phase=after]").get_attribute("data-sha256")
    card.locator(f"[id='{number}-feedback-reason']").fill(FIX)
    shot(worker, "e2e-08-field-handle")
    card.locator("form[data-action=feedback] button").click()
    expect(worker.locator("#notice")).to_contain_text("处理反馈")
    expect(worker.locator(f"#task-{number}")).to_have_count(0)
    assert state_of(site, number) == "PROCESSED"

    # 8. The operator sends it for checking (no console queue lists handled cases: by its page).
    operator.goto(f"/console/cases/{number}")
    expect(operator.locator("#photos img")).to_have_count(1)
    console_action(operator, "send_check", "CHECKING")

    # 9. The inspector checks the fix on site.
    card = field_task(inspector, number, "check")
    shot(inspector, "e2e-09-field-check")
    card.locator("form[data-action=check_ok] button").click()
    expect(inspector.locator("#notice")).to_contain_text("核查通过")
    expect(inspector.locator(f"#task-{number}")).to_have_count(0)
    assert state_of(site, number) == "CHECKED_OK"

    # 10. The shift leader closes it (no console queue lists checked cases: by its page).
    leader.goto(f"/console/cases/{number}")
    console_action(leader, "close", "CLOSED")
    shot(leader, "e2e-10-console-closed")

    # 11. The citizen follows it to the end and rates it with the phone reported with.
    citizen.goto(f"/track/{number}")
    expect(citizen.locator("#case-state")).to_have_text("已结案")
    expect(citizen.locator(".photos img")).to_have_count(1)
    assert PHONE not in citizen.content()
    citizen.check("input[name=rating][value='满意']")
    citizen.fill("#comment", COMMENT)
    citizen.fill("#proof", PHONE)
    shot(citizen, "e2e-11-track-rate")
    citizen.click("#callback-form button[type=submit]")
    expect(citizen.locator("#callback-message")).to_have_text("感谢您的评价。")
    expect(citizen.locator("#rated")).to_contain_text("满意")
    expect(citizen.locator("#timeline li").last).to_contain_text("回访")
    shot(citizen, "e2e-12-track-rated")

    check_the_record(site, number, after)


#: Who took each step, in order, after the report became a case.
STEPS = [
    ("send_verify", "operator01"),
    ("confirm", "inspector01"),
    ("accept", "operator01"),
    ("file", "leader01"),
    ("dispatch", "dispatcher01"),
    ("sign", "cgworker01"),
    ("feedback", "cgworker01"),
    ("send_check", "operator01"),
    ("check_ok", "inspector01"),
    ("close", "leader01"),
]


def check_the_record(site: Site, number: str, after: str | None) -> None:
    """The database holds the closed, rated case, every step by its person, and a sound timeline."""
    with Session(site.engine) as session:
        case = session.scalars(select(Case).where(Case.city_id == CITY, Case.number == number)).one()
        assert case.state == "CLOSED"
        assert case.satisfaction == "满意"
        assert case.department is not None and case.department.code == "CG"
        events = list(
            session.scalars(
                select(TimelineEvent).where(TimelineEvent.case_id == case.id).order_by(TimelineEvent.seq)
            )
        )
        first, *steps, rated = events
        assert (first.actor_kind, first.to_state) == ("system", "PENDING_VERIFY"), first
        assert [(e.action, e.actor_name) for e in steps] == STEPS
        assert all(e.actor_kind == "staff" for e in steps)
        assert (rated.action, rated.actor_kind, rated.reason) == ("callback", "citizen", COMMENT)
        assert rated.data["rating"] == "满意"
        feedback = next(e for e in steps if e.action == "feedback")
        assert (feedback.reason, list(feedback.evidence)) == (FIX, [after])
        evidence = list(session.scalars(select(Evidence).where(Evidence.case_id == case.id)))
        assert [(e.phase, e.sha256, e.uploaded_by) for e in evidence] == [("after", after, "cgworker01")]
        verified = verify_city(session, CITY)
        assert verified.ok, verified.breaks
        assert verified.events >= len(events)
