"""Stored deadline data of a city: its working calendar, its special days and its step limits.

The lead adds "cityloop.deadlines.models" to `db.base.MODEL_MODULES`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import CheckConstraint, Date, Float, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cityloop.db.base import Base, CityOwned, Timestamped
from cityloop.db.types import JSONType


class StoredCalendar(CityOwned, Timestamped, Base):
    """A city's calendar: timezone and duty periods ("HH:MM-HH:MM" by weekday mon…sun)."""

    __tablename__ = "deadlines_calendars"
    __table_args__ = (UniqueConstraint("city_id", name="city"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    timezone: Mapped[str] = mapped_column(String(64))
    week: Mapped[dict[str, Any]] = mapped_column(JSONType())
    makeup_periods: Mapped[list[Any]] = mapped_column(JSONType())
    source: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class CalendarDay(CityOwned, Timestamped, Base):
    """A holiday or a make-up workday (调休) of a city."""

    __tablename__ = "deadlines_calendar_days"
    __table_args__ = (
        UniqueConstraint("city_id", "day", name="city_day"),
        CheckConstraint("kind IN ('holiday', 'makeup')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date())
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100), default="")


class StepPolicy(CityOwned, Timestamped, Base):
    """The time limit of one workflow step at one urgency, for one city."""

    __tablename__ = "deadlines_policies"
    __table_args__ = (
        UniqueConstraint("city_id", "step", "urgency", name="city_step_urgency"),
        CheckConstraint("urgency IN ('urgent', 'normal')", name="urgency"),
        CheckConstraint(
            "unit IN ('working_minutes', 'working_hours', 'working_days', "
            "'calendar_minutes', 'calendar_hours', 'calendar_days')",
            name="unit",
        ),
        CheckConstraint("amount >= 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    step: Mapped[str] = mapped_column(String(40))
    urgency: Mapped[str] = mapped_column(String(10))
    amount: Mapped[float] = mapped_column(Float())
    unit: Mapped[str] = mapped_column(String(20))
