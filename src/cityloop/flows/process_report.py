"""One pipeline for every channel: receive → locate → categorise → register → timeline.

A report from a grandmother's phone call and one from an AI camera end up as the same kind
of case. What cannot be decided safely goes to a human queue instead of a guess: a report
without a usable location waits for manual location, one without a category for manual
classification; both keep the reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from cityloop.cases import Actor, Case, do_create_case, do_merge
from cityloop.cities import get_parameters
from cityloop.core.clock import get_clock
from cityloop.flows.alarms import fold_alarm, open_alarm
from cityloop.flows.automation import advance
from cityloop.flows.duplicates import check_duplicate
from cityloop.flows.report_result import ProcessResult
from cityloop.geo import locate
from cityloop.intake import ChannelContext, NormalizedReport, Report, device_record, do_receive
from cityloop.intake.errors import InvalidReport
from cityloop.intake.keywords import match
from cityloop.intake.media import check_media
from cityloop.taxonomy import find_category
from cityloop.triage import categorise
from cityloop.triage.locate import Gazetteer, locate_text


def channel_context(session: Session, city_code: str) -> ChannelContext:
    return ChannelContext(
        city_code=city_code,
        parameters=get_parameters(session, city_code).model_dump(),
        device=lambda device_id: device_record(session, city_code, device_id),
    )


def _categorise(
    session: Session, city_code: str, report: NormalizedReport
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """(the category, the top-3 candidates) — the category is None when a person must choose.

    Without a chosen code the city's model (when it has one) and the cold-start knowledge score
    the text (`triage.categorise`); the top candidate is taken when its confidence reaches the
    city's `category_confidence_threshold`. Only when they find nothing at all does the interim
    keyword match get a say.
    """
    if report.category_code:
        category = find_category(
            session, code=report.category_code, kind=report.category_kind, city_code=city_code
        )
        if category is None:
            raise InvalidReport(
                f"unknown category {report.category_kind} {report.category_code}",
                code="intake.unknown_category",
                details=[{"field": "category_code", "message": "not in the city's taxonomy"}],
            )
        confidence = report.category_confidence if report.category_confidence is not None else 1.0
        chosen = {
            "kind": category.kind,
            "code": category.code,
            "confidence": confidence,
            "reason": report.extra.get("category_chosen_by", "chosen by the reporter"),
        }
        return chosen, []
    text = report.category_text or report.description
    top: list[dict[str, Any]] = [
        {
            "kind": c.kind,
            "code": c.code,
            "name": c.name,
            "confidence": round(c.confidence, 3),
            "reason": c.reason,
        }
        for c in categorise(city_code, text, k=3)
    ]
    if top:
        threshold = get_parameters(session, city_code).category_confidence_threshold
        if float(top[0]["confidence"]) >= threshold:
            return dict(top[0]), top
        return None, top
    found = match(text)
    if found is None:
        return None, []
    return {
        "kind": found.kind,
        "code": found.code,
        "confidence": found.confidence,
        "reason": found.reason,
    }, []


def process_report(
    session: Session,
    *,
    city_code: str,
    channel: str,
    payload: Any,
    idempotency_key: str | None = None,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> ProcessResult:
    """Turn one received report into a case (or a queued report); idempotent per key.

    All or nothing: a report that is refused at any step leaves nothing behind (a savepoint).
    """
    with session.begin_nested():
        return _process(
            session, city_code, channel, payload, idempotency_key, actor, now or get_clock().now()
        )


def _process(
    session: Session,
    city_code: str,
    channel: str,
    payload: Any,
    idempotency_key: str | None,
    actor: Actor | None,
    at: datetime,
) -> ProcessResult:
    received = do_receive(
        session, city_code=city_code, channel_name=channel, payload=payload,
        context=channel_context(session, city_code), idempotency_key=idempotency_key, now=at,
    )  # fmt: skip
    report, normalized = received.report, received.normalized
    if received.replay:
        case = session.get(Case, report.case_id) if report.case_id else None
        master = session.get(Case, case.master_id) if case is not None and case.master_id else None
        return ProcessResult(report=report, case=case, replay=True, master=master)
    check_media(session, city_code=city_code, hashes=normalized.media)
    if normalized.close_reason:
        return _finish(report, "closed_at_intake", normalized.close_reason)
    if normalized.device_id is not None and normalized.alarm_class is not None:
        folded = fold_alarm(session, report=report, normalized=normalized, at=at)
        if folded is not None:
            return folded
    return register_normalized(session, city_code, channel, report, normalized, actor, at)


def register_normalized(
    session: Session,
    city_code: str,
    channel: str,
    report: Report,
    normalized: NormalizedReport,
    actor: Actor | None,
    at: datetime,
) -> ProcessResult:
    """Locate, categorise, de-duplicate and register a received report (or queue it for a person)."""
    located, problem = _locate(session, city_code, normalized)
    if problem is not None:
        report.decision = {"location": located} if located else {}
        return _finish(report, "manual_location", problem)
    category, candidates = _categorise(session, city_code, normalized)
    if category is None:
        report.decision = {"candidates": candidates, **({"location": located} if located else {})}
        if candidates:
            best = candidates[0]
            why = f"the best guess {best['code']} {best['name']} has confidence {best['confidence']:.2f}, too low"
        else:
            why = "no category was chosen and none could be recognised in the text"
        return _finish(report, "manual_category", why)
    params = get_parameters(session, city_code)
    trusted = normalized.source in params.trusted_sources and not normalized.needs_verification
    creator = actor or Actor.system(
        city_code, rule=f"intake:{channel}", roles=frozenset({"operator"}), confidence=category["confidence"]
    )
    assert normalized.lon is not None and normalized.lat is not None  # _locate placed it
    duplicate = check_duplicate(
        session, city_code, category_code=category["code"], lon=normalized.lon, lat=normalized.lat,
        text=normalized.description, address=normalized.address, component_id=normalized.component_id, at=at,
    )  # fmt: skip
    case = do_create_case(
        session, city_code=city_code, actor=creator, source=normalized.source,
        category_code=category["code"], kind=category["kind"], description=normalized.description,
        lon=normalized.lon, lat=normalized.lat, address=normalized.address, urgency=normalized.urgency,
        component_id=normalized.component_id, reporter_ref=normalized.reporter_ref,
        self_handled=normalized.self_handled, trusted=trusted, evidence=normalized.media, now=at,
        decision=(
            decision := {
                "category": category,
                **({"candidates": candidates} if candidates else {}),
                **({"location": located} if located else {}),
                "duplicates": duplicate.as_dict(),
            }
        ),
    )  # fmt: skip
    status = "registered"
    if duplicate.master is not None:
        do_merge(
            session, city_code=city_code, number=case.number, master_number=duplicate.master.number,
            actor=Actor.system(city_code, rule="dedupe", roles=frozenset({"operator"}), confidence=duplicate.score),
            reason=duplicate.reason, score=duplicate.score, now=at,
        )  # fmt: skip
        status = "duplicate"
    # Set with the status, after the case exists: one UPDATE of the report instead of two.
    report.case_id, report.status, report.decision = case.id, status, decision
    if normalized.device_id is not None and normalized.alarm_class is not None:
        open_alarm(session, report=report, normalized=normalized, case=case, at=at)
    if status == "registered":
        advance(session, case, at)
    session.flush()
    return ProcessResult(report=report, case=case, master=duplicate.master)


def _locate(
    session: Session, city_code: str, report: NormalizedReport
) -> tuple[dict[str, Any] | None, str | None]:
    """(how the point was found, why it still needs a person); the problem is None when the
    report has a point inside the city. An address without a point goes through the city's
    gazetteer: a confident match gives the report its point, a weak one is kept as a
    suggestion for the person who places it."""
    problem = report.extra.get("location_problem")
    if problem:
        return None, str(problem)
    found: dict[str, Any] | None = None
    if (report.lon is None or report.lat is None) and report.address:
        match = locate_text(Gazetteer.from_session(session, city_code), report.address)
        if match is None:
            return None, f"the address 「{report.address}」 matches no road, place or area of the city"
        found = {"by": "gazetteer", **match.as_dict()}
        threshold = get_parameters(session, city_code).locate_confidence_threshold
        if match.confidence < threshold:
            return found, (
                f"the address matched {match.kind} 「{match.name}」 with confidence {match.confidence:.2f}, "
                f"below {threshold:.2f}: a person places it"
            )
        report.lon, report.lat = match.lon, match.lat
    if report.lon is None or report.lat is None:
        return None, "no location was given"
    if locate(session, city_code, report.lon, report.lat) is None:
        return found, f"({report.lon}, {report.lat}) lies outside the city's areas"
    return found, None


def _finish(report: Report, status: str, reason: str) -> ProcessResult:
    report.status, report.reason = status, reason
    return ProcessResult(report=report, case=None)
