"""Category codes (national and city-local) and registration conditions (立案条件)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from cityloop.db.base import Base, CityOwned, Timestamped
from cityloop.db.types import JSONType

_KIND_CHECK = "kind IN ('component', 'matter')"


class Category(Timestamped, Base):
    """One classification code of one edition.

    `city_id` is NULL for a national (shared) row, or the division code of the city whose
    local extension code this is. Components and matters share codes, so a row is identified by
    (standard, kind, code) within its scope; two partial unique indexes enforce that because
    NULL never equals NULL in a plain unique constraint.
    """

    __tablename__ = "taxonomy_categories"
    __table_args__ = (
        CheckConstraint(_KIND_CHECK, name="kind"),
        Index(
            "uq_taxonomy_categories_national",
            "standard",
            "kind",
            "code",
            unique=True,
            sqlite_where=text("city_id IS NULL"),
            postgresql_where=text("city_id IS NULL"),
        ),
        Index(
            "uq_taxonomy_categories_local",
            "city_id",
            "standard",
            "kind",
            "code",
            unique=True,
            sqlite_where=text("city_id IS NOT NULL"),
            postgresql_where=text("city_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    standard: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(10))
    major_code: Mapped[str] = mapped_column(String(2))
    major_name: Mapped[str] = mapped_column(String(100))
    major_name_en: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    city_id: Mapped[str | None] = mapped_column(
        String(6), ForeignKey("cities.code", ondelete="CASCADE"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(Text)

    @property
    def is_local(self) -> bool:
        return self.city_id is not None


class RegistrationCondition(CityOwned, Timestamped, Base):
    """A city's registration condition: a category plus a situation, with disposal limits.

    `limits` maps an urgency (`urgent`, `normal`) to {"amount": int, "unit": one of
    core.timeunits.TIME_UNITS}; `deadlines` turns it into a due time with the city's calendar.
    """

    __tablename__ = "taxonomy_registration_conditions"
    __table_args__ = (
        CheckConstraint(_KIND_CHECK, name="kind"),
        CheckConstraint("area_class IS NULL OR area_class IN ('urban', 'rural')", name="area_class"),
        Index(
            "uq_taxonomy_registration_conditions_any_area",
            "city_id",
            "standard",
            "kind",
            "code",
            "situation",
            unique=True,
            sqlite_where=text("area_class IS NULL"),
            postgresql_where=text("area_class IS NULL"),
        ),
        Index(
            "uq_taxonomy_registration_conditions_area",
            "city_id",
            "standard",
            "kind",
            "code",
            "situation",
            "area_class",
            unique=True,
            sqlite_where=text("area_class IS NOT NULL"),
            postgresql_where=text("area_class IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    standard: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(10))
    situation: Mapped[str] = mapped_column(String(200))
    situation_en: Mapped[str | None] = mapped_column(String(300))
    area_class: Mapped[str | None] = mapped_column(String(10))
    limits: Mapped[dict[str, Any]] = mapped_column(JSONType(), default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(200))
