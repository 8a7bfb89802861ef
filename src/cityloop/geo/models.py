"""Areas (district → street → community → unit grid), patrol zones, named places, and the
per-city revision token that tells in-memory spatial indexes when to rebuild.

Geometries are stored portably as GeoJSON objects (JSON on SQLite, JSONB on PostgreSQL),
exactly as imported, with a bounding box, centroid and area computed once at import.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cityloop.db.base import Base, CityOwned, Timestamped
from cityloop.db.types import JSONType


class Area(CityOwned, Timestamped, Base):
    """A district, street, community or unit grid; its parent is given by its code prefix."""

    __tablename__ = "geo_areas"
    __table_args__ = (
        UniqueConstraint("city_id", "code"),
        Index("ix_geo_areas_city_level", "city_id", "level"),
        Index("ix_geo_areas_city_parent", "city_id", "parent_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    level: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(15))
    parent_code: Mapped[str | None] = mapped_column(String(15))
    name_zh: Mapped[str | None] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    area_class: Mapped[str] = mapped_column(String(10), default="urban")
    geometry: Mapped[dict[str, Any]] = mapped_column(JSONType())
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    centroid_lon: Mapped[float] = mapped_column(Float)
    centroid_lat: Mapped[float] = mapped_column(Float)
    area_m2: Mapped[float] = mapped_column(Float)
    #: Feature properties beyond the known keys, kept so that export → import is a round trip.
    extra: Mapped[dict[str, Any]] = mapped_column(JSONType(), default=dict)


class PatrolZone(CityOwned, Timestamped, Base):
    """A patrol zone (责任区): the unit grids one inspector patrols."""

    __tablename__ = "geo_patrol_zones"
    __table_args__ = (UniqueConstraint("city_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    grids: Mapped[list[PatrolZoneGrid]] = relationship(
        back_populates="zone",
        cascade="all, delete-orphan",
        order_by="PatrolZoneGrid.grid_code",
        passive_deletes=True,
    )


class PatrolZoneGrid(CityOwned, Base):
    """One unit grid of a patrol zone; a grid may belong to several zones."""

    __tablename__ = "geo_patrol_zone_grids"
    __table_args__ = (Index("ix_geo_patrol_zone_grids_city_grid", "city_id", "grid_code"),)

    zone_id: Mapped[int] = mapped_column(
        ForeignKey("geo_patrol_zones.id", ondelete="CASCADE"), primary_key=True
    )
    grid_code: Mapped[str] = mapped_column(String(15), primary_key=True)
    zone: Mapped[PatrolZone] = relationship(back_populates="grids")


class Place(CityOwned, Timestamped, Base):
    """A named road (LineString) or point of interest (Point), for geocoding and hot spots."""

    __tablename__ = "geo_places"
    __table_args__ = (Index("ix_geo_places_city_kind", "city_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: Order in the imported file, so that export writes the features back in the same order.
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSONType(), default=list)
    poi_kind: Mapped[str | None] = mapped_column(String(20))
    geometry: Mapped[dict[str, Any]] = mapped_column(JSONType())
    #: A point on the place (the POI itself, or the middle of a road), for maps and distances.
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    extra: Mapped[dict[str, Any]] = mapped_column(JSONType(), default=dict)


class AreaSet(CityOwned, Timestamped, Base):
    """One row per city: random revision tokens replaced on every import.

    In-memory caches (the lookup STRtree) are keyed by the token. Tokens are random, not
    counters, so a rolled-back import can never leave two different area sets with one token.
    """

    __tablename__ = "geo_area_sets"
    __table_args__ = (PrimaryKeyConstraint("city_id"),)

    revision: Mapped[str | None] = mapped_column(String(26))
    places_revision: Mapped[str | None] = mapped_column(String(26))
