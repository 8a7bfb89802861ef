"""A hand-built November in the loop city: seven cases whose every step is written out below.

Times are Shanghai wall clock on working days; quick steps take 5 minutes (on time), the slow
ones are named. The figures each test expects are counted from this story by hand.

- A  inspector01 reports; the happy path with CG; closed.
- B  inspector01 reports; CG feeds back 10 days after signing (late); the check fails (rework);
     CG feeds back again, checked, closed.
- C  inspector01 reports; leader01 files it 2 days later (late 立案); dispatcher01 sends it to HW;
     HW asks to return, refused (推诿); asks again, approved; dispatcher01 sends it to CG; CG asks
     for one more working day, approved (延期); feeds back in time; checked, closed.
- D  inspector01 reports; CG signs, asks to suspend, approved (挂账): SUSPENDED at the month's end.
- E  a citizen report in inspector01's grid, verified true (漏报 for inspector01); happy path.
- F  inspector01 reports; operator01 asks to void, leader01 approves: an invalid report.
- G  a 12345 hotline case, verified true (漏报 too); happy path; the caller is 满意.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cityloop.cases import Case, do_create_case, do_transition
from cityloop.core.clock import utc
from loopcity import LoopCity

SHANGHAI = ZoneInfo("Asia/Shanghai")
TAIL = [("send_check", "operator01", {}), ("check_ok", "inspector01", {}), ("close", "leader01", {})]
TO_PROCESSING = [
    ("accept", "operator01", {}),
    ("file", "leader01", {}),
    ("dispatch", "dispatcher01", {"department": "CG"}),
    ("sign", "cg01", {}),
]


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return utc(datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI))


def act(loop: LoopCity, case: Case, action: str, who: str, data: dict[str, Any] | None = None,
        *, reason: str | None = None, minutes: float = 5) -> None:  # fmt: skip
    loop.clock.advance(minutes=minutes)
    do_transition(
        loop.session, city_code=loop.code, number=case.number, action=action, actor=loop.actors[who],
        reason=reason, data=data,
    )  # fmt: skip


def steps(loop: LoopCity, case: Case, path: list[tuple[str, str, dict[str, Any]]]) -> None:
    for action, who, data in path:
        act(loop, case, action, who, data)


def public(loop: LoopCity, source: str) -> Case:
    case = do_create_case(
        loop.session, city_code=loop.code, actor=loop.actors["operator01"], source=source,
        category_code="09001", lon=loop.point[0], lat=loop.point[1], reporter_ref=f"{source}:1",
        description="有人占道经营",
    )  # fmt: skip
    steps(loop, case, [("send_verify", "operator01", {}), ("confirm", "inspector01", {})])
    return case


def build_month(loop: LoopCity) -> dict[str, Case]:
    """Play the story; returns the cases by letter. The clock ends on 20 November."""
    cases: dict[str, Case] = {}
    loop.clock.set(local(2, 9))
    cases["A"] = a = loop.report()
    steps(loop, a, [*TO_PROCESSING, ("feedback", "cgworker01", {}), *TAIL])

    loop.clock.set(local(3, 9))
    cases["B"] = b = loop.report()
    steps(loop, b, TO_PROCESSING)
    loop.clock.set(local(13, 10))
    act(loop, b, "feedback", "cgworker01")
    act(loop, b, "send_check", "operator01")
    act(loop, b, "check_fail", "inspector01", reason="摊位还在")
    act(loop, b, "feedback", "cgworker01")
    steps(loop, b, TAIL)

    loop.clock.set(local(4, 9))
    cases["C"] = c = loop.report()
    act(loop, c, "accept", "operator01")
    loop.clock.set(local(6, 9))
    act(loop, c, "file", "leader01")
    act(loop, c, "dispatch", "dispatcher01", {"department": "HW"})
    act(loop, c, "request_return", "hw01", reason="不归我们管")
    act(loop, c, "reject_request", "dispatcher01", reason="属于环卫")
    act(loop, c, "request_return", "hw01", reason="确实是游商")
    act(loop, c, "approve_return", "dispatcher01")
    act(loop, c, "dispatch", "dispatcher01", {"department": "CG"})
    act(loop, c, "sign", "cg01")
    act(
        loop,
        c,
        "request_extension",
        "cg01",
        {"extra": {"amount": 1, "unit": "working_days"}},
        reason="需协调",
    )
    act(loop, c, "approve_extension", "dispatcher01")
    act(loop, c, "feedback", "cgworker01")
    steps(loop, c, TAIL)

    loop.clock.set(local(9, 9))
    cases["D"] = d = loop.report()
    steps(loop, d, TO_PROCESSING)
    act(loop, d, "request_suspension", "cg01", reason="需立项改造")
    act(loop, d, "approve_suspension", "dispatcher01")

    loop.clock.set(local(10, 9))
    cases["E"] = e = public(loop, "citizen")
    steps(loop, e, [*TO_PROCESSING, ("feedback", "cgworker01", {}), *TAIL])

    loop.clock.set(local(11, 9))
    cases["F"] = f = loop.report()
    act(loop, f, "request_void", "operator01", reason="重复")
    act(loop, f, "approve_void", "leader01")

    loop.clock.set(local(12, 9))
    cases["G"] = g = public(loop, "hotline")
    steps(loop, g, [*TO_PROCESSING, ("feedback", "cgworker01", {}), *TAIL])
    act(loop, g, "callback", "operator01", {"rating": "满意"})

    loop.clock.set(local(20, 9))
    loop.session.flush()
    return cases
