"""Writes of the taxonomy package: seeding national tables and city defaults.

Actions flush but never commit; the caller owns the transaction. The city's local codes are
imported in `local_codes.py`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cities import get_city
from cityloop.taxonomy.loader import CategoryRow, default_conditions, national_rows
from cityloop.taxonomy.models import Category, RegistrationCondition

_COMPARED = ("major_code", "major_name", "major_name_en", "name", "name_en", "note")


def _stored_state(session: Session) -> set[tuple[Any, ...]]:
    columns = [getattr(Category, name) for name in ("standard", "kind", "code", *_COMPARED, "active")]
    stmt = select(*columns).where(Category.city_id.is_(None))
    return {tuple(row) for row in session.execute(stmt)}


def _wanted_state(rows: tuple[CategoryRow, ...]) -> set[tuple[Any, ...]]:
    return {
        (row.standard, row.kind, row.code, *(getattr(row, name) for name in _COMPARED), True) for row in rows
    }


def do_seed_standards(session: Session) -> int:
    """Bring the national rows of every packaged edition up to date; return the rows changed.

    Run on every start, so it first compares the stored national rows with the packaged ones
    and writes nothing when they agree. Rows no longer packaged are deactivated, not deleted,
    because old cases still name them.
    """
    rows = national_rows()
    if _stored_state(session) == _wanted_state(rows):
        return 0
    existing = {
        (c.standard, c.kind, c.code): c
        for c in session.scalars(select(Category).where(Category.city_id.is_(None)))
    }
    changed = 0
    for row in rows:
        category = existing.pop((row.standard, row.kind, row.code), None)
        if category is None:
            session.add(
                Category(
                    standard=row.standard,
                    kind=row.kind,
                    code=row.code,
                    city_id=None,
                    active=True,
                    **{name: getattr(row, name) for name in _COMPARED},
                )
            )
            changed += 1
            continue
        differs = not category.active or any(getattr(category, n) != getattr(row, n) for n in _COMPARED)
        if differs:
            for name in _COMPARED:
                setattr(category, name, getattr(row, name))
            category.active = True
            changed += 1
    for stale in existing.values():
        if stale.active:
            stale.active = False
            changed += 1
    session.flush()
    return changed


def do_seed_registration_conditions(session: Session, *, city_code: str) -> int:
    """Give the city the default registration conditions it lacks; return how many were added.

    Idempotent. A condition the city already has (same code, situation and area class) is
    left as it is, so a city's own limits are never overwritten by the defaults.
    """
    get_city(session, city_code)
    stmt = select(RegistrationCondition).where(RegistrationCondition.city_id == city_code)
    have = {(c.standard, c.kind, c.code, c.situation, c.area_class) for c in session.scalars(stmt)}
    added = 0
    for row in default_conditions():
        key = (row.standard, row.kind, row.code, row.situation, row.area_class)
        if key in have:
            continue
        session.add(
            RegistrationCondition(
                city_id=city_code,
                standard=row.standard,
                kind=row.kind,
                code=row.code,
                situation=row.situation,
                situation_en=row.situation_en,
                area_class=row.area_class,
                limits=row.limits,
                note=row.note,
                source=row.source,
            )
        )
        have.add(key)
        added += 1
    session.flush()
    return added
