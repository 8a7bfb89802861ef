"""Returns (回退) from the timeline feed routing: a department whose return was approved is passed over."""

from __future__ import annotations

from cityloop.cases import Actor, Case, do_create_case, do_transition
from cityloop.dispatch import import_rules, returned_departments, route_case
from cityloop.org import get_staff
from dispatch.conftest import RoutingCity, local


def _act(rcity: RoutingCity, case: Case, action: str, who: str, **kwargs: object) -> None:
    actor = Actor.from_staff(get_staff(rcity.session, rcity.code, who))
    do_transition(
        rcity.session, city_code=rcity.code, number=case.number, action=action, actor=actor, **kwargs
    )  # type: ignore[arg-type]


def test_returned_departments_are_read_from_approved_returns_only(rcity: RoutingCity) -> None:
    lon, lat = rcity.point()
    inspector = Actor.from_staff(get_staff(rcity.session, rcity.code, "inspector01"))
    case = do_create_case(
        rcity.session,
        city_code=rcity.code,
        actor=inspector,
        source="inspector",
        category_code="09001",
        lon=lon,
        lat=lat,
    )
    assert returned_departments(rcity.session, case) == set()
    _act(rcity, case, "accept", "operator01")
    _act(rcity, case, "file", "shiftleader01")
    _act(rcity, case, "dispatch", "dispatcher01", data={"department": "CG"})
    _act(rcity, case, "request_return", "cg01", reason="不属于本部门职责")
    assert returned_departments(rcity.session, case) == set()  # asked, not yet approved
    _act(rcity, case, "approve_return", "dispatcher01")
    assert returned_departments(rcity.session, case) == {"CG"}
    _act(rcity, case, "dispatch", "dispatcher01", data={"department": "HW"})
    _act(rcity, case, "request_return", "hw01", reason="也不是我们的")
    _act(rcity, case, "reject_request", "dispatcher01", reason="属于环卫职责")
    assert returned_departments(rcity.session, case) == {"CG"}

    import_rules(
        rcity.session,
        rcity.code,
        [{"name": "游商", "department": "CG", "conditions": {"categories": ["09001"]}}],
    )
    decision = route_case(
        rcity.session, case, at=local(10), exclude=returned_departments(rcity.session, case)
    )
    assert (decision.department, decision.how, decision.passed_over) == ("JD001", "street_office", ("CG",))
