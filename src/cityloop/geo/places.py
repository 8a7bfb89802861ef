"""Parse and validate a places FeatureCollection (docs/city-pack.md, places.geojson):
named roads (LineString/MultiLineString) and points of interest (Point)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from cityloop.geo.errors import PlaceImportFailed
from cityloop.geo.problems import ProblemList, features_of
from cityloop.geo.shapes import line_coordinates_problems, middle_point, to_shape

PLACE_KINDS = ("road", "poi")
POI_KINDS = (
    "market",
    "school",
    "station",
    "hospital",
    "park",
    "construction",
    "residential",
    "office",
    "mall",
    "other",
)
GEOMETRY_TYPES = {"road": ("LineString", "MultiLineString"), "poi": ("Point",)}
KNOWN_PROPERTIES = frozenset({"kind", "name", "name_en", "aliases", "poi_kind"})


@dataclass
class PlaceFeature:
    """One checked place; `lon`/`lat` is a point on it (the POI, or the middle of the road)."""

    index: int
    kind: str
    name: str
    geometry: dict[str, Any]
    lon: float
    lat: float
    name_en: str | None = None
    aliases: list[str] = field(default_factory=list)
    poi_kind: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _read_place(index: int, raw: Any, out: ProblemList) -> PlaceFeature | None:
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        out.add(index, None, "not_feature", "is not a GeoJSON Feature")
        return None
    raw_props = raw.get("properties")
    props: dict[str, Any] = raw_props if isinstance(raw_props, dict) else {}
    name, kind = props.get("name"), props.get("kind")
    label = name if isinstance(name, str) else None
    before = len(out.problems)
    if kind not in PLACE_KINDS:
        out.add(index, label, "kind", f"kind must be road or poi, got {kind!r}")
    if not isinstance(name, str) or not name.strip():
        out.add(index, label, "name_missing", "a place needs a name")
    name_en = props.get("name_en")
    if name_en is not None and (not isinstance(name_en, str) or not name_en.strip()):
        out.add(index, label, "name_en", f"name_en must be a non-empty string, got {name_en!r}")
    aliases = props.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        out.add(index, label, "aliases", f"aliases must be a list of non-empty strings, got {aliases!r}")
    poi_kind = props.get("poi_kind")
    if kind == "road" and poi_kind is not None:
        out.add(index, label, "poi_kind", "a road has no poi_kind")
    if kind == "poi":
        poi_kind = "other" if poi_kind is None else poi_kind
        if poi_kind not in POI_KINDS:
            out.add(index, label, "poi_kind", f"poi_kind {poi_kind!r} must be one of {', '.join(POI_KINDS)}")
    geometry = raw.get("geometry")
    geometry_type = geometry.get("type") if isinstance(geometry, dict) else None
    if kind in GEOMETRY_TYPES and geometry_type not in GEOMETRY_TYPES[kind]:
        wanted = " or ".join(GEOMETRY_TYPES[kind])
        out.add(index, label, "geometry_type", f"a {kind} needs a {wanted} geometry, got {geometry_type}")
    elif isinstance(geometry, dict):
        for rule, message in line_coordinates_problems(geometry):
            out.add(index, label, rule, message)
    if len(out.problems) > before or not isinstance(geometry, dict):
        return None
    clean = {"type": geometry_type, "coordinates": copy.deepcopy(geometry["coordinates"])}
    lon, lat = middle_point(to_shape(clean))
    return PlaceFeature(
        index=index,
        kind=str(kind),
        name=str(name),
        geometry=clean,
        lon=lon,
        lat=lat,
        name_en=name_en,
        aliases=list(aliases),
        poi_kind=poi_kind,
        extra=copy.deepcopy({k: v for k, v in props.items() if k not in KNOWN_PROPERTIES}),
    )


def check_places(collection: Any, *, source: str = "places.geojson") -> list[PlaceFeature]:
    """Validate a places FeatureCollection; raise PlaceImportFailed listing every problem."""
    out = ProblemList(source)
    raw_features = features_of(collection, out) or []
    places = [_read_place(i, raw, out) for i, raw in enumerate(raw_features)]
    out.raise_if_any(PlaceImportFailed)
    return [p for p in places if p is not None]
