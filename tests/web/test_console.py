"""The operator and dispatcher console in a real browser: queues, the case page, dispatch with the
routing preview, batch actions (one refused without harm), merging a suggested duplicate, the
role check, English, hostile text."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case, TimelineEvent, do_create_case, do_transition
from cityloop.org import get_staff
from loopcity import CITY
from web.kit import CENTRE, PASSWORD, Site, Watch, shot


def actor(session: Session, username: str) -> Actor:
    return Actor.from_staff(get_staff(session, CITY, username))


def make_case(
    site: Site,
    *,
    description: str = "路边流动摊贩",
    category: str = "09001",
    steps: tuple[tuple[str, str], ...] = (),
    decision: dict[str, Any] | None = None,
) -> str:
    """An inspector's report at the city's middle, taken through `steps` (action, username)."""
    with Session(site.engine) as session:
        case = do_create_case(
            session, city_code=CITY, actor=actor(session, "inspector01"), source="inspector",
            category_code=category, lon=CENTRE[0], lat=CENTRE[1], description=description, decision=decision,
        )  # fmt: skip
        for action, username in steps:
            do_transition(
                session, city_code=CITY, number=case.number, action=action, actor=actor(session, username)
            )
        session.commit()
        return case.number


def case_row(site: Site, number: str) -> Case:
    with Session(site.engine) as session:
        case = session.scalars(select(Case).where(Case.city_id == CITY, Case.number == number)).one()
        case.department  # noqa: B018 - loaded before the session closes
        session.expunge(case)
        return case


def events_of(site: Site, number: str) -> list[TimelineEvent]:
    with Session(site.engine) as session:
        case_id = session.scalar(select(Case.id).where(Case.city_id == CITY, Case.number == number))
        rows = list(
            session.scalars(
                select(TimelineEvent).where(TimelineEvent.case_id == case_id).order_by(TimelineEvent.seq)
            )
        )
        session.expunge_all()
        return rows


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.select_option("#city", CITY)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    expect(page).to_have_url(re.compile("/home$"))


def tab_count(page: Page, queue: str) -> int:
    return int(page.locator(f"#queues li[data-queue={queue}] .count").inner_text())


def test_an_operator_sees_the_queue_opens_a_case_and_accepts_it(page: Page, site: Site) -> None:
    number = make_case(site, description="人行道上有流动摊贩占道经营")
    sign_in(page, "operator01")
    page.click("#roles a[href='/console']")
    expect(page.locator("#queues li[data-queue=accept] a")).to_have_attribute("aria-current", "page")
    row = page.locator(f"#cases tr[data-number='{number}']")
    expect(row).to_contain_text("人行道上有流动摊贩占道经营")
    expect(row).to_contain_text("待受理")
    before = tab_count(page, "accept")
    assert before >= 1
    shot(page, "console-queue")

    row.locator("a.case-link").click()
    expect(page).to_have_url(re.compile(f"/console/cases/{number}$"))
    expect(page.locator("#case-map[data-ready]")).to_have_count(1)
    expect(page.locator("#case-map path.leaflet-interactive").first).to_be_visible()
    expect(page.locator("#timeline li")).to_have_count(1)
    expect(page.locator("#timeline li").first).to_contain_text("巡查上报")
    # An operator may accept, or ask to void; filing is for the shift leader.
    expect(page.locator("#actions form.action[data-action=accept]")).to_have_count(1)
    expect(
        page.locator("#actions form.action[data-action=request_void] input[name=reason]")
    ).to_have_attribute("required", "")
    expect(page.locator("#actions form.action[data-action=file]")).to_have_count(0)
    shot(page, "console-case")

    page.click("#action-accept")
    expect(page.locator("#done")).to_contain_text("受理")
    expect(page.locator("#case-state")).to_have_attribute("data-state", "ACCEPTED")
    expect(page.locator("#timeline li")).to_have_count(2)
    assert case_row(site, number).state == "ACCEPTED"
    (_, accepted) = events_of(site, number)
    assert (accepted.action, accepted.actor_name, accepted.actor_kind) == ("accept", "operator01", "staff")

    page.click("#back")
    assert tab_count(page, "accept") == before - 1
    expect(page.locator(f"#cases tr[data-number='{number}']")).to_have_count(0)


def test_a_dispatcher_dispatches_from_the_case_page_with_the_routing_preview(page: Page, site: Site) -> None:
    number = make_case(site, steps=(("accept", "operator01"), ("file", "leader01")))
    sign_in(page, "dispatcher01")
    page.goto("/console")
    expect(page.locator("#queues li[data-queue=dispatch] a")).to_have_attribute("aria-current", "page")
    expect(page.locator(f"#cases tr[data-number='{number}'] td.routed")).to_contain_text("CG")

    page.goto(f"/console/cases/{number}")
    preview = page.locator("#dispatch-preview")
    expect(preview.locator("#preview-department")).to_have_text("CG")
    expect(preview.locator("#preview-reason")).not_to_be_empty()
    expect(page.locator("#dispatch-department")).to_have_value("CG")
    shot(page, "console-dispatch")
    page.click("#action-dispatch")
    expect(page.locator("#case-state")).to_have_attribute("data-state", "DISPATCHED")
    expect(page.locator("#case-department")).to_contain_text("CG")

    case = case_row(site, number)
    assert case.state == "DISPATCHED" and case.department is not None and case.department.code == "CG"
    dispatched = events_of(site, number)[-1]
    assert dispatched.action == "dispatch" and dispatched.actor_name == "dispatcher01"
    assert dispatched.data["department"] == "CG"
    assert dispatched.data["routing"]["department"] == "CG" and dispatched.reason
    # The timeline shows the routing that was followed, and why.
    expect(page.locator("#timeline li").last).to_contain_text(dispatched.data["routing"]["reason"])

    # A batch dispatches each case where routing sends it.
    routed = make_case(site, steps=(("accept", "operator01"), ("file", "leader01")))
    page.goto("/console?queue=dispatch")
    page.check(f"#cases input[name=numbers][value='{routed}']")
    page.select_option("#bulk-action", "dispatch")
    page.click("#bulk-submit")
    expect(page.locator(f"#outcomes li[data-number='{routed}'][data-ok=yes]")).to_have_count(1)
    case = case_row(site, routed)
    assert case.state == "DISPATCHED" and case.department is not None and case.department.code == "CG"


def test_a_batch_accepts_two_cases_and_refuses_one_without_touching_it(page: Page, site: Site) -> None:
    first, second, taken = (make_case(site, description=f"批量 {i}") for i in range(3))
    sign_in(page, "operator01")
    page.goto("/console?queue=accept")
    for number in (first, second, taken):
        page.check(f"#cases input[name=numbers][value='{number}']")
    # Meanwhile a colleague accepts one of them.
    with Session(site.engine) as session:
        do_transition(
            session, city_code=CITY, number=taken, action="accept", actor=actor(session, "operator01")
        )
        session.commit()
    events_before = len(events_of(site, taken))
    page.select_option("#bulk-action", "accept")
    page.click("#bulk-submit")

    outcomes = page.locator("#outcomes")
    expect(outcomes.locator("li[data-ok=yes]")).to_have_count(2)
    expect(outcomes.locator(f"li[data-number='{first}'][data-ok=yes]")).to_have_count(1)
    expect(outcomes.locator(f"li[data-number='{second}'][data-ok=yes]")).to_have_count(1)
    refused = outcomes.locator(f"li[data-number='{taken}'][data-ok=no] .message")
    expect(refused).to_have_text(f"accept is not allowed while case {taken} is ACCEPTED")
    shot(page, "console-bulk")
    assert [case_row(site, n).state for n in (first, second, taken)] == ["ACCEPTED"] * 3
    assert len(events_of(site, taken)) == events_before
    expect(page.locator(f"#cases tr[data-number='{first}']")).to_have_count(0)


def test_an_operator_merges_a_duplicate_suggested_at_intake(page: Page, site: Site) -> None:
    master = make_case(site, description="桥下有人摆摊卖水果")
    suggestion = {"case": master, "score": 0.74, "reason": "same category 12 m away"}
    duplicates = {
        "verdict": "suggest",
        "score": 0.74,
        "reason": "one suggestion",
        "suggestions": [suggestion],
    }
    number = make_case(site, description="桥下水果摊", decision={"duplicates": duplicates})
    sign_in(page, "operator01")
    page.goto(f"/console/cases/{number}")
    item = page.locator(f"#duplicates li[data-master='{master}']")
    expect(item).to_contain_text("0.74")
    expect(item).to_contain_text("same category 12 m away")
    item.locator("button.merge").click()
    expect(page.locator("#case-state")).to_have_attribute("data-state", "VOID")
    expect(page.locator("#case-master")).to_have_text(master)
    expect(page.locator("#actions form.action")).to_have_count(0)

    dup, main = case_row(site, number), case_row(site, master)
    assert dup.state == "VOID" and dup.master_id == main.id
    merged = events_of(site, number)[-1]
    assert merged.action == "merge" and merged.data["master"] == master
    assert events_of(site, master)[-1].action == "duplicate_linked"


def test_the_console_is_for_its_roles_only(page: Page, site: Site, watch: Watch) -> None:
    page.goto("/console")
    expect(page).to_have_url(re.compile("/login$"))
    sign_in(page, "cgworker01")
    response = page.goto("/console")
    assert response is not None and response.status == 403
    expect(page.locator("#forbidden")).to_be_visible()
    response = page.goto("/console/cases/330100-20260101-1")
    assert response is not None and response.status == 403
    assert (
        watch.errors == ["Failed to load resource: the server responded with a status of 403 (Forbidden)"] * 2
    )
    watch.errors.clear()
    # A post without a session changes nothing and leads to the sign-in page.
    number = make_case(site)
    resp = site.http.post("/console/bulk", data={"action": "accept", "numbers": number})
    assert resp.status_code == 303 and resp.headers["location"] == "/login"
    assert case_row(site, number).state == "REPORTED"


def test_the_console_speaks_english(page: Page, site: Site) -> None:
    number = make_case(site)
    sign_in(page, "operator01")
    page.goto("/console?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Operator and dispatcher console")
    expect(page.locator("#queues li[data-queue=accept] a")).to_contain_text("To accept")
    expect(page.locator(f"#cases tr[data-number='{number}']")).to_contain_text("Reported")
    page.goto(f"/console/cases/{number}")  # the language is remembered
    expect(page.locator("#action-accept")).to_have_text("Accept")
    expect(page.locator("#timeline li").first).to_contain_text("Inspector report")
    shot(page, "console-case-en")


def test_hostile_text_in_a_description_is_shown_as_text(page: Page, site: Site) -> None:
    hostile = '<script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2">'
    number = make_case(site, description=hostile)
    sign_in(page, "operator01")
    page.goto("/console?queue=accept")
    cell = page.locator(f"#cases tr[data-number='{number}'] td.description")
    expect(cell).to_contain_text(hostile)
    expect(cell.locator("img, script")).to_have_count(0)
    page.goto(f"/console/cases/{number}")
    expect(page.locator("#case-description")).to_have_text(hostile)
    expect(page.locator("#case-description img, #case-description script")).to_have_count(0)
    assert page.evaluate("window.pwned") is None


def test_the_tab_counts_follow_the_filters(page: Page, site: Site) -> None:
    make_case(site, category="06013", description="道路破损 filtered")
    sign_in(page, "operator01")
    page.goto("/console?queue=accept&category=06")
    rows = page.locator("#cases tbody tr")
    expect(rows.first).to_contain_text("道路破损 filtered")
    with Session(site.engine) as session:
        expected = session.scalar(
            select(func.count()).where(
                Case.city_id == CITY, Case.state == "REPORTED", Case.category_code.startswith("06")
            )
        )
    assert tab_count(page, "accept") == expected == rows.count()
    page.goto("/console?queue=accept&source=citizen")
    assert tab_count(page, "accept") == 0
    expect(page.locator("p.empty")).to_be_visible()


def test_the_timeline_explains_automatic_decisions_and_intake_queues_list_reports(
    page: Page, site: Site
) -> None:
    number = site.citizen_report(description="井盖不见了", category_kind="matter", category_code="06013")
    unsure = site.http.post(
        f"/api/v1/cities/{CITY}/reports/citizen",
        json={"description": "zzqx vvbn", "lon": CENTRE[0], "lat": CENTRE[1]},
    )
    assert unsure.status_code == 201 and unsure.json()["status"] == "manual_category", unsure.text
    sign_in(page, "operator01")
    page.goto("/console?queue=verify")
    expect(page.locator(f"#cases tr[data-number='{number}']")).to_contain_text("群众上报")
    page.goto(f"/console/cases/{number}")
    expect(page.locator("#case-map path.case-point")).to_have_count(1)
    first = page.locator("#timeline li").first
    expect(first).to_have_attribute("data-actor-kind", "system")
    expect(first.locator(".auto")).to_contain_text("intake:citizen")
    expect(first.locator(".auto")).to_contain_text("1.00")
    expect(first.locator(".details")).to_contain_text("chosen by the reporter")
    verdict = events_of(site, number)[0].data["decision"]["duplicates"]
    expect(page.locator("#duplicates")).to_contain_text(verdict["reason"])
    expect(page.locator("#duplicates li")).to_have_count(len(verdict.get("suggestions", [])))
    expect(page.locator("#actions form.action[data-action=send_verify]")).to_have_count(1)

    page.goto("/console?queue=category")
    report = page.locator(f"#reports tr[data-report='{unsure.json()['report_id']}']")
    expect(report).to_contain_text("zzqx vvbn")
    expect(report).to_contain_text(unsure.json()["reason"])


def test_a_shift_leader_sees_a_void_request_among_approvals_and_rejects_it(page: Page, site: Site) -> None:
    number = make_case(site)
    with Session(site.engine) as session:
        do_transition(
            session, city_code=CITY, number=number, action="request_void", actor=actor(session, "operator01"),
            reason="不属于城管范围",
        )  # fmt: skip
        session.commit()
    sign_in(page, "leader01")
    page.goto("/console?queue=approvals")
    expect(page.locator(f"#cases tr[data-number='{number}']")).to_contain_text("不属于城管范围")
    page.goto(f"/console/cases/{number}")
    expect(page.locator("#case-pending")).to_contain_text("void")
    actions = page.locator("#actions form.action")
    expect(actions).to_have_count(2)
    expect(page.locator("#actions form.action[data-action=approve_void]")).to_have_count(1)
    form = page.locator("#actions form.action[data-action=reject_request]")
    form.locator("input[name=reason]").fill("属于城管范围")
    form.locator("button").click()
    expect(page.locator("#done")).to_be_visible()
    expect(page.locator("#case-pending")).to_have_count(0)
    case = case_row(site, number)
    assert case.state == "REPORTED" and case.pending is None
    assert events_of(site, number)[-1].reason == "属于城管范围"


def test_an_operator_resolves_a_waiting_report_and_corrects_a_category(page: Page, site: Site) -> None:
    unsure = site.http.post(
        f"/api/v1/cities/{CITY}/reports/citizen",
        json={"description": "qqzx wwvb", "lon": CENTRE[0], "lat": CENTRE[1]},
    )
    report_id = unsure.json()["report_id"]
    assert unsure.json()["status"] == "manual_category"
    sign_in(page, "operator01")
    page.goto("/console?queue=category")
    row = page.locator(f"#reports tr[data-report='{report_id}']")
    row.locator("input[name=category_code]").fill("99999")
    row.locator("button[type=submit]").click()
    expect(page.locator("#refused")).to_contain_text("99999")  # refused: the report still waits
    row = page.locator(f"#reports tr[data-report='{report_id}']")
    row.locator("input[name=category_code]").fill("09001")
    row.locator("button[type=submit]").click()
    expect(page.locator("#resolved")).to_contain_text(f"{CITY}-")
    number = page.locator("#resolved").inner_text().split("→")[1].strip()
    assert case_row(site, number).category_code == "09001"
    expect(page.locator(f"#reports tr[data-report='{report_id}']")).to_have_count(0)

    page.goto(f"/console/cases/{number}")
    page.fill("#category-form input[name=category_code]", "06010")
    page.fill("#category-form input[name=reason]", "是暴露垃圾")
    page.click("#category-form button[type=submit]")
    expect(page).to_have_url(re.compile("done=category"))
    assert case_row(site, number).category_code == "06010"
    assert events_of(site, number)[-1].action == "recategorise"
    shot(page, "console-recategorised")


def test_a_batch_corrects_the_category_of_two_cases(page: Page, site: Site) -> None:
    first = make_case(site, description="摊贩一")
    second = make_case(site, description="摊贩二")
    sign_in(page, "operator01")
    page.goto("/console?queue=accept")
    for number in (first, second):
        page.check(f"#cases tr[data-number='{number}'] input[name=numbers]")
    page.select_option("#bulk-action", "recategorise")
    page.fill("#bulk-category", "06010")
    page.fill("#bulk-reason", "其实是暴露垃圾")
    page.click("#bulk-submit")
    expect(page.locator("#outcomes li[data-ok=yes]")).to_have_count(2)
    assert {case_row(site, n).category_code for n in (first, second)} == {"06010"}
    assert events_of(site, first)[-1].reason == "其实是暴露垃圾"
