"""Output shapes of the intake API: uploaded media, the result of a report, reports in the queues.

The input of a report is the JSON schema of its channel (`intake.channels`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class MediaOut(BaseModel):
    """An uploaded photo: cite its `sha256` in the `media` list of a report."""

    sha256: str
    content_type: str
    width: int | None
    height: int | None
    thumbnail_url: str | None = Field(description="The JPEG thumbnail; none for a PDF.")


class ReportResultOut(BaseModel):
    """What became of a report: a case, a human queue (manual_location, manual_category), or closed."""

    report_id: int
    status: str
    reason: str | None
    case_number: str | None
    master_case_number: str | None = Field(
        default=None,
        description="Status duplicate: the case this report repeats (its own case is void as 重复上报, "
        "and the reporter now follows the master).",
    )
    replay: bool = Field(description="True when this retry returned the first result (HTTP 200).")


class ReportOut(BaseModel):
    """A received report as the intake queues show it; `contact` is present for operators only."""

    id: int
    channel: str
    status: str
    reason: str | None
    case_number: str | None
    received_at: datetime
    source: str | None
    description: str | None
    category: dict[str, Any] | None
    address: str | None
    lon: float | None
    lat: float | None
    media: list[str]
    reporter_ref: str | None
    contact: dict[str, Any] | None = None
