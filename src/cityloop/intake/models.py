"""What arrives: raw reports with their idempotency keys and outcome, devices, and device alarm state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cityloop.db.base import Base, CityOwned, Timestamped
from cityloop.db.types import JSONType


class Report(CityOwned, Base):
    """One report as received from a channel, kept as given, and what became of it."""

    __tablename__ = "intake_reports"
    __table_args__ = (
        UniqueConstraint("city_id", "idempotency_key"),
        Index("ix_intake_reports_status", "city_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(20))
    #: The key that makes a retry return the first result: the Idempotency-Key header, else
    #: `{channel}:{the channel's own id}`; None when the sender gave neither.
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    body_sha256: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType())
    received_at: Mapped[datetime]
    #: registered | folded | closed_at_intake | manual_location | manual_category | recovered | ignored
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    #: What intake decided, for the queues and the timeline: category and location with confidence.
    decision: Mapped[dict[str, Any]] = mapped_column(JSONType(), default=dict)


class Device(CityOwned, Timestamped, Base):
    """A camera or sensor of the city's device registry (city pack `devices.yaml`)."""

    __tablename__ = "intake_devices"
    __table_args__ = (UniqueConstraint("city_id", "device_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10))  # camera | sensor
    device_type: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str | None] = mapped_column(String(200))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    grid_code: Mapped[str | None] = mapped_column(String(15))
    owner_department: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)


class DeviceState(CityOwned, Base):
    """The alarm state of one device for one alarm class (camera algorithm or sensor metric)."""

    __tablename__ = "intake_device_states"
    __table_args__ = (UniqueConstraint("city_id", "device_id", "alarm_class"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(64))
    alarm_class: Mapped[str] = mapped_column(String(60))
    in_alarm: Mapped[bool] = mapped_column(default=False)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    count: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[datetime | None]
    last_seen: Mapped[datetime | None]
    last_value: Mapped[float | None] = mapped_column(Float)


class Media(CityOwned, Base):
    """A photo (or a staff PDF) uploaded to the city, stored once by its sha256 (`intake.media`).

    The original file is kept as sent; what is served is a re-encoded copy without EXIF, and
    photos also get a thumbnail. The client's filename is not kept: it may name a person.
    """

    __tablename__ = "intake_media"
    __table_args__ = (UniqueConstraint("city_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(String(64))
    #: Decided by the content: image/jpeg, image/png, image/webp or application/pdf.
    content_type: Mapped[str] = mapped_column(String(50))
    #: Of the served copy (orientation applied); None for PDFs.
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    #: Of the original, in bytes.
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
