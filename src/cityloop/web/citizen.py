"""The citizen's report page (`/`, no sign-in) and its htmx fragments: categories, similar cases.

The page itself posts to the public API (photos to `…/media`, the report to
`…/reports/citizen`, following to `…/cases/{number}/followers`) from `static/js/citizen.js`;
the fragments are rendered here so that every text is escaped by the template and shown
in the visitor's language.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from cityloop.cases.workflow import STATE_LABELS, State
from cityloop.cities import get_city, list_cities
from cityloop.cities.models import City
from cityloop.core.clock import get_clock
from cityloop.core.errors import CityLoopError
from cityloop.db.deps import SESSION
from cityloop.flows.duplicates import similar_open_cases
from cityloop.taxonomy import STANDARD_2026, find_category, list_categories
from cityloop.web.i18n import request_locale
from cityloop.web.session import page_principal
from cityloop.web.templating import render

router = APIRouter(include_in_schema=False)

#: The most categories a search shows: the citizen narrows the search rather than scroll.
MAX_CATEGORIES = 30
MAX_SIMILAR = 5
CityCode = Annotated[str, Query(pattern=r"^\d{6}$")]


def city_name(city: City, locale: str) -> str:
    return city.name_en if locale == "en" and city.name_en else city.name_zh


def not_found(request: Request, session: Session) -> HTMLResponse:
    return render(request, "not_found.html", status=404, principal=page_principal(session, request))


@router.get("/", response_class=HTMLResponse)
def report_page(request: Request, city: str | None = None, session: Session = SESSION) -> Response:
    """Report a problem in the chosen city; with several cities and none chosen, the chooser."""
    principal = page_principal(session, request)
    cities = list_cities(session)
    if city is None and len(cities) == 1:
        city = cities[0].code
    if city is None:
        return render(request, "citizen/cities.html", {"cities": cities}, principal=principal)
    chosen = next((c for c in cities if c.code == city), None)
    if chosen is None:
        return not_found(request, session)
    return render(request, "citizen/report.html", {"city": chosen}, principal=principal)


@router.get("/fragments/categories", response_class=HTMLResponse)
def category_choices(
    request: Request,
    city: CityCode,
    q: Annotated[str, Query(max_length=50)] = "",
    category: Annotated[str, Query(max_length=20)] = "",
    session: Session = SESSION,
) -> Response:
    """The categories matching the search, as radio buttons (the chosen one stays chosen)."""
    rows = []
    if q.strip():
        stmt = list_categories(session, standard=STANDARD_2026, city_code=city, search=q.strip())
        rows = list(session.scalars(stmt.limit(MAX_CATEGORIES)))
    return render(request, "citizen/_categories.html", {"rows": rows, "chosen": category, "q": q.strip()})


def _category_code(value: str) -> str | None:
    """The code of a `kind:code` choice, when it is a matter (the de-duplicator's categories)."""
    kind, _, code = value.partition(":")
    return code if kind == "matter" and code.isdigit() and len(code) == 5 else None


@router.get("/fragments/similar", response_class=HTMLResponse)
def similar_cases(
    request: Request,
    city: CityCode,
    lat: Annotated[str, Query(max_length=30)] = "",
    lon: Annotated[str, Query(max_length=30)] = "",
    category: Annotated[str, Query(max_length=20)] = "",
    description: Annotated[str, Query(max_length=2000)] = "",
    session: Session = SESSION,
) -> Response:
    """Open cases near the pin that may be the same problem (as `GET /api/v1/reports/similar`)."""
    locale, _ = request_locale(request)
    try:
        point = (float(lon), float(lat))
    except ValueError:
        return render(request, "citizen/_similar.html", {"cases": None})
    try:
        get_city(session, city)
        found = similar_open_cases(
            session, city, lon=point[0], lat=point[1], category_code=_category_code(category),
            text=description, at=get_clock().now(), limit=MAX_SIMILAR,
        )  # fmt: skip
    except CityLoopError:
        return render(request, "citizen/_similar.html", {"cases": None})
    cases = []
    for candidate in found:
        case = candidate.case
        row = find_category(session, code=case.category_code, kind=case.kind, city_code=city)
        name = (row.name_en if locale == "en" and row.name_en else row.name) if row else case.category_code
        cases.append(
            {
                "number": case.number,
                "category": name,
                "state": STATE_LABELS[State(case.state)].get(locale),
                "description": case.description[:200],
                "address": case.address,
                "reported_at": case.reported_at,
                "followers": len(case.followers),
            }
        )
    return render(request, "citizen/_similar.html", {"cases": cases, "city_code": city})
