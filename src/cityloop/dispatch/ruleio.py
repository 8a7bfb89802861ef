"""Import and export a city's dispatch rules and component owners as YAML-friendly dicts.

Rows name departments by code, exactly as `export_*` writes them, so an export imported again
changes nothing. An import checks every row first and writes nothing when any is wrong. Rules
are matched by name and owners by prefix, so re-importing keeps their ids (cited on timelines);
with `replace=True` the rows become the city's whole list (in their order), otherwise they
update the rows of the same name or prefix and new ones are added after the last.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from cityloop.dispatch.models import ComponentOwner, DispatchRule
from cityloop.dispatch.rules import check_component_owners, check_rules, load_catalogue
from cityloop.org import list_departments
from cityloop.org.models import Department


def select_rules(city_code: str) -> Select[DispatchRule]:
    """The city's rules in priority order, with their departments."""
    return (
        select(DispatchRule)
        .where(DispatchRule.city_id == city_code)
        .options(selectinload(DispatchRule.department))
        .order_by(DispatchRule.position, DispatchRule.id)
    )


def select_component_owners(city_code: str) -> Select[ComponentOwner]:
    """The city's component owners by prefix, with their departments."""
    return (
        select(ComponentOwner)
        .where(ComponentOwner.city_id == city_code)
        .options(selectinload(ComponentOwner.owner), selectinload(ComponentOwner.maintainer))
        .order_by(ComponentOwner.prefix)
    )


def _departments(session: Session, city_code: str) -> dict[str, Department]:
    return {d.code: d for d in session.scalars(list_departments(session, city_code, include_inactive=True))}


def import_rules(
    session: Session, city_code: str, rows: list[Any], *, replace: bool = True
) -> list[DispatchRule]:
    """Make the city's rules `rows` (or merge them in); raises InvalidRules and writes nothing on any problem.

    Returns all of the city's rules afterwards, in priority order.
    """
    items = check_rules(rows, load_catalogue(session, city_code))
    departments = _departments(session, city_code)
    existing = {r.name: r for r in session.scalars(select_rules(city_code))}
    listed = {item.name for item in items}
    if replace:
        for name, rule in existing.items():
            if name not in listed:
                session.delete(rule)
        next_position = 0
    else:
        next_position = max((r.position for r in existing.values()), default=-1) + 1
    for position, item in enumerate(items):
        found = existing.get(item.name)
        if found is None:
            rule = DispatchRule(city_id=city_code, name=item.name, position=next_position + position)
            session.add(rule)
        else:
            rule = found
            if replace:
                rule.position = position
        rule.department = departments[item.department]
        rule.conditions = item.conditions.stored()
        rule.enabled, rule.note = item.enabled, item.note
    session.flush()
    return list(session.scalars(select_rules(city_code)))


def rule_row(rule: DispatchRule) -> dict[str, Any]:
    """A rule as a file row: what `import_rules` reads back unchanged."""
    row: dict[str, Any] = {
        "name": rule.name,
        "department": rule.department.code,
        "conditions": dict(rule.conditions),
        "enabled": rule.enabled,
    }
    if rule.note is not None:
        row["note"] = rule.note
    return row


def export_rules(session: Session, city_code: str) -> list[dict[str, Any]]:
    """The city's rules in priority order, in the format `import_rules` reads."""
    return [rule_row(rule) for rule in session.scalars(select_rules(city_code))]


def import_component_owners(
    session: Session, city_code: str, rows: list[Any], *, replace: bool = True
) -> list[ComponentOwner]:
    """Make the city's component owners `rows` (or merge them in); InvalidComponentOwners on any problem.

    Returns all of the city's component owners afterwards, by prefix.
    """
    items = check_component_owners(rows, load_catalogue(session, city_code))
    departments = _departments(session, city_code)
    existing = {o.prefix: o for o in session.scalars(select_component_owners(city_code))}
    if replace:
        listed = {item.prefix for item in items}
        for prefix, owner in existing.items():
            if prefix not in listed:
                session.delete(owner)
    for item in items:
        row = existing.get(item.prefix)
        if row is None:
            row = ComponentOwner(city_id=city_code, prefix=item.prefix)
            session.add(row)
        row.owner = departments[item.owner]
        row.maintainer = departments[item.maintainer] if item.maintainer else None
        row.note = item.note
    session.flush()
    return list(session.scalars(select_component_owners(city_code)))


def owner_row(owner: ComponentOwner) -> dict[str, Any]:
    """A component owner as a file row: what `import_component_owners` reads back unchanged."""
    row: dict[str, Any] = {"prefix": owner.prefix, "owner": owner.owner.code}
    if owner.maintainer is not None:
        row["maintainer"] = owner.maintainer.code
    if owner.note is not None:
        row["note"] = owner.note
    return row


def export_component_owners(session: Session, city_code: str) -> list[dict[str, Any]]:
    """The city's component owners by prefix, in the format `import_component_owners` reads."""
    return [owner_row(owner) for owner in session.scalars(select_component_owners(city_code))]
