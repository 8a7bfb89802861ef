"""Import departments.yaml: validate every item first, then upsert by code in one go."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cities import get_city
from cityloop.org.actions.problems import Problems
from cityloop.org.models import Department, Responsibility
from cityloop.org.schemas import DepartmentItem, ResponsibilityItem


def check_departments(
    items: list[Any],
    *,
    source: str = "departments.yaml",
    known_areas: Collection[str] | None = None,
    known_categories: Collection[str] | None = None,
) -> list[DepartmentItem]:
    """Parse and check all items; raise OrgImportFailed listing every problem, or return them parsed."""
    problems = Problems(source)
    parsed: list[tuple[int, DepartmentItem]] = []
    first_at: dict[str, int] = {}
    for index, raw in enumerate(items):
        key = problems.key_of(index, raw, "code", first_at)
        if not isinstance(raw, dict):
            problems.add(index, None, "(item)", "each item must be a mapping of keys to values")
            continue
        try:
            parsed.append((index, DepartmentItem.model_validate(raw)))
        except ValidationError as exc:
            problems.add_validation(index, key, exc)

    parents = {item.code: item.parent for _, item in parsed}
    for index, item in parsed:
        _check_street(problems, index, item, known_areas)
        for r, resp in enumerate(item.responsibilities):
            _check_responsibility(problems, index, item.code, r, resp, known_areas, known_categories)
        if item.parent is not None:
            if item.parent not in first_at:
                problems.add(
                    index, item.code, "parent", f"unknown parent {item.parent!r}: not listed in {source}"
                )
            else:
                cycle = _cycle_from(item.code, parents)
                if cycle:
                    problems.add(index, item.code, "parent", f"parent cycle: {' → '.join(cycle)}")
    problems.raise_if_any()
    return [item for _, item in parsed]


def _check_street(
    problems: Problems, index: int, item: DepartmentItem, known_areas: Collection[str] | None
) -> None:
    if item.kind == "street_office":
        if item.street is None:
            problems.add(
                index, item.code, "street", "a street office needs the 9-digit street code it serves"
            )
        elif known_areas is not None and item.street not in known_areas:
            problems.add(index, item.code, "street", f"street {item.street} is not an area of the city")
    elif item.street is not None:
        problems.add(index, item.code, "street", f"only a street office has a street, not a {item.kind}")


def _check_responsibility(
    problems: Problems,
    index: int,
    code: str,
    position: int,
    resp: ResponsibilityItem,
    known_areas: Collection[str] | None,
    known_categories: Collection[str] | None,
) -> None:
    where = f"responsibilities[{position}]"
    if known_categories is not None:
        for category in resp.categories:
            if category not in known_categories:
                problems.add(index, code, f"{where}.categories", f"unknown category {category}")
    if known_areas is not None:
        for area in resp.areas:
            if area not in known_areas:
                problems.add(index, code, f"{where}.areas", f"unknown area {area}")


def _cycle_from(code: str, parents: dict[str, str | None]) -> list[str]:
    """The parent chain from `code` back to itself when it loops, else []."""
    chain = [code]
    current = parents.get(code)
    while current is not None and current in parents:
        chain.append(current)
        if current == code:
            return chain
        if current in chain[:-1]:  # a loop further up that `code` only leads into
            return []
        current = parents[current]
    return []


def do_import_departments(
    session: Session,
    *,
    city_code: str,
    items: list[dict[str, Any]],
    source: str = "departments.yaml",
    known_areas: Collection[str] | None = None,
    known_categories: Collection[str] | None = None,
) -> list[Department]:
    """Make the city's departments exactly `items` (upsert by code; unlisted ones are deactivated).

    Nothing is written when any item is wrong. Departments are deactivated rather than deleted
    because cases and evaluations keep referring to them.
    """
    get_city(session, city_code)
    parsed = check_departments(
        items, source=source, known_areas=known_areas, known_categories=known_categories
    )
    existing = {d.code: d for d in session.scalars(select(Department).where(Department.city_id == city_code))}
    by_code: dict[str, Department] = {}
    for item in parsed:
        dept = existing.get(item.code)
        if dept is None:
            dept = Department(city_id=city_code, code=item.code)
            session.add(dept)
        dept.name_zh, dept.name_en, dept.kind = item.name_zh, item.name_en, item.kind
        dept.street_code, dept.phone, dept.active = item.street, item.phone, True
        _sync_responsibilities(dept, item.responsibilities)
        by_code[item.code] = dept
    for code, dept in existing.items():
        if code not in by_code:
            dept.active = False
    session.flush()
    for item in parsed:
        by_code[item.code].parent_id = by_code[item.parent].id if item.parent else None
    session.flush()
    return [by_code[item.code] for item in parsed]


def _sync_responsibilities(dept: Department, items: list[ResponsibilityItem]) -> None:
    rows = list(dept.responsibilities)
    for position, item in enumerate(items):
        if position < len(rows):
            row = rows[position]
        else:
            row = Responsibility(city_id=dept.city_id, position=position)
            rows.append(row)
        row.standard, row.kind = item.standard, item.kind
        row.categories, row.areas = list(item.categories), list(item.areas)
    dept.responsibilities = rows[: len(items)]
