"""The administration pages in a real browser: parameters with a validation error, dispatch
rules replaced (and refused with every problem listed), local codes, the lists, the role check."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cities.models import CityParameter
from cityloop.db.session import session_scope
from cityloop.dispatch import DispatchRule
from cityloop.intake.devices import do_import_devices
from cityloop.org import do_import_staff, export_staff
from loopcity import CITY
from web.kit import PASSWORD, Site, Watch, shot

FORBIDDEN_LOG = "Failed to load resource: the server responded with a status of 403 (Forbidden)"


@pytest.fixture(scope="module")
def city(site: Site) -> Iterator[Site]:
    """The loop city with an administrator."""
    with session_scope(site.engine) as session:
        items = export_staff(session, CITY)
        items.append({"username": "admin01", "name": "admin01", "roles": ["admin"]})
        do_import_staff(session, city_code=CITY, items=items, password=PASSWORD)
        device = {
            "device_id": "CAM-001",
            "kind": "camera",
            "name": "路口<摄像头>",
            "lon": 120.1005,
            "lat": 30.2505,
        }
        do_import_devices(session, city_code=CITY, items=[device])
    yield site


@pytest.fixture
def admin(page: Page, city: Site) -> Page:
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto("/login")
    page.select_option("#city", CITY)
    page.fill("#username", "admin01")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    expect(page).to_have_url(re.compile("/home$"))
    return page


def stored_parameters(site: Site) -> dict[str, object]:
    with Session(site.engine) as session:
        rows = session.scalars(select(CityParameter).where(CityParameter.city_id == CITY))
        return {row.key: row.value for row in rows}


def stored_rules(site: Site) -> list[tuple[str, dict[str, object]]]:
    with Session(site.engine) as session:
        rows = session.scalars(
            select(DispatchRule).where(DispatchRule.city_id == CITY).order_by(DispatchRule.position)
        )
        return [(r.name, dict(r.conditions)) for r in rows]


def test_an_admin_sees_a_bad_parameter_refused_and_a_good_one_saved(admin: Page, city: Site) -> None:
    admin.goto("/admin")
    expect(admin.locator("#nav-parameters")).to_have_attribute("aria-current", "page")
    before = stored_parameters(city)
    # Two changes, one out of range: nothing is stored, the bad one is named, both keep what was typed.
    admin.fill("#p-h3_resolution", "42")
    admin.fill("#p-dispatch_speed_kmh", "20")
    admin.click("#save-parameters")
    expect(admin.locator("#problems")).to_contain_text("h3_resolution")
    expect(admin.locator("tr[data-key=h3_resolution]")).to_have_class(re.compile("invalid"))
    expect(admin.locator("tr[data-key=h3_resolution] .error")).to_contain_text("less than or equal to 12")
    expect(admin.locator("#p-h3_resolution")).to_have_value("42")
    expect(admin.locator("#p-dispatch_speed_kmh")).to_have_value("20")
    assert stored_parameters(city) == before
    shot(admin, "admin-parameters-error")
    # Not JSON at all.
    admin.fill("#p-h3_resolution", "nine")
    admin.click("#save-parameters")
    expect(admin.locator("tr[data-key=h3_resolution] .error")).to_have_text("not a valid JSON value")
    assert stored_parameters(city) == before
    # Corrected: both are stored.
    admin.fill("#p-h3_resolution", "10")
    admin.click("#save-parameters")
    expect(admin.locator("#saved")).to_be_visible()
    expect(admin.locator("#p-h3_resolution")).to_have_value("10")
    stored = stored_parameters(city)
    assert stored["h3_resolution"] == 10 and stored["dispatch_speed_kmh"] == 20.0


def test_an_admin_replaces_dispatch_rules_and_sees_every_problem(admin: Page, city: Site) -> None:
    admin.goto("/admin/rules")
    good = (
        "- name: 摊贩归城管\n  department: CG\n  conditions:\n    majors: ['09']\n"
        "- name: 垃圾归环卫\n  department: HW\n  conditions:\n    categories: ['06010']\n"
    )
    admin.fill("#rules-text", good)
    admin.click("#replace-rules")
    expect(admin.locator("#saved")).to_be_visible()
    expect(admin.locator("#rules tbody tr")).to_have_count(2)
    assert stored_rules(city) == [
        ("摊贩归城管", {"majors": ["09"]}),
        ("垃圾归环卫", {"categories": ["06010"]}),
    ]
    # A file with two bad rules: all problems are listed and the rules stay as they were.
    bad = (
        "- name: 坏部门\n  department: NOPE\n"
        "- name: 坏类别\n  department: CG\n  conditions:\n    categories: ['99999']\n    colour: red\n"
    )
    admin.fill("#rules-text", bad)
    admin.click("#replace-rules")
    problems = admin.locator("#problems tbody tr")
    expect(problems).to_have_count(3)
    expect(admin.locator("#problems")).to_contain_text("unknown department 'NOPE'")
    expect(admin.locator("#problems")).to_contain_text("unknown key")
    expect(admin.locator("#problems")).to_contain_text("99999")
    expect(admin.locator("#rules-text")).to_have_value(bad)
    assert [name for name, _ in stored_rules(city)] == ["摊贩归城管", "垃圾归环卫"]
    shot(admin, "admin-rules-problems")
    admin.fill("#rules-text", "name: [unclosed")
    admin.click("#replace-rules")
    expect(admin.locator("#problems")).to_contain_text("not valid YAML or JSON")


def test_local_codes_import_all_or_nothing(admin: Page, city: Site) -> None:
    admin.goto("/admin/taxonomy")
    header = "kind,major_code,code,name,name_en,note\n"
    admin.fill("#taxonomy-text", header + "matter,09,09901,占道晾晒,Drying laundry,\nmatter,09,0990,短,,\n")
    admin.click("#import-taxonomy")
    expect(admin.locator("#problems tbody tr")).to_have_count(1)
    expect(admin.locator("#problems")).to_contain_text("must be 5 digits")
    admin.goto("/admin/taxonomy")
    expect(admin.locator("#taxonomy-text")).not_to_contain_text("09901")
    admin.fill("#taxonomy-text", header + "matter,09,09901,占道晾晒,Drying laundry,\n")
    admin.click("#import-taxonomy")
    expect(admin.locator("#saved")).to_be_visible()
    expect(admin.locator("#taxonomy-text")).to_contain_text("09901,占道晾晒")


def test_the_lists_and_the_calendar(admin: Page, city: Site) -> None:
    admin.goto("/admin/staff")
    expect(admin.locator("#staff tr[data-username=admin01] .role[data-role=admin]")).to_have_text("管理员")
    expect(admin.locator("#staff tr[data-username=cgworker01]")).to_contain_text("CG")
    admin.click("#nav-devices")
    expect(admin.locator("#devices tbody tr")).to_have_count(1)
    expect(admin.locator("#devices tr[data-device=CAM-001]")).to_contain_text("路口<摄像头>")  # escaped text
    admin.click("#nav-limits")
    expect(admin.locator("#limits")).to_be_visible()
    admin.click("#nav-calendar")
    expect(admin.locator("#calendar-timezone")).to_have_text("Asia/Shanghai")
    admin.fill("#calendar-text", "timezone: Mars/Olympus\n")
    admin.click("#calendar-form button")
    expect(admin.locator("#problems")).to_be_visible()
    expect(admin.locator("#calendar-timezone")).to_have_text("Asia/Shanghai")


def test_a_non_admin_gets_403(page: Page, city: Site, watch: Watch) -> None:
    page.goto("/admin")
    expect(page).to_have_url(re.compile("/login$"))
    page.select_option("#city", CITY)
    page.fill("#username", "leader01")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    expect(page).to_have_url(re.compile("/home$"))
    for path in ("/admin", "/admin/rules", "/admin/staff"):
        response = page.goto(path)
        assert response is not None and response.status == 403
        expect(page.locator("#required-roles li[data-role=admin]")).to_have_count(1)
    assert watch.errors == [FORBIDDEN_LOG] * 3
    watch.errors.clear()
    token = city.token("leader01")
    refused = city.http.post(
        "/admin/rules", data={"text": "[]"}, headers={"Cookie": f"cityloop_session={token}"}
    )
    assert refused.status_code == 403


def test_the_admin_pages_in_english(admin: Page, city: Site) -> None:
    admin.goto("/admin/rules?lang=en")
    expect(admin.locator("html")).to_have_attribute("lang", "en")
    expect(admin.locator("h1")).to_contain_text("Administration")
    expect(admin.locator("#nav-parameters")).to_have_text("City parameters")
    admin.click("#nav-parameters")
    expect(admin.locator("#save-parameters")).to_have_text("Save")
    shot(admin, "admin-en")
