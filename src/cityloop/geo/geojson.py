"""GeoJSON in and out: validate an areas FeatureCollection (docs/city-pack.md, areas.geojson),
and export areas and places in exactly the format the importers read.

`check_areas` is pure: it reads the collection, applies every rule and returns the checked
features with their warnings, or raises `AreaImportFailed` listing every problem at once.
Per-feature rules live here; rules between features (overlaps, gaps, parents) in
`topology.py`. Export → import → export gives the same document.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from cityloop.cities import get_city
from cityloop.cities.divisions import is_within
from cityloop.geo.codes import LEVELS, area_code_problem
from cityloop.geo.errors import AreaImportFailed
from cityloop.geo.features import AreaCheck, AreaFeature
from cityloop.geo.models import Area, Place
from cityloop.geo.problems import ProblemList, features_of
from cityloop.geo.queries import list_areas, list_places
from cityloop.geo.shapes import areas_m2, polygon_coordinates_problems, to_shape, validity_problem
from cityloop.geo.topology import topology_problems, topology_warnings

AREA_CLASSES = ("urban", "rural")
KNOWN_PROPERTIES = frozenset({"level", "code", "name", "name_en", "area_class", "parent"})
#: Levels whose features must carry a Chinese name; grids may go without.
NAMED_LEVELS = frozenset({"district", "street", "community"})

AreaRules = Callable[[str, str, dict[str, Any]], list[str]]


def _optional_text(props: dict[str, Any], key: str, f: AreaFeature, out: ProblemList) -> str | None:
    value = props.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        out.add(f.index, f.label, key, f"{key} must be a non-empty string, got {value!r}")
        return None
    return value


def _read_feature(index: int, raw: Any, city_code: str, rules: AreaRules, out: ProblemList) -> AreaFeature:
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        out.add(index, None, "not_feature", "is not a GeoJSON Feature")
        return AreaFeature(index=index, level=None, code=None)
    raw_props = raw.get("properties")
    props: dict[str, Any] = raw_props if isinstance(raw_props, dict) else {}
    code: Any = props.get("code")
    level = props.get("level")
    label = code if isinstance(code, str) else None
    f = AreaFeature(index=index, level=None, code=None, label=label)
    if level is None:
        out.add(index, label, "level", "has no level; expected one of " + ", ".join(LEVELS))
    elif level not in LEVELS:
        out.add(index, label, "level", f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    else:
        f.level = level
        problem = area_code_problem(level, code)
        if problem:
            out.add(index, label, "code", problem)
        elif level == "district" and not is_within(code, city_code):
            out.add(index, label, "district_outside_city", f"district {code} is not inside city {city_code}")
            f.code = code
        else:
            f.code = code
    f.name = _optional_text(props, "name", f, out)
    f.name_en = _optional_text(props, "name_en", f, out)
    if f.level in NAMED_LEVELS and props.get("name") is None:
        out.add(index, label, "name_missing", f"a {f.level} needs a name (Chinese)")
    area_class = props.get("area_class")
    if area_class is not None and area_class not in AREA_CLASSES:
        out.add(index, label, "area_class", f"area_class {area_class!r} must be urban or rural")
    else:
        f.area_class = area_class
    parent = props.get("parent")
    if parent is not None and f.code and parent != f.parent_code:
        out.add(index, label, "not_under_parent", f"code {f.code} is not under its stated parent {parent!r}")
    f.extra = copy.deepcopy({k: v for k, v in props.items() if k not in KNOWN_PROPERTIES})
    _read_geometry(raw.get("geometry"), f, out)
    if f.level and f.code:
        for message in rules(f.level, f.code, dict(props)):
            out.add(index, label, "city_rule", message)
    return f


def _read_geometry(geometry: Any, f: AreaFeature, out: ProblemList) -> None:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        got = kind if kind else ("no geometry" if geometry is None else repr(geometry)[:40])
        out.add(f.index, f.label, "geometry_type", f"geometry must be a Polygon or MultiPolygon, got {got}")
        return
    assert isinstance(geometry, dict)
    found = polygon_coordinates_problems(geometry)
    for rule, message in found:
        out.add(f.index, f.label, rule, message)
    if found:
        return
    # a copy, so that a caller changing its collection later cannot change the rows
    f.geometry = {"type": kind, "coordinates": copy.deepcopy(geometry["coordinates"])}
    shape = to_shape(f.geometry)
    reason = validity_problem(shape)
    if reason:
        out.add(f.index, f.label, "invalid_polygon", f"invalid polygon: {reason}")
        return
    f.shape = shape


def _check_codes(features: list[AreaFeature], out: ProblemList) -> None:
    first: dict[str, int] = {}
    for f in features:
        if not f.code:
            continue
        if f.code in first:
            used = f"code {f.code} is already used by feature {first[f.code]}"
            out.add(f.index, f.code, "duplicate_code", used)
            f.shape = None  # keep the first one only for the rules between features
        else:
            first[f.code] = f.index
    for f in features:
        parent = f.parent_code
        if parent is not None and parent not in first:
            out.add(f.index, f.code, "parent_missing", f"its parent {parent} is not in the file")


def _resolve_area_classes(features: list[AreaFeature]) -> None:
    """Communities inherit their street's class, streets their district's; the default is urban."""
    by_code = {f.code: f for f in features if f.code}
    for f in sorted(features, key=lambda item: len(item.code or "")):
        if f.area_class is None:
            parent = by_code.get(f.parent_code or "")
            f.area_class = parent.area_class if parent and parent.area_class else "urban"


def check_areas(
    collection: Any,
    *,
    city_code: str,
    source: str = "areas.geojson",
    rules: AreaRules | None = None,
    grid_target_area_m2: float = 10_000,
) -> AreaCheck:
    """Validate a whole areas FeatureCollection; raise AreaImportFailed listing every problem."""
    out = ProblemList(source)
    raw_features = features_of(collection, out)
    features: list[AreaFeature] = []
    if raw_features is not None:
        hook = rules or (lambda _level, _code, _props: [])
        features = [_read_feature(i, raw, city_code, hook, out) for i, raw in enumerate(raw_features)]
        _check_codes(features, out)
        shaped = [f for f in features if f.shape is not None]
        for f, area in zip(shaped, areas_m2([f.shape for f in shaped]), strict=True):
            f.area_m2 = float(area)
        out.extend(topology_problems(features, source))
    out.raise_if_any(AreaImportFailed)
    _resolve_area_classes(features)
    return AreaCheck(features=features, warnings=topology_warnings(features, source, grid_target_area_m2))


def area_feature(row: Area) -> dict[str, Any]:
    """One area as a GeoJSON Feature with the properties of areas.geojson."""
    props: dict[str, Any] = {"level": row.level, "code": row.code}
    if row.name_zh is not None:
        props["name"] = row.name_zh
    if row.name_en is not None:
        props["name_en"] = row.name_en
    props["area_class"] = row.area_class
    props.update(row.extra or {})
    return {"type": "Feature", "properties": props, "geometry": row.geometry}


def place_feature(row: Place) -> dict[str, Any]:
    """One place as a GeoJSON Feature with the properties of places.geojson."""
    props: dict[str, Any] = {"kind": row.kind, "name": row.name}
    if row.name_en is not None:
        props["name_en"] = row.name_en
    if row.aliases:
        props["aliases"] = list(row.aliases)
    if row.poi_kind is not None:
        props["poi_kind"] = row.poi_kind
    props.update(row.extra or {})
    return {"type": "Feature", "properties": props, "geometry": row.geometry}


def export_areas(session: Session, city_code: str, *, level: str | None = None) -> dict[str, Any]:
    """The city's areas (or one level of them) as an areas.geojson FeatureCollection, by code."""
    get_city(session, city_code)
    rows = session.scalars(list_areas(session, city_code, level=level))
    return {"type": "FeatureCollection", "features": [area_feature(row) for row in rows]}


def export_places(session: Session, city_code: str) -> dict[str, Any]:
    """The city's roads and POIs as a places.geojson FeatureCollection, in file order."""
    get_city(session, city_code)
    return {
        "type": "FeatureCollection",
        "features": [place_feature(row) for row in list_places(session, city_code)],
    }
