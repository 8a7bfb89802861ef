"""Routes of Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), mounted at `/open311/v2`.

Every method answers `.json` or `.xml` by its suffix and refuses in the spec's error list
format. Parameters are read by hand (not by FastAPI's validation) so that every refusal is a
400/403/404 of the spec; for the same reason the routes stay out of the OpenAPI document
(`include_in_schema=False`), whose schema cannot describe the XML answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cityloop.api.open311 import requests as reqs
from cityloop.api.open311 import services as svc
from cityloop.api.open311.errors import Open311Error, bad_request, not_found
from cityloop.api.open311.formats import Format, check_format, render, render_error
from cityloop.api.open311.params import (
    MAX_REQUESTS,
    as_bool,
    as_datetime,
    as_int,
    as_list,
    resolve_city,
    window,
)
from cityloop.api.open311.submit import Fields, check_key, key_city, submit
from cityloop.cities.models import City
from cityloop.core.clock import get_clock
from cityloop.db.deps import SESSION

router = APIRouter(tags=["open311"], include_in_schema=False)

#: The largest POST body read (a description is at most 4,000 characters).
MAX_BODY = 64 * 1024
#: When this interface last changed ("GET Service Discovery": changeset).
CHANGESET = datetime.fromisoformat("2026-11-01T00:00:00+08:00")


def _answer(fmt_text: str, work: Callable[[Format], Response]) -> Response:
    """Run `work` in the requested format; refusals become the spec's error list (JSON if the format is bad)."""
    try:
        fmt = check_format(fmt_text)
    except Open311Error as exc:
        return render_error("json", exc)
    try:
        return work(fmt)
    except Open311Error as exc:
        return render_error(fmt, exc)


def _query(request: Request, name: str) -> str | None:
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise bad_request(f"{name} was given {len(values)} times; give it once (comma delimited)")
    return values[0] if values else None


@dataclass(frozen=True)
class Form:
    fields: Fields
    #: Why the body could not be read as a form (answered as a 400 in the requested format).
    problem: str | None = None


async def read_form(request: Request) -> Form:
    """The POST form as lists of values; a body that is not UTF-8 form data is a problem (a 400)."""
    body = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    problem: str | None = None
    fields: Fields = {}
    if len(body) > MAX_BODY:
        problem = f"the request body is larger than {MAX_BODY // 1024} KB"
    elif kind == "multipart/form-data":
        form = await request.form()
        for name, value in form.multi_items():
            if isinstance(value, str):
                fields.setdefault(name, []).append(value)
    elif kind in ("application/x-www-form-urlencoded", ""):
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            problem = "the request body is not valid UTF-8"
        else:
            for name, value in pairs:
                fields.setdefault(name, []).append(value)
    else:
        problem = "POST a form: application/x-www-form-urlencoded (or multipart/form-data)"
    return Form(fields, problem)


@router.get("/discovery.{fmt}")
def discovery(fmt: str, request: Request) -> Response:
    """GET Service Discovery: where this endpoint is, what it speaks, whom to ask."""

    def work(f: Format) -> Response:
        url = str(request.url_for("discovery", fmt=f)).rsplit("/", 1)[0]
        changeset = CHANGESET.isoformat(timespec="seconds")
        return render(
            f,
            "discovery",
            {
                "changeset": changeset,
                "contact": "CityLoop operators of this server",
                "key_service": "Ask the city's operations centre for an api_key (cityloop apikey create).",
                "endpoints": [
                    {
                        "specification": "http://wiki.open311.org/GeoReport_v2",
                        "url": url,
                        "changeset": changeset,
                        "type": "production",
                        "formats": ["text/xml", "application/json"],
                    }
                ],
            },
        )

    return _answer(fmt, work)


@router.get("/services.{fmt}")
def services(fmt: str, request: Request, session: Session = SESSION) -> Response:
    """GET Service List: the city's public services with their group and keywords."""

    def work(f: Format) -> Response:
        city = resolve_city(session, _query(request, "jurisdiction_id"))
        rows = [svc.service_of(code, category, city.locale) for code, category in svc.offered(session, city)]
        return render(f, "services", rows)

    return _answer(fmt, work)


@router.get("/services/{service_code}.{fmt}")
def service_definition(service_code: str, fmt: str, request: Request, session: Session = SESSION) -> Response:
    """GET Service Definition: the attributes a request of this service may carry."""

    def work(f: Format) -> Response:
        city = resolve_city(session, _query(request, "jurisdiction_id"))
        svc.service_category(session, city, service_code)
        return render(f, "service_definition", svc.definition_of(service_code))

    return _answer(fmt, work)


@router.post("/requests.{fmt}")
def create_request(
    fmt: str,
    request: Request,
    form: Form = Depends(read_form),
    session: Session = SESSION,
) -> Response:
    """POST Service Request: a form with api_key, service_code, a location and the reporter's details."""

    def work(f: Format) -> Response:
        if form.problem is not None:
            raise bad_request(form.problem)
        fields = form.fields
        principal = check_key(session, fields, request.headers.get("x-api-key"))
        jurisdiction = fields.get("jurisdiction_id", [None])[0] or _query(request, "jurisdiction_id")
        city = key_city(session, principal, jurisdiction)
        row = submit(
            session,
            principal=principal,
            city=city,
            fields=fields,
            idempotency_key=request.headers.get("idempotency-key"),
        )
        # Committed before answering: a client that reads the request right back must find it.
        session.commit()
        return render(f, "service_requests", [row], status=201)

    return _answer(fmt, work)


@router.get("/tokens/{token}.{fmt}")
def token(token: str, fmt: str, request: Request, session: Session = SESSION) -> Response:
    """GET request_id from a token: the service_request_id once the report became a case."""

    def work(f: Format) -> Response:
        city = resolve_city(session, _query(request, "jurisdiction_id"))
        report = reqs.get_token_report(session, city, token)
        if report is None:
            raise not_found(f"token {token!r} is not known in jurisdiction {city.code}")
        number = reqs.case_number(session, city, report.case_id)
        return render(f, "service_requests", [{"service_request_id": number, "token": token}])

    return _answer(fmt, work)


@router.get("/requests.{fmt}")
def list_requests(fmt: str, request: Request, session: Session = SESSION) -> Response:
    """GET Service Requests: by ids, or by service_code, status and a window of at most 90 days."""

    def work(f: Format) -> Response:
        city = resolve_city(session, _query(request, "jurisdiction_id"))
        extensions = as_bool("extensions", _query(request, "extensions"))
        ids = as_list(_query(request, "service_request_id"))
        if ids:  # "This overrides all other arguments."
            if len(ids) > MAX_REQUESTS:
                raise bad_request(f"at most {MAX_REQUESTS} service_request_id at once")
            cases = reqs.requests_by_id(session, city, ids)
        else:
            cases = reqs.list_requests(
                session, city, _filter(request, city, session),
                page=as_int("page", _query(request, "page"), 1, low=1, high=1_000_000),
                page_size=as_int("page_size", _query(request, "page_size"), MAX_REQUESTS, low=1, high=MAX_REQUESTS),
            )  # fmt: skip
        return render(f, "service_requests", reqs.serialise(session, city, cases, extensions=extensions))

    return _answer(fmt, work)


def _filter(request: Request, city: City, session: Session) -> reqs.RequestFilter:
    codes = as_list(_query(request, "service_code"))
    known = {code for code, _ in svc.offered(session, city)}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise bad_request(f"service_code {unknown[0]!r} is not a service of jurisdiction {city.code}")
    timezone = city.timezone
    statuses = as_list(_query(request, "status"))
    if any(s not in ("open", "closed") for s in statuses):
        raise bad_request("status must be open or closed (comma delimited)")
    start = as_datetime("start_date", _query(request, "start_date"), timezone)
    end = as_datetime("end_date", _query(request, "end_date"), timezone)
    return reqs.RequestFilter(
        window=window(start, end, get_clock().now()),
        service_codes=codes,
        statuses=statuses,
        updated_after=as_datetime("updated_after", _query(request, "updated_after"), timezone),
    )


@router.get("/requests/{service_request_id}.{fmt}")
def one_request(
    service_request_id: str,
    fmt: str,
    request: Request,
    session: Session = SESSION,
) -> Response:
    """GET Service Request: one request, as a list of one ("GET Service Request" response)."""

    def work(f: Format) -> Response:
        city = resolve_city(session, _query(request, "jurisdiction_id"))
        extensions = as_bool("extensions", _query(request, "extensions"))
        cases = reqs.requests_by_id(session, city, [service_request_id])
        if not cases:
            raise not_found(
                f"service request {service_request_id!r} is not known in jurisdiction {city.code}"
            )
        return render(f, "service_requests", reqs.serialise(session, city, cases, extensions=extensions))

    return _answer(fmt, work)


__all__ = ["router"]
