"""A person resolves a report that waited in a human queue: they place it, or choose its category.

A report goes to `manual_location` when its place could not be found and to `manual_category`
when no category was confident enough (DOMAIN.md: low confidence goes to a person, not a
guess). The operator's choice is applied to the report as its channel read it, and the
pipeline goes on from there — de-duplication, registration, the automatic steps — with the
operator's name on the decision.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases import Actor
from cityloop.cases.errors import ActionNotAllowed
from cityloop.core.clock import get_clock
from cityloop.core.errors import Conflict, NotFound, ValidationFailed
from cityloop.flows.process_report import channel_context, register_normalized
from cityloop.flows.report_result import ProcessResult
from cityloop.intake import CHANNELS, Report

WAITING = ("manual_location", "manual_category")


class ReportNotWaiting(Conflict):
    default_code = "intake.report_not_waiting"


class WaitingReportNotFound(NotFound):
    default_code = "intake.report_not_found"


class NothingChosen(ValidationFailed):
    default_code = "intake.nothing_chosen"


def resolve_report(
    session: Session,
    *,
    city_code: str,
    report_id: int,
    actor: Actor,
    category_code: str | None = None,
    category_kind: str = "matter",
    lon: float | None = None,
    lat: float | None = None,
    now: datetime | None = None,
) -> ProcessResult:
    """Apply an operator's place and/or category to a waiting report and carry on the pipeline.

    All or nothing: a choice the pipeline refuses (an unknown code, a point outside the city)
    leaves the report waiting as it was.
    """
    at = now or get_clock().now()
    actor.check_city(city_code)
    if "operator" not in actor.roles:
        raise ActionNotAllowed(
            "resolving a waiting report needs the role operator", details={"held": sorted(actor.roles)}
        )
    if category_code is None and lon is None and lat is None:
        raise NothingChosen("choose a category (category_code) or a place (lon, lat), or both")
    if (lon is None) != (lat is None):
        raise NothingChosen("give both lon and lat", details={"field": "location"})
    report = session.scalars(
        select(Report).where(Report.city_id == city_code, Report.id == report_id).with_for_update()
    ).first()
    if report is None:
        raise WaitingReportNotFound(f"report {report_id} does not exist in city {city_code}")
    if report.status not in WAITING:
        raise ReportNotWaiting(
            f"report {report_id} is {report.status}, not waiting for a person",
            details={"status": report.status, "waiting": list(WAITING)},
        )
    channel = CHANNELS[report.channel]
    normalized = channel.normalise(
        channel.schema.model_validate(report.payload), channel_context(session, city_code)
    )
    if lon is not None and lat is not None:
        normalized.lon, normalized.lat = lon, lat
        normalized.extra.pop("location_problem", None)
    if category_code is not None:
        normalized.category_code, normalized.category_kind = category_code, category_kind
        normalized.category_confidence = 1.0
        normalized.extra["category_chosen_by"] = f"chosen by {actor.name} from the queue"
    with session.begin_nested():
        result = register_normalized(session, city_code, report.channel, report, normalized, actor, at)
        result.report.decision = {**result.report.decision, "resolved_by": actor.name}
        return result
