from __future__ import annotations

from cityloop.cases import do_transition, verify_city
from loopcity import LoopCity


def test_the_whole_loop(loop: LoopCity) -> None:
    s, a = loop.session, loop.actors
    case = loop.report()
    assert case.state == "REPORTED" and case.number == "330100-20261102-00001"
    steps = [
        ("accept", "operator01", {}),
        ("file", "leader01", {}),
        ("dispatch", "dispatcher01", {"department": "CG"}),
        ("sign", "cg01", {}),
        ("feedback", "cgworker01", {}),
        ("send_check", "operator01", {}),
        ("check_ok", "inspector01", {}),
        ("close", "leader01", {}),
    ]
    for action, who, data in steps:
        loop.clock.advance(minutes=5)
        do_transition(s, city_code=loop.code, number=case.number, action=action, actor=a[who], data=data)
    assert case.state == "CLOSED"
    kinds = [(t.kind, t.status, t.on_time) for t in case.tasks]
    assert kinds == [
        ("accept", "done", True),
        ("file", "done", True),
        ("dispatch", "done", True),
        ("sign", "done", True),
        ("handle", "done", True),
        ("check_dispatch", "done", True),
        ("check", "done", True),
        ("close", "done", True),
    ]
    report = verify_city(s, loop.code)
    assert report.ok and report.events == 9
