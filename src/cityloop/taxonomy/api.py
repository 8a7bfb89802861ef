"""HTTP routes of the taxonomy package (mounted under /api/v1)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from cityloop.cities import get_city
from cityloop.core.pagination import Page, PageParams, page_of
from cityloop.db.deps import SESSION
from cityloop.db.pagination import paginate
from cityloop.taxonomy.queries import (
    get_category,
    list_categories,
    list_standards,
    select_registration_conditions,
)
from cityloop.taxonomy.schemas import CategoryDetailOut, CategoryOut, RegistrationConditionOut, StandardOut
from cityloop.taxonomy.standards import STANDARD_2026
from cityloop.taxonomy.views import category_detail

router = APIRouter(tags=["taxonomy"])


@router.get("/taxonomy/standards", response_model=list[StandardOut])
def standards(session: Session = SESSION) -> list[StandardOut]:
    """The classification editions and how many national codes each holds."""
    return list_standards(session)


@router.get("/taxonomy/categories", response_model=Page[CategoryOut])
def categories(
    page: Annotated[PageParams, Query()],
    standard: str = STANDARD_2026,
    kind: str | None = None,
    major: str | None = None,
    search: str | None = None,
    city: str | None = Query(default=None, description="Also list this city's local codes."),
    session: Session = SESSION,
) -> dict[str, Any]:
    """Categories of one edition, national plus the city's local codes, by kind then code."""
    stmt = list_categories(session, standard=standard, kind=kind, city_code=city, major=major, search=search)
    rows, total = paginate(session, stmt, page)
    return page_of([CategoryOut.model_validate(r).model_dump() for r in rows], total, page)


@router.get("/taxonomy/categories/{code}", response_model=CategoryDetailOut)
def category(
    code: str,
    standard: str = STANDARD_2026,
    kind: str | None = None,
    city: str | None = None,
    session: Session = SESSION,
) -> CategoryDetailOut:
    """One category with its crosswalk counterparts; 422 if `kind` is needed to choose."""
    return category_detail(get_category(session, code=code, standard=standard, kind=kind, city_code=city))


@router.get("/cities/{city_code}/registration-conditions", response_model=Page[RegistrationConditionOut])
def registration_conditions(
    city_code: str,
    page: Annotated[PageParams, Query()],
    code: str | None = None,
    kind: str | None = None,
    session: Session = SESSION,
) -> dict[str, Any]:
    """The city's registration conditions (立案条件) with their disposal limits per urgency."""
    get_city(session, city_code)
    stmt = select_registration_conditions(city_code, code=code, kind=kind)
    rows, total = paginate(session, stmt, page)
    return page_of([RegistrationConditionOut.model_validate(r).model_dump() for r in rows], total, page)
