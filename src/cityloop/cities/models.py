"""Cities (tenants) and their stored runtime parameters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from cityloop.db.base import Base, Timestamped
from cityloop.db.types import JSONType


class City(Timestamped, Base):
    """A tenant, keyed by its 6-digit GB/T 2260 division code (e.g. 330100)."""

    __tablename__ = "cities"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    locale: Mapped[str] = mapped_column(String(10), default="zh-CN")


class CityParameter(Timestamped, Base):
    """One stored runtime parameter of a city; the typed definitions live in `params.py`."""

    __tablename__ = "city_parameters"

    city_id: Mapped[str] = mapped_column(
        String(6), ForeignKey("cities.code", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONType(), default=None)
