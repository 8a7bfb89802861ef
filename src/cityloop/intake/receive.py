"""Receiving a report: validate it against its channel's schema, store it as given, make retries idempotent."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cityloop.intake.channels import CHANNELS
from cityloop.intake.channels.base import Channel, ChannelContext, NormalizedReport
from cityloop.intake.errors import IdempotencyConflict, InvalidReport, UnknownChannel
from cityloop.intake.models import Report


def channel_for(name: str) -> Channel:
    channel = CHANNELS.get(name)
    if channel is None:
        raise UnknownChannel(f"unknown channel {name!r}", details={"known": sorted(CHANNELS)})
    return channel


def parse_payload(channel: Channel, payload: Any) -> BaseModel:
    """The payload as the channel's schema; errors name each field and rule."""
    if not isinstance(payload, dict):
        raise InvalidReport(
            "a report must be a JSON object", details=[{"field": "", "message": "not an object"}]
        )
    try:
        return channel.schema.model_validate(payload)
    except ValidationError as exc:
        problems = [
            {"field": ".".join(str(p) for p in err["loc"]) or "(body)", "message": err["msg"]}
            for err in exc.errors()
        ]
        first = problems[0]
        raise InvalidReport(
            f"{channel.name} report: {first['field']}: {first['message']}", details=problems
        ) from exc


def body_hash(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class Received:
    report: Report
    normalized: NormalizedReport
    #: True when this is a retry of a report already received: `report` is the first one.
    replay: bool


def do_receive(
    session: Session,
    *,
    city_code: str,
    channel_name: str,
    payload: Any,
    context: ChannelContext,
    idempotency_key: str | None = None,
    now: datetime,
) -> Received:
    """Store a report as given, once: a retry with the same key and body returns the first report,
    the same key with another body is refused (409)."""
    channel = channel_for(channel_name)
    parsed = parse_payload(channel, payload)
    normalized = channel.normalise(parsed, context)
    digest = body_hash(payload)
    key = idempotency_key or (f"{channel_name}:{normalized.external_id}" if normalized.external_id else None)
    if key is not None and len(key) > 200:
        raise InvalidReport(
            "idempotency key longer than 200 characters", details=[{"field": "Idempotency-Key"}]
        )
    report = Report(
        city_id=city_code,
        channel=channel_name,
        idempotency_key=key,
        body_sha256=digest,
        payload=json.loads(json.dumps(payload, ensure_ascii=False, default=str)),
        received_at=now,
        status="received",
        decision={},
    )
    if key is None:  # nothing to be idempotent about: one insert, no savepoint
        session.add(report)
        session.flush()
        return Received(report=report, normalized=normalized, replay=False)
    # Insert first and look for the first report only when the key is taken (a retry, or the
    # same key arriving concurrently): new reports, the common case, cost no extra query.
    try:
        with session.begin_nested():
            session.add(report)
            session.flush()
    except IntegrityError:
        first = _existing(session, city_code, key)
        if first is None:
            raise
        return _replay(first, digest, key, normalized)
    return Received(report=report, normalized=normalized, replay=False)


def _existing(session: Session, city_code: str, key: str) -> Report | None:
    return session.scalars(
        select(Report).where(Report.city_id == city_code, Report.idempotency_key == key)
    ).first()


def _replay(first: Report, digest: str, key: str, normalized: NormalizedReport) -> Received:
    if first.body_sha256 != digest:
        raise IdempotencyConflict(
            f"idempotency key {key!r} was used before with a different report",
            details={"key": key, "first_report": first.id},
        )
    return Received(report=first, normalized=normalized, replay=True)
