"""Filters, cursor pagination, traffic lights and my tasks."""

from __future__ import annotations

from cases_api.conftest import CITY, Http


def _numbers(http: Http, **params: object) -> list[str]:
    resp = http.get(f"/cities/{CITY}/cases", "leader01", **params)
    assert resp.status_code == 200, resp.text
    return [c["number"] for c in resp.json()["items"]]


def test_cursor_pages_are_stable_and_never_repeat(http: Http) -> None:
    numbers = []
    for i in range(7):
        numbers.append(http.report(point=i % len(http.points), description=f"第{i}件")["number"])
        if i % 3 == 0:
            http.clock.advance(minutes=1)  # several cases share a reported_at: the id breaks the tie
    newest_first = numbers[::-1]
    seen: list[str] = []
    first = http.get(f"/cities/{CITY}/cases", "leader01", limit=3).json()
    seen += [c["number"] for c in first["items"]]
    # A case registered while someone pages does not shift the pages that follow.
    http.report(description="新上报")
    cursor = first["next_cursor"]
    while cursor:
        page = http.get(f"/cities/{CITY}/cases", "leader01", limit=3, after=cursor).json()
        assert len(page["items"]) <= 3
        seen += [c["number"] for c in page["items"]]
        cursor = page["next_cursor"]
    assert seen == newest_first
    bad = http.get(f"/cities/{CITY}/cases", "leader01", after="not a cursor")
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "cases.invalid_cursor")


def test_filters(http: Http) -> None:
    a = http.report(point=0, description="占道经营", address="湖滨路1号")["number"]
    b = http.report(point=len(http.points) - 1, category_code="06001", description="垃圾")["number"]
    http.clock.advance(minutes=20)
    c = http.report(point=1)["number"]
    for action, who, data in (("accept", "operator01", {}), ("file", "leader01", {}),
                              ("dispatch", "dispatcher01", {"department": "CG"})):  # fmt: skip
        assert http.act(c, action, who, data=data).status_code == 200
    assert _numbers(http) == [c, b, a]
    assert _numbers(http, state="REPORTED") == [b, a]
    assert _numbers(http, state=["REPORTED", "DISPATCHED"]) == [c, b, a]
    assert _numbers(http, category="06") == [b]
    assert _numbers(http, category="09001") == [c, a]
    assert _numbers(http, area=http.grids[0]) == [a]
    assert _numbers(http, area=http.grids[-1][:12]) == [b]
    assert _numbers(http, area=http.grids[0][:9]) == [c, b, a]
    assert _numbers(http, department="CG") == [c]
    assert _numbers(http, department="HW") == []
    assert _numbers(http, text="湖滨") == [a]
    assert _numbers(http, text="垃圾") == [b]
    assert _numbers(http, overdue=True) == []
    # 30 working minutes to accept: 25 minutes on, a and b are yellow; 35 minutes on, red.
    http.clock.advance(minutes=5)
    assert _numbers(http, light="yellow") == [b, a]
    assert _numbers(http, light="green") == [c]  # dispatched 5 minutes ago: signing is green
    http.clock.advance(minutes=10)
    assert _numbers(http, light="red", limit=1) == [b]
    page = http.get(f"/cities/{CITY}/cases", "leader01", light="red", limit=1).json()
    rest = http.get(
        f"/cities/{CITY}/cases", "leader01", light="red", limit=1, after=page["next_cursor"]
    ).json()
    assert ([i["number"] for i in rest["items"]], rest["next_cursor"]) == ([a], None)
    assert _numbers(http, overdue=True) == [b, a]
    assert _numbers(http, overdue=False) == [c]
    detail = http.get(f"/cities/{CITY}/cases/{a}", "leader01").json()
    assert (detail["light"], detail["overdue"], detail["tasks"][0]["remaining_minutes"]) == ("red", True, -5)
    bad = http.get(f"/cities/{CITY}/cases", "leader01", light="blue")
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "request.invalid")


def test_my_tasks_follow_roles_and_departments(http: Http) -> None:
    first = http.report()["number"]
    http.clock.advance(minutes=1)
    second = http.report()["number"]

    def mine(who: str) -> list[tuple[str, str]]:
        resp = http.get(f"/cities/{CITY}/tasks/mine", who)
        assert resp.status_code == 200, resp.text
        return [(t["case"], t["kind"]) for t in resp.json()]

    assert mine("operator01") == [(first, "accept"), (second, "accept")]
    assert mine("inspector01") == []
    for action, who, data in (("accept", "operator01", {}), ("file", "leader01", {}),
                              ("dispatch", "dispatcher01", {"department": "CG"})):  # fmt: skip
        assert http.act(second, action, who, data=data).status_code == 200
    assert mine("operator01") == [(first, "accept")]
    assert mine("cg01") == [(second, "sign")]
    assert mine("cgworker01") == [(second, "sign")]
    assert mine("hw01") == []
    assert http.act(second, "sign", "cg01").status_code == 200
    assert (
        http.act(
            second,
            "request_extension",
            "cg01",
            reason="需要机械",
            data={"extra": {"amount": 1, "unit": "working_days"}},
        ).status_code
        == 200
    )
    assert mine("dispatcher01") == [(second, "approve")]
    task = http.get(f"/cities/{CITY}/tasks/mine", "dispatcher01").json()[0]
    assert (task["role"], task["case_state"], task["light"], task["remaining_minutes"]) == (
        "dispatcher",
        "PROCESSING",
        "green",
        120,
    )
