"""The demo city 示范市 / Demo City as a city pack (docs/city-pack.md), built from a seed."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

import yaml

from cityloop.cities.divisions import division_code_problem
from cityloop.deadlines import packaged_calendar
from cityloop.flows.citypack_files import CityPack
from cityloop.sim.democity.devices import devices
from cityloop.sim.democity.dispatch import demo_component_owners, demo_rules
from cityloop.sim.democity.geometry import area_features, build_layout
from cityloop.sim.democity.organisation import departments
from cityloop.sim.democity.places import place_features
from cityloop.sim.democity.staff import patrol_zones, staff

CITY_NAME = "示范市"
CITY_NAME_EN = "Demo City"
TIMEZONE = "Asia/Shanghai"
LOCALE = "zh-CN"
DEFAULT_SEED = 20261128
TAXONOMY_COLUMNS = ("kind", "major_code", "code", "name", "name_en", "note")
# Local extension codes: minors 900+ are never used by the national table.
LOCAL_CODES = (
    ("matter", "09", "09901", "占道晾晒", "Drying laundry on the street", "在人行道、护栏或行道树上晾晒衣被"),
    ("matter", "09", "09902", "飞线充电", "Charging e-bikes from trailing cables", "楼道或窗口拉线充电"),
    ("matter", "06", "06901", "犬只粪便未清理", "Dog waste left on the street", ""),
)


#: The demo city runs the loop with the automation on: the system sends reports for verification
#: and checking, accepts, files and dispatches; people verify, handle, check and close.
DEMO_PARAMETERS: dict[str, Any] = {
    "auto_verify_dispatch": True,
    "auto_accept_sources": ["inspector", "citizen", "hotline", "camera", "sensor", "sms", "open311"],
    "auto_file": True,
    "auto_dispatch": True,
    # The same bar as automatic categorisation: a case the intake categorised by itself is dispatched.
    "auto_dispatch_confidence": 0.5,
    "auto_send_check": True,
    "dispatch_policy": "optimised",
}


@dataclass(frozen=True)
class DemoPack:
    """Exactly the contents of a city pack: one attribute per file."""

    city: dict[str, Any]
    areas: dict[str, Any]
    places: dict[str, Any]
    patrol_zones: list[dict[str, Any]]
    departments: list[dict[str, Any]]
    staff: list[dict[str, Any]]
    taxonomy_local_csv: str
    #: The working calendar: mainland China's 2026 holidays and make-up days (see its note).
    calendar: dict[str, Any]
    #: The device registry: cameras at markets and stations, sensors (see `democity.devices`).
    devices: list[dict[str, Any]]
    #: Routing rules and component owners (see `democity.dispatch`).
    dispatch_rules: list[dict[str, Any]]
    component_owners: list[dict[str, Any]]

    def to_city_pack(self) -> CityPack:
        """The same contents as the pack `cityloop city import` reads (no files written)."""
        return CityPack(
            city=self.city,
            areas=self.areas,
            places=self.places,
            patrol_zones=self.patrol_zones,
            departments=self.departments,
            staff=self.staff,
            taxonomy_local_csv=self.taxonomy_local_csv,
            calendar=self.calendar,
            devices=self.devices,
            dispatch_rules=self.dispatch_rules,
            component_owners=self.component_owners,
            source="demo",
        )

    def write(self, directory: Path) -> None:
        """Write the pack's files into `directory` (created if needed), ready for `cityloop city import`."""
        directory.mkdir(parents=True, exist_ok=True)
        _write_yaml(directory / "city.yaml", self.city)
        _write_geojson(directory / "areas.geojson", self.areas)
        _write_geojson(directory / "places.geojson", self.places)
        _write_yaml(directory / "patrol_zones.yaml", self.patrol_zones)
        _write_yaml(directory / "departments.yaml", self.departments)
        _write_yaml(directory / "staff.yaml", self.staff)
        (directory / "taxonomy_local.csv").write_text(self.taxonomy_local_csv, encoding="utf-8")
        _write_yaml(directory / "calendar.yaml", self.calendar)
        _write_yaml(directory / "devices.yaml", self.devices)
        _write_yaml(directory / "dispatch_rules.yaml", self.dispatch_rules)
        _write_yaml(directory / "component_owners.yaml", self.component_owners)


class _PackDumper(yaml.SafeDumper):
    """Quotes codes and times (08, 03008, 08:30 stay strings in any YAML reader); lists of scalars on one line."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "'" if value and value.isascii() and value.replace(":", "").isdigit() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flat = all(item is None or isinstance(item, str | int | float) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)


_PackDumper.add_representer(str, _represent_str)
_PackDumper.add_representer(list, _represent_list)


def _write_yaml(path: Path, data: object) -> None:
    text = yaml.dump(data, Dumper=_PackDumper, allow_unicode=True, sort_keys=False, width=120)
    path.write_text(text, encoding="utf-8")


def _write_geojson(path: Path, collection: dict[str, Any]) -> None:
    """A FeatureCollection with one feature per line, so that errors and diffs point at a feature."""
    lines = ",\n".join(json.dumps(feature, ensure_ascii=False) for feature in collection["features"])
    path.write_text(f'{{"type": "FeatureCollection", "features": [\n{lines}\n]}}\n', encoding="utf-8")


def taxonomy_local_csv() -> str:
    """taxonomy_local.csv: the demo city's local extension codes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TAXONOMY_COLUMNS)
    writer.writerows(LOCAL_CODES)
    return out.getvalue()


def build_demo_pack(code: str = "330100", seed: int = DEFAULT_SEED) -> DemoPack:
    """Generate the demo city: same code and seed, same pack, byte for byte once written."""
    problem = division_code_problem(code)
    if problem is None and (not code.endswith("00") or code.endswith("0000")):
        problem = f"the demo city needs a prefecture-level division code (ending in 00), got {code!r}"
    if problem:
        raise ValueError(problem)
    layout = build_layout(code, Random(f"{seed}:areas"))
    units = departments(layout, CITY_NAME)
    places = place_features(layout, Random(f"{seed}:places"))
    return DemoPack(
        city={
            "code": code,
            "name_zh": CITY_NAME,
            "name_en": CITY_NAME_EN,
            "timezone": TIMEZONE,
            "locale": LOCALE,
            "parameters": dict(DEMO_PARAMETERS),
        },
        areas=area_features(layout),
        places=places,
        patrol_zones=patrol_zones(layout),
        departments=units,
        staff=staff(layout, [unit["code"] for unit in units], Random(f"{seed}:staff")),
        taxonomy_local_csv=taxonomy_local_csv(),
        calendar=packaged_calendar("cn-2026"),
        devices=devices(places),
        dispatch_rules=demo_rules(code),
        component_owners=demo_component_owners(code),
    )
