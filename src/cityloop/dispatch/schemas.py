"""What the dispatch API returns: rules, component owners, validation results and routing decisions."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from cityloop.dispatch.models import ComponentOwner, DispatchRule
from cityloop.dispatch.routing import RoutingDecision


class RuleOut(BaseModel):
    id: int
    #: Priority, 0 first.
    position: int
    name: str
    department: str
    conditions: dict[str, Any] = Field(description="Only the conditions that are set; {} matches every case.")
    enabled: bool
    note: str | None = None

    @classmethod
    def of(cls, rule: DispatchRule) -> RuleOut:
        return cls(
            id=rule.id,
            position=rule.position,
            name=rule.name,
            department=rule.department.code,
            conditions=dict(rule.conditions),
            enabled=rule.enabled,
            note=rule.note,
        )


class ComponentOwnerOut(BaseModel):
    id: int
    prefix: str
    owner: str
    maintainer: str | None = None
    note: str | None = None

    @classmethod
    def of(cls, row: ComponentOwner) -> ComponentOwnerOut:
        return cls(
            id=row.id,
            prefix=row.prefix,
            owner=row.owner.code,
            maintainer=row.maintainer.code if row.maintainer else None,
            note=row.note,
        )


class ProblemOut(BaseModel):
    """One problem of a file: the item's index, its name or prefix, the field and what is wrong."""

    index: int
    key: str | None
    field: str
    message: str


class ValidationOut(BaseModel):
    """A dry run: whether the rows would import, how many there are, and every problem found."""

    ok: bool
    count: int
    problems: list[ProblemOut]


class SkippedRuleOut(BaseModel):
    rule: int
    name: str
    position: int
    condition: str
    why: str


class RuleRef(BaseModel):
    id: int
    name: str


class RoutingOut(BaseModel):
    """The department the case would go to now, how it was found, and why the rules above did not match."""

    case: str
    at: str
    department: str | None
    how: str
    rule: RuleRef | None
    component_prefix: str | None
    skipped: list[SkippedRuleOut]
    passed_over: list[str]
    returned_before: bool
    reason: str

    @classmethod
    def of(cls, number: str, at: str, decision: RoutingDecision) -> RoutingOut:
        return cls(case=number, at=at, **decision.as_dict())
