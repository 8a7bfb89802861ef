"""Input and output shapes of the staff API of the loop (cases, tasks, timeline, evidence)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Source = Literal["inspector", "citizen", "hotline", "camera", "sensor", "drone", "sms", "open311"]
Urgency = Literal["normal", "urgent"]
Light = Literal["green", "yellow", "red"]
Phase = Literal["before", "after", "other"]


class CaseCreate(BaseModel):
    """A case from a staff channel: an inspector's report (possibly fixed on the spot), or a public
    report (citizen, hotline, camera, …) registered by an operator or a system."""

    model_config = ConfigDict(extra="forbid")

    source: Source = "inspector"
    category_code: str = Field(min_length=2, max_length=10, pattern=r"^[0-9A-Za-z]+$")
    kind: Literal["matter", "component"] = "matter"
    standard: str | None = Field(default=None, max_length=40)
    description: str = Field(default="", max_length=4000)
    lon: float | None = None
    lat: float | None = None
    address: str | None = Field(default=None, max_length=300)
    urgency: Urgency = "normal"
    component_id: str | None = Field(default=None, max_length=17)
    reporter_ref: str | None = Field(default=None, max_length=100)
    self_handled: bool = False
    #: The city trusts this channel: the report skips verification (REPORTED at once).
    trusted: bool = False
    evidence: list[str] = Field(default_factory=list, max_length=50)


class ActionIn(BaseModel):
    """The body of an action: a reason (required by some actions), its data, and evidence hashes."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=4000)
    data: dict[str, Any] = Field(default_factory=dict)
    evidence: list[str] = Field(default_factory=list, max_length=50)


class CategoryIn(BaseModel):
    category_code: str = Field(pattern=r"^\d{5}$", description="The matter (or component) code, e.g. 06013.")
    kind: Literal["matter", "component"] = "matter"
    reason: str = Field(min_length=1, max_length=500)


class TaskOut(BaseModel):
    id: int
    kind: str
    role: str
    department: str | None
    status: str
    started_at: datetime
    due_at: datetime | None
    paused: bool
    done_at: datetime | None
    on_time: bool | None
    overdue_at: datetime | None
    escalated_to: str | None
    #: Only for open tasks with a time limit: the traffic light and working (or clock) minutes left.
    light: Light | None
    remaining_minutes: int | None


class MyTaskOut(TaskOut):
    case: str
    case_state: str
    category_code: str
    address: str | None


class EvidenceOut(BaseModel):
    sha256: str
    phase: str
    content_type: str
    size: int
    filename: str | None
    uploaded_by: str | None
    uploaded_at: datetime


class EventOut(BaseModel):
    seq: int
    at: datetime
    actor_kind: str
    actor_name: str | None
    actor_role: str | None
    rule: str | None
    confidence: float | None
    action: str
    from_state: str | None
    to_state: str
    reason: str | None
    data: dict[str, Any]
    evidence: list[str]
    hash: str


class CaseOut(BaseModel):
    number: str
    state: str
    source: str
    standard: str
    kind: str
    category_code: str
    urgency: str
    description: str
    address: str | None
    lon: float | None
    lat: float | None
    grid_code: str | None
    community_code: str | None
    street_code: str | None
    district_code: str | None
    department: str | None
    self_handled: bool
    #: The kind of request waiting for approval (void, return, extension, suspension), if any.
    pending: str | None
    disposal_due_at: datetime | None
    satisfaction: str | None
    reported_at: datetime
    closed_at: datetime | None
    #: The worst light of the case's open timed tasks (None when nothing is running).
    light: Light | None
    overdue: bool


class CaseDetailOut(CaseOut):
    tasks: list[TaskOut]
    timeline: list[EventOut]
    evidence: list[EvidenceOut]


class CasePage(BaseModel):
    items: list[CaseOut]
    #: Pass as `after` to get the next page; None on the last page.
    next_cursor: str | None
