"""Cases, their tasks, evidence, followers and the hash-chained timeline.

A case is one problem in the city; a task is one step someone must do for it (verify,
accept, file, dispatch, handle, check, close, callback, review, approve); every change of a
case appends one timeline event whose hash covers its content and the previous event's
hash, per case and per city (`ChainHead`), so that an altered or deleted event is found.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cityloop.db.base import Base, CityOwned, Timestamped
from cityloop.db.types import JSONType
from cityloop.org.models import Department


class Case(CityOwned, Timestamped, Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("city_id", "number"),
        Index("ix_cases_city_state", "city_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: Readable number `{city}-{yyyymmdd}-{seq}` (local date of the city).
    number: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(20))
    standard: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    category_code: Mapped[str] = mapped_column(String(10))
    urgency: Mapped[str] = mapped_column(String(10), default="normal")
    state: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str | None] = mapped_column(String(300))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    h3_cell: Mapped[str | None] = mapped_column(String(20), index=True)
    grid_code: Mapped[str | None] = mapped_column(String(15), index=True)
    community_code: Mapped[str | None] = mapped_column(String(12))
    street_code: Mapped[str | None] = mapped_column(String(9))
    district_code: Mapped[str | None] = mapped_column(String(6))
    area_class: Mapped[str] = mapped_column(String(10), default="urban")
    component_id: Mapped[str | None] = mapped_column(String(17))
    #: Who reported it: a staff username, a device id, or an opaque citizen reference.
    reporter_ref: Mapped[str | None] = mapped_column(String(100))
    reporter_staff_id: Mapped[int | None] = mapped_column(ForeignKey("org_staff.id", ondelete="SET NULL"))
    registration_condition_id: Mapped[int | None] = mapped_column(Integer)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("org_departments.id", ondelete="SET NULL"))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("org_staff.id", ondelete="SET NULL"))
    master_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    self_handled: Mapped[bool] = mapped_column(default=False)
    #: A request waiting for approval: {"kind": "void|return|extension|suspension", "by": ..., ...}.
    pending: Mapped[dict[str, Any] | None] = mapped_column(JSONType(), default=None)
    #: The disposal time limit chosen at filing, {"amount": .., "unit": ..}.
    disposal_limit: Mapped[dict[str, Any] | None] = mapped_column(JSONType(), default=None)
    disposal_due_at: Mapped[datetime | None]
    satisfaction: Mapped[str | None] = mapped_column(String(10))
    closed_at: Mapped[datetime | None]
    reported_at: Mapped[datetime]
    last_event_seq: Mapped[int] = mapped_column(Integer, default=0)
    head_hash: Mapped[str | None] = mapped_column(String(64))

    department: Mapped[Department | None] = relationship(foreign_keys=[department_id])
    tasks: Mapped[list[Task]] = relationship(back_populates="case", order_by="Task.id")
    evidence: Mapped[list[Evidence]] = relationship(back_populates="case", order_by="Evidence.id")
    followers: Mapped[list[Follower]] = relationship(back_populates="case", order_by="Follower.id")


class Task(CityOwned, Base):
    """One step that someone must do, with its time limit and whether it was done on time."""

    __tablename__ = "case_tasks"
    __table_args__ = (Index("ix_case_tasks_open", "city_id", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20))
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_staff.id", ondelete="SET NULL"), index=True
    )
    department_id: Mapped[int | None] = mapped_column(ForeignKey("org_departments.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | done | cancelled
    started_at: Mapped[datetime]
    #: The time limit, {"amount": .., "unit": ..}; None for tasks without one.
    time_limit: Mapped[dict[str, Any] | None] = mapped_column(JSONType(), default=None)
    due_at: Mapped[datetime | None]
    paused_at: Mapped[datetime | None]
    #: Clock time covered by finished pauses and added by extensions (already in `due_at`).
    paused_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    extended_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    extensions: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("org_staff.id", ondelete="SET NULL"))
    on_time: Mapped[bool | None]
    overdue_at: Mapped[datetime | None]
    escalated_to: Mapped[str | None] = mapped_column(String(20))

    case: Mapped[Case] = relationship(back_populates="tasks")


class Evidence(CityOwned, Base):
    """A photo or file attached to a case, stored by its sha256."""

    __tablename__ = "case_evidence"
    __table_args__ = (UniqueConstraint("case_id", "sha256", "phase"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    phase: Mapped[str] = mapped_column(String(10))  # before | after | other
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str | None] = mapped_column(String(200))
    uploaded_by: Mapped[str | None] = mapped_column(String(100))
    uploaded_at: Mapped[datetime]

    case: Mapped[Case] = relationship(back_populates="evidence")


class Follower(CityOwned, Base):
    """Someone who wants news of a case: the reporter, and reporters of its duplicates."""

    __tablename__ = "case_followers"
    __table_args__ = (UniqueConstraint("case_id", "ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(100))
    since: Mapped[datetime]

    case: Mapped[Case] = relationship(back_populates="followers")


class CaseCounter(CityOwned, Base):
    """The last sequence number given to a case of one city on one local day."""

    __tablename__ = "case_counters"
    __table_args__ = (UniqueConstraint("city_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date)
    last: Mapped[int] = mapped_column(Integer, default=0)


class TimelineEvent(CityOwned, Base):
    """One event of a case's history; `hash` covers its content and both previous hashes."""

    __tablename__ = "case_events"
    __table_args__ = (
        UniqueConstraint("case_id", "seq"),
        UniqueConstraint("city_id", "city_seq"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: Position in the case's chain (1, 2, …) and in the city's chain.
    seq: Mapped[int] = mapped_column(Integer)
    city_seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    actor_kind: Mapped[str] = mapped_column(String(10))  # staff | system | citizen
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str | None] = mapped_column(String(100))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    rule: Mapped[str | None] = mapped_column(String(200))
    confidence: Mapped[float | None] = mapped_column(Float)
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType(), default=dict)
    evidence: Mapped[list[Any]] = mapped_column(JSONType(), default=list)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    city_prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ChainHead(Base):
    """The newest event hash of a city and the number of events: deleting a whole case shows."""

    __tablename__ = "case_chain_heads"

    city_id: Mapped[str] = mapped_column(
        String(6), ForeignKey("cities.code", ondelete="CASCADE"), primary_key=True
    )
    head_hash: Mapped[str | None] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer, default=0)
