"""Dispatch rules and component owners: the data that decides which department handles a case.

A rule is a set of conditions (rules.Conditions, stored as JSON) and the department that gets
the cases matching all of them; rules are tried in `position` order. A component owner maps a
component-ID prefix (DOMAIN.md §5: 6 division + 2 major + 3 minor + 6 sequence digits) to the
department that owns those components and, optionally, the one that maintains them. Rules and
owners are identified by name and prefix, so re-importing the same file keeps their ids (the
timeline cites the rule id).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cityloop.db.base import Base, CityOwned, Timestamped
from cityloop.db.types import JSONType
from cityloop.org.models import Department


class DispatchRule(CityOwned, Timestamped, Base):
    """One routing rule of a city: conditions → department, tried in `position` order."""

    __tablename__ = "dispatch_rules"
    __table_args__ = (
        UniqueConstraint("city_id", "name"),
        Index("ix_dispatch_rules_order", "city_id", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: Priority: 0 is tried first. Not unique in the database so that a re-import may reorder freely.
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    #: `rules.Conditions` as JSON, only the conditions that are set (an empty object matches every case).
    conditions: Mapped[dict[str, Any]] = mapped_column(JSONType(), default=dict)
    department_id: Mapped[int] = mapped_column(ForeignKey("org_departments.id", ondelete="CASCADE"))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(Text)

    department: Mapped[Department] = relationship()


class ComponentOwner(CityOwned, Timestamped, Base):
    """Components whose ID starts with `prefix` belong to `owner` and are kept up by `maintainer`."""

    __tablename__ = "dispatch_component_owners"
    __table_args__ = (UniqueConstraint("city_id", "prefix"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: 8 to 17 digits: division + major at least, up to a single component's full ID.
    prefix: Mapped[str] = mapped_column(String(17))
    owner_id: Mapped[int] = mapped_column(ForeignKey("org_departments.id", ondelete="CASCADE"))
    maintainer_id: Mapped[int | None] = mapped_column(ForeignKey("org_departments.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)

    owner: Mapped[Department] = relationship(foreign_keys=[owner_id])
    maintainer: Mapped[Department | None] = relationship(foreign_keys=[maintainer_id])
