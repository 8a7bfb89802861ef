"""HTTP entry of intake (mounted under /api/v1): photo uploads, reports from every channel, the queues.

Who may report depends on the channel: citizens and the SMS gateway need no credential (a
credential sent anyway must be of the route's city); inspectors report with their own token
and act in their own name; hotline, camera and sensor systems need an API key of the city.
Uploads and report bodies are refused (413) as soon as they pass their limit, before parsing.
The reporter's contact is shown to operators only.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Header, Query, Request, Response, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case
from cityloop.cities import get_parameters
from cityloop.core.bodylimit import BodyLimitRoute, body_limit
from cityloop.core.clock import get_clock
from cityloop.core.errors import CityLoopError, NotFound
from cityloop.core.pagination import Page, PageParams, page_of
from cityloop.core.principal import ForbiddenRole, Principal, check_city, check_role
from cityloop.db.deps import SESSION, current_principal, public_or_city_principal, require_roles
from cityloop.db.pagination import paginate
from cityloop.flows.process_report import process_report
from cityloop.flows.resolve import resolve_report
from cityloop.intake import media as store
from cityloop.intake.channels import CHANNELS, ChannelContext, NormalizedReport
from cityloop.intake.errors import InvalidReport, MediaTooLarge
from cityloop.intake.models import Media, Report
from cityloop.intake.queries import device_record, list_reports
from cityloop.intake.receive import channel_for
from cityloop.intake.schemas import MediaOut, ReportOut, ReportResultOut

router = APIRouter(tags=["intake"], route_class=BodyLimitRoute)

#: Channels anyone may use: citizens report without an account, the SMS gateway posts what it got.
PUBLIC_CHANNELS = frozenset({"citizen", "sms"})
#: Channels staff use in their own name, and the role each needs. Every other channel (hotline,
#: camera, sensor, …) is a system of the city and needs its API key.
STAFF_CHANNELS = {"inspector": "inspector"}
#: The largest report body accepted: a report is text and hashes, not files.
MAX_REPORT_BYTES = 256 * 1024
#: Room for the multipart framing (boundary, part headers) around an uploaded file.
FRAMING_BYTES = 64 * 1024

READERS = require_roles("operator", "dispatcher", "shift_leader", "admin")
ReportStatus = Literal[
    "registered",
    "duplicate",
    "folded",
    "closed_at_intake",
    "manual_location",
    "manual_category",
    "recovered",
    "ignored",
]
Sha256 = Annotated[str, PathParam(pattern=r"^[0-9a-f]{64}$")]
_MEDIA = "/cities/{city_code}/media/{sha256}"
_IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff"}


class ReportNotFound(NotFound):
    default_code = "intake.report_not_found"


def _upload_too_large(limit: int) -> CityLoopError:
    return MediaTooLarge(
        f"the upload is larger than {limit:,} bytes; a file may have at most {store.MAX_BYTES:,} bytes",
        details={"limit": store.MAX_BYTES},
    )


def _body_too_large(limit: int) -> CityLoopError:
    return MediaTooLarge(
        f"a report body may have at most {limit:,} bytes; upload photos separately and cite their sha256",
        code="intake.body_too_large",
        details={"limit": limit},
    )


def media_out(row: Media) -> MediaOut:
    thumb = (
        None if row.content_type == store.PDF else f"/api/v1/cities/{row.city_id}/media/{row.sha256}/thumb"
    )
    return MediaOut(
        sha256=row.sha256,
        content_type=row.content_type,
        width=row.width,
        height=row.height,
        thumbnail_url=thumb,
    )


@router.post("/cities/{city_code}/media", response_model=MediaOut, status_code=201)
@body_limit(lambda: store.MAX_BYTES + FRAMING_BYTES, _upload_too_large)
def upload_media(
    city_code: str,
    file: Annotated[
        UploadFile, File(description="A JPEG, PNG or WebP photo of at most 10 MB and 40 megapixels.")
    ],
    _principal: Principal = Depends(public_or_city_principal),
    session: Session = SESSION,
) -> MediaOut:
    """Upload a photo before reporting (no account needed); the same photo again returns the same hash.
    What is served is a copy without EXIF (so without the GPS position of the camera)."""
    row = store.store_media(
        session, city_code=city_code, content=file.file.read(), filename=file.filename, now=get_clock().now()
    )
    return media_out(row)


def _file(found: store.MediaFile) -> FileResponse:
    disposition = "attachment" if found.content_type == store.PDF else "inline"
    return FileResponse(
        found.path, media_type=found.content_type, filename=found.filename,
        content_disposition_type=disposition, headers=_IMMUTABLE,
    )  # fmt: skip


_IMAGE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}, "application/pdf": {}}}
}


@router.get(_MEDIA, response_class=FileResponse, responses=_IMAGE_RESPONSE)
def get_media_file(
    city_code: str,
    sha256: Sha256,
    principal: Principal = Depends(public_or_city_principal),
    session: Session = SESSION,
) -> FileResponse:
    """The photo as it may be shown to anyone: re-encoded, upright, without EXIF. Staff PDFs need a
    credential of the city."""
    found = store.open_served(session, city_code=city_code, sha256=sha256)
    if found.content_type == store.PDF:
        check_city(principal, city_code)
    return _file(found)


@router.get(_MEDIA + "/thumb", response_class=FileResponse, responses={200: {"content": {"image/jpeg": {}}}})
def get_media_thumbnail(
    city_code: str,
    sha256: Sha256,
    _principal: Principal = Depends(public_or_city_principal),
    session: Session = SESSION,
) -> FileResponse:
    """The photo's JPEG thumbnail (at most 320 pixels a side)."""
    return _file(store.open_thumbnail(session, city_code=city_code, sha256=sha256))


def _invalid_body(message: str) -> InvalidReport:
    return InvalidReport(message, code="request.invalid", details=[{"field": "(body)", "message": message}])


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


async def report_payload(request: Request) -> Any:
    """The body as JSON: strict UTF-8, no NaN or Infinity (the size was checked by the route)."""
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _invalid_body(
            f"the body is not UTF-8 (byte {exc.start}: {raw[exc.start : exc.start + 1]!r})"
        ) from exc
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise _invalid_body(f"the body is not JSON: {exc}") from exc


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic JSON schema with its `$defs` references written out (OpenAPI has no `$defs` there)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.rsplit("/", 1)[1]])
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value) for value in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result


_REPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": "The report in the JSON schema of the channel named in the path.",
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [_inline(c.schema.model_json_schema()) for _, c in sorted(CHANNELS.items())]
                }
            }
        },
    }
}


def channel_reporter(
    city_code: str,
    channel: Annotated[
        str, PathParam(description="The channel", json_schema_extra={"enum": sorted(CHANNELS)})
    ],
    principal: Principal = Depends(current_principal),
) -> Actor | None:
    """Who may report on this channel, checked before the body is read: None for the intake
    pipeline itself (public and system channels), or the inspector in person."""
    channel_for(channel)
    if channel in PUBLIC_CHANNELS:
        if principal.authenticated:
            check_city(principal, city_code)
        return None
    check_city(principal, city_code)
    if channel in STAFF_CHANNELS:
        check_role(principal, STAFF_CHANNELS[channel])
        if principal.kind != "staff":
            raise ForbiddenRole(f"the {channel} channel is for staff signed in with their own token")
        return Actor.from_principal(principal)
    if principal.kind != "system":
        raise ForbiddenRole(f"the {channel} channel is for systems of the city with an API key")
    return None


@router.post(
    "/cities/{city_code}/reports/{channel}",
    response_model=ReportResultOut,
    status_code=201,
    responses={200: {"model": ReportResultOut, "description": "A retry: the first result again."}},
    openapi_extra=_REPORT_BODY,
)
@body_limit(lambda: MAX_REPORT_BYTES, _body_too_large)
def post_report(
    city_code: str,
    channel: str,
    response: Response,
    actor: Actor | None = Depends(channel_reporter),
    payload: Any = Depends(report_payload),
    idempotency_key: Annotated[
        str | None,
        Header(max_length=200, description="Makes retries safe: the same key returns the first result."),
    ] = None,
    session: Session = SESSION,
) -> ReportResultOut:
    """Report a problem on a channel: it becomes a case, waits in a human queue, or is closed at intake.
    A retry with the same Idempotency-Key (or the channel's own id) returns the first result (200);
    the same key with another body is refused (409)."""
    result = process_report(
        session, city_code=city_code, channel=channel, payload=payload,
        idempotency_key=idempotency_key, actor=actor, now=get_clock().now(),
    )  # fmt: skip
    response.status_code = 200 if result.replay else 201
    report = result.report
    return ReportResultOut(
        report_id=report.id,
        status=report.status,
        reason=report.reason,
        case_number=result.case.number if result.case else None,
        master_case_number=result.master.number if result.master else None,
        replay=result.replay,
    )


def _normalised(report: Report, context: ChannelContext) -> NormalizedReport | None:
    """The report as its channel reads it (None if the channel no longer accepts what was stored)."""
    channel = CHANNELS.get(report.channel)
    if channel is None:
        return None
    try:
        parsed: BaseModel = channel.schema.model_validate(report.payload)
        return channel.normalise(parsed, context)
    except (ValidationError, CityLoopError):
        return None


def report_views(
    session: Session, city_code: str, rows: list[Report], *, with_contact: bool
) -> list[ReportOut]:
    """Reports as the queues show them; the reporter's contact only `with_contact` (operators)."""
    case_ids = [r.case_id for r in rows if r.case_id is not None]
    numbers: dict[int, str] = {}
    if case_ids:
        found = session.execute(
            select(Case.id, Case.number).where(Case.city_id == city_code, Case.id.in_(case_ids))
        )
        numbers = {case_id: number for case_id, number in found}
    context = ChannelContext(
        city_code=city_code,
        parameters=get_parameters(session, city_code).model_dump(),
        device=lambda device_id: device_record(session, city_code, device_id),
    )
    views = []
    for report in rows:
        seen = _normalised(report, context)
        view = ReportOut(
            id=report.id,
            channel=report.channel,
            status=report.status,
            reason=report.reason,
            case_number=numbers.get(report.case_id) if report.case_id else None,
            received_at=report.received_at,
            source=seen.source if seen else None,
            description=seen.description if seen else None,
            category=report.decision.get("category"),
            address=seen.address if seen else None,
            lon=seen.lon if seen else None,
            lat=seen.lat if seen else None,
            media=list(seen.media) if seen else [],
            reporter_ref=seen.reporter_ref if seen else None,
        )
        if with_contact:
            view.contact = seen.contact if seen else None
        views.append(view)
    return views


@router.get("/cities/{city_code}/reports", response_model=Page[ReportOut], response_model_exclude_unset=True)
def get_reports(
    city_code: str,
    params: Annotated[PageParams, Query()],
    status: ReportStatus | None = None,
    principal: Principal = Depends(READERS),
    session: Session = SESSION,
) -> dict[str, Any]:
    """The city's received reports, newest first; `status` picks a queue (manual_location, manual_category, …)."""
    rows: list[Report]
    rows, total = paginate(session, list_reports(session, city_code, status=status), params)
    views = report_views(session, city_code, rows, with_contact="operator" in principal.roles)
    return page_of(views, total, params)


@router.get(
    "/cities/{city_code}/reports/{report_id}", response_model=ReportOut, response_model_exclude_unset=True
)
def get_report(
    city_code: str,
    report_id: int,
    principal: Principal = Depends(READERS),
    session: Session = SESSION,
) -> ReportOut:
    """One received report and what became of it."""
    report = session.scalars(
        select(Report).where(Report.city_id == city_code, Report.id == report_id)
    ).first()
    if report is None:
        raise ReportNotFound(f"city {city_code} has no report {report_id}", details={"report_id": report_id})
    return report_views(session, city_code, [report], with_contact="operator" in principal.roles)[0]


class ResolveIn(BaseModel):
    """What the operator decided for a waiting report: its category, its place, or both."""

    category_code: Annotated[str | None, Field(pattern=r"^\d{5}$")] = None
    category_kind: Literal["matter", "component"] = "matter"
    lon: Annotated[float | None, Field(ge=-180, le=180)] = None
    lat: Annotated[float | None, Field(ge=-90, le=90)] = None


OPERATORS = require_roles("operator")


@router.post("/cities/{city_code}/reports/{report_id}/resolve", response_model=ReportResultOut)
def resolve_waiting_report(
    city_code: str,
    report_id: int,
    body: ResolveIn,
    principal: Principal = Depends(OPERATORS),
    session: Session = SESSION,
) -> ReportResultOut:
    """Place or categorise a report waiting in manual_location or manual_category; the pipeline goes on
    (de-duplication, registration, automatic steps). A refused choice leaves the report waiting."""
    result = resolve_report(
        session, city_code=city_code, report_id=report_id, actor=Actor.from_principal(principal),
        category_code=body.category_code, category_kind=body.category_kind, lon=body.lon, lat=body.lat,
        now=get_clock().now(),
    )  # fmt: skip
    report = result.report
    return ReportResultOut(
        report_id=report.id,
        status=report.status,
        reason=report.reason,
        case_number=result.case.number if result.case else None,
        master_case_number=result.master.number if result.master else None,
        replay=False,
    )
