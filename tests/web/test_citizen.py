"""The citizen's pages in a real browser: report with a pin and a photo, track, similar cases and
following, keyboard use, a phone-sized screen, both languages, hostile text."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Case, Follower
from loopcity import CITY
from web.kit import Site, Watch, open_context, shot

NUMBER = re.compile(rf"^{CITY}-\d{{8}}-\d+$")


def open_report_page(page: Page, query: str = "") -> None:
    page.goto(f"/?city={CITY}{query}")
    expect(page.locator("#report-form[data-map-ready]")).to_have_count(1)
    expect(page.locator("#map path.leaflet-interactive").first).to_be_visible()


def choose_category(page: Page, search: str, code: str) -> None:
    page.fill("#category-search", search)
    option = page.locator(f"input[name=category][value='matter:{code}']")
    option.check()
    expect(option).to_be_checked()


def case_row(site: Site, number: str) -> Case:
    with Session(site.engine) as session:
        case = session.scalars(select(Case).where(Case.city_id == CITY, Case.number == number)).one()
        session.expunge(case)
        return case


def test_the_front_page_offers_a_chooser_when_several_cities_exist(page: Page, site: Site) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    links = page.locator("ul.cities a")
    expect(links).to_have_count(2)
    shot(page, "cities")
    page.click(f"a[href='/?city={CITY}']")
    expect(page.locator("#report-form")).to_have_attribute("data-city", CITY)


def test_a_citizen_reports_with_a_pin_and_a_photo_then_tracks_it(page: Page, site: Site, photo: Path) -> None:
    open_report_page(page)
    shot(page, "report-empty")
    choose_category(page, "道路破损", "06013")
    page.click("#map")  # the middle of the map: inside the city, whose bounds it fits
    expect(page.locator("#lat")).not_to_have_value("")
    page.set_input_files("#photos", str(photo))
    expect(page.locator("#photo-list li[data-sha256] img")).to_be_visible()
    sha = page.locator("#photo-list li[data-sha256]").get_attribute("data-sha256")
    page.fill("#description", "人行道地砖破损，有人绊倒")
    page.fill("#phone", "13800000001")
    shot(page, "report-filled")
    page.click("#submit")
    expect(page.locator("#done")).to_be_visible()
    number = page.locator("#done-number").inner_text()
    assert NUMBER.match(number), number
    shot(page, "report-done")

    case = case_row(site, number)
    assert case.category_code == "06013"
    assert case.description == "人行道地砖破损，有人绊倒"
    lat = float(page.locator("#lat").input_value())
    assert case.lat == lat and case.lon is not None
    with Session(site.engine) as session:
        from cityloop.intake.models import Report

        report = session.scalars(select(Report).where(Report.case_id == case.id)).one()
        assert report.payload["media"] == [sha]

    page.click("#done-link")
    expect(page).to_have_url(re.compile(f"/track/{number}$"))
    expect(page.locator("#case-number")).to_have_text(number)
    expect(page.locator("#case-description")).to_have_text("人行道地砖破损，有人绊倒")
    expect(page.locator("#timeline li").first).to_contain_text("登记")
    state = page.locator("#case-state").inner_text()
    assert state in {"待核实", "待受理", "已受理", "已立案", "已派遣"}, state
    # The public page shows no contact of the reporter.
    assert "13800000001" not in page.content()
    shot(page, "track")


def test_similar_open_cases_appear_before_submitting_and_can_be_followed(page: Page, site: Site) -> None:
    existing = site.citizen_report(category_code="06013", description="路面坑洼积水")
    open_report_page(page)
    choose_category(page, "06013", "06013")
    page.click("#pin-centre")
    item = page.locator(f"li.similar[data-number='{existing}']")
    expect(item).to_be_visible()
    expect(item).to_contain_text("路面坑洼积水")
    shot(page, "similar")
    item.locator("button.follow").click()
    expect(item.locator("button.follow")).to_have_text("已关注")
    with Session(site.engine) as session:
        refs = session.scalars(
            select(Follower.ref).join(Case).where(Case.city_id == CITY, Case.number == existing)
        ).all()
    assert any(ref.startswith("web:") for ref in refs), refs


def test_the_report_form_works_from_the_keyboard(page: Page, site: Site) -> None:
    open_report_page(page)

    def tab_to(selector: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#category-search")
    page.keyboard.type("井盖")
    expect(page.locator("input[name=category]").first).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.locator("input[name=category]:checked")).to_have_count(1)
    tab_to("#pin-centre")
    page.keyboard.press("Enter")
    expect(page.locator("#pin-status")).to_contain_text("已标点")
    tab_to("#description")
    page.keyboard.type("井盖缺失")
    tab_to("#anonymous")
    page.keyboard.press("Space")
    expect(page.locator("#contact-fields")).to_be_hidden()
    tab_to("#submit")
    page.keyboard.press("Enter")
    expect(page.locator("#done")).to_be_focused()
    assert NUMBER.match(page.locator("#done-number").inner_text())


def test_the_report_page_fits_a_phone(browser: Browser, site: Site, watch: Watch) -> None:
    context = open_context(browser, site, watch, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    open_report_page(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"
    box = page.locator("#submit").bounding_box()
    assert box is not None and box["width"] > 300  # a full-width button on a phone
    shot(page, "report-phone")
    context.close()


def test_both_languages_with_a_switch_on_every_page(page: Page, site: Site) -> None:
    open_report_page(page)
    expect(page.locator("h1")).to_contain_text("反映问题")
    page.click("a[hreflang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Report a problem")
    expect(page.locator("#submit")).to_have_text("Submit")
    shot(page, "report-en")
    page.goto("/login")  # the choice is remembered
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("button[type=submit]")).to_have_text("Sign in")
    page.click("a[hreflang=zh-CN]")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("button[type=submit]")).to_have_text("登录")
    number = site.citizen_report(description="路灯不亮")
    page.goto(f"/track/{number}?lang=en")
    expect(page.locator("#timeline li").first).to_contain_text("Registered")
    expect(page.locator("h1")).to_have_text("Case progress")


def test_hostile_text_is_shown_as_text(page: Page, site: Site) -> None:
    hostile = '<script>window.pwned = 1</script><img src="x" id="evil">'
    number = site.citizen_report(category_code="06013", description=hostile)
    page.goto(f"/track/{number}")
    expect(page.locator("#case-description")).to_have_text(hostile)
    assert page.locator("#evil").count() == 0
    assert page.evaluate("window.pwned") is None
    open_report_page(page)
    choose_category(page, "06013", "06013")
    page.click("#pin-centre")
    item = page.locator(f"li.similar[data-number='{number}']")
    expect(item.locator(".similar-text")).to_have_text(hostile)
    assert page.locator("#evil").count() == 0
    shot(page, "hostile")


def test_an_unknown_case_is_a_404_page(page: Page, site: Site, watch: Watch) -> None:
    response = page.goto(f"/track/{CITY}-20260101-999")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
    # Chromium reports the page's own 404 status on the console: expected here, and only this.
    assert watch.errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    watch.errors.clear()
