"""Evidence files: photos and documents of a case, kept in the city's media store.

The file itself goes through `intake.media.store_media` (stored once by its sha256, typed by
decoding it, EXIF stripped from what is served, thumbnails for photos; staff may also attach
PDFs, stored as sent); the `Evidence` row ties a hash to a case and a phase (before, after,
other). Refusals keep the codes of this package: `cases.evidence_type` (415) and
`cases.evidence_too_large` (413).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases.errors import InvalidCaseData
from cityloop.cases.models import Case, Evidence
from cityloop.core.clock import get_clock
from cityloop.core.errors import CityLoopError
from cityloop.intake.errors import MediaRejected, MediaTooLarge
from cityloop.intake.media import store_media

#: The largest evidence file accepted, in bytes.
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
#: Room for the multipart framing (boundaries, part headers, the phase field) around the file.
_FRAMING_BYTES = 64 * 1024
PHASES = ("before", "after", "other")


class EvidenceTooLarge(CityLoopError):
    status = 413
    default_code = "cases.evidence_too_large"


class EvidenceType(CityLoopError):
    status = 415
    default_code = "cases.evidence_type"


def upload_limit() -> int:
    """The most bytes a request body carrying one evidence file may have."""
    return MAX_EVIDENCE_BYTES + _FRAMING_BYTES


def upload_too_large(limit: int) -> EvidenceTooLarge:
    """The refusal of an upload whose body grew past `limit` bytes."""
    return EvidenceTooLarge(
        f"the upload is larger than the limit of {MAX_EVIDENCE_BYTES} bytes",
        details={"limit": MAX_EVIDENCE_BYTES},
    )


def do_store_evidence(
    session: Session,
    *,
    case: Case,
    content: bytes,
    phase: str,
    filename: str | None = None,
    uploaded_by: str | None = None,
    now: datetime | None = None,
) -> Evidence:
    """Keep `content` as evidence of `case` in `phase`; uploading the same file again returns the first row."""
    if phase not in PHASES:
        raise InvalidCaseData(
            f"phase must be one of {', '.join(PHASES)}, got {phase!r}", details={"field": "phase"}
        )
    at = now or get_clock().now()
    try:
        media = store_media(
            session, city_code=case.city_id, content=content, filename=filename, now=at,
            allow_pdf=True, max_bytes=MAX_EVIDENCE_BYTES,
        )  # fmt: skip
    except MediaTooLarge as exc:
        raise EvidenceTooLarge(exc.message, details=exc.details) from exc
    except MediaRejected as exc:
        raise EvidenceType(exc.message, details=exc.details) from exc
    existing = session.scalar(
        select(Evidence).where(
            Evidence.city_id == case.city_id,
            Evidence.case_id == case.id,
            Evidence.sha256 == media.sha256,
            Evidence.phase == phase,
        )
    )
    if existing is not None:
        return existing
    evidence = Evidence(
        city_id=case.city_id,
        case=case,
        sha256=media.sha256,
        phase=phase,
        content_type=media.content_type,
        size=media.size,
        filename=(filename or None) and Path(filename).name[:200],
        uploaded_by=uploaded_by,
        uploaded_at=at,
    )
    session.add(evidence)
    session.flush()
    return evidence
