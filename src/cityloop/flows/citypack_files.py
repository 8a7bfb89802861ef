"""Reading and writing the files of a city pack (docs/city-pack.md), with errors that name the file and line."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cityloop.flows.errors import PackInvalid

FILES = {
    "city": "city.yaml",
    "areas": "areas.geojson",
    "places": "places.geojson",
    "patrol_zones": "patrol_zones.yaml",
    "departments": "departments.yaml",
    "staff": "staff.yaml",
    "taxonomy_local_csv": "taxonomy_local.csv",
    "calendar": "calendar.yaml",
    "devices": "devices.yaml",
    "dispatch_rules": "dispatch_rules.yaml",
    "component_owners": "component_owners.yaml",
}


@dataclass
class CityPack:
    """The parsed contents of a city pack; the optional parts are None when their file is absent."""

    city: dict[str, Any]
    areas: dict[str, Any] | None = None
    places: dict[str, Any] | None = None
    patrol_zones: list[dict[str, Any]] | None = None
    departments: list[dict[str, Any]] | None = None
    staff: list[dict[str, Any]] | None = None
    taxonomy_local_csv: str | None = None
    calendar: dict[str, Any] | None = None
    devices: list[dict[str, Any]] | None = None
    #: Routing rules in priority order and component owners (see `cityloop.dispatch`).
    dispatch_rules: list[dict[str, Any]] | None = None
    component_owners: list[dict[str, Any]] | None = None
    source: str = field(default="")


def _problem(file: str, message: str, line: int | None = None, rule: str = "unreadable") -> PackInvalid:
    where = f"{file}:{line}" if line else file
    detail = {"source": file, "line": line, "rule": rule, "message": message}
    return PackInvalid(f"{where}: {message}", details=[detail])


def _read_yaml(path: Path, expected: type) -> Any:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise _problem(path.name, f"not valid YAML ({getattr(exc, 'problem', exc)})", line) from exc
    except UnicodeDecodeError as exc:
        raise _problem(path.name, "not UTF-8 text") from exc
    if not isinstance(data, expected):
        raise _problem(path.name, f"must hold a {'mapping' if expected is dict else 'list'}", rule="shape")
    return data


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise _problem(path.name, f"not valid JSON ({exc.msg})", exc.lineno) from exc
    except UnicodeDecodeError as exc:
        raise _problem(path.name, "not UTF-8 text") from exc
    if not isinstance(data, dict):
        raise _problem(path.name, "must hold a GeoJSON FeatureCollection object", rule="shape")
    return data


def read_pack(directory: Path) -> CityPack:
    """Parse the files of the pack in `directory`; city.yaml is required, the rest optional."""
    if not directory.is_dir():
        raise PackInvalid(
            f"{directory}: not a folder", details=[{"source": str(directory), "rule": "missing"}]
        )
    city_file = directory / FILES["city"]
    if not city_file.is_file():
        raise _problem(FILES["city"], f"missing from {directory}", rule="missing")
    pack = CityPack(city=_read_yaml(city_file, dict), source=str(directory))
    for attr in ("areas", "places"):
        path = directory / FILES[attr]
        if path.is_file():
            setattr(pack, attr, _read_json(path))
    for attr in ("patrol_zones", "departments", "staff", "devices", "dispatch_rules", "component_owners"):
        path = directory / FILES[attr]
        if path.is_file():
            setattr(pack, attr, _read_yaml(path, list))
    calendar = directory / FILES["calendar"]
    if calendar.is_file():
        pack.calendar = _read_yaml(calendar, dict)
    local = directory / FILES["taxonomy_local_csv"]
    if local.is_file():
        try:
            pack.taxonomy_local_csv = local.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise _problem(local.name, "not UTF-8 text") from exc
    return pack


def write_pack(pack: CityPack, directory: Path) -> list[Path]:
    """Write `pack` as files in `directory` (created if needed); returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for attr, name in FILES.items():
        value = getattr(pack, attr)
        if value is None:
            continue
        path = directory / name
        if name.endswith(".yaml"):
            path.write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False), encoding="utf-8")
        elif name.endswith(".geojson"):
            path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        else:
            path.write_text(value, encoding="utf-8")
        written.append(path)
    return written
