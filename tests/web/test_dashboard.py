"""The command centre in a real browser: map and charts with the database's numbers, a live
update by server-sent events after a new report, the role check, English."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cityloop.cases import OPEN_STATES, Case, Task
from cityloop.cases.queries import task_clock
from cityloop.core.clock import FrozenClock
from cityloop.db.session import make_session_factory, session_scope
from cityloop.deadlines import get_calendar
from cityloop.evaluation import evaluate
from cityloop.org import do_import_staff, export_staff
from cityloop.web.dashboard.insights import INSIGHTS
from cityloop.web.dashboard.pages import summary_events
from cityloop.web.dashboard.summary import dashboard_summary, task_light
from evaluation.month import build_month, local
from geo.factories import center_of
from loopcity import CITY, STAFF, LoopCity, actor_for, loop_pack
from web.kit import PASSWORD, Site, Watch, shot

OPEN = [str(s) for s in OPEN_STATES]
FORBIDDEN_LOG = "Failed to load resource: the server responded with a status of 403 (Forbidden)"


@pytest.fixture(scope="module")
def city(site: Site) -> Iterator[Site]:
    """The loop city with a leader and an admin, and a few citizen reports."""
    with session_scope(site.engine) as session:
        items = export_staff(session, CITY)
        items += [
            {"username": "boss01", "name": "boss01", "roles": ["leader"]},
            {"username": "admin01", "name": "admin01", "roles": ["admin"]},
        ]
        do_import_staff(session, city_code=CITY, items=items, password=PASSWORD)
    site.citizen_report(description="路边垃圾堆放", category_code="06010")
    site.citizen_report(description="占道经营", category_code="09006", lon=120.1005, lat=30.2505)
    site.citizen_report(description="道路破损", category_code="06013", lon=120.1055, lat=30.2515)
    yield site


def sign_in(page: Page, username: str, then: str) -> None:
    page.goto("/login")
    page.select_option("#city", CITY)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    expect(page).to_have_url(re.compile("/home$"))
    page.goto(then)


def database_figures(site: Site) -> dict[str, object]:
    """The figures the dashboard must show, counted here straight from the tables."""
    with Session(site.engine) as session:
        open_cases = session.scalar(
            select(func.count(Case.id)).where(Case.city_id == CITY, Case.state.in_(OPEN))
        )
        zone = ZoneInfo("Asia/Shanghai")
        midnight = datetime.combine(datetime.now(zone).date(), time(0), tzinfo=zone)
        today = session.scalar(
            select(func.count(Case.id)).where(Case.city_id == CITY, Case.reported_at >= midnight)
        )
        by_grid = session.execute(
            select(Case.grid_code, func.count(Case.id))
            .where(Case.city_id == CITY, Case.state.in_(OPEN), Case.grid_code.is_not(None))
            .group_by(Case.grid_code)
            .order_by(func.count(Case.id).desc(), Case.grid_code)
        ).all()
        total = session.scalar(select(func.count(Case.id)).where(Case.city_id == CITY))
    return {"open": open_cases, "today": today, "by_grid": by_grid, "total": total}


def open_dashboard(page: Page, username: str = "boss01", query: str = "") -> None:
    sign_in(page, username, f"/dashboard{query}")
    expect(page.locator("#dashboard[data-ready='1']")).to_have_count(1)
    expect(page.locator("#dash-map[data-grids]")).to_have_count(1)


def test_the_dashboard_shows_the_database_numbers_on_map_and_charts(page: Page, city: Site) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_dashboard(page)
    figures = database_figures(city)
    assert figures["open"] == 3
    expect(page.locator("#kpi-open")).to_have_text(str(figures["open"]))
    expect(page.locator("#kpi-today")).to_have_text(str(figures["today"]))
    lights = [int(page.locator(f"#light-{c}").inner_text()) for c in ("red", "yellow", "green", "none")]
    assert sum(lights) == figures["open"]
    # The map: every grid polygon of the city, one point per open case.
    grids = int(page.locator("#dash-map").get_attribute("data-grids") or 0)
    assert grids == 12
    expect(page.locator("#dash-map path.leaflet-interactive")).to_have_count(grids + 3)
    expect(page.locator("#dash-map")).to_have_attribute("data-points", "3")
    # Hot spots: the busiest H3 cells of analytics.hotspots_of, in its order, and the recurrence rate.
    insights = page.request.get("/dashboard/insights.json").json()
    cells = insights["hot_spots"]["cells"]
    assert sum(c["count"] for c in cells) == figures["total"]
    rows = page.locator("#hot-spots tbody tr")
    expect(rows).to_have_count(len(cells))
    for i, cell in enumerate(cells):
        expect(rows.nth(i)).to_have_attribute("data-key", cell["cell"])
        expect(rows.nth(i).locator("td").nth(1)).to_have_text(str(cell["count"]))
    expect(page.locator("#recurrence-count")).to_have_text("0 / 0")
    # The charts are drawn (ECharts paints on canvas) and hold the same totals.
    for chart in ("chart-intake", "chart-trend", "chart-categories"):
        expect(page.locator(f"#{chart} canvas").first).to_be_visible()
    expect(page.locator("#dashboard")).to_have_attribute("data-intake-total", str(figures["today"]))
    data = page.request.get("/dashboard/data.json").json()
    assert data["open"] == figures["open"]
    assert sum(c["count"] for c in data["categories"]) == figures["total"]
    assert data["trend"]["reported"][-1] == figures["today"]
    # Colouring by overdue share restyles the grids.
    page.select_option("#color-by", "overdue")
    expect(page.locator("#dash-map")).to_have_attribute("data-coloured-by", "overdue")
    shot(page, "dashboard")


def test_a_new_report_reaches_the_dashboard_by_server_sent_events(page: Page, city: Site) -> None:
    open_dashboard(page, "leader01")  # a shift leader may watch too
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    before = int(page.locator("#dashboard").get_attribute("data-cases-total") or 0)
    before_open = int(page.locator("#kpi-open").inner_text())
    city.citizen_report(description="井盖缺失", category_code="01023")
    # Polled every second: the fresh summary arrives within a few seconds, without a reload.
    expect(page.locator("#dashboard")).to_have_attribute("data-cases-total", str(before + 1), timeout=6000)
    expect(page.locator("#kpi-open")).to_have_text(str(before_open + 1))
    assert int(page.locator("#dash-map").get_attribute("data-points") or 0) == before_open + 1


def test_the_stream_sends_a_summary_and_refuses_strangers(city: Site) -> None:
    assert city.http.get("/dashboard/events").status_code == 401
    assert city.http.get("/dashboard/data.json").status_code == 401
    token = city.token("boss01")
    cookies = {"Cookie": f"cityloop_session={token}"}
    with city.http.stream("GET", "/dashboard/events", headers=cookies) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        seen = []
        for line in lines:
            seen.append(line)
            if line.startswith("data: {"):
                break
        assert "event: summary" in seen
    operator = {"Cookie": f"cityloop_session={city.token('operator01')}"}
    assert city.http.get("/dashboard/data.json", headers=operator).status_code == 403


def test_other_roles_get_403_and_strangers_sign_in(page: Page, city: Site, watch: Watch) -> None:
    response = page.goto("/dashboard")
    assert response is not None
    expect(page).to_have_url(re.compile("/login$"))
    sign_in(page, "operator01", "/home")
    response = page.goto("/dashboard")
    assert response is not None and response.status == 403
    expect(page.locator("#forbidden")).to_be_visible()
    expect(page.locator("#required-roles li[data-role=leader]")).to_have_count(1)
    # The browser logs the refused page itself as an error; nothing else may go wrong.
    assert watch.errors == [FORBIDDEN_LOG]
    watch.errors.clear()


def test_the_dashboard_in_english(page: Page, city: Site) -> None:
    open_dashboard(page, query="?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Command centre")
    expect(page.locator("#departments thead")).to_contain_text("Grade")
    shot(page, "dashboard-en")


class Listener:
    """A stand-in for the request of a client that goes away after `stays` looks."""

    def __init__(self, stays: int) -> None:
        self.looks = 0
        self.stays = stays

    async def is_disconnected(self) -> bool:
        self.looks += 1
        return self.looks > self.stays


def test_the_stream_holds_no_session_between_sends_and_ends_when_the_client_leaves(city: Site) -> None:
    async def run() -> list[str]:
        listener = Listener(stays=2)
        stream = summary_events(listener, make_session_factory(city.engine), CITY, "en")  # type: ignore[arg-type]
        sent = []
        async for chunk in stream:
            sent.append(chunk)
            # Between sends no connection is checked out of the pool: no session stays open.
            assert city.engine.pool.checkedout() == 0
        return sent

    # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        sent = pool.submit(asyncio.run, asyncio.wait_for(run(), timeout=10)).result()
    assert sent[0] == "retry: 3000\n\n"
    # One summary at once; the second look finds nothing changed (no send); the third sees the client gone.
    summaries = [chunk for chunk in sent if chunk.startswith("event: summary\n")]
    assert len(summaries) == 1
    data = json.loads(summaries[0].split("data: ", 1)[1])
    assert data["city"] == CITY and data["cases_total"] == database_figures(city)["total"]


def test_the_summary_counts_and_lights_agree_with_the_case_queries(loop: LoopCity) -> None:
    """No browser: the figures of a frozen moment, and the shortcut light equal to task_clock's."""
    session = loop.session
    loop.report()
    loop.report(category_code="09006", description="占道经营")
    summary = dashboard_summary(session, CITY, at=loop.clock.now())
    assert summary["open"] == 2 and summary["intake_today"] == {"inspector": 2}
    assert summary["hot_spots"][0]["open"] == 2 and len(summary["points"]) == 2
    assert {c["code"]: c["count"] for c in summary["categories"]} == {"09001": 1, "09006": 1}
    assert summary["rates"]["closure_rate"] == 0.0 and summary["trend"]["reported"][-1] == 2
    calendar = get_calendar(session, CITY)
    tasks = list(session.scalars(select(Task).where(Task.city_id == CITY, Task.status == "open")))
    assert tasks
    seen = set()
    for minutes in range(0, 9 * 24 * 60, 10):  # nights, the weekend and long past the due
        at = loop.clock.now() + timedelta(minutes=minutes)
        for task in tasks:
            light = task_light(task, calendar, at)
            assert light == task_clock(task, calendar, at).light, (task.kind, at)
            seen.add(light)
    assert seen == {"green", "yellow", "red"}


# The ranking and portraits over the hand-built November (tests/evaluation/month.py), played last:
# the tests above count the module's own reports.


@pytest.fixture
def november(city: Site, clock: FrozenClock) -> Iterator[dict[str, str]]:
    """November played in the site's database (once), the clock on 20 November in the evening."""
    numbers: dict[str, str] = getattr(city, "_november", {})
    if not numbers:
        pack = loop_pack()
        grid = next(f for f in pack.areas["features"] if f["properties"]["level"] == "grid")
        point = center_of(pack.areas, grid["properties"]["code"])  # type: ignore[arg-type]
        with session_scope(city.engine) as session:
            actors = {u: actor_for(session, CITY, u) for u, _, _ in STAFF}
            loop = LoopCity(session=session, code=CITY, point=point, actors=actors, clock=clock)
            numbers = {k: v.number for k, v in build_month(loop).items()}
        city._november = numbers  # type: ignore[attr-defined]
    clock.set(local(20, 18))
    INSIGHTS.clear()
    yield numbers
    INSIGHTS.clear()


def test_the_ranking_shows_the_grades_of_the_evaluation(
    page: Page, city: Site, november: dict[str, str]
) -> None:
    with Session(city.engine) as session:
        expected = {
            r["id"]: r
            for r in evaluate(session, CITY, kinds=["department"], first="2026-10-22", last="2026-11-20")
        }
    assert expected["CG"]["grade"] is not None
    open_dashboard(page)
    expect(page.locator("#dashboard[data-insights='1']")).to_have_count(1)
    rows = page.locator("#departments tbody tr")
    expect(rows).to_have_count(len(expected))
    cg = page.locator("#departments tbody tr[data-key=CG]")
    expect(cg.locator("td").nth(1)).to_have_text(f"{expected['CG']['composite']:.1f}")
    expect(cg.locator("td").nth(2)).to_have_text(expected["CG"]["grade"])
    ungraded = [code for code, r in expected.items() if r["grade"] is None]
    for code in ungraded:
        expect(page.locator(f"#departments tbody tr[data-key='{code}'] td").nth(2)).to_have_text("—")
    # Best first, and each department one click from its portrait.
    assert (
        rows.first.get_attribute("data-key")
        == max((r for r in expected.values() if r["composite"] is not None), key=lambda r: r["composite"])[
            "id"
        ]
    )
    cg.locator("a").click()
    expect(page).to_have_url(re.compile("/dashboard/portrait/department/CG$"))
    expect(page.locator("#portrait-grade")).to_have_text(expected["CG"]["grade"])
    expect(page.locator("#portrait[data-ready='1'] #chart-portrait canvas").first).to_be_visible()


def test_a_portrait_draws_its_trend_and_links_the_cases_behind_a_bad_figure(
    page: Page, city: Site, november: dict[str, str]
) -> None:
    page.set_viewport_size({"width": 1600, "height": 1000})
    # A shift leader: one who may also open the console's case pages.
    sign_in(page, "leader01", "/dashboard/portrait/inspector/inspector01")
    expect(page.locator("#portrait[data-ready='1']")).to_have_count(1)
    expect(page.locator("#chart-portrait canvas").first).to_be_visible()
    # The composite and the four inspector scores.
    expect(page.locator("#portrait")).to_have_attribute("data-series", "5")
    expect(page.locator("#portrait-month")).to_have_text("2026-11")
    expect(page.locator("#portrait-weakest")).to_have_text("漏报率")
    bad = page.locator("#indicators tr.bad[data-key=missed_report_rate]")
    expect(bad).to_have_count(1)
    links = bad.locator(".case-links a")
    expect(links).to_have_count(2)
    first = sorted([november["E"], november["G"]])[0]
    expect(links.first).to_have_attribute("href", f"/console/cases/{first}")
    shot(page, "dashboard-portrait")
    links.first.click()
    expect(page).to_have_url(re.compile(f"/console/cases/{first}$"))
    expect(page.locator("body")).to_contain_text(first)


def test_portraits_refuse_other_roles_and_unknown_entities(page: Page, city: Site, watch: Watch) -> None:
    sign_in(page, "operator01", "/home")
    response = page.goto("/dashboard/portrait/department/CG")
    assert response is not None and response.status == 403
    expect(page.locator("#forbidden")).to_be_visible()
    # The browser logs the refused page itself as an error; nothing else may go wrong.
    assert watch.errors == [FORBIDDEN_LOG]
    watch.errors.clear()
    boss = {"Cookie": f"cityloop_session={city.token('boss01')}"}
    assert city.http.get("/dashboard/portrait/department/CG", headers=boss).status_code == 200
    assert city.http.get("/dashboard/portrait/department/NOPE", headers=boss).status_code == 404
    assert city.http.get("/dashboard/portrait/planet/CG", headers=boss).status_code == 404
    assert city.http.get("/dashboard/portrait/department/CG").status_code in (302, 303)
    operator = {"Cookie": f"cityloop_session={city.token('operator01')}"}
    assert city.http.get("/dashboard/insights.json", headers=operator).status_code == 403
    assert city.http.get("/dashboard/insights.json").status_code == 401
