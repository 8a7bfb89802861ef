"""Reads of classification codes and registration conditions.

A city sees the national rows of an edition plus its own local extension codes, never
another city's. Validators in other packages use `category_keys` / `major_keys`.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from cityloop.cities import get_city
from cityloop.taxonomy.errors import AmbiguousCategory, UnknownCategory
from cityloop.taxonomy.models import Category, RegistrationCondition
from cityloop.taxonomy.schemas import StandardOut
from cityloop.taxonomy.standards import STANDARD_2026, STANDARDS, check_kind, check_standard


def _scope(city_code: str | None) -> ColumnElement[bool]:
    """National rows, plus the local rows of `city_code` when one is given."""
    if city_code is None:
        return Category.city_id.is_(None)
    return or_(Category.city_id.is_(None), Category.city_id == city_code)


def list_categories(
    session: Session,
    *,
    standard: str,
    kind: str | None = None,
    city_code: str | None = None,
    major: str | None = None,
    search: str | None = None,
    include_inactive: bool = False,
) -> Select[Category]:
    """The active categories of `standard` (national + the city's local ones), by kind then code.

    `search` matches a fragment of the code, the Chinese name or (case-insensitively) the
    English name. An unknown standard, kind or city raises instead of returning nothing.
    """
    check_standard(standard)
    if city_code is not None:
        get_city(session, city_code)
    stmt = select(Category).where(Category.standard == standard, _scope(city_code))
    if kind is not None:
        stmt = stmt.where(Category.kind == check_kind(kind))
    if major is not None:
        stmt = stmt.where(Category.major_code == major)
    if search:
        needle = search.strip()
        stmt = stmt.where(
            or_(
                Category.code.contains(needle, autoescape=True),
                Category.name.contains(needle, autoescape=True),
                func.lower(Category.name_en).contains(needle.lower(), autoescape=True),
            )
        )
    if not include_inactive:
        stmt = stmt.where(Category.active.is_(True))
    return stmt.order_by(Category.kind, Category.code, Category.city_id.is_not(None))


def get_category(
    session: Session,
    *,
    code: str,
    standard: str = STANDARD_2026,
    kind: str | None = None,
    city_code: str | None = None,
) -> Category:
    """The category `code` of `standard` as the city sees it.

    Raises UnknownCategory when there is none, and AmbiguousCategory when `kind` is not given
    and the code is both a component and a matter. Should a national row and a local row ever
    share a key (a later national edition adding the city's local code), the national one wins.
    """
    check_standard(standard)  # the checks of list_categories, in its order
    if city_code is not None:
        get_city(session, city_code)
    if kind is not None:
        check_kind(kind)
    params = {"standard": standard, "code": code, "kind": kind, "city": city_code}
    stmt = _one_code(kind is not None, city_code is not None)
    rows = list(session.scalars(stmt, {k: v for k, v in params.items() if v is not None}))
    if not rows:
        where = f" for city {city_code}" if city_code else ""
        what = f"{kind} " if kind else ""
        raise UnknownCategory(
            f"no {what}category {code!r} in {standard}{where}",
            details={"standard": standard, "kind": kind, "code": code, "city": city_code},
        )
    kinds = sorted({row.kind for row in rows})
    if len(kinds) > 1:
        raise AmbiguousCategory(
            f"{code!r} in {standard} is both a component and a matter; say which kind you mean",
            details={"standard": standard, "code": code, "kinds": kinds},
        )
    national = [row for row in rows if row.city_id is None]
    return (national or rows)[0]


@cache
def _one_code(with_kind: bool, with_city: bool) -> Select[Category]:
    """`list_categories(...).where(code == …)` built once, with bound parameters (a hot path of intake)."""
    scope: ColumnElement[bool] = Category.city_id.is_(None)
    if with_city:
        scope = or_(scope, Category.city_id == bindparam("city"))
    stmt = select(Category).where(Category.standard == bindparam("standard"), scope)
    if with_kind:
        stmt = stmt.where(Category.kind == bindparam("kind"))
    stmt = stmt.where(Category.active.is_(True), Category.code == bindparam("code"))
    return stmt.order_by(Category.kind, Category.code, Category.city_id.is_not(None))


def find_category(
    session: Session, *, code: str, kind: str, standard: str = STANDARD_2026, city_code: str | None = None
) -> Category | None:
    """Like get_category with a kind, but None instead of an error (for validators)."""
    try:
        return get_category(session, code=code, standard=standard, kind=kind, city_code=city_code)
    except UnknownCategory:
        return None


def category_keys(
    session: Session, *, city_code: str | None, standard: str = STANDARD_2026
) -> set[tuple[str, str]]:
    """Every active (kind, code) the city may use in `standard`, national and local."""
    stmt = select(Category.kind, Category.code).where(
        Category.standard == standard, _scope(city_code), Category.active.is_(True)
    )
    return {(kind, code) for kind, code in session.execute(stmt)}


def major_keys(
    session: Session, *, city_code: str | None = None, standard: str = STANDARD_2026
) -> set[tuple[str, str]]:
    """Every (kind, major_code) that has at least one active category the city may use."""
    stmt = (
        select(Category.kind, Category.major_code)
        .where(Category.standard == standard, _scope(city_code), Category.active.is_(True))
        .distinct()
    )
    return {(kind, major) for kind, major in session.execute(stmt)}


def list_standards(session: Session) -> list[StandardOut]:
    """The packaged editions with the number of national rows stored for each kind."""
    stmt = (
        select(Category.standard, Category.kind, func.count())
        .where(Category.city_id.is_(None), Category.active.is_(True))
        .group_by(Category.standard, Category.kind)
    )
    counts = {(standard, kind): n for standard, kind, n in session.execute(stmt)}
    return [
        StandardOut(
            name=s.name,
            title_zh=s.title_zh,
            title_en=s.title_en,
            code_digits=s.code_digits,
            in_force=s.in_force,
            current=s.current,
            note=s.note,
            components=counts.get((s.name, "component"), 0),
            matters=counts.get((s.name, "matter"), 0),
        )
        for s in STANDARDS.values()
    ]


def select_registration_conditions(
    city_code: str, *, code: str | None = None, kind: str | None = None, standard: str | None = None
) -> Select[RegistrationCondition]:
    """The city's registration conditions, optionally for one code, in a stable order."""
    stmt = select(RegistrationCondition).where(RegistrationCondition.city_id == city_code)
    if code is not None:
        stmt = stmt.where(RegistrationCondition.code == code)
    if kind is not None:
        stmt = stmt.where(RegistrationCondition.kind == check_kind(kind))
    if standard is not None:
        stmt = stmt.where(RegistrationCondition.standard == standard)
    return stmt.order_by(
        RegistrationCondition.standard,
        RegistrationCondition.kind,
        RegistrationCondition.code,
        RegistrationCondition.id,
    )


def list_registration_conditions(
    session: Session,
    city_code: str,
    *,
    code: str | None = None,
    kind: str | None = None,
    standard: str | None = None,
) -> list[RegistrationCondition]:
    """The city's registration conditions (立案条件), optionally for one code and kind."""
    get_city(session, city_code)
    stmt = select_registration_conditions(city_code, code=code, kind=kind, standard=standard)
    return list(session.scalars(stmt))
