"""Evidence files: photos and documents stored by their sha256, checked by their first bytes.

Files live under `CITYLOOP_VAR_DIR/media/{city}/{aa}/{sha256}` (content-addressed, so the
same photo uploaded twice is stored once); the `Evidence` row ties a hash to a case and a
phase (before, after, other). The type is decided by magic bytes, never by what the client
claims. Also here: reading a `multipart/form-data` upload with the standard library, capped
at the size limit while it streams in.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cityloop.cases.errors import InvalidCaseData
from cityloop.cases.models import Case, Evidence
from cityloop.core.clock import get_clock
from cityloop.core.errors import CityLoopError
from cityloop.settings import load_settings

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


def sniff_type(content: bytes) -> str | None:
    """The content type told by the file's first bytes: JPEG, PNG, WebP or PDF; None otherwise."""
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(content) >= 12 and content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def media_path(city_code: str, sha256: str) -> Path:
    """Where the file with this hash is kept for the city."""
    return load_settings().var_dir / "media" / city_code / sha256[:2] / sha256


def _write_once(path: Path, content: bytes) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    if len(content) > MAX_EVIDENCE_BYTES:
        raise EvidenceTooLarge(
            f"evidence file is {len(content)} bytes; the limit is {MAX_EVIDENCE_BYTES} bytes",
            details={"size": len(content), "limit": MAX_EVIDENCE_BYTES},
        )
    content_type = sniff_type(content)
    if content_type is None:
        raise EvidenceType(
            "evidence must be a JPEG, PNG or WebP photo or a PDF (decided by the file's content)",
            details={"allowed": ["image/jpeg", "image/png", "image/webp", "application/pdf"]},
        )
    sha256 = hashlib.sha256(content).hexdigest()
    existing = session.scalar(
        select(Evidence).where(
            Evidence.city_id == case.city_id,
            Evidence.case_id == case.id,
            Evidence.sha256 == sha256,
            Evidence.phase == phase,
        )
    )
    if existing is not None:
        return existing
    _write_once(media_path(case.city_id, sha256), content)
    evidence = Evidence(
        city_id=case.city_id,
        case=case,
        sha256=sha256,
        phase=phase,
        content_type=content_type,
        size=len(content),
        filename=(filename or None) and Path(filename).name[:200],
        uploaded_by=uploaded_by,
        uploaded_at=now or get_clock().now(),
    )
    session.add(evidence)
    session.flush()
    return evidence


@dataclass(frozen=True)
class Upload:
    """A file read from a multipart form, with the form's other text fields."""

    content: bytes
    filename: str | None
    fields: dict[str, str]


async def read_limited(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    """The whole body, refusing (413) as soon as it grows past `limit` bytes."""
    body = bytearray()
    async for chunk in chunks:
        body.extend(chunk)
        if len(body) > limit:
            raise EvidenceTooLarge(
                f"the upload is larger than the limit of {MAX_EVIDENCE_BYTES} bytes",
                details={"limit": MAX_EVIDENCE_BYTES},
            )
    return bytes(body)


def upload_limit() -> int:
    """The most bytes a request body carrying one evidence file may have."""
    return MAX_EVIDENCE_BYTES + _FRAMING_BYTES


def _bad_form(message: str) -> InvalidCaseData:
    return InvalidCaseData(message, code="request.invalid", details=[{"field": "body", "message": message}])


def _boundary(content_type: str) -> bytes:
    kind, _, params = content_type.partition(";")
    if kind.strip().lower() != "multipart/form-data":
        raise _bad_form("send the file as multipart/form-data with fields 'file' and 'phase'")
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "boundary" and value:
            return value.strip('"').encode()
    raise _bad_form("multipart/form-data without a boundary")


def _disposition(headers: bytes) -> dict[str, str]:
    params: dict[str, str] = {}
    for line in headers.decode("utf-8", "replace").split("\r\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() != "content-disposition":
            continue
        for item in value.split(";")[1:]:
            key, _, val = item.strip().partition("=")
            params[key.lower()] = val.strip().strip('"')
    return params


def parse_multipart(body: bytes, content_type: str) -> Upload:
    """The `file` part and the text fields of a multipart/form-data body."""
    delimiter = b"--" + _boundary(content_type)
    content: bytes | None = None
    filename: str | None = None
    fields: dict[str, str] = {}
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        headers, sep, data = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not sep:
            raise _bad_form("a multipart part has no header end")
        data = data.removesuffix(b"\r\n")
        params = _disposition(headers)
        name = params.get("name")
        if name == "file":
            content, filename = data, params.get("filename")
        elif name:
            fields[name] = data.decode("utf-8", "replace")
    if content is None:
        raise _bad_form("the form has no 'file' part")
    return Upload(content=content, filename=filename, fields=fields)
