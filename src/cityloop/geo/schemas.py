"""Output shapes of the geo API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from cityloop.geo.lookup import AreaRef, Located
from cityloop.geo.models import Area


class AreaOut(BaseModel):
    """An area without its geometry (lists)."""

    level: str
    code: str
    parent_code: str | None
    name: str | None
    name_en: str | None
    area_class: str
    #: [min lon, min lat, max lon, max lat]
    bbox: list[float]
    #: [lon, lat]
    centroid: list[float]
    area_m2: float

    @classmethod
    def of(cls, row: Area) -> AreaOut:
        return cls(**_area_fields(row))


class AreaDetail(AreaOut):
    """An area with its GeoJSON geometry."""

    geometry: dict[str, Any]

    @classmethod
    def of(cls, row: Area) -> AreaDetail:
        return cls(**_area_fields(row), geometry=row.geometry)


def _area_fields(row: Area) -> dict[str, Any]:
    return {
        "level": row.level,
        "code": row.code,
        "parent_code": row.parent_code,
        "name": row.name_zh,
        "name_en": row.name_en,
        "area_class": row.area_class,
        "bbox": [row.min_lon, row.min_lat, row.max_lon, row.max_lat],
        "centroid": [row.centroid_lon, row.centroid_lat],
        "area_m2": row.area_m2,
    }


class AreaRefOut(BaseModel):
    code: str
    name: str | None
    name_en: str | None

    @classmethod
    def of(cls, ref: AreaRef | None) -> AreaRefOut | None:
        return None if ref is None else cls(code=ref.code, name=ref.name, name_en=ref.name_en)


class LocatedOut(BaseModel):
    """The areas a point lies in, lowest first; levels below the lowest area found are null."""

    grid: AreaRefOut | None
    community: AreaRefOut | None
    street: AreaRefOut | None
    district: AreaRefOut
    area_class: str

    @classmethod
    def of(cls, found: Located) -> LocatedOut:
        district = AreaRefOut.of(found.district)
        assert district is not None
        return cls(
            grid=AreaRefOut.of(found.grid),
            community=AreaRefOut.of(found.community),
            street=AreaRefOut.of(found.street),
            district=district,
            area_class=found.area_class,
        )
