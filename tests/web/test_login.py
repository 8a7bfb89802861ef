"""Staff sign-in and sign-out in a real browser: the cookie's flags, a wrong password, revocation."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from loopcity import CITY
from web.kit import PASSWORD, Site, shot


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    page.select_option("#city", CITY)
    page.fill("#username", username)
    page.fill("#password", password)
    page.press("#password", "Enter")


def test_sign_in_and_out(page: Page, site: Site) -> None:
    page.goto("/login")
    shot(page, "login")
    sign_in(page, "operator01", PASSWORD)
    expect(page).to_have_url(re.compile("/home$"))
    expect(page.locator("#who")).to_have_text("operator01")
    expect(page.locator("#roles li[data-role=operator]")).to_contain_text("受理员")
    shot(page, "home")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "cityloop_session"]
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Lax"
    token = cookie["value"]
    assert page.evaluate("document.cookie").find(token) == -1  # scripts cannot read it
    # The cookie holds a working staff token until sign-out.
    mine = site.http.get(f"/api/v1/cities/{CITY}/tasks/mine", headers={"Authorization": f"Bearer {token}"})
    assert mine.status_code == 200, mine.text

    page.goto("/login")  # already signed in: straight to the workspace
    expect(page).to_have_url(re.compile("/home$"))
    page.click("#logout")
    expect(page).to_have_url(re.compile("/login$"))
    assert [c for c in page.context.cookies() if c["name"] == "cityloop_session"] == []
    revoked = site.http.get(f"/api/v1/cities/{CITY}/tasks/mine", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status_code == 401
    page.goto("/home")
    expect(page).to_have_url(re.compile("/login$"))


def test_a_wrong_password_is_refused_without_saying_why(page: Page, site: Site) -> None:
    sign_in(page, "operator01", "not-the-password")
    expect(page.locator("#login-error")).to_have_text("用户名或密码错误。")
    expect(page.locator("#username")).to_have_value("operator01")
    assert [c for c in page.context.cookies() if c["name"] == "cityloop_session"] == []
    sign_in(page, "nobody", "not-the-password")
    expect(page.locator("#login-error")).to_have_text("用户名或密码错误。")


def test_a_form_posted_from_another_site_is_refused(site: Site) -> None:
    resp = site.http.post(
        "/login",
        data={"city": CITY, "username": "operator01", "password": PASSWORD},
        headers={"Origin": "https://evil.example"},
    )
    assert resp.status_code == 403
    assert "set-cookie" not in resp.headers
