"""Departments, what they are responsible for, staff, field workers and their shifts.

Departments and staff that an import no longer lists are deactivated, never deleted: cases,
timelines and evaluations keep pointing at them. Responsibilities, worker profiles and shifts
are configuration owned by their department or worker and are replaced freely.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cityloop.db.base import Base, CityOwned, Timestamped
from cityloop.db.types import JSONType, UTCDateTime

#: The edition a responsibility refers to when departments.yaml does not say.
DEFAULT_STANDARD = "GB/T 47678.5-2026"

DEPARTMENT_KINDS = ("professional", "street_office", "centre")
CATEGORY_KINDS = ("component", "matter")


class Department(CityOwned, Timestamped, Base):
    """A professional department (专业部门), a street office (街道办) or a centre."""

    __tablename__ = "org_departments"
    __table_args__ = (UniqueConstraint("city_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_departments.id", ondelete="SET NULL"))
    #: For a street office: the 9-digit street code it is responsible for.
    street_code: Mapped[str | None] = mapped_column(String(9))
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped[Department | None] = relationship(remote_side="Department.id")
    responsibilities: Mapped[list[Responsibility]] = relationship(
        back_populates="department",
        cascade="all, delete-orphan",
        order_by="Responsibility.position",
        passive_deletes=True,
    )


class Responsibility(CityOwned, Timestamped, Base):
    """Categories a department handles, and where; no areas means the whole city."""

    __tablename__ = "org_responsibilities"
    __table_args__ = (Index("ix_org_responsibilities_department", "department_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("org_departments.id", ondelete="CASCADE"))
    #: Order within the department in the imported file, so that export writes it back unchanged.
    position: Mapped[int] = mapped_column(Integer)
    standard: Mapped[str] = mapped_column(String(40), default=DEFAULT_STANDARD)
    #: component | matter | None (both).
    kind: Mapped[str | None] = mapped_column(String(20))
    #: Majors (2 digits) and classification codes (5 digits).
    categories: Mapped[list[str]] = mapped_column(JSONType(), default=list)
    #: Area codes (district, street, community or grid); empty means the whole city.
    areas: Mapped[list[str]] = mapped_column(JSONType(), default=list)

    department: Mapped[Department] = relationship(back_populates="responsibilities")


class Staff(CityOwned, Timestamped, Base):
    """A person who works in the loop; roles are values of `org.roles.StaffRole`."""

    __tablename__ = "org_staff"
    __table_args__ = (UniqueConstraint("city_id", "username"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    roles: Mapped[list[str]] = mapped_column(JSONType(), default=list)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_departments.id", ondelete="SET NULL"), index=True
    )
    #: The patrol zone (geo) an inspector patrols.
    patrol_zone_code: Mapped[str | None] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(String(40))
    #: argon2 hash (core.passwords); None for accounts that cannot sign in with a password.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    department: Mapped[Department | None] = relationship()
    worker: Mapped[WorkerProfile | None] = relationship(
        back_populates="staff", cascade="all, delete-orphan", passive_deletes=True
    )


class WorkerProfile(CityOwned, Timestamped, Base):
    """What dispatch needs to know about a field worker: home base, skills and shifts."""

    __tablename__ = "org_worker_profiles"

    staff_id: Mapped[int] = mapped_column(ForeignKey("org_staff.id", ondelete="CASCADE"), primary_key=True)
    home_lon: Mapped[float] = mapped_column(Float)
    home_lat: Mapped[float] = mapped_column(Float)
    skills: Mapped[list[str]] = mapped_column(JSONType(), default=list)
    #: Last known position, reported by the mobile page (filled in later, not imported).
    current_lon: Mapped[float | None] = mapped_column(Float)
    current_lat: Mapped[float | None] = mapped_column(Float)
    located_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    staff: Mapped[Staff] = relationship(back_populates="worker")
    shifts: Mapped[list[Shift]] = relationship(
        back_populates="worker",
        cascade="all, delete-orphan",
        order_by="Shift.position",
        passive_deletes=True,
    )


class Shift(CityOwned, Base):
    """A weekly working period in the city's local time; it runs overnight when end < start."""

    __tablename__ = "org_shifts"
    __table_args__ = (Index("ix_org_shifts_worker", "staff_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("org_worker_profiles.staff_id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    #: ISO weekdays the shift starts on: 1 = Monday … 7 = Sunday.
    weekdays: Mapped[list[int]] = mapped_column(JSONType(), default=list)
    start: Mapped[str] = mapped_column("start_time", String(5))
    end: Mapped[str] = mapped_column("end_time", String(5))

    worker: Mapped[WorkerProfile] = relationship(back_populates="shifts")
