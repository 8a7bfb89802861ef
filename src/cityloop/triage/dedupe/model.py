"""What the de-duplicator reads (a report) and what it decides."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Report:
    """A report or case as the de-duplicator sees it; any of the location fields may be missing.

    `component` names a device or component (a lamp post id, a manhole) when known: two reports of
    different components are never duplicates. `channel` is how it came in (app, phone, staff).
    """

    id: str
    category: str
    opened_at: datetime
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    text: str = ""
    closed_at: datetime | None = None
    component: str | None = None
    channel: str = ""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A candidate master with its score and the reason in words."""

    case_id: str
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class Decision:
    """Merge (is_duplicate with master_id), suggest (suggestions only) or new (neither)."""

    report_id: str
    is_duplicate: bool
    master_id: str | None
    score: float
    reason: str
    suggestions: tuple[Suggestion, ...] = field(default=())
