"""Service requests ("GET Service Requests", "GET Service Request"): the city's cases as the spec shows them.

Status is `open` unless the case is CLOSED or VOID. Nothing about people is shown: no
reporter reference, no contact, no staff names. With `extensions=true` a request also carries
`extended_attributes`: the CityLoop state and the public timeline (actions and times only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session, selectinload

from cityloop.api.open311.formats import iso
from cityloop.api.open311.params import Window
from cityloop.api.open311.services import service_code_of
from cityloop.cases import DUPLICATE_REASON, Case, State, TimelineEvent
from cityloop.cases.workflow import STATE_LABELS
from cityloop.cities.models import City
from cityloop.intake import Report
from cityloop.intake.channels.open311 import category_of
from cityloop.taxonomy import find_category

CLOSED_STATES = (State.CLOSED.value, State.VOID.value)


@dataclass(frozen=True)
class RequestFilter:
    """The filters of "GET Service Requests" and our extensions (`updated_after`)."""

    window: Window
    service_codes: Sequence[str] = ()
    statuses: Sequence[str] = ()
    updated_after: datetime | None = None


def status_of(case: Case) -> str:
    return "closed" if case.state in CLOSED_STATES else "open"


def _service_condition(service_codes: Sequence[str]) -> ColumnElement[bool]:
    pairs = [category_of(code) for code in service_codes]
    return or_(*(and_(Case.kind == kind, Case.category_code == code) for kind, code in pairs))


def select_requests(city: City, wanted: RequestFilter) -> Select[Case]:
    """The city's cases requested inside the window and matching every filter, newest first."""
    stmt = select(Case).where(
        Case.city_id == city.code,
        Case.reported_at >= wanted.window.start,
        Case.reported_at <= wanted.window.end,
    )
    if wanted.service_codes:
        stmt = stmt.where(_service_condition(wanted.service_codes))
    statuses = set(wanted.statuses)
    if statuses == {"open"}:
        stmt = stmt.where(Case.state.not_in(CLOSED_STATES))
    elif statuses == {"closed"}:
        stmt = stmt.where(Case.state.in_(CLOSED_STATES))
    if wanted.updated_after is not None:
        stmt = stmt.where(Case.updated_at > wanted.updated_after)
    return stmt.order_by(Case.reported_at.desc(), Case.id.desc()).options(selectinload(Case.department))


def list_requests(
    session: Session, city: City, wanted: RequestFilter, *, page: int, page_size: int
) -> list[Case]:
    stmt = select_requests(city, wanted).offset((page - 1) * page_size).limit(page_size)
    return list(session.scalars(stmt))


def requests_by_id(session: Session, city: City, numbers: Sequence[str]) -> list[Case]:
    """The city's cases with these numbers (service_request_id), in the order asked; unknown ones left out."""
    rows = session.scalars(
        select(Case)
        .where(Case.city_id == city.code, Case.number.in_(list(numbers)))
        .options(selectinload(Case.department))
    )
    by_number = {case.number: case for case in rows}
    return [by_number[number] for number in dict.fromkeys(numbers) if number in by_number]


def _media_urls(session: Session, city: City, case_ids: list[int]) -> dict[int, str]:
    """The media_url an Open311 client sent with the report of each case."""
    if not case_ids:
        return {}
    rows = session.scalars(
        select(Report)
        .where(Report.city_id == city.code, Report.channel == "open311", Report.case_id.in_(case_ids))
        .order_by(Report.id)
    )
    found: dict[int, str] = {}
    for report in rows:
        url = report.payload.get("media_url") if isinstance(report.payload, dict) else None
        if report.case_id is not None and isinstance(url, str) and url:
            found.setdefault(report.case_id, url)
    return found


def _timelines(session: Session, city: City, case_ids: list[int]) -> dict[int, list[TimelineEvent]]:
    events: dict[int, list[TimelineEvent]] = {case_id: [] for case_id in case_ids}
    if case_ids:
        rows = session.scalars(
            select(TimelineEvent)
            .where(TimelineEvent.city_id == city.code, TimelineEvent.case_id.in_(case_ids))
            .order_by(TimelineEvent.case_id, TimelineEvent.seq)
        )
        for event in rows:
            events[event.case_id].append(event)
    return events


def state_label(state: str, locale: str) -> str:
    label = STATE_LABELS.get(State(state))
    return label.get(locale) if label else state


def _master_numbers(session: Session, city: City, cases: list[Case]) -> dict[int | None, str]:
    """The numbers of the cases that the merged ones among `cases` repeat."""
    ids = {case.master_id for case in cases if case.master_id is not None}
    if not ids:
        return {}
    rows = session.execute(select(Case.id, Case.number).where(Case.city_id == city.code, Case.id.in_(ids)))
    return {case_id: number for case_id, number in rows}


def serialise(session: Session, city: City, cases: list[Case], *, extensions: bool) -> list[dict[str, Any]]:
    """The spec's fields of each request, in the spec's order ("GET Service Requests", response)."""
    ids = [case.id for case in cases]
    media = _media_urls(session, city, ids)
    events = _timelines(session, city, ids) if extensions else {}
    names: dict[tuple[str, str], str] = {}
    masters = _master_numbers(session, city, cases)
    rows = []
    for case in cases:
        key = (case.kind, case.category_code)
        if key not in names:
            category = find_category(session, code=case.category_code, kind=case.kind, city_code=city.code)
            names[key] = category.name if category else case.category_code
        row: dict[str, Any] = {
            "service_request_id": case.number,
            "status": status_of(case),
            "status_notes": (
                f"{DUPLICATE_REASON}: {masters[case.master_id]}"
                if case.master_id in masters
                else state_label(case.state, city.locale)
            ),
            "service_name": names[key],
            "service_code": service_code_of(case.kind, case.category_code),
            "description": case.description,
            "agency_responsible": case.department.name_zh if case.department else None,
            "service_notice": None,
            "requested_datetime": iso(case.reported_at, city.timezone),
            "updated_datetime": iso(case.updated_at, city.timezone),
            "expected_datetime": iso(case.disposal_due_at, city.timezone),
            "address": case.address,
            "address_id": None,
            "zipcode": None,
            "lat": case.lat,
            "long": case.lon,
            "media_url": media.get(case.id),
        }
        if extensions:
            row["extended_attributes"] = {
                "detailed_status": case.state,
                "detailed_status_label": state_label(case.state, city.locale),
                "timeline": [
                    {"action": e.action, "datetime": iso(e.at, city.timezone), "status": e.to_state}
                    for e in events[case.id]
                ],
            }
        rows.append(row)
    return rows


def get_token_report(session: Session, city: City, token: str) -> Report | None:
    """The Open311 report a token names (tokens are ids of our Open311 reports)."""
    if not token.isdigit() or len(token) > 18:
        return None
    return session.scalar(
        select(Report).where(
            Report.city_id == city.code, Report.id == int(token), Report.channel == "open311"
        )
    )


def case_number(session: Session, city: City, case_id: int | None) -> str | None:
    if case_id is None:
        return None
    return session.scalar(select(Case.number).where(Case.city_id == city.code, Case.id == case_id))
