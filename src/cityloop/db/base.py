"""Declarative base and mixins shared by every table.

Tenant-owned rows inherit `CityOwned`: a `city_id` column holding the owning city's 6-digit
division code. Queries of tenant-owned rows always filter on it; a city never sees another
city's rows.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import ForeignKey, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from cityloop.core.clock import get_clock
from cityloop.db.types import JSONType, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The modules that declare tables, in dependency order. Alembic and `create_all` load them
# by name so that the kernel never imports the packages built on top of it.
MODEL_MODULES = (
    "cityloop.cities.models",
    "cityloop.geo.models",
    "cityloop.taxonomy.models",
    "cityloop.org.models",
    "cityloop.access.models",
    "cityloop.deadlines.models",
    "cityloop.cases.models",
    "cityloop.intake.models",
    "cityloop.dispatch.models",
)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict: JSONType(),
        list: JSONType(),
    }


def _now() -> datetime:
    return get_clock().now()


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)


class CityOwned:
    """Mixin for rows that belong to one city (tenant)."""

    @declared_attr
    def city_id(cls) -> Mapped[str]:
        return mapped_column(String(6), ForeignKey("cities.code", ondelete="CASCADE"), index=True)


def import_models() -> MetaData:
    """Import every model module so that `Base.metadata` knows all tables; return it."""
    for name in MODEL_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a package still being built has no models yet
            if exc.name != name:
                raise
    return Base.metadata
