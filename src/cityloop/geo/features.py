"""The checked form of an areas file: one `AreaFeature` per GeoJSON feature."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cityloop.geo.codes import LEVELS
from cityloop.geo.problems import Problem


@dataclass
class AreaFeature:
    """One area feature as read from the file, with its shapely shape once the geometry is valid."""

    index: int
    level: str | None
    #: The valid code, or None when the code is missing or malformed.
    code: str | None
    #: The code as written in the file (even when malformed), to name the feature in messages.
    label: str | None = None
    name: str | None = None
    name_en: str | None = None
    area_class: str | None = None
    geometry: dict[str, Any] | None = None
    shape: Any = None
    area_m2: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def parent_code(self) -> str | None:
        return self.code[:-3] if self.code and self.level in LEVELS[1:] else None


@dataclass
class AreaCheck:
    """The outcome of a successful check: features in file order and non-blocking warnings."""

    features: list[AreaFeature]
    warnings: list[Problem]
