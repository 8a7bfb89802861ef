"""Pieces shared by channel schemas: codes, hashes, coordinates, reporter references."""

from __future__ import annotations

import hashlib
from typing import Annotated

from pydantic import Field, StringConstraints

from cityloop.intake.channels.base import NormalizedReport

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
CategoryCode = Annotated[str, StringConstraints(pattern=r"^\d{5}$")]
ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=2000)]
MediaList = Annotated[list[Sha256], Field(max_length=9)]


def reporter_ref(*contacts: str | None) -> str | None:
    """An opaque, stable reference for a reporter (never the contact itself)."""
    for contact in contacts:
        if contact and contact.strip():
            return "citizen:" + hashlib.sha256(contact.strip().lower().encode("utf-8")).hexdigest()[:16]
    return None


def set_point(report: NormalizedReport, lon: float | None, lat: float | None) -> None:
    """Take a point when it is a real longitude/latitude; otherwise keep the reason for manual location."""
    if lon is None and lat is None:
        return
    if lon is None or lat is None:
        report.extra["location_problem"] = "only one of lon/lat was given"
    elif not (-180 <= lon <= 180 and -90 <= lat <= 90):
        report.extra["location_problem"] = f"({lon}, {lat}) is not a longitude/latitude"
    else:
        report.lon, report.lat = lon, lat
