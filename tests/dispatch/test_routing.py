"""Routing a case to a department: every condition, rule order, skipped reasons, components, fallbacks."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from cityloop.cases import Case
from cityloop.dispatch import (
    RoutingDecision,
    import_component_owners,
    import_rules,
    load_routing_table,
    route_case,
)
from cityloop.org import get_department
from cityloop.taxonomy import LEGACY
from dispatch.conftest import COMMUNITY1, DISTRICT, GRID1, STREET1, STREET2, RoutingCity, local

MONDAY_9 = local(9)


def decide(
    rcity: RoutingCity,
    rules: list[dict[str, Any]],
    case: Case,
    at: datetime = MONDAY_9,
    exclude: set[str] | None = None,
) -> RoutingDecision:
    import_rules(rcity.session, rcity.code, rules)
    return route_case(rcity.session, case, at=at, exclude=exclude or set())


def only(conditions: dict[str, Any], department: str = "YL") -> list[dict[str, Any]]:
    return [{"name": "规则", "department": department, "conditions": conditions}]


# condition, a case (fields) and moment that match, then ones that do not and the words that say why.
CONDITIONS: list[tuple[dict[str, Any], dict[str, Any], datetime, dict[str, Any], datetime, str]] = [
    (
        {"categories": ["09009", "09010"]},
        {"category_code": "09010"},
        MONDAY_9,
        {},
        MONDAY_9,
        "category 09001 is not one of 09009, 09010",
    ),
    ({"majors": ["06"]}, {"category_code": "06010"}, MONDAY_9, {}, MONDAY_9, "major 09 is not one of 06"),
    (
        {"kind": "component"},
        {"kind": "component", "category_code": "01002"},
        MONDAY_9,
        {},
        MONDAY_9,
        "the case is a matter, the rule wants a component",
    ),
    (
        {"districts": [DISTRICT]},
        {},
        MONDAY_9,
        {"grid": None},
        MONDAY_9,
        "the case has no district (not located)",
    ),
    (
        {"streets": [STREET2]},
        {"grid": "330102002001004"},
        MONDAY_9,
        {},
        MONDAY_9,
        "street 330102001 is not one of 330102002",
    ),
    (
        {"communities": [COMMUNITY1]},
        {"grid": "330102001001006"},
        MONDAY_9,
        {"grid": "330102001002001"},
        MONDAY_9,
        "community 330102001002 is not one of 330102001001",
    ),
    (
        {"grids": [GRID1]},
        {},
        MONDAY_9,
        {"grid": "330102001001002"},
        MONDAY_9,
        "grid 330102001001002 is not one of 330102001001001",
    ),
    (
        {"sources": ["hotline", "citizen"]},
        {"source": "citizen"},
        MONDAY_9,
        {},
        MONDAY_9,
        "source inspector is not one of hotline, citizen",
    ),
    ({"urgency": "urgent"}, {"urgency": "urgent"}, MONDAY_9, {}, MONDAY_9, "urgency is normal, not urgent"),
    (
        {"time": {"start": "20:00", "end": "07:00"}},
        {},
        local(6, 59),
        {},
        local(7, 0),
        "local time 07:00 is outside 20:00–07:00",
    ),
    (
        {"time": {"start": "20:00", "end": "07:00"}},
        {},
        local(23, 30),
        {},
        local(19, 59),
        "local time 19:59 is outside 20:00–07:00",
    ),
    (
        {"weekdays": [6, 7]},
        {},
        local(9, day=8),
        {},
        local(9, day=6),
        "Friday is not one of Saturday, Sunday",
    ),
]


@pytest.mark.parametrize(
    ("conditions", "matching", "match_at", "failing", "fail_at", "why"),
    CONDITIONS,
    ids=[f"{next(iter(c[0]))}-{i}" for i, c in enumerate(CONDITIONS)],
)
def test_every_condition_matches_and_says_in_words_why_it_does_not(
    rcity: RoutingCity,
    conditions: dict[str, Any],
    matching: dict[str, Any],
    match_at: datetime,
    failing: dict[str, Any],
    fail_at: datetime,
    why: str,
) -> None:
    hit = decide(rcity, only(conditions), rcity.case(**matching), match_at)
    assert (hit.department, hit.how, hit.rule_name, hit.skipped) == ("YL", "rule", "规则", ())
    miss = route_case(rcity.session, rcity.case(**failing), at=fail_at)
    assert miss.how != "rule"
    assert [(s.name, s.position, s.condition, s.why) for s in miss.skipped] == [
        ("规则", 0, next(iter(conditions)), why)
    ]


def test_all_conditions_of_a_rule_must_hold(rcity: RoutingCity) -> None:
    rules = only({"categories": ["09001"], "streets": [STREET1], "time": {"start": "08:00", "end": "18:00"}})
    assert decide(rcity, rules, rcity.case()).department == "YL"
    evening = route_case(rcity.session, rcity.case(), at=local(18, 0))
    assert (evening.department, evening.how, evening.skipped[0].condition) == ("CG", "responsibility", "time")


def test_a_case_coded_in_another_edition_never_matches_category_conditions(rcity: RoutingCity) -> None:
    decision = decide(rcity, only({"majors": ["09"]}), rcity.case(standard=LEGACY))
    assert decision.skipped[0].why == f"the case is coded in {LEGACY}, the rule in GB/T 47678.5-2026"


def test_rules_are_tried_in_order_the_first_match_wins_and_the_skipped_say_why(rcity: RoutingCity) -> None:
    rules = [
        {"name": "夜间违停", "department": "JJ", "conditions": {"categories": ["09009"]}},
        {"name": "停用", "department": "HW", "enabled": False},
        {"name": "热线", "department": "SZ", "conditions": {"sources": ["hotline"]}},
        {"name": "一街道", "department": "YL", "conditions": {"streets": [STREET1], "majors": ["09"]}},
        {"name": "兜底", "department": "GPS"},
    ]
    decision = decide(rcity, rules, rcity.case())
    table = load_routing_table(rcity.session, rcity.code)
    ids = {rule.name: rule.id for rule in table.rules}
    assert decision.as_dict() == {
        "department": "YL",
        "how": "rule",
        "rule": {"id": ids["一街道"], "name": "一街道"},
        "component_prefix": None,
        "skipped": [
            {
                "rule": ids["夜间违停"],
                "name": "夜间违停",
                "position": 0,
                "condition": "categories",
                "why": "category 09001 is not one of 09009",
            },
            {
                "rule": ids["停用"],
                "name": "停用",
                "position": 1,
                "condition": "enabled",
                "why": "the rule is disabled",
            },
            {
                "rule": ids["热线"],
                "name": "热线",
                "position": 2,
                "condition": "sources",
                "why": "source inspector is not one of hotline",
            },
        ],
        "passed_over": [],
        "returned_before": False,
        "reason": 'rule 4 "一街道" matched (majors, streets) → YL',
    }
    assert json.loads(json.dumps(decision.as_dict(), ensure_ascii=False)) == decision.as_dict()
    empty = route_case(rcity.session, rcity.case(category_code="09009"), at=MONDAY_9, table=table)
    assert (empty.department, empty.rule_name, empty.skipped, empty.reason) == (
        "JJ",
        "夜间违停",
        (),
        'rule 1 "夜间违停" matched (categories) → JJ',
    )
    catch_all = route_case(rcity.session, rcity.case(category_code="06010"), at=MONDAY_9, table=table)
    assert (catch_all.department, catch_all.reason) == ("GPS", 'rule 5 "兜底" matched (any case) → GPS')


def test_a_rule_whose_department_was_deactivated_is_skipped(rcity: RoutingCity) -> None:
    import_rules(rcity.session, rcity.code, only({}, department="OLD"))
    get_department(rcity.session, rcity.code, "OLD").active = False
    decision = route_case(rcity.session, rcity.case(), at=MONDAY_9)
    assert (decision.department, decision.how) == ("CG", "responsibility")
    assert [(s.condition, s.why) for s in decision.skipped] == [
        ("department", "matched, but department OLD is not active")
    ]


OWNERS = [
    {"prefix": "33010201002", "owner": "GPS"},
    {"prefix": "3301020100200012", "owner": "GPS", "maintainer": "SZ"},
]


def component_case(rcity: RoutingCity, component_id: str) -> Case:
    return rcity.case(kind="component", category_code="01002", component_id=component_id)


def test_a_component_goes_to_its_maintainer_then_owner_before_any_rule(rcity: RoutingCity) -> None:
    import_component_owners(rcity.session, rcity.code, OWNERS)
    import_rules(rcity.session, rcity.code, only({}, department="HW"))
    case = component_case(rcity, "33010201002000123")
    first = route_case(rcity.session, case, at=MONDAY_9)
    assert first.as_dict() == {
        "department": "SZ",
        "how": "component",
        "rule": None,
        "component_prefix": "3301020100200012",
        "skipped": [],
        "passed_over": [],
        "returned_before": False,
        "reason": "component 33010201002000123 is maintained by SZ (prefix 3301020100200012)",
    }
    owner = route_case(rcity.session, case, at=MONDAY_9, exclude={"SZ"})
    assert (owner.department, owner.component_prefix, owner.passed_over) == (
        "GPS",
        "3301020100200012",
        ("SZ",),
    )
    assert owner.reason == (
        "component 33010201002000123 is owned by GPS (prefix 3301020100200012) (SZ returned this case, passed over)"
    )
    neither = route_case(rcity.session, case, at=MONDAY_9, exclude={"SZ", "GPS"})
    assert (neither.department, neither.how, neither.passed_over) == ("HW", "rule", ("SZ", "GPS"))
    shorter = route_case(rcity.session, component_case(rcity, "33010201002999999"), at=MONDAY_9)
    assert (shorter.department, shorter.component_prefix) == ("GPS", "33010201002")
    unowned = route_case(rcity.session, component_case(rcity, "33010201001000001"), at=MONDAY_9)
    assert (unowned.department, unowned.how) == ("HW", "rule")


def test_without_rules_the_responsible_department_decides_street_offices_wait_their_turn(
    rcity: RoutingCity,
) -> None:
    # JD001 covers every major in its street, the closest area, but a street office is the fallback only.
    decision = route_case(rcity.session, component_case(rcity, "33010201002000123"), at=MONDAY_9)
    assert (decision.department, decision.how, decision.reason) == (
        "GPS",
        "responsibility",
        "GPS is responsible for component 01002 here; no rule matched",
    )


def test_what_no_professional_department_covers_falls_to_the_street_office_of_its_street(
    rcity: RoutingCity,
) -> None:
    decision = route_case(
        rcity.session, rcity.case(category_code="07001", grid="330102002002003"), at=MONDAY_9
    )
    assert (decision.department, decision.how, decision.reason) == (
        "JD002",
        "street_office",
        "no rule or professional department covers matter 07001: territorial fallback (属地兜底) to JD002, "
        "the street office of street 330102002",
    )
    nowhere = route_case(rcity.session, rcity.case(category_code="07001", grid=None), at=MONDAY_9)
    assert nowhere.as_dict() == {
        "department": None,
        "how": "none",
        "rule": None,
        "component_prefix": None,
        "skipped": [],
        "passed_over": [],
        "returned_before": False,
        "reason": "no component owner, rule, responsible department or street office covers this case: "
        "a dispatcher must choose",
    }


def test_departments_that_returned_the_case_are_passed_over_unless_nothing_else_is_left(
    rcity: RoutingCity,
) -> None:
    import_rules(rcity.session, rcity.code, only({"categories": ["09001"]}, department="HW"))
    case = rcity.case()
    assert route_case(rcity.session, case, at=MONDAY_9).department == "HW"
    not_hw = route_case(rcity.session, case, at=MONDAY_9, exclude={"HW"})
    assert (not_hw.department, not_hw.how, not_hw.passed_over) == ("CG", "responsibility", ("HW",))
    assert [(s.condition, s.why) for s in not_hw.skipped] == [
        ("returned", "matched, but HW returned this case before")
    ]
    office = route_case(rcity.session, case, at=MONDAY_9, exclude={"HW", "CG"})
    assert (office.department, office.how, office.passed_over) == ("JD001", "street_office", ("HW", "CG"))
    everyone = route_case(rcity.session, case, at=MONDAY_9, exclude={"HW", "CG", "JD001"})
    assert everyone.as_dict() == {
        "department": "HW",
        "how": "rule",
        "rule": {"id": everyone.rule_id, "name": "规则"},
        "component_prefix": None,
        "skipped": [],
        "passed_over": ["HW", "CG", "JD001"],
        "returned_before": True,
        "reason": "every option has returned this case before (HW, CG, JD001); back to HW: "
        'rule 1 "规则" matched (categories) → HW',
    }


def test_routing_refuses_naive_times_and_another_citys_table(rcity: RoutingCity) -> None:
    table = load_routing_table(rcity.session, rcity.code)
    with pytest.raises(ValueError, match="naive datetime"):
        route_case(rcity.session, rcity.case(), at=datetime(2026, 11, 2, 9))
    with pytest.raises(ValueError, match="routing table of city 330100 given for a case of 110100"):
        route_case(rcity.session, rcity.case(city_id="110100"), at=MONDAY_9, table=table)
