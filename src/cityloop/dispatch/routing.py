"""Routing: which department handles a case, and why (ARCHITECTURE.md §1, DOMAIN.md §3 step 7).

The decision tries, in order:
1. the component's maintainer, then its owner, when the case names a component ID that a
   component-owner prefix covers (the longest prefix first);
2. the city's rules in priority order: the first enabled rule whose conditions all hold;
3. the departments responsible for the category where the case is (`org` responsibilities,
   the most specific first), street offices excepted: their turn is
4. the territorial fallback (属地兜底): the street office of the case's street.

A department in `exclude` (one that returned this case) is passed over; when nothing else is
left the first one passed over is chosen after all and the decision says so. The decision
records how it was made, the rule that matched and why each rule above it did not, so that
the timeline explains every automatic dispatch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from cityloop.cases import Case
from cityloop.cases.queries import timeline
from cityloop.cities import get_city
from cityloop.dispatch.matching import listing, mismatch
from cityloop.dispatch.models import DispatchRule
from cityloop.dispatch.ruleio import select_component_owners, select_rules
from cityloop.dispatch.rules import Conditions
from cityloop.org import list_departments, responsible_departments

How = Literal["component", "rule", "responsibility", "street_office", "none"]


@dataclass(frozen=True)
class SkippedRule:
    """A rule above the one chosen, and the first of its conditions that the case failed, in words."""

    rule_id: int
    name: str
    position: int
    condition: str
    why: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "name": self.name,
            "position": self.position,
            "condition": self.condition,
            "why": self.why,
        }


@dataclass(frozen=True)
class RoutingDecision:
    """The department chosen for a case (None when a person must choose), how, and why."""

    department: str | None
    how: How
    reason: str
    rule_id: int | None = None
    rule_name: str | None = None
    #: The component-owner prefix that decided (how == "component").
    component_prefix: str | None = None
    skipped: tuple[SkippedRule, ...] = ()
    #: Departments that would have been chosen but returned the case, in the order met.
    passed_over: tuple[str, ...] = ()
    #: True when every option had returned the case and one of them was chosen anyway.
    returned_before: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON for the timeline event's data."""
        return {
            "department": self.department,
            "how": self.how,
            "rule": {"id": self.rule_id, "name": self.rule_name} if self.rule_id is not None else None,
            "component_prefix": self.component_prefix,
            "skipped": [s.as_dict() for s in self.skipped],
            "passed_over": list(self.passed_over),
            "returned_before": self.returned_before,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class LoadedRule:
    """A stored rule with its conditions parsed and its department's code, detached from the session."""

    id: int
    position: int
    name: str
    department: str
    department_active: bool
    enabled: bool
    conditions: Conditions


@dataclass(frozen=True)
class LoadedOwner:
    """A component-owner prefix and the departments to try for it, detached from the session."""

    prefix: str
    #: (role, department code, active): the maintainer first when there is one, then the owner.
    departments: tuple[tuple[str, str, bool], ...]


@dataclass(frozen=True)
class RoutingTable:
    """A city's rules, component owners and street offices read once, for routing many cases.

    A snapshot: load a new one after the rules, owners, departments or responsibilities change.
    """

    city_code: str
    timezone: str
    rules: tuple[LoadedRule, ...]
    #: Longest prefix first.
    owners: tuple[LoadedOwner, ...]
    #: Street code → code of its active street office.
    street_offices: dict[str, str]
    #: Responsible departments already looked up, by (kind, code, standard, areas): filled as cases are routed.
    responsible: dict[tuple[str, str, str, tuple[str, ...]], tuple[str, ...]] = field(default_factory=dict)


def _loaded(rule: DispatchRule) -> LoadedRule:
    return LoadedRule(
        id=rule.id,
        position=rule.position,
        name=rule.name,
        department=rule.department.code,
        department_active=rule.department.active,
        enabled=rule.enabled,
        conditions=Conditions.model_validate(rule.conditions),
    )


def load_routing_table(session: Session, city_code: str) -> RoutingTable:
    """Everything `route_case` needs from the city's configuration except responsibilities."""
    city = get_city(session, city_code)
    owners = []
    for row in session.scalars(select_component_owners(city_code)):
        chain = [("maintainer", row.maintainer)] if row.maintainer is not None else []
        chain.append(("owner", row.owner))
        owners.append(LoadedOwner(row.prefix, tuple((role, d.code, d.active) for role, d in chain)))
    offices: dict[str, str] = {}
    for dept in session.scalars(list_departments(session, city_code, kind="street_office")):
        if dept.street_code is not None:
            offices.setdefault(dept.street_code, dept.code)
    return RoutingTable(
        city_code=city_code,
        timezone=city.timezone,
        rules=tuple(_loaded(rule) for rule in session.scalars(select_rules(city_code))),
        owners=tuple(sorted(owners, key=lambda o: (-len(o.prefix), o.prefix))),
        street_offices=offices,
    )


@dataclass(frozen=True)
class _Candidate:
    department: str
    how: How
    reason: str
    rule: LoadedRule | None = None
    prefix: str | None = None


@dataclass
class _Search:
    """Walks the candidates in order, passing over excluded departments and recording skipped rules."""

    exclude: frozenset[str]
    skipped: list[SkippedRule] = field(default_factory=list)
    passed_over: list[str] = field(default_factory=list)
    fallback: _Candidate | None = None

    def take(self, candidate: _Candidate) -> bool:
        """True when `candidate` may be chosen; otherwise it is remembered as passed over."""
        if candidate.department not in self.exclude:
            return True
        if candidate.department not in self.passed_over:
            self.passed_over.append(candidate.department)
        if self.fallback is None:
            self.fallback = candidate
        return False

    def decide(self, candidate: _Candidate | None, *, returned_before: bool = False) -> RoutingDecision:
        if candidate is None:
            return RoutingDecision(
                department=None,
                how="none",
                reason="no component owner, rule, responsible department or street office covers "
                "this case: a dispatcher must choose",
                skipped=tuple(self.skipped),
            )
        reason = candidate.reason
        if returned_before:
            reason = (
                f"every option has returned this case before ({listing(self.passed_over)}); "
                f"back to {candidate.department}: {reason}"
            )
        elif self.passed_over:
            reason = f"{reason} ({listing(self.passed_over)} returned this case, passed over)"
        rule = candidate.rule
        skipped = self.skipped
        if rule is not None:  # a fallback chosen after all no longer counts as skipped
            skipped = [s for s in skipped if s.rule_id != rule.id]
        return RoutingDecision(
            department=candidate.department,
            how=candidate.how,
            reason=reason,
            rule_id=rule.id if rule else None,
            rule_name=rule.name if rule else None,
            component_prefix=candidate.prefix,
            skipped=tuple(skipped),
            passed_over=tuple(self.passed_over),
            returned_before=returned_before,
        )


def _component_candidates(table: RoutingTable, component_id: str | None) -> Iterator[_Candidate]:
    if not component_id:
        return
    for owner in table.owners:
        if not component_id.startswith(owner.prefix):
            continue
        for role, code, active in owner.departments:
            if active:
                verb = "maintained" if role == "maintainer" else "owned"
                yield _Candidate(
                    code,
                    "component",
                    f"component {component_id} is {verb} by {code} (prefix {owner.prefix})",
                    prefix=owner.prefix,
                )


def _rule_candidates(
    table: RoutingTable, case: Case, local: datetime, search: _Search
) -> Iterator[_Candidate]:
    for rule in table.rules:
        skip = _rule_skip(rule, case, local, search.exclude)
        if skip is not None:
            search.skipped.append(SkippedRule(rule.id, rule.name, rule.position, *skip))
        if skip is None or skip[0] == "returned":
            on = listing(rule.conditions.names()) or "any case"
            yield _Candidate(
                rule.department,
                "rule",
                f'rule {rule.position + 1} "{rule.name}" matched ({on}) → {rule.department}',
                rule=rule,
            )


def _rule_skip(
    rule: LoadedRule, case: Case, local: datetime, exclude: frozenset[str]
) -> tuple[str, str] | None:
    if not rule.enabled:
        return "enabled", "the rule is disabled"
    failed = mismatch(rule.conditions, case, local)
    if failed is not None:
        return failed
    if not rule.department_active:
        return "department", f"matched, but department {rule.department} is not active"
    if rule.department in exclude:
        return "returned", f"matched, but {rule.department} returned this case before"
    return None


def _responsible(session: Session, table: RoutingTable, case: Case) -> tuple[str, ...]:
    """Codes of the professional departments responsible for the case's category where it is, best first."""
    areas = tuple(a for a in (case.grid_code, case.community_code, case.street_code, case.district_code) if a)
    key = (case.kind, case.category_code, case.standard, areas)
    if key not in table.responsible:
        found = responsible_departments(
            session,
            case.city_id,
            kind=case.kind,
            code=case.category_code,
            area_codes=areas,
            standard=case.standard,
        )
        table.responsible[key] = tuple(d.code for d in found if d.kind != "street_office")
    return table.responsible[key]


def _responsibility_candidates(session: Session, table: RoutingTable, case: Case) -> Iterator[_Candidate]:
    for code in _responsible(session, table, case):
        yield _Candidate(
            code,
            "responsibility",
            f"{code} is responsible for {case.kind} {case.category_code} here; no rule matched",
        )


def _street_office_candidates(table: RoutingTable, case: Case) -> Iterator[_Candidate]:
    office = table.street_offices.get(case.street_code or "")
    if office is not None:
        yield _Candidate(
            office,
            "street_office",
            f"no rule or professional department covers {case.kind} {case.category_code}: territorial "
            f"fallback (属地兜底) to {office}, the street office of street {case.street_code}",
        )


def route_case(
    session: Session,
    case: Case,
    *,
    at: datetime,
    exclude: Iterable[str] = frozenset(),
    table: RoutingTable | None = None,
) -> RoutingDecision:
    """The department that should handle `case` at instant `at` (aware), and why; writes nothing.

    Pass `table` (from `load_routing_table`) to route many cases of one city without reading the
    rules again; `exclude` are departments that returned the case (see `returned_departments`).
    """
    if at.tzinfo is None:
        raise ValueError("naive datetime given; pass an aware UTC datetime")
    table = table or load_routing_table(session, case.city_id)
    if table.city_code != case.city_id:
        raise ValueError(f"routing table of city {table.city_code} given for a case of {case.city_id}")
    local = at.astimezone(ZoneInfo(table.timezone))
    search = _Search(frozenset(exclude))
    stages: tuple[Iterator[_Candidate], ...] = (
        _component_candidates(table, case.component_id),
        _rule_candidates(table, case, local, search),
        _responsibility_candidates(session, table, case),
        _street_office_candidates(table, case),
    )
    for stage in stages:
        for candidate in stage:
            if search.take(candidate):
                return search.decide(candidate)
    if search.fallback is not None:
        return search.decide(search.fallback, returned_before=True)
    return search.decide(None)


def returned_departments(session: Session, case: Case) -> set[str]:
    """Codes of the departments whose return (回退) of `case` was approved, read from its timeline.

    An approved return clears the case's department, so the department is the one named by the
    dispatch event before it.
    """
    returned: set[str] = set()
    current: str | None = None
    for event in timeline(session, case):
        if event.action == "dispatch":
            value = (event.data or {}).get("department")
            current = value if isinstance(value, str) else None
        elif event.action == "approve_return" and current is not None:
            returned.add(current)
            current = None
    return returned
